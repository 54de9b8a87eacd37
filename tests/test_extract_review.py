"""From a published report to the dashboard: review rules, the long file, one batch per report through the
ordinary loader into a real DuckDB file, values marked real data, the sentence reachable from the value,
nothing loaded without a decision, and the data page's 从报告导入 tab driven through AppTest."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from etl.extract import candidates as K
from etl.extract import extract
from etl.load import load_file
from rolgov import db, review
from tests.conftest import ROOT, cli
from tests.test_data_page import button, env, open_page, rerun, switch_tab, value_of  # noqa: F401

REPORTS = ROOT / "tests" / "fixtures" / "reports"


def reviewed(path, catalog, **kwargs):
    return K.frame(extract(path, catalog, **kwargs), catalog)


def test_accepted_rows_only_once_any_row_is_accepted(catalog):
    table = reviewed(REPORTS / "shanyang_2021.txt", catalog)
    table.loc[table["指标"] == "gov_info_published", "状态"] = "accepted"
    final = review.finalize(table, catalog)
    assert final.table[["地区", "年份", "指标", "数值"]].values.tolist() == [
        ["611024", "2021", "gov_info_published", "1816"]
    ]
    assert final.table["备注"].iloc[0] == (
        f"〔来源：shanyang_2021.txt sha256:{final.sha256} 第10段第109字「1816条」〕全年主动公开信息1816条,其中政务动态类信息768条。"
    )
    assert final.file_name == "shanyang_2021_核对.csv"


def test_without_accepted_rows_every_row_not_rejected_is_kept_and_non_values_are_skipped(catalog):
    table = reviewed(REPORTS / "ankang_2018_experience.txt", catalog, year=2018)
    final = review.finalize(table, catalog)
    loaded = set(final.table["指标"])
    assert "hearings_held" not in loaded  # 50余次 since 2017: cumulative and approximate, not a yearly value
    assert "approval_streamlining_rate" not in loaded  # computed from its components
    assert {"gov_info_published", "press_conferences", "gov_legal_advisors"} <= loaded
    assert any("限定为 cumulative+approximate，不是年度数值，不导入" in line for line in final.skipped)
    table.loc[table["指标"] == "hearings_held", "限定"] = "exact"  # a person decides 约50 is the yearly figure
    assert "50" in review.finalize(table, catalog).table.query("指标 == 'hearings_held'")["数值"].tolist()


def test_a_flagged_row_stops_the_file_until_a_person_decides(catalog):
    table = reviewed(REPORTS / "shanghai_office_2019.html", catalog)
    with pytest.raises(review.ReviewRefused) as caught:
        review.finalize(table, catalog)
    lines = str(caught.value).splitlines()
    assert lines[0] == "2 行尚待核对，未生成导入文件 / 2 row(s) still need a decision; nothing was written:"
    assert lines[1].startswith("第8行 / row 8「275」：报告中同一指标有不同数值：275（表三「（一）予以公开」总计")
    table.loc[(table["指标"] == "disclosure_requests_granted") & (table["数值"] == "258"), "状态"] = "rejected"
    table.loc[(table["指标"] == "disclosure_requests_granted") & (table["数值"] == "275"), "状态"] = "rejected"
    final = review.finalize(table, catalog)
    assert dict(zip(final.table["指标"], final.table["数值"], strict=True)) == {
        "normative_docs_issued": "60",
        "licensing_decisions": "0",
        "penalty_decisions": "0",
        "coercion_decisions": "0",
        "disclosure_requests_new": "859",
        "disclosure_requests_concluded": "805",
        "disclosure_disputes": "16",
        "disclosure_disputes_corrected": "0",
    }


def test_a_broken_table_loads_nothing_until_corrected(catalog, tmp_path, sample_db):
    database = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, database)
    broken = tmp_path / "broken.html"
    broken.write_text(
        (REPORTS / "shanghai_office_2019.html").read_text(encoding="utf-8").replace(">821<", ">812<", 1),
        encoding="utf-8",
    )
    table = reviewed(broken, catalog)
    with pytest.raises(review.ReviewRefused) as caught:
        review.finalize(table, catalog)
    assert "表三自身数字不符，请核对 / 表三 breaks its own arithmetic: check it" in str(caught.value)
    assert database.read_bytes() == (sample_db.read_bytes())


def test_county_reports_reach_the_dashboard_as_real_data_with_their_sentence(catalog, tmp_path, sample_db):
    """A county's disclosure report and a county's rule-of-law report, each reviewed and loaded as one batch
    (the first through real `python -m etl extract` and `python -m rolgov.review finalize` processes, the
    second through the same commands' main() in this process)."""
    database = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, database)
    for number, report in enumerate((REPORTS / "shanyang_2021.txt", REPORTS / "changwu_2021_fzzf.txt")):
        candidates = tmp_path / f"{report.stem}_候选.csv"
        done = cli("etl", "extract", report, "-o", candidates, real=number == 0)
        assert done.returncode == 0, done.stdout + done.stderr
        table = K.read(candidates)
        table.loc[(table["指标"] != "") & (table["限定"] == "exact"), "状态"] = "accepted"
        K.write(table, candidates)
        done = cli("rolgov.review", "finalize", candidates, real=number == 0)
        assert done.returncode == 0, done.stdout + done.stderr
        long_file = candidates.with_name(f"{report.stem}_核对.csv")
        result = load_file(long_file, database, catalog, user="tester")
        assert result.status == "loaded", result.problems
    assert value_of(database, "611024", 2021, "gov_info_published") == 1816
    assert value_of(database, "610428", 2021, "exec_meeting_law_studies") == 6
    with db.read(database) as con:
        rows = con.execute(
            "SELECT region_code, indicator_id, is_sample FROM indicator_values "
            "WHERE region_code IN ('611024', '610428') AND year = 2021 ORDER BY ALL"
        ).fetchall()
        names = [r[0] for r in con.execute("SELECT file_name FROM batches ORDER BY batch_id DESC LIMIT 2").fetchall()]
    assert rows == [
        ("610428", "exec_meeting_law_studies", False),
        ("610428", "gov_legal_advisors", False),
        ("611024", "gov_info_published", False),
        ("611024", "wechat_posts", False),
    ]
    assert names == ["changwu_2021_fzzf_核对.csv", "shanyang_2021_核对.csv"]
    source = review.source_of(database, "610428", 2021, "gov_legal_advisors")
    sha = extract(REPORTS / "changwu_2021_fzzf.txt", catalog).document.sha256
    assert (source["report"], source["report_sha256"], source["is_sample"]) == ("changwu_2021_fzzf.txt", sha, False)
    assert source["sentence"] == "2021年,县委理论中心组学法5次,县政府常务会议学法6次,县政府聘请法律顾问6人。"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "rolgov.review",
            "source",
            "610428",
            "2021",
            "gov_legal_advisors",
            "--db",
            str(database),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        done.stdout.splitlines()[-1]
        == "原文 / sentence：2021年,县委理论中心组学法5次,县政府常务会议学法6次,县政府聘请法律顾问6人。"
    )
    assert review.source_of(database, "610900", 2021, "gov_info_published") is None  # a total: no single sentence


def test_the_same_report_twice_proposes_the_same_candidates(catalog):
    first = reviewed(REPORTS / "shanghai_office_2019.html", catalog)
    second = reviewed(REPORTS / "shanghai_office_2019.html", catalog)
    assert K.to_csv_bytes(first) == K.to_csv_bytes(second)


def test_data_page_report_tab_reviews_and_loads_one_batch(env, catalog):  # noqa: F811
    at = open_page("admin")
    at = switch_tab(at, "从报告导入")
    at.radio(key="ri_source").set_value("paste")
    at = rerun(at)
    at.text_area(key="ri_paste").input((REPORTS / "shanyang_2021.txt").read_text(encoding="utf-8"))
    at.text_input(key="ri_paste_name").input("山阳县2021年政府信息公开年报")
    at = rerun(at)
    assert at.markdown[0].value.startswith("**政府信息公开工作年度报告** · 地区 山阳县（611024） · 年份 2021")
    assert value_of(env, "611024", 2021, "gov_info_published") is None  # nothing loaded before the commit
    digest = next(b.key for b in at.button if b.key and b.key.startswith("ri_accept_")).removeprefix("ri_accept_")
    button(at, f"ri_accept_{digest}").click()
    at = rerun(at)
    button(at, f"ri_prepare_{digest}").click()
    at = rerun(at)
    assert at.success[0].value.startswith("**山阳县2021年政府信息公开年报_核对.csv**：2 个数值通过校验")
    assert value_of(env, "611024", 2021, "gov_info_published") is None
    button(at, f"ri_commit_{digest}").click()
    at = rerun(at)
    assert at.success[-1].value.startswith("✓ 已导入批次")
    assert value_of(env, "611024", 2021, "gov_info_published") == 1816
    assert value_of(env, "611024", 2021, "wechat_posts") == 113
