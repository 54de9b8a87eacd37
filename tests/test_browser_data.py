"""数据管理 in a real browser (Playwright driving Debian's Chromium): sign in, upload a good and a bad file,
see the problems and the preview, commit, see the new value on the trends page, roll the batch back and
see the old value again. The server runs on a private copy of the sample database and a private user store.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher

from rolgov import catalog as catalog_mod
from rolgov import db, fmt
from rolgov.auth import UserStore
from tests.browser_kit import NEEDS_CHROMIUM, at_width
from tests.conftest import ROOT, screenshots

pytestmark = NEEDS_CHROMIUM


ARTIFACTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "admin passphrase 1"
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def app(sample_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser_data")
    db_file = folder / "rolgov.duckdb"
    shutil.copy(sample_db, db_file)
    users = folder / "users.json"
    UserStore(users, hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)).add(
        "admin", PASSWORD, "admin"
    )
    port = screenshots.free_port()
    proc = screenshots.start_server(
        port, env={"ROLGOV_DB": str(db_file), "ROLGOV_USERS": str(users)}, log=folder / "server.log"
    )
    yield SimpleNamespace(base=f"http://127.0.0.1:{port}", db=db_file, folder=folder)
    screenshots.stop_server(proc)


def stored(db_file: Path, region: str, year: int, indicator: str) -> float:
    with db.read(db_file) as con:
        return con.execute(
            "SELECT value FROM indicator_values WHERE region_code = ? AND year = ? AND indicator_id = ?",
            [region, year, indicator],
        ).fetchall()[0][0]


def trend_value(tab, base: str, region_name: str, year: int) -> float:
    """Open the trends page afresh (the default indicator, hearings held, with 汉滨区 added) and read the
    plotted value from the chart itself."""
    tab.goto(f"{base}/trends?counties=610902")
    screenshots.wait_until_drawn(tab, "trends")
    series = tab.evaluate("""() => document.querySelector('.js-plotly-plot')._fullData.map(
        t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])}))""")
    line = next(s for s in series if s["name"] == region_name)
    return dict(zip(line["x"], line["y"], strict=True))[year]


def idle(tab) -> None:
    tab.wait_for_function(
        """() => !document.querySelector(
        '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]')""",
        timeout=TIMEOUT,
    )


def test_sign_in_upload_preview_commit_see_it_roll_back(app, browser, shared_tab, tmp_path):
    old = stored(app.db, "610902", 2025, "hearings_held")
    new = old + 1000
    good = tmp_path / "汉滨区_2025.csv"
    good.write_text(f"地区,年份,指标,数值\n610902,2025,hearings_held,{new:.0f}\n", encoding="utf-8-sig")
    bad = tmp_path / "汉阴县_2025.csv"
    bad.write_text(
        "地区,年份,指标,数值\n610921,2025,hearings_held,50余\n610921,2025,press_conferences,12\n", encoding="utf-8-sig"
    )

    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    try:
        data = context.new_page()
        data.goto(f"{app.base}/data")
        data.wait_for_selector("h1", timeout=TIMEOUT)
        main = data.locator('[data-testid="stMain"]')
        assert main.locator('input[type="file"]').count() == 0  # signed out: no upload

        main.get_by_label("用户名").fill("admin")
        main.get_by_label("密码").fill(PASSWORD)
        main.get_by_role("button", name="登录").click()
        main.locator('input[type="file"]').wait_for(state="attached", timeout=TIMEOUT)
        assert "已登录：admin（管理员）" in data.locator('[data-testid="stSidebar"]').inner_text()

        main.locator('input[type="file"]').set_input_files([str(bad), str(good)])
        main.get_by_text("修改的数值").wait_for(timeout=TIMEOUT)
        idle(data)
        text = main.inner_text()
        assert "汉阴县_2025.csv：1 个问题，整个文件不会导入" in text
        assert "汉滨区_2025.csv：1 个数值通过校验" in text
        hearings = catalog_mod.load()["hearings_held"]
        change = f"{fmt.value(hearings, old)} → {fmt.value(hearings, new)}"
        assert f"汉滨区（610902） · 2025 · {hearings.name_zh}：{change}" in text
        errors = screenshots.errors_on(data)
        assert len(errors) == 1 and "汉阴县_2025.csv：1 个问题" in errors[0]  # the bad file's box, nothing else
        screenshots.full_screenshot(data, ARTIFACTS / "data_preview.png")
        assert stored(app.db, "610902", 2025, "hearings_held") == old  # the preview wrote nothing

        main.get_by_role("button", name="确认导入（1 个文件）").click()
        main.get_by_text(re.compile(r"✓ 汉滨区_2025\.csv → 批次 \d+")).wait_for(timeout=TIMEOUT)
        batch = int(re.search(r"→ 批次 (\d+)", main.inner_text()).group(1))
        assert stored(app.db, "610902", 2025, "hearings_held") == new

        trends = at_width(shared_tab, 1440)  # another visitor, signed out: the trends page is public
        assert trend_value(trends, app.base, "汉滨区", 2025) == new

        main.get_by_role("tab", name="导入历史").click()
        main.get_by_text("选择批次").wait_for(timeout=TIMEOUT)
        main.locator('[data-testid="stSelectbox"]').filter(has_text="选择批次").click()
        data.get_by_role("option", name=re.compile(rf"^#{batch} 汉滨区_2025\.csv")).click()
        main.get_by_text(f"回滚批次 {batch} 将：1 个数值恢复为旧值").wait_for(timeout=TIMEOUT)
        assert stored(app.db, "610902", 2025, "hearings_held") == new  # shown, not yet done
        idle(data)
        screenshots.full_screenshot(data, ARTIFACTS / "data_rollback.png")
        main.get_by_role("button", name=f"确认回滚批次 {batch}").click()
        main.get_by_text(f"✓ 已回滚批次 {batch}").wait_for(timeout=TIMEOUT)
        assert stored(app.db, "610902", 2025, "hearings_held") == old

        assert trend_value(trends, app.base, "汉滨区", 2025) == old
        assert screenshots.errors_on(trends) == []
    finally:
        context.close()


def sign_in(tab, base: str) -> None:
    tab.goto(f"{base}/data")
    tab.wait_for_selector("h1", timeout=TIMEOUT)
    main = tab.locator('[data-testid="stMain"]')
    main.get_by_label("用户名").fill("admin")
    main.get_by_label("密码").fill(PASSWORD)
    main.get_by_role("button", name="登录").click()
    main.locator('input[type="file"]').wait_for(state="attached", timeout=TIMEOUT)


def cookie_names(context, tab, wanted: bool, name: str = "rolgov_session") -> set[str]:
    """The context's cookie names once `name` is there (wanted) or gone: the page asks the server with fetch()."""
    for _ in range(300):
        names = {c["name"] for c in context.cookies()}
        if (name in names) == wanted:
            return names
        tab.wait_for_timeout(100)
    return names


def test_a_session_survives_a_reload_and_ends_in_every_tab_on_sign_out(app, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        first = context.new_page()
        sign_in(first, app.base)
        idle(first)
        assert "rolgov_session" in cookie_names(context, first, True)
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["rolgov_session"]["httpOnly"] and cookies["rolgov_session"]["sameSite"] == "Strict"
        assert cookies["rolgov_device"]["httpOnly"]
        assert cookies["rolgov_session"]["expires"] > 0  # expiring, not a browser-session cookie
        assert first.evaluate("document.cookie").find("rolgov_session") == -1  # JavaScript cannot read it

        first.reload()
        first.locator('[data-testid="stMain"] input[type="file"]').wait_for(state="attached", timeout=TIMEOUT)
        assert "已登录：admin（管理员）" in first.locator('[data-testid="stSidebar"]').inner_text()

        second = context.new_page()
        second.goto(f"{app.base}/data")
        second.locator('[data-testid="stMain"] input[type="file"]').wait_for(state="attached", timeout=TIMEOUT)
        idle(second)

        first.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
        first.locator('[data-testid="stMain"]').get_by_label("用户名").wait_for(timeout=TIMEOUT)
        idle(first)
        assert "rolgov_session" not in cookie_names(context, first, False)

        # the other tab's next rerun (any click) ends its session too
        second.locator('[data-testid="stMain"]').get_by_role("tab", name="导入历史").click()
        second.get_by_text("会话已结束，请重新登录 / your session has ended: sign in again").wait_for(timeout=TIMEOUT)
        second.locator('[data-testid="stMain"] input[type="file"]').wait_for(state="detached", timeout=TIMEOUT)
        second.reload()
        second.locator('[data-testid="stMain"]').get_by_label("用户名").wait_for(timeout=TIMEOUT)
    finally:
        context.close()


def test_a_hostile_workbook_leaves_the_server_answering_and_the_database_unchanged(app, browser, shared_tab, tmp_path):
    import urllib.request

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "year", "indicator", "value"])
    sheet.append(["610902", 2025, "hearings_held", 3])
    sheet["XFD1048576"] = "x"  # calamine would allocate 512 GiB for this one cell
    bomb = tmp_path / "bomb.xlsx"
    book.save(bomb)
    assert bomb.stat().st_size < 8_000
    before = app.db.read_bytes()

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        tab = context.new_page()
        sign_in(tab, app.base)
        main = tab.locator('[data-testid="stMain"]')
        main.locator('input[type="file"]').set_input_files([str(bomb)])
        main.get_by_text("bomb.xlsx：1 个问题，整个文件不会导入").wait_for(timeout=TIMEOUT)
        idle(tab)
        text = main.inner_text()
        assert "工作表的范围 XFD1048576（1,048,576 × 16,384）超出可读取的上限" in text or "A1:XFD1048576" in text
        with urllib.request.urlopen(f"{app.base}/_stcore/health", timeout=10) as answer:
            assert answer.status == 200
        other = at_width(shared_tab, 1440)  # another session is served as before
        other.goto(f"{app.base}/trends")
        screenshots.wait_until_drawn(other, "trends")
    finally:
        context.close()
    assert app.db.read_bytes() == before


def test_markdown_in_a_cell_value_is_shown_as_text_and_fetches_nothing(app, browser, tmp_path):
    bad = tmp_path / "链接.csv"
    bad.write_text(
        "地区,年份,指标,数值\n610902,2025,hearings_held,[请点击此处重新登录](http://evil.example/login)\n"
        "610902,2025,press_conferences,![t](http://evil.example/track.png)\n",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    asked = []
    context.on("request", lambda request: asked.append(request.url))
    try:
        tab = context.new_page()
        sign_in(tab, app.base)
        main = tab.locator('[data-testid="stMain"]')
        main.locator('input[type="file"]').set_input_files([str(bad)])
        main.get_by_text("链接.csv：2 个问题").wait_for(timeout=TIMEOUT)
        idle(tab)
        tab.wait_for_function(  # the table is drawn (a zero-width space breaks autolinks: account.plain)
            """() => document.querySelector('[data-testid="stMain"]').innerText.replaceAll('\\u200b', '')
                .includes('[请点击此处重新登录](http://evil.example/login)')""",
            timeout=TIMEOUT,
        )
        shown = main.inner_text().replace("\u200b", "")
        assert "![t](http://evil.example/track.png)" in shown
        assert main.locator('a[href*="evil.example"]').count() == 0
        assert main.locator('img[src*="evil.example"]').count() == 0
        assert [url for url in asked if "evil.example" in url] == []
    finally:
        context.close()
