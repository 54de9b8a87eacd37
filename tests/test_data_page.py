"""数据管理 through AppTest, per role: who reaches the upload, a county editor refused for another county,
preview then commit or cancel, an admin's rollback, bad files that leave the database byte for byte as it
was, internal indicators hidden from visitors, and viewing behind sign-in when configured."""

from __future__ import annotations

import io
import random
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from rolgov import auth, db, fmt, intake
from rolgov import catalog as catalog_mod
from rolgov.account import plain
from rolgov.i18n import t
from tests.conftest import ROOT, value_of

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORDS = {"admin": "admin passphrase 1", "hanbin": "hanbin passphrase 1", "viewer": "viewer passphrase 1"}
PAGES = [
    k
    for k in re.findall(r'\("(\w+)", "pages/\w+\.py"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))
    if k != "data"
]


@pytest.fixture
def env(tmp_path, sample_db, monkeypatch):
    """A private copy of the sample database and a user store with one user per role; returns the DB path."""
    db_file = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_file)
    monkeypatch.setenv("ROLGOV_DB", str(db_file))
    monkeypatch.setattr(db, "DEFAULT_DB", db_file)
    monkeypatch.setenv("ROLGOV_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("ROLGOV_REQUIRE_LOGIN", raising=False)
    store = auth.UserStore(tmp_path / "users.json", hasher=FAST)
    store.add("admin", PASSWORDS["admin"], "admin")
    store.add("hanbin", PASSWORDS["hanbin"], "editor", ["610902"])  # 汉滨区
    store.add("viewer", PASSWORDS["viewer"], "viewer")
    st.cache_data.clear()
    st.cache_resource.clear()
    # AppTest resets Streamlit's "legacy pages/ folder" flag before every run, so a rerun on a page
    # would skip dashboard.py (and the sidebar). A running server clears the flag once for good on
    # its first request (see ui.context); do the same after each reset.
    original = PagesManager.__init__

    def steady_state(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", steady_state)
    yield db_file
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(name: str | None = None, page: str = "data") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if name is not None:
        entry = auth.store().get(name)
        at.session_state["user"] = auth.User(name, entry["role"], tuple(entry["regions"]))
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    uploader = at.file_uploader[0]
    for name, data in files:
        uploader.upload(name, data, "application/octet-stream")
    return rerun(at)


def csv_bytes(*rows: tuple, encoding: str = "utf-8-sig") -> bytes:
    lines = ["region,year,indicator,value"] + [",".join(map(str, r)) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def snapshot(db_file: Path) -> tuple[bytes, list[tuple]]:
    with db.read(db_file) as con:
        rows = con.execute("SELECT * FROM indicator_values ORDER BY ALL").fetchall()
    return db_file.read_bytes(), rows


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def button(at: AppTest, key: str):
    return at.button(key=key)


def switch_tab(at: AppTest, label: str) -> AppTest:
    """Open a tab of the data page (only the open tab runs), as a click on it would."""
    at.session_state["data_tab"] = label
    return rerun(at)


def sign_in_button(at: AppTest):
    """The submit button of the data page's sign-in form (the sidebar has a folded one too)."""
    return next(b for b in at.button if b.label == "登录" and "signin_data" in b.id)


# ── who reaches the upload ───────────────────────────────────────────────────────────────────
def test_an_anonymous_visitor_sees_only_the_sign_in_form(env):
    at = open_page()
    assert len(at.file_uploader) == 0 and len(at.tabs) == 0
    assert texts(at, "info") == ["数据管理需要登录。"]
    password = at.text_input(key="signin_data_password").proto
    assert password.type == password.PASSWORD


def test_a_viewer_cannot_reach_the_upload(env):
    at = open_page("viewer")
    assert len(at.file_uploader) == 0
    assert "查看者可以查看导入历史和填报完整性，不能导入或回滚数据" in texts(at, "info")[0]
    switch_tab(at, "导入历史")
    assert "只有管理员可以回滚批次。" in texts(at, "info")
    assert len(at.dataframe[0].value) == len(intake.history(env))  # the history is there to read


def test_signing_in_through_the_form_opens_the_upload(env):
    at = open_page()
    at.text_input(key="signin_data_name").input("admin")
    at.text_input(key="signin_data_password").input("not the password")
    sign_in_button(at).click()
    rerun(at)
    assert texts(at, "error") == [
        "用户名或密码错误；再错 4 次将锁定 15 分钟 / wrong user name or password; "
        "4 more failure(s) lock the account for 15 minutes"
    ]
    assert len(at.file_uploader) == 0
    auth.store().enable("admin")  # lift the 1-second wait the failure imposed
    at.text_input(key="signin_data_name").input("admin")
    at.text_input(key="signin_data_password").input(PASSWORDS["admin"])
    sign_in_button(at).click()
    rerun(at)
    assert len(at.file_uploader) == 1
    assert at.session_state["user"].role == "admin"


def test_signing_out_ends_the_session(env):
    at = open_page("admin")
    assert len(at.file_uploader) == 1
    button(at, "sign_out").click()
    rerun(at)
    assert "user" not in at.session_state
    assert len(at.file_uploader) == 0 and texts(at, "info") == ["数据管理需要登录。"]


def test_disabling_a_user_ends_their_session_at_the_next_step(env):
    at = open_page("hanbin")
    assert len(at.file_uploader) == 1
    auth.store().disable("hanbin")
    rerun(at)
    assert len(at.file_uploader) == 0
    assert "会话已结束，请重新登录 / your session has ended: sign in again" in texts(at, "info")


def test_an_oidc_identity_signs_in_as_the_user_with_that_email(env, monkeypatch):
    auth.store().add("sso-editor", None, "editor", ["610921"], email="Hanyin@Ankang.gov.cn")
    monkeypatch.setattr(auth, "oidc_configured", lambda: True)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.user = {"is_logged_in": True, "email": "hanyin@ankang.gov.cn", "email_verified": True}
    at.switch_page("pages/data.py")
    rerun(at)
    assert at.session_state["user"].name == "sso-editor" and at.session_state["user"].via == "oidc"
    assert at.selectbox(key="tpl_region").options == ["汉阴县（610921）"]
    stranger = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    stranger.user = {"is_logged_in": True, "email": "someone@example.com"}
    stranger.switch_page("pages/data.py")
    rerun(stranger)
    assert len(stranger.file_uploader) == 0  # an identity without a user entry gets no rights
    assert stranger.button(key="signin_data_sso").label == "单位统一身份认证登录"


def test_the_page_in_english_for_an_editor(env):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    entry = auth.store().get("hanbin")
    at.session_state["user"] = auth.User("hanbin", entry["role"], tuple(entry["regions"]))
    at.query_params["lang"] = "en"
    at.switch_page("pages/data.py")
    rerun(at)
    assert at.title[0].value == "Data management"
    assert "Signed in: **hanbin** (editor, Hanbin District)" in texts(at.sidebar, "caption")
    assert at.selectbox(key="tpl_region").options == ["Hanbin District (610902)"]
    assert at.file_uploader[0].label == "Upload .xlsx or .csv files (several at once, 20 MB each at most)"
    assert [tab.label for tab in at.tabs] == ["Load data", t("ri_tab", "en"), "History", "Completeness"]
    assert [h.value for h in at.main.subheader] == ["① Submission template", "② Upload and check"]
    assert texts(at, "caption")[0] == "You may load: Hanbin District (610902)"


def test_the_tables_the_page_shows_have_english_headers_in_english(env, catalog):
    history = intake.history_table(env, "en")
    assert list(history.columns) == [
        "batch", "file", "loaded", "by", "values", "new", "changed", "unchanged", "regions", "years", "sample", "state",
    ]  # fmt: skip
    assert set(history["sample"]) == {"yes"} and set(history["state"]) == {"live"}
    status = intake.submission_status(env, catalog, "610900", 2025, "en")
    assert list(status.columns) == ["region", "submitted", "reported", "missing", "latest batch"]
    assert set(status["submitted"]) == {"yes"}
    assert status.iloc[0]["region"] == "Ankang City (610900)"
    assert intake.template_name("610921", 2026, "en") == "Hanyin County_2026_template.xlsx"


# ── editors and their regions ────────────────────────────────────────────────────────────────
def test_a_county_editor_is_refused_for_another_county(env):
    before = snapshot(env)
    at = open_page("hanbin")
    assert at.selectbox(key="tpl_region").options == ["汉滨区（610902）"]
    upload(at, ("两县.csv", csv_bytes(("610902", 2025, "hearings_held", 9), ("610921", 2025, "hearings_held", 7))))
    assert texts(at, "error") == ["**两县\\.csv**：1 个问题，整个文件不会导入"]
    problems = at.table[0].value  # st.table renders Markdown: every cell is escaped (account.plain)
    assert problems.iloc[0].to_dict() == {
        "单元格": "A3",
        "值": "610921 汉阴县",
        "规则": plain("region_not_allowed"),
        "问题": plain(
            "您无权导入「610921 汉阴县」的数据，整个文件未导入 / you may not load data for '610921 汉阴县'; "
            "nothing in this file was loaded"
        ),
        "修改方法": plain(
            "请只提交您负责的地区：610902 汉滨区 / submit only the regions you are responsible for: 610902 汉滨区"
        ),
    }
    assert button(at, "commit").disabled
    assert snapshot(env) == before


def test_a_county_editor_previews_and_commits_their_own_county(env):
    old = value_of(env, "610902", 2025, "hearings_held")
    at = open_page("hanbin")
    upload(at, ("汉滨区.csv", csv_bytes(("610902", 2025, "hearings_held", old + 7))))
    assert [(m.label, m.value) for m in at.metric] == [("新增", "0"), ("修改（原值 → 新值）", "1"), ("未变", "0")]
    hearings = catalog_mod.load()["hearings_held"]
    line = f"汉滨区（610902） · 2025 · {hearings.name_zh}：{fmt.value(hearings, old)} → {fmt.value(hearings, old + 7)}"
    assert f"**修改的数值**\n\n- {line}" in texts(at, "markdown")
    summary = at.dataframe[0].value
    assert summary.to_dict("records") == [{"地区": "汉滨区（610902）", "年度": 2025, "新增": 0, "修改": 1, "未变": 0}]
    assert value_of(env, "610902", 2025, "hearings_held") == old  # the preview wrote nothing
    button(at, "commit").click()
    rerun(at)
    assert value_of(env, "610902", 2025, "hearings_held") == old + 7
    assert texts(at, "success")[0].startswith("✓ 汉滨区\\.csv → 批次 ")
    batches = intake.history(env)
    assert batches.iloc[-1][["file_name", "loaded_by", "rows_changed"]].tolist() == ["汉滨区.csv", "hanbin", 1]
    assert len(at.file_uploader) == 1 and at.file_uploader[0].value in (None, [])  # the uploader was emptied


def test_cancel_leaves_everything_as_it_was(env):
    before = snapshot(env)
    at = open_page("admin")
    upload(at, ("a.csv", csv_bytes(("610921", 2025, "hearings_held", 999))))
    assert [m.value for m in at.metric] == ["0", "1", "0"]
    button(at, "cancel").click()
    rerun(at)
    assert texts(at, "info")[0] == "已取消，数据未做任何改动。"
    assert len(at.metric) == 0
    assert snapshot(env) == before


def test_a_preview_made_before_someone_else_loaded_is_not_committed(env, catalog):
    at = open_page("admin")
    upload(at, ("a.csv", csv_bytes(("610921", 2025, "hearings_held", 999))))
    with tempfile.TemporaryDirectory() as folder:  # another editor loads in between
        other = Path(folder) / "b.csv"
        other.write_bytes(csv_bytes(("610922", 2025, "hearings_held", 55)))
        intake.load_file(other, env, catalog, user="someone")
    button(at, "commit").click()
    rerun(at)
    assert texts(at, "warning")[-1] == "数据在预览之后已被更新，请重新核对下面的预览后再确认"
    assert value_of(env, "610921", 2025, "hearings_held") != 999
    rerun(at)  # checked again against the new data, ready to confirm
    button(at, "commit").click()
    rerun(at)
    assert value_of(env, "610921", 2025, "hearings_held") == 999


# ── history and rollback ─────────────────────────────────────────────────────────────────────
def test_an_admin_rolls_a_batch_back_and_the_values_return(env):
    old = value_of(env, "610902", 2025, "hearings_held")
    at = open_page("admin")
    upload(at, ("改.csv", csv_bytes(("610902", 2025, "hearings_held", old + 100))))
    button(at, "commit").click()
    rerun(at)
    assert value_of(env, "610902", 2025, "hearings_held") == old + 100
    batch = int(intake.history(env)["batch_id"].max())
    switch_tab(at, "导入历史")
    picker = at.selectbox(key="rollback_0")
    picker.set_value(batch)
    rerun(at)
    assert texts(at, "warning")[-1].startswith(f"回滚批次 {batch} 将：1 个数值恢复为旧值，0 个数值移除，0 个不变；")
    assert value_of(env, "610902", 2025, "hearings_held") == old + 100  # the effect is only shown
    button(at, "rollback_confirm").click()
    rerun(at)
    assert value_of(env, "610902", 2025, "hearings_held") == old
    row = intake.history(env).set_index("batch_id").loc[batch]
    assert row["rolled_back_by"] == "admin"
    assert texts(at, "success")[0].startswith(f"✓ 已回滚批次 {batch}：1 个数值恢复为旧值")
    assert batch not in at.selectbox(key="rollback_1").options


def test_editors_see_history_but_cannot_roll_back(env):
    at = switch_tab(open_page("hanbin"), "导入历史")
    assert "只有管理员可以回滚批次。" in texts(at, "info")
    assert not [s for s in at.selectbox if s.key and s.key.startswith("rollback_")]
    assert len(at.dataframe[0].value) == len(intake.history(env))


def test_completeness_lists_who_submitted_and_what_is_missing(env, catalog):
    at = switch_tab(open_page("admin"), "填报完整性")
    at.selectbox(key="status_year").set_value(2025)
    rerun(at)
    table = next(d.value for d in at.dataframe if "缺报指标" in d.value.columns)
    assert len(table) == 12 and set(table["已提交"]) == {"是"}
    # a year nobody has reported: everyone is missing everything
    missing = intake.submission_status(env, catalog, "610900", 2030)
    assert set(missing["已提交"]) == {"否"} and missing.iloc[0]["已填报"].startswith("0/")


# ── bad files: a clear message each, and the database byte for byte as it was ───────────────────
def template_with(catalog, values: dict[str, object], region: str = "610902", year: int = 2025) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(intake.template_bytes(catalog, region, year)))
    sheet = book["填报表"]
    rows = {sheet.cell(r, 2).value: r for r in range(7, sheet.max_row + 1)}
    for indicator, value in values.items():
        sheet.cell(rows[indicator], 8, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_formula(catalog) -> bytes:
    """A workbook as Excel saves it: the formula =2+3 in a value cell, with its cached result 5."""
    source = zipfile.ZipFile(io.BytesIO(template_with(catalog, {"hearings_held": "=2+3", "press_conferences": 12})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>2+3</f><v></v>", b"<f>2+3</f><v>5</v>")
            target.writestr(info, data)
    return out.getvalue()


BIG5_CSV = "地區,年份,指標,數值\n漢濱區,2025,召開聽證會次數,3\n".encode("big5")
BAD_FILES = {
    "corrupt_xlsx": lambda c: ("汉滨区.xlsx", template_with(c, {"hearings_held": 3})[:3000]),
    "utf16_csv": lambda c: ("汉滨区.csv", csv_bytes(("610902", 2025, "hearings_held", 3), encoding="utf-16-le")),
    "big5_csv": lambda c: ("汉滨区.csv", BIG5_CSV),
    "random_bytes_named_xlsx": lambda c: ("汉滨区.xlsx", random.Random(7).randbytes(4096)),
    "oversized": lambda c: ("big.csv", b"#" * (intake.MAX_UPLOAD_BYTES + 1)),
    "empty": lambda c: ("empty.csv", b""),
    "formula_in_value_cell": lambda c: ("汉滨区.xlsx", with_cached_formula(c)),
}
EXPECTED = {  # the message box escapes every problem (account.plain): compared as shown, less the escapes
    "corrupt_xlsx": "无法读取文件：BadZipFile: ",
    "utf16_csv": "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK） [UTF-16?] / unknown text encoding (neither UTF-8 "
    "nor GB18030/GBK) [UTF-16?]  \n修改：请在 Excel 中另存为「CSV UTF-8（逗号分隔）」 / in Excel, save as "
    "'CSV UTF-8 (comma delimited)'",
    "big5_csv": "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK） [big5]",
    "random_bytes_named_xlsx": "无法读取文件：文件名是 Excel，但内容不是 Excel 工作簿 / "
    "named like a workbook but is not one",
    "oversized": "文件 20.0 MB，超过 20 MB 上限 / the file is 20.0 MB, over the 20 MB limit  \n修改：请拆分为多个文件"
    "（如每个地区一个），或删除无关的工作表 / split it (one file per region) or remove unrelated sheets",
    "empty": "无法读取文件：文件为空 / the file is empty",
    "formula_in_value_cell": None,  # a cell problem: shown in the table, checked below
}


def unescaped(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_change_nothing(env, catalog, case):
    name, data = BAD_FILES[case](catalog)
    before = snapshot(env)
    at = open_page("admin")
    upload(at, (name, data))
    errors = [unescaped(e) for e in texts(at, "error")]
    assert len(errors) == 1 and errors[0].startswith(f"**{name}**：1 个问题，整个文件不会导入")
    if EXPECTED[case] is not None:
        assert EXPECTED[case] in errors[0]
    else:
        problem = {k: unescaped(v) for k, v in at.table[0].value.iloc[0].to_dict().items()}
        assert problem["规则"] == "formula_cell" and problem["单元格"].startswith("填报表!H")
        assert problem["问题"] == "单元格是公式（=2+3），不是数值 / the cell holds a formula (=2+3), not a value"
        assert (
            problem["修改方法"] == "请复制该单元格并「选择性粘贴 → 数值」 / copy the cell and paste it back as a value"
        )
        assert any(b.label.startswith("下载标注了问题的工作簿") for b in at.get("download_button"))
    assert button(at, "commit").disabled
    rerun(at)
    assert snapshot(env) == before


def test_uploads_are_handled_in_a_private_folder_removed_afterwards(env, catalog, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen = []
    real = intake.check

    def spy(path, *args, **kwargs):
        seen.append((Path(path), oct(Path(path).parent.stat().st_mode & 0o777), oct(Path(path).stat().st_mode & 0o777)))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(intake, "check", spy)
    staged = intake.stage("../../etc/汉滨区.csv", csv_bytes(("610902", 2025, "hearings_held", 3)), catalog, env, None)
    assert staged.name == "汉滨区.csv"  # folders in the uploaded name are dropped
    assert intake.display_name("=HYPERLINK(x).csv") == "HYPERLINK(x).csv"  # never a formula in a table
    assert intake.display_name("C:\\temp\\a\x07.xlsx") == "a.xlsx"
    ((path, folder_mode, file_mode),) = seen
    assert (path.name, folder_mode, file_mode) == ("upload.csv", "0o700", "0o600")
    assert path.parent.parent == scratch
    assert list(scratch.iterdir()) == []


def test_the_annotated_workbook_marks_cells_and_neutralises_formulas(env, catalog):
    data = b"region,year,indicator,value,note\n610902,2025,hearings_held,=1+2,@SUM(A1)\n"
    staged = intake.stage("注入.csv", data, catalog, env, None)
    book = openpyxl.load_workbook(io.BytesIO(staged.annotated))
    assert book.sheetnames == ["问题清单", "数据"]
    assert [c.value for c in book["数据"][2]] == ["610902", "2025", "hearings_held", "'=1+2", "'@SUM(A1)"]
    assert book["数据"]["D2"].comment.text.startswith("「=1+2」不是可识别的数字")
    assert book["问题清单"]["D2"].value == "'=1+2"


def test_the_template_for_a_region_and_year_round_trips(env, catalog):
    book = openpyxl.load_workbook(io.BytesIO(intake.template_bytes(catalog, "610921", 2026)))
    assert (book["填报表"]["B2"].value, book["填报表"]["B3"].value) == ("610921", 2026)
    assert intake.template_name("610921", 2026) == "汉阴县_2026_填报表.xlsx"
    filled = template_with(catalog, {"hearings_held": 4}, "610921", 2026)
    staged = intake.stage("汉阴县_2026.xlsx", filled, catalog, env, {"610921"})
    assert staged.ok and staged.counts == {"new": 1, "changed": 0, "unchanged": 0}


# ── internal indicators and sign-in for viewing ──────────────────────────────────────────────
def visible_text(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in ("markdown", "caption", "info", "warning", "title", "subheader")
        for e in getattr(at, kind)
    ]
    for widget in list(at.selectbox) + list(at.multiselect):
        parts += [str(o) for o in widget.options]
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    for chart in at.get("plotly_chart"):
        parts.append(chart.proto.spec)
    return "\n".join(parts)


def test_internal_indicators_are_hidden_from_visitors_on_every_page(env):
    catalog = catalog_mod.load()
    internal = [i for i in catalog if i.publication == "internal"]
    assert internal  # the test would check nothing otherwise
    for page in PAGES:
        text = visible_text(open_page(None, page))
        leaked = [i.name_zh for i in internal if i.name_zh in text]
        assert leaked == [], f"{page} shows internal indicators to a visitor: {leaked}"
    shown = visible_text(open_page("viewer", "catalog"))
    assert all(i.name_zh in shown for i in internal)  # signed in, they are there


def test_viewing_can_require_sign_in(env, monkeypatch):
    monkeypatch.setenv("ROLGOV_REQUIRE_LOGIN", "1")
    at = open_page(None, "overview")
    assert len(at.get("plotly_chart")) == 0 and len(at.metric) == 0
    assert texts(at, "info") == ["本看板需登录后查看 / sign in to view this dashboard"]
    assert at.text_input(key="signin_main_name") is not None
    signed = open_page("viewer", "overview")
    assert len(signed.get("plotly_chart")) >= 1


# ── every shape of preview (a KeyError in change_table once hid the commit button for 16 of 25 uploads) ──
SHAPES = {
    # name: (rows of the upload, expected metrics new/changed/unchanged)
    "new_only": ([("610902", 2026, "hearings_held", 5), ("610921", 2026, "hearings_held", 6)], ("2", "0", "0")),
    "changed_only": ([("610902", 2025, "hearings_held", "OLD+3")], ("0", "1", "0")),
    "unchanged_only": ([("610902", 2025, "hearings_held", "OLD")], ("0", "0", "1")),
    "mixed": (
        [
            ("610902", 2025, "hearings_held", "OLD"),
            ("610902", 2025, "press_conferences", "PRESS+1"),
            ("610902", 2026, "hearings_held", 4),
        ],
        ("1", "1", "1"),
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_preview_of_every_change_shape_offers_the_commit(env, shape):
    old = value_of(env, "610902", 2025, "hearings_held")
    press = value_of(env, "610902", 2025, "press_conferences")
    rows, metrics = SHAPES[shape]
    values = {"OLD": old, "OLD+3": old + 3, "PRESS+1": press + 1}
    rows = [(r, y, i, int(values.get(v, v)) if isinstance(v, str) else v) for r, y, i, v in rows]
    at = open_page("admin")
    upload(at, (f"{shape}.csv", csv_bytes(*rows)))
    assert texts(at, "error") == []
    assert [m.value for m in at.metric] == list(metrics)
    assert not button(at, "commit").disabled
    summary = at.dataframe[0].value
    assert summary[["新增", "修改", "未变"]].sum().astype(str).tolist() == list(metrics)
    button(at, "commit").click()
    rerun(at)
    assert unescaped(texts(at, "success")[0]).startswith(f"✓ {shape}.csv → 批次 ")


def test_a_header_only_file_says_there_is_nothing_to_load(env):
    before = snapshot(env)
    at = open_page("admin")
    upload(at, ("空表.csv", b"region,year,indicator,value\n"))
    assert [unescaped(e) for e in texts(at, "error")] == [
        "**空表.csv**：1 个问题，整个文件不会导入\n\n"
        "文件中没有可导入的数值（只有表头，或数值列全部为空） / the file holds no values to load (a header only, or "
        "the value column is empty)  \n修改：在数值列填入数据后重新提交 / fill in the value column and submit again"
    ]
    assert button(at, "commit").disabled
    assert snapshot(env) == before


def test_cell_values_in_problems_are_shown_as_text_never_as_markdown(env):
    at = open_page("admin")
    data = (
        "region,year,indicator,value\n"
        "610902,2025,hearings_held,[请点击此处重新登录](http://evil.example/login)\n"
        "610902,2025,press_conferences,![t](http://evil.example/track.png)\n"
    ).encode()
    upload(at, ("[x](javascript:alert(1)).csv", data))
    box = texts(at, "error")[0]
    assert box.startswith("**\\[x\\]\\(javascript\\:alert\\(1\\)\\)\\.csv**：2 个问题")
    cells = at.table[0].value["值"].tolist()
    assert cells == [  # escaped, and a zero-width space after http breaks the autolink
        "\\[请点击此处重新登录\\]\\(http\u200b\\:\\/\\/evil\\.example\\/login\\)",
        "\\!\\[t\\]\\(http\u200b\\:\\/\\/evil\\.example\\/track\\.png\\)",
    ]


def test_many_problems_list_the_first_hundred_and_count_the_rest_by_rule(env):
    rows = [("610902", 2025, "hearings_held", f"{n}余") for n in range(150)]
    rows += [("610902", 2025, "press_conferences", 5)] * 30
    at = open_page("admin")
    upload(at, ("许多问题.csv", csv_bytes(*rows)))
    assert unescaped(texts(at, "error")[0]).startswith("**许多问题.csv**：328 个问题，整个文件不会导入")
    assert "共 328 个问题，下面列出前 100 个（标注副本也只标这些）。按规则：duplicate 178; not_number 150" in [
        unescaped(c) for c in texts(at.main, "caption")
    ]
    assert len(at.dataframe[0].value) == 100
