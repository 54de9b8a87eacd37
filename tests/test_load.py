"""Loading: template round trip, all-or-nothing files, a killed load, reloads, supersede and rollback,
and a reader in another process while loads run. Real DuckDB files, real processes.

The tests that need a load stopped at a given point run the real CLI in a child process that wraps
one function of rolgov.db: the wrapper says PAUSED on stdout and waits for a line on stdin. The test
then kills the child or lets it go on, so nothing in the production write path waits for tests."""

from __future__ import annotations

import contextlib
import io
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.__main__ import main as etl_main
from etl.build import ensure
from etl.extract import candidates as K
from etl.extract import extract
from etl.load import check, history, load_file, rollback, rollback_effect
from etl.read_workbook import TEMPLATE_SHEET
from etl.template import write_template
from rolgov import db, review
from tests.conftest import ROOT, value_of, write_csv


def current(db_path: Path) -> list[tuple]:
    with db.read(db_path) as con:
        return con.execute(
            "SELECT region_code, year, indicator_id, value, batch_id, value_kind FROM indicator_values ORDER BY ALL"
        ).fetchall()


def test_template_round_trip(tmp_path, catalog, db_path):
    path = write_template(catalog, "610922", 2024, tmp_path / "石泉县_2024.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[TEMPLATE_SHEET]
    assert sheet["B2"].value == "610922" and sheet["B3"].value == 2024
    rows = {sheet.cell(r, 2).value: r for r in range(7, sheet.max_row + 1)}
    assert "hearings_held" in rows and "comment_adoption_rate" not in rows  # derived rates are not entered
    assert any(dv.sqref and "H" in str(dv.sqref) for dv in sheet.data_validations.dataValidation)
    sheet.cell(rows["public_comments_received"], 8, 240)
    sheet.cell(rows["public_comments_adopted"], 8, "60")
    sheet.cell(rows["villages_total"], 8, 154)
    sheet.cell(rows["villages_with_legal_adviser"], 8, 130)
    book.save(path)

    result = load_file(path, db_path, catalog, user="tester")
    assert (result.status, result.rows_new, result.rows_blank) == ("loaded", 4, result.rows_read - 4)
    assert value_of(db_path, "610922", 2024, "comment_adoption_rate") == 25.0
    assert round(value_of(db_path, "610922", 2024, "village_legal_advisor_coverage"), 1) == 84.4


def test_a_file_with_one_bad_row_loads_nothing(tmp_path, catalog, db_path):
    good = write_csv(tmp_path / "good.csv", [["610902", "2017", "hearings_held", "3"]])
    load_file(good, db_path, catalog)
    before_bytes, before = db_path.read_bytes(), current(db_path)
    bad = write_csv(
        tmp_path / "bad.csv",
        [["610902", "2017", "press_conferences", "4"], ["610921", "2017", "hearings_held", "many"]],
    )
    result = load_file(bad, db_path, catalog)
    assert result.status == "refused" and result.problems["rule"].tolist() == ["not_number"]
    assert db_path.read_bytes() == before_bytes
    assert current(db_path) == before
    assert len(history(db_path)) == 1


def test_reloading_the_same_file_changes_nothing(tmp_path, catalog, db_path):
    path = write_csv(tmp_path / "a.csv", [["610902", "2017", "hearings_held", "3"]])
    first = load_file(path, db_path, catalog)
    before = db_path.read_bytes()
    again = load_file(path, db_path, catalog)
    assert (first.status, again.status, again.batch_id) == ("loaded", "unchanged", first.batch_id)
    assert db_path.read_bytes() == before


def test_supersede_then_rollback_restores_the_old_value(tmp_path, catalog, db_path):
    load_file(
        write_csv(
            tmp_path / "v1.csv",
            [["610902", "2017", "hearings_held", "3"], ["610902", "2017", "press_conferences", "8"]],
        ),
        db_path,
        catalog,
    )
    second = load_file(
        write_csv(
            tmp_path / "v2.csv",
            [
                ["汉滨区", "2017", "hearings_held", "5"],
                ["610902", "2017", "press_conferences", "8"],
                ["610902", "2017", "wechat_posts", "900"],
            ],
        ),
        db_path,
        catalog,
    )
    assert (second.rows_new, second.rows_changed, second.rows_unchanged) == (1, 1, 1)
    assert value_of(db_path, "610902", 2017, "hearings_held") == 5
    effect = rollback_effect(db_path, second.batch_id)
    assert sorted(effect[["indicator_id", "status"]].itertuples(index=False, name=None)) == [
        ("hearings_held", "restored"),
        ("press_conferences", "unchanged"),
        ("wechat_posts", "removed"),
    ]
    rollback(db_path, second.batch_id, catalog, user="admin")
    assert value_of(db_path, "610902", 2017, "hearings_held") == 3
    assert value_of(db_path, "610902", 2017, "press_conferences") == 8
    assert value_of(db_path, "610902", 2017, "wechat_posts") is None
    with db.read(db_path) as con:  # nothing is lost: both batches' values stay in history
        assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] == 5
    batches = history(db_path)
    assert batches["rolled_back_by"].tolist()[-1] == "admin"


def test_totals_only_when_every_county_reported_and_ratios_recomputed(tmp_path, catalog, db_path):
    counties = ["610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610928", "610929"]
    rows = [[c, "2017", "public_comments_received", "100"] for c in counties]
    rows += [[c, "2017", "public_comments_adopted", "10" if c != "610902" else "90"] for c in counties]
    rows += [
        ["610900BJ", "2017", "public_comments_received", "1000"],
        ["610900BJ", "2017", "public_comments_adopted", "100"],
    ]
    rows += [[c, "2017", "hearings_held", "1"] for c in counties[:9]]  # one county missing
    load_file(write_csv(tmp_path / "all.csv", rows), db_path, catalog)
    assert value_of(db_path, "610900", 2017, "public_comments_received") == 2000
    # (9*10 + 90 + 100) / 2000, not the mean of the 11 rates
    assert value_of(db_path, "610900", 2017, "comment_adoption_rate") == pytest.approx(14.0)
    assert value_of(db_path, "610900", 2017, "hearings_held") is None
    with db.read(db_path) as con:
        names = dict(
            con.execute(
                "SELECT DISTINCT region_code, region_name FROM indicator_values WHERE region_code "
                "IN ('610900', '610900BJ', '610981')"
            ).fetchall()
        )
    assert names == {"610900": "安康市", "610900BJ": "安康市本级", "610981": "旬阳县"}


def _big_csv(path: Path, n_years: int = 30) -> Path:
    counties = ["610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610981", "610929"]
    rows = [[c, str(1995 + y), "hearings_held", str(y)] for y in range(6, n_years) for c in counties]
    return write_csv(path, rows)


PAUSING_LOADER = """
import sys
from etl.__main__ import main
from rolgov import db

name = sys.argv[1]
real = getattr(db, name)

def paused(*args, **kwargs):
    print("PAUSED", flush=True)
    sys.stdin.readline()  # the test kills this process here, or sends a line to let it go on
    return real(*args, **kwargs)

setattr(db, name, paused)
sys.exit(main(sys.argv[2:]))
"""


class Child:
    """A Python child process spoken to line by line; a thread reads its stdout so waits can time out."""

    def __init__(self, script: str, *args: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, wanted: str, timeout_s: float = 120) -> None:
        """Read lines until `wanted`; fail if the child ends first."""
        while (line := self.lines.get(timeout=timeout_s)) != wanted:
            assert line is not None, f"child ended before {wanted}: {self.proc.wait()} {self.proc.stderr.read()}"

    def send(self, line: str = "") -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def ask(self, line: str, timeout_s: float = 120) -> str | None:
        self.send(line)
        return self.lines.get(timeout=timeout_s)

    def finish(self, timeout_s: float = 120) -> int:
        self.proc.stdin.close()
        code = self.proc.wait(timeout=timeout_s)
        assert code == 0, self.proc.stderr.read()
        return code


@pytest.mark.parametrize(
    "stop_in",
    [
        "rebuild_current_values",  # observations are in the copy, current values not yet recomputed
        "publish",  # the copy is complete and checkpointed; only the rename is left
    ],
)
def test_a_load_killed_midway_leaves_the_database_as_it_was(tmp_path, catalog, db_path, stop_in):
    load_file(write_csv(tmp_path / "base.csv", [["610902", "2017", "hearings_held", "3"]]), db_path, catalog)
    before_bytes, before = db_path.read_bytes(), current(db_path)
    big = _big_csv(tmp_path / "big.csv")
    loader = Child(PAUSING_LOADER, stop_in, "load", "--db", str(db_path), str(big))
    loader.wait_for("PAUSED")
    assert list(tmp_path.glob("test.duckdb.writing-*")), "the write works on a copy"
    loader.proc.send_signal(signal.SIGKILL)
    loader.proc.wait()
    assert db_path.read_bytes() == before_bytes
    assert current(db_path) == before
    # the next write clears the stray copy and works
    assert (
        load_file(write_csv(tmp_path / "next.csv", [["610921", "2017", "hearings_held", "1"]]), db_path, catalog).status
        == "loaded"
    )
    assert not list(tmp_path.glob("test.duckdb.writing-*"))


READER = """
import sys
from rolgov import db

for _request in sys.stdin:
    with db.read(sys.argv[1]) as con:
        count = con.execute("SELECT count(*) FROM observations o JOIN batches b USING (batch_id) "
                            "WHERE b.rolled_back_at IS NULL").fetchall()[0][0]
    print(count, flush=True)
"""


def test_a_reader_in_another_process_never_fails_or_sees_half_a_load(tmp_path, catalog, db_path):
    """Each load stops with its new file complete beside the live one: a reader then still sees the old
    version, whole; once the rename lands it sees the new one, whole. No timing: the loader waits for
    the test at that point, and the reader reads when asked."""
    load_file(write_csv(tmp_path / "seed.csv", [["610902", "2016", "hearings_held", "1"]]), db_path, catalog)
    counties = ["610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610981", "610929"]
    files = [  # each file adds 10 values for one year
        write_csv(tmp_path / f"y{year}.csv", [[c, str(year), "hearings_held", "2"] for c in counties])
        for year in (2017, 2018, 2019)
    ]
    reader = Child(READER, str(db_path))
    loader = Child(PAUSING_LOADER, "publish", "load", "--db", str(db_path), *map(str, files))
    seen = []
    for _ in files:
        loader.wait_for("PAUSED")  # a load has written its copy and holds the writer lock
        seen.append(int(reader.ask("read")))
        loader.send()  # let it rename and go on to the next file
    loader.finish()
    seen.append(int(reader.ask("read")))
    reader.finish()
    assert seen == [1, 11, 21, 31]


def test_cli_exit_codes(tmp_path, db_path):
    """Exit 0 clean, 1 problems, 2 usage: one real `python -m etl` run, the rest through main() in-process."""
    good = write_csv(tmp_path / "good.csv", [["610902", "2017", "hearings_held", "3"]])
    bad = write_csv(tmp_path / "bad.csv", [["610902", "2017", "hearings_held", "3余"]])
    checked = subprocess.run(
        [sys.executable, "-m", "etl", "check", "--db", str(db_path), str(bad), "--annotate", str(tmp_path / "m.xlsx")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1 and "第2行 › D（value）列 值「3余」" in checked.stdout
    marked = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert marked["问题清单"]["G2"].value == "not_number"
    assert "不是可识别的数字" in marked["数据"]["D2"].comment.text

    def exit_code(*args: str) -> int:
        try:
            return etl_main(list(args))
        except SystemExit as exc:  # argparse ends a bad command line this way
            return exc.code

    assert exit_code("check", "--db", str(db_path), str(good)) == 0
    assert exit_code("check", str(tmp_path / "nope.csv")) == 2
    assert exit_code("frobnicate") == 2
    assert exit_code("rollback", "--db", str(tmp_path / "none.duckdb"), "1") == 2


def test_incremental_rebuild_equals_a_full_rebuild(tmp_path, catalog, sample_db):
    """Each load redoes only what it touched; the result must be what a rebuild from scratch gives."""
    db_path = tmp_path / "sample.duckdb"
    shutil.copy(sample_db, db_path)  # the sample as etl build loads it (conftest builds it once)
    fix = load_file(
        write_csv(
            tmp_path / "fix.csv",
            [["610922", "2017", "hearings_held", "40"], ["610900BJ", "2018", "approval_items_streamlined", "300"]],
        ),
        db_path,
        catalog,
    )
    rollback(db_path, 1, catalog, user="admin")  # the 2016-2020 file: many keys come back or go
    assert fix.status == "loaded"

    query = "SELECT * FROM current_values ORDER BY region_code, year, indicator_id"
    with db.read(db_path) as con:
        incremental = con.execute(query).fetchall()
    full_path = tmp_path / "full.duckdb"
    shutil.copy(db_path, full_path)
    with duckdb.connect(str(full_path)) as con:
        db.rebuild_current_values(con, catalog)  # no `affected`: everything from scratch
        full = con.execute(query).fetchall()
    assert len(incremental) > 4000
    assert incremental == full
    assert value_of(db_path, "610900", 2017, "hearings_held") is None  # 2017 left with the rolled-back file
    assert value_of(db_path, "610922", 2017, "hearings_held") == 40


def test_ensure_refreshes_a_database_built_with_another_catalog(tmp_path, catalog, sample_db):
    """The app and the CLI start through etl.build.ensure: an edit of metrics.yml recomputes the database."""
    db_path = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_path)
    with duckdb.connect(str(db_path)) as con:  # as if built before an edit of metrics.yml
        con.execute("UPDATE meta SET value = 'an older catalog' WHERE key = 'catalog'")
        con.execute("DELETE FROM current_values WHERE indicator_id = 'comment_adoption_rate'")
    assert db.stored_fingerprint(db_path) == "an older catalog"
    assert ensure(db_path, catalog) == db_path
    assert db.stored_fingerprint(db_path) == db.catalog_fingerprint(catalog)
    with db.read(db_path) as con:
        rates = con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = 'comment_adoption_rate'")
        assert rates.fetchall()[0][0] > 0  # recomputed from the observations
    before = db_path.stat().st_mtime_ns
    ensure(db_path, catalog)  # up to date: nothing is written
    assert db_path.stat().st_mtime_ns == before


# ── a reviewed candidates file from `python -m etl extract`, loaded like any long table ──
REPORTS = ROOT / "tests" / "fixtures" / "reports"


def _main(*args: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = etl_main([str(a) for a in args])
    return code, out.getvalue().splitlines()


def test_the_rows_a_person_accepts_load_with_their_sentence(tmp_path, db_path):
    """The extract command's file, one row accepted, through real `python -m etl` processes."""
    candidates = tmp_path / "山阳县2021_候选.csv"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "extract", str(REPORTS / "shanyang_2021.txt"), "-o", str(candidates)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = K.read(candidates)
    table.loc[table["指标"] == "gov_info_published", "状态"] = "accepted"
    K.write(table, candidates)
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "--db", str(db_path), str(candidates)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-2].startswith("  ✓ 批次 1：新增 1，修改 0，未变 0，空白 0（")
    assert lines[-1] == "  跳过 4 行（未接受（另有行已接受） 4） / skipped 4 row(s): 4 not accepted while others are"
    assert value_of(db_path, "611024", 2021, "gov_info_published") == 1816
    assert value_of(db_path, "611024", 2021, "wechat_posts") is None
    source = review.source_of(db_path, "611024", 2021, "gov_info_published")
    assert (source["report"], source["sentence"]) == (
        "shanyang_2021.txt",
        "全年主动公开信息1816条,其中政务动态类信息768条。",
    )


def test_without_a_decision_every_exact_value_loads_as_the_review_path_would(tmp_path, catalog, db_path):
    """No row accepted or rejected: what loads is what rolgov.review.finalize writes; then a person makes an
    approximate figure exact and it loads too."""
    table = K.frame(extract(REPORTS / "ankang_2018_experience.txt", catalog, year=2018), catalog)
    candidates = tmp_path / "ankang_候选.csv"
    K.write(table, candidates)
    code, lines = _main("load", "--db", db_path, candidates)
    assert code == 0
    assert lines[-1] == (
        "  跳过 33 行（限定不是 exact 12，未对应指标 18，计算指标 3） / skipped 33 row(s): 12 qualifier not exact, "
        "18 no indicator, 3 computed indicator"
    )
    with db.read(db_path) as con:
        loaded = con.execute(
            "SELECT region_code, indicator_id, value FROM observations ORDER BY region_code, indicator_id"
        ).fetchall()
    final = review.finalize(table, catalog).table
    expected = sorted((r, i, float(v)) for r, i, v in final[["地区", "指标", "数值"]].itertuples(index=False))
    assert loaded == expected and len(loaded) == 11

    table.loc[table["指标"] == "hearings_held", "限定"] = "exact"  # 累计50: the person says it is 2018's figure
    K.write(table, tmp_path / "ankang_改.csv")
    assert _main("load", "--db", db_path, tmp_path / "ankang_改.csv")[0] == 0
    assert value_of(db_path, "610900", 2018, "hearings_held") == 50


def test_a_flagged_row_refuses_the_file_until_a_person_decides(tmp_path, catalog, db_path):
    table = K.frame(extract(REPORTS / "shanghai_office_2019.html", catalog), catalog)
    candidates = tmp_path / "上海_候选.csv"
    K.write(table, candidates)
    code, lines = _main("check", "--db", db_path, candidates)
    assert code == 1
    assert [line for line in lines if "row_pending" in line] == [
        f"  上海_候选.csv › 第{row}行 › G（状态）列 值「flagged」: 该行尚待核对 / this row still needs a decision "
        "[规则 row_pending]"
        for row in (8, 11)
    ]
    table.loc[table["状态"] == "flagged", "状态"] = "rejected"
    K.write(table, candidates)
    assert _main("load", "--db", db_path, candidates)[0] == 0
    assert value_of(db_path, "310000BJ", 2019, "disclosure_requests_new") == 859
    assert value_of(db_path, "310000BJ", 2019, "disclosure_requests_granted") is None


# ── a check made earlier (the upload page's preview) is used only while it still holds ──
def test_an_earlier_check_is_loaded_without_checking_again_only_while_it_holds(tmp_path, catalog, db_path):
    """Same bytes, same database version, same catalog and scope: its rows are inserted as they are. Once
    another load has landed, the file is checked again against the database it now joins, and a figure
    that has become inconsistent with the stored ones refuses it."""
    seed = write_csv(tmp_path / "seed.csv", [["610902", "2018", "hearings_held", "1"]])
    assert load_file(seed, db_path, catalog).status == "loaded"
    adopted = write_csv(tmp_path / "adopted.csv", [["610902", "2018", "public_comments_adopted", "150"]])
    earlier = check(adopted, catalog, db_path, keep_rows=True)
    assert earlier.ok and earlier.clean_parquet is not None

    reused = load_file(adopted, db_path, catalog, checked=earlier)
    assert (reused.status, reused.reused_check) == ("loaded", True) and "child_read" not in reused.phases
    assert value_of(db_path, "610902", 2018, "public_comments_adopted") == 150
    rollback(db_path, reused.batch_id, catalog, user="admin")

    received = write_csv(tmp_path / "received.csv", [["610902", "2018", "public_comments_received", "100"]])
    assert load_file(received, db_path, catalog).status == "loaded"  # the database is not the one checked
    stale = load_file(adopted, db_path, catalog, checked=earlier)
    assert not stale.reused_check and "child_read" in stale.phases
    assert (stale.status, stale.problems["rule"].tolist()) == ("refused", ["inconsistent"])
    assert value_of(db_path, "610902", 2018, "public_comments_adopted") is None


def test_an_earlier_check_of_other_bytes_or_another_scope_is_not_used(tmp_path, catalog, db_path):
    path = write_csv(tmp_path / "a.csv", [["610902", "2018", "hearings_held", "4"]])
    earlier = check(path, catalog, db_path, keep_rows=True)
    other_scope = load_file(path, db_path, catalog, allowed_regions={"610902"}, checked=earlier)
    assert (other_scope.status, other_scope.reused_check) == ("loaded", False)
    rollback(db_path, other_scope.batch_id, catalog, user="admin")
    earlier = check(path, catalog, db_path, keep_rows=True)
    write_csv(path, [["610902", "2018", "hearings_held", "5"]])  # the file changed after the check
    changed = load_file(path, db_path, catalog, checked=earlier)
    assert not changed.reused_check and value_of(db_path, "610902", 2018, "hearings_held") == 5
