"""Experience-summary drafts: the seed's 2017 figures exactly, every figure against the database (computed here
in SQL), honest wording (ties, ranks, shortfalls, 其中, small counts), varied prose, periods, the metrics.yml
draft fields, edits, verify (text and charts), the CLI and the page."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter

import pytest
import streamlit as st
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from etl.load import load_file
from rolgov import catalog as catalog_mod
from rolgov import db, queries
from rolgov.catalog import formula_sql
from rolgov.report import apply_edits, build_draft, cli, markdown, package, prose, sources, word
from rolgov.report import wording as W
from rolgov.report.figures import (
    Facts,
    TracedFigure,
    evaluate,
    occurrences,
    rank_words,
    untraced_numbers,
    value_text,
)
from rolgov.report.model import Period
from tests.conftest import ROOT, write_csv

FIXTURE_CATALOG = ROOT / "tests" / "fixtures" / "catalog" / "minimal.yml"
CITY = "610900"
OWN = "610900BJ"
SHIQUAN = "610922"
ALL = list(W.AREAS)
SINCE_2017 = Period.since(2017, 2018)


@pytest.fixture(scope="module")
def con(sample_db):
    connection = db.read(sample_db)
    yield connection
    connection.close()


def draft_of(con, catalog, scope=CITY, period=SINCE_2017, areas=("A3", "A7"), **options):
    return build_draft(con, catalog, scope, period, list(areas), **options)


def paragraphs(draft) -> list[str]:
    return [b.text for b in draft.blocks if b.kind == "paragraph"]


@pytest.fixture(scope="module")
def city_2017(con, catalog):
    return draft_of(con, catalog, period=Period.single(2017), areas=ALL)


@pytest.fixture(scope="module")
def city_since(con, catalog):
    return draft_of(con, catalog, areas=ALL)


@pytest.fixture(scope="module")
def shiquan_2023(con, catalog):
    return draft_of(con, catalog, scope=SHIQUAN, period=Period.single(2023), areas=ALL)


# ── the seed's figures, exactly ─────────────────────────────────────────────────────────────────
SEED_2017 = [  # (indicator, region, text as the seed writes it)
    ("gov_legal_advisors", CITY, "349名"),
    ("gov_legal_advisors", OWN, "7名"),
    ("gov_info_published", CITY, "91037条"),
    ("wechat_posts", CITY, "18379条"),
    ("weibo_posts", CITY, "7935条"),
    ("press_conferences", CITY, "124场"),
    ("info_access_points", CITY, "1075个"),
    ("approval_items_streamlined", OWN, "216项"),
    ("approval_streamlining_rate", OWN, "42%"),
    ("intermediary_services_before", OWN, "97项"),
    ("intermediary_services_retained", OWN, "52项"),
    ("certification_items_reviewed", OWN, "136项"),
    ("certification_items_cancelled", OWN, "11项"),
    ("public_commitment_tasks", OWN, "1340件"),
    ("disclosure_requests_new", CITY, "200余件"),  # the seed: 受理依申请公开信息200余件 (rounding: always)
    ("village_legal_advisor_coverage", SHIQUAN, "84.4%"),  # 石泉县, the county the seed names
]


@pytest.mark.parametrize(("indicator", "region", "text"), SEED_2017)
def test_the_2017_city_draft_states_the_seed_figure_exactly(city_2017, indicator, region, text):
    found = [f for f in city_2017.figures if (f.indicator_id, f.region_code, f.measure) == (indicator, region, "value")]
    assert [f.text for f in found] == [text]
    assert any(occurrences(p, text) for p in paragraphs(city_2017))


def test_the_seed_sentences_come_out_in_the_seed_voice(city_2017):
    text = "".join(paragraphs(city_2017))
    assert "市政府共聘请法律顾问7名，与上年相比增加3名，" in text  # 4 -> 7: a small count, in persons
    assert "编发政务微信18379条，政务微博7935条" in text  # the verb said once, as the seed says it
    assert "市级清理前共有行政审批中介服务事项97项，清理后保留52项，清理幅度达46.4%" in text
    assert "石泉县村（社区）法律顾问覆盖率为84.4%" in text
    assert "万余" not in text and "1万" not in text


def test_since_2017_sums_flows_rounds_them_and_keeps_stocks_at_the_end(con, catalog):
    draft = draft_of(con, catalog, areas=("A3", "A9"))
    text = "".join(paragraphs(draft))
    by_key = {(f.indicator_id, f.region_code, f.measure): f for f in draft.figures}
    assert (
        by_key[("hearings_held", CITY, "sum")].text == "50余次" and by_key[("hearings_held", CITY, "sum")].value == 57
    )
    assert "共召开各类听证会50余次，其中2018年" in text  # the since-total and the latest year together
    assert by_key[("public_comments_adopted", CITY, "sum")].text == "1000余条"
    assert by_key[("exec_meeting_law_studies", OWN, "sum")].text == "10次"  # the seed's 常务会议集体学法10次
    assert by_key[("plenary_law_studies", OWN, "sum")].text == "6次"  # and 全体会议集体学法6次
    advisers = by_key[("gov_legal_advisors", CITY, "value")]  # a stock: the end of the period, never a sum
    assert advisers.start == advisers.end == 2018 and ("gov_legal_advisors", CITY, "sum") not in by_key
    first_file = con.execute("SELECT batch_id FROM batches WHERE file_name = 'sample_ankang_2016-2020.csv'").fetchone()[
        0
    ]
    assert by_key[("hearings_held", CITY, "sum")].batch_ids == (first_file,)


def test_two_rounded_figures_that_would_read_the_same_are_written_exactly(con, catalog):
    builder_draft = draft_of(con, catalog, period=Period.since(2016, 2018), areas=("A6",))
    for p in paragraphs(builder_draft):
        for sentence in p.split("。"):
            rounded = re.findall(r"\d+(?:\.\d+)?万?余[件条次项名个场]", sentence)
            assert len(rounded) == len(set(rounded)), sentence


# ── every figure against the database, computed here in SQL ─────────────────────────────────────
def db_value(con, catalog, region, indicator, start, end, how):
    """A value, a sum (every year present) or a rate over summed parts, straight from indicator_values."""
    if how == "rate":
        ind = catalog[indicator]
        sums = ", ".join(f"sum(value) FILTER (WHERE indicator_id = '{n}') AS \"{n}\"" for n in ind.formula_ids)
        sql = (
            f"SELECT {formula_sql(ind.formula)} FROM (SELECT {sums} FROM indicator_values "
            f"WHERE region_code = ? AND year BETWEEN ? AND ?)"
        )
        return con.execute(sql, [region, start, end]).fetchone()[0]
    rows = con.execute(
        "SELECT count(*), sum(value) FROM indicator_values WHERE region_code = ? AND "
        "indicator_id = ? AND year BETWEEN ? AND ?",
        [region, indicator, start, end],
    ).fetchone()
    return rows[1] if rows[0] == end - start + 1 else None


def expected(con, catalog, f: TracedFigure) -> tuple[float, str]:
    ind = catalog[f.indicator_id]
    if f.measure in ("value", "sum", "rate"):
        v = db_value(
            con, catalog, f.region_code, f.indicator_id, f.end if f.measure == "value" else f.start, f.end, f.measure
        )
        return v, (value_text(ind, v, f.exact) if f.style == "text" else f.text)
    if f.measure == "change":
        new = db_value(con, catalog, f.region_code, f.indicator_id, f.end, f.end, "value")
        old = db_value(con, catalog, f.region_code, f.indicator_id, f.start, f.start, "value")
        if f.basis == "absolute":
            diff = new - old
            return diff, "持平" if diff == 0 else f"{'增加' if diff > 0 else '减少'}{abs(diff):g}{ind.unit_label()}"
        diff, unit = (new - old, "个百分点") if ind.kind == "percent" else ((new - old) / old * 100, "%")
        up = "提高" if ind.kind == "percent" else "增长"
        return diff, "持平" if abs(diff) < 0.05 else f"{up if diff > 0 else '下降'}{abs(diff):.1f}{unit}"
    if f.measure == "gap":
        part, whole = ind.formula_ids
        start = f.end if f.basis == "value" else f.start
        v = db_value(con, catalog, f.region_code, whole, start, f.end, f.basis) - db_value(
            con, catalog, f.region_code, part, start, f.end, f.basis
        )
        return v, f"{v:g}{catalog[whole].unit_label()}"
    start = f.start if f.basis in ("sum", "rate") else f.end
    values = {
        c: db_value(con, catalog, c, f.indicator_id, start, f.end, f.basis)
        for c in queries.county_codes(f.among, f.end)
    }
    if f.measure == "min":
        return min(values.values()), value_text(ind, min(values.values()), True)
    mine = values[f.region_code]
    better = sum(1 for v in values.values() if (v < mine if ind.direction == "lower" else v > mine))
    tied = sum(1 for v in values.values() if v == mine)
    return better + 1, rank_words(ind.direction, better + 1, tied, f.style)


def test_every_traced_figure_equals_the_database(con, catalog, city_since, city_2017, shiquan_2023):
    drafts = [
        city_since,
        city_2017,
        shiquan_2023,
        draft_of(con, catalog, scope=SHIQUAN, period=Period.compare(2018, 2016)),
    ]
    checked = 0
    for draft in drafts:
        for f in draft.figures:
            value, text = expected(con, catalog, f)
            assert f.value == pytest.approx(value, rel=1e-9), f
            assert f.text == text, f
            checked += 1
    measures = {f.measure for d in drafts for f in d.figures}
    assert measures >= {"value", "sum", "rate", "change", "rank", "gap"} and checked > 250


def test_rates_over_a_period_come_from_the_sql_formula_only():
    source = (ROOT / "rolgov" / "report" / "figures.py").read_text(encoding="utf-8")
    assert "formula_sql" in source and "import ast" not in source  # one definition: catalog.formula_sql


# ── honest wording ──────────────────────────────────────────────────────────────────────────────
def facts_for(indicator: str, values: dict[str, float], year: int = 2017) -> Facts:
    return Facts({(code, year, indicator): (value, 1, True) for code, value in values.items()})


COUNTIES = queries.county_codes(CITY, 2017)


def rank_of(catalog, indicator, values, county, style="top"):
    spec = TracedFigure(indicator, county, 2017, 2017, "rank", True, "value", CITY, style)
    fig = evaluate(spec, facts_for(indicator, values), catalog)
    return None if fig is None else fig.text


def test_a_sole_leader_is_first_and_two_tied_are_tied(catalog):
    values = dict.fromkeys(COUNTIES, 80.0) | {COUNTIES[0]: 95.0, COUNTIES[1]: 90.0}
    assert rank_of(catalog, "mediation_success_rate", values, COUNTIES[0]) == "首位"
    assert rank_of(catalog, "mediation_success_rate", values, COUNTIES[0], "high") == "最高"
    assert rank_of(catalog, "mediation_success_rate", values, COUNTIES[1]) == "第二位"
    assert rank_of(catalog, "mediation_success_rate", values, COUNTIES[2]) is None  # tied for third among eight
    tied = values | {COUNTIES[1]: 95.0}
    assert rank_of(catalog, "mediation_success_rate", tied, COUNTIES[0]) == "并列第一"
    assert rank_of(catalog, "mediation_success_rate", tied, COUNTIES[1], "high") == "并列最高"


def test_no_rank_when_every_county_is_at_100_or_at_its_target_or_many_tie(catalog):
    assert rank_of(catalog, "normative_doc_review_rate", dict.fromkeys(COUNTIES, 100.0), COUNTIES[0]) is None
    at_target = {c: 95.0 + k * 0.4 for k, c in enumerate(COUNTIES)}  # every county at or above its 95% target
    assert rank_of(catalog, "mediation_success_rate", at_target, COUNTIES[-1]) is None
    four = dict.fromkeys(COUNTIES, 80.0) | dict.fromkeys(COUNTIES[:4], 90.0)
    assert rank_of(catalog, "mediation_success_rate", four, COUNTIES[0]) is None


def test_the_county_draft_claims_no_rank_where_all_counties_are_at_100(shiquan_2023, con):
    text = "".join(paragraphs(shiquan_2023))
    all_full = [
        i
        for (i,) in con.execute(
            "SELECT indicator_id FROM indicator_values WHERE year = 2023 AND list_contains($c, region_code) "
            "GROUP BY indicator_id HAVING min(value) = 100 AND max(value) = 100",
            {"c": queries.county_codes(CITY, 2023)},
        ).fetchall()
    ]
    assert all_full  # the sample has rates where every county is at 100% in 2023
    ranked = {f.indicator_id for f in shiquan_2023.figures if f.measure == "rank"}
    assert not ranked & set(all_full)
    assert text.count("首位") + text.count("最高") + text.count("第一") <= len(ranked)
    for block in shiquan_2023.blocks:  # at most one rank claim per subsection
        assert sum(f.measure == "rank" for f in block.figures) <= 1


def test_a_tie_is_said_as_a_tie_in_the_city_draft(city_2017):
    text = "".join(paragraphs(city_2017))
    assert "汉滨区、汉阴县、平利县行政规范性文件合法性审核率均达100%，在全市各县（市、区）中并列第一" in text
    assert "紫阳县、岚皋县行政审批事项精简率均达50%，并列最高" in text


def test_a_statutory_rate_below_100_gets_an_honest_sentence(city_2017):
    text = "".join(paragraphs(city_2017))
    review = next(p for p in paragraphs(city_2017) if "重大行政决策事项纳入年度目录管理" in p)
    assert "其中62项经过合法性审查，合法性审查率为76.5%，尚有19项未经过合法性审查" in review
    assert "不得提交讨论" not in review and "审查率达76.5%" not in text  # never the rule it breaks, never praise
    assert "行政诉讼案件开庭审理162件，负责人出庭应诉率为40.7%，距法定要求尚有差距" in text
    county = next(p for p in paragraphs(city_2017) if "作出重大行政执法决定313件" in p)
    assert "尚有45件未经过法制审核" in county


def test_a_rule_is_stated_where_the_figure_meets_it(shiquan_2023):
    review = next(p for p in paragraphs(shiquan_2023) if "重大行政决策事项纳入年度目录管理" in p)
    assert "不得提交讨论" in review and "合法性审查率达100%，达到法定要求" in review


def test_qizhong_only_under_a_real_parent(city_2017, city_since, catalog):
    names = [n for c in COUNTIES for n in {queries_name(c, 2017), queries_name(c, 2018)}]
    for draft in (city_2017, city_since):
        for block in draft.blocks:
            if block.kind != "paragraph":
                continue
            for match in re.finditer(r"其中，(\S{2,4}?[县区市])", block.text):
                if match.group(1) not in names:
                    continue
                county_ids = {f.indicator_id for f in block.figures if f.region_code in COUNTIES}
                parents = {f.indicator_id for f in block.figures if f.region_code == CITY}
                assert county_ids & parents, block.text  # the county's figure is part of a whole-city one
    own_level = [p for p in paragraphs(city_2017) if "市级" in p or "市政府常务会议" in p]
    assert own_level and not any(re.search(r"其中，\S{2,3}[县区]", p) for p in own_level if "全市" not in p)


def queries_name(code: str, year: int) -> str:
    from rolgov import regions

    return regions.name_of(code, year)


# ── varied, clean prose ────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("which", ["city_2017", "city_since"])
def test_no_pattern_more_than_three_times_in_the_full_city_draft(which, request):
    draft = request.getfixturevalue(which)
    assert draft.patterns and max(draft.patterns.values()) <= 3, Counter(draft.patterns).most_common(5)
    text = "".join(paragraphs(draft))
    opening = f"{draft.period.start}年以来，" if draft.period.mode == "since" else f"{draft.period.year}年，"
    assert len(re.findall(rf"(?:^|[。）]){opening}", text)) <= 3  # a sentence opening on the same words
    for phrase in ("其中，", opening, "全市各级行政机关", "居全市各县（市、区）首位", "同比增长", "位居首位"):
        assert text.count(phrase) <= 3, (phrase, text.count(phrase))


def test_the_prose_has_no_labels_ids_dangling_clauses_or_lone_numbering(city_2017, city_since, catalog):
    for draft in (city_2017, city_since):
        text = "".join(b.text for b in draft.blocks if b.kind in ("paragraph", "opening"))
        assert not re.search(r"[a-z]+_[a-z_]+", text)  # no indicator id
        bracketed = [i.name_zh for i in catalog if "（" in i.name_zh and "、" in i.name_zh]
        assert not any(name in text for name in bracketed)  # 精简（取消、下放、调整）… never in prose
        assert "公开征求意见，累计" not in text and "，公开征求意见，" not in text
        for area in draft.areas:
            subs = [b.text for b in draft.blocks if b.kind == "paragraph" and b.area == area]
            assert len(subs) != 1 or not subs[0].startswith("（一）"), subs
    assert "累计" not in "".join(paragraphs(city_2017))  # one year is not an accumulation


def test_a_sentence_chains_at_most_four_figures(city_2017, city_since):
    for draft in (city_2017, city_since):
        for block in draft.blocks:
            if block.kind == "paragraph":
                for sentence in block.text.split("。"):
                    spans = {a for f in block.figures for a, _ in occurrences(sentence, f.text) if f.measure != "rank"}
                    assert len(spans) <= 5, sentence


def test_a_zero_part_is_said_as_none_lost_or_left_out_not_as_0_and_0_percent(con, catalog):
    """石泉县 2024: 审结行政复议案件17件, none corrected; 15 lawsuits concluded, none lost. A reviewer reads
    直接纠正…0件，直接纠错率为0% as filler and 败诉0件，败诉率为0% as a missed 无一败诉."""
    stored = dict(
        con.execute(
            "SELECT indicator_id, value FROM indicator_values WHERE region_code = ? AND year = 2024",
            [SHIQUAN],
        ).fetchall()
    )
    assert stored["reconsideration_corrected"] == stored["litigation_lost"] == 0
    draft = draft_of(con, catalog, scope=SHIQUAN, period=Period.single(2024), areas=("A6",), include_internal=True)
    text = "".join(paragraphs(draft))
    assert f"审结一审行政诉讼案件{stored['litigation_concluded']:.0f}件，无一败诉" in text
    assert f"审结行政复议案件{stored['reconsideration_concluded']:.0f}件" in text
    assert "纠错0件" not in text and "行为0件" not in text and not re.search(r"率为0%", text), text


def test_a_one_character_subject_stays_beside_the_words_it_begins():
    """省/市/区 + 政府常务会议: the period never comes between (省2024年政府常务会议… was written)."""
    for key in prose.FRAMES:
        assert not any(p.startswith("{S}") for p in prose.frame_options(key, True, True, bound=True).values())
        assert any(p.startswith("{S}") for p in prose.frame_options(key, True, True).values()), key
        assert not any(p.startswith("{S}") for p in prose.frame_options(key, True, False).values())


def test_no_sentence_opens_with_a_lone_government_character_before_its_year(city_2017, city_since):
    for draft in (city_2017, city_since):
        text = "".join(b.text for b in draft.blocks if b.kind == "paragraph")
        assert not re.search(r"(?:^|[。，；])[省市区县](?:\d{4}年|截至|\d{4}—)", text), text


# ── periods ─────────────────────────────────────────────────────────────────────────────────────
def test_a_comparison_year_without_data_is_said_plainly(con, catalog):
    draft = draft_of(con, catalog, period=Period.compare(2016, 2015), areas=("A3",))
    assert draft.warnings == [
        "2015年没有安康市的数据，本稿只写2016年，不作对比 / no data for 2015: the draft covers 2016 only, without a comparison"
    ]
    assert draft.period == Period.single(2016)
    opening = next(b.text for b in draft.blocks if b.kind == "opening")
    assert opening.endswith("现将2016年主要做法和成效总结如下。") and "对比" not in opening
    assert not any(f.measure == "change" for f in draft.figures)


def test_a_compare_draft_words_changes_against_the_earlier_year(con, catalog):
    draft = draft_of(con, catalog, scope=SHIQUAN, period=Period.compare(2018, 2016), areas=("A3",))
    opening = next(b.text for b in draft.blocks if b.kind == "opening")
    assert opening.endswith("现将2018年主要做法和成效总结如下，并与2016年作对比。")
    changes = [f for f in draft.figures if f.measure == "change"]
    assert changes and all(f.start == 2016 for f in changes)
    assert all(re.search(rf"2016年[^。]{{0,6}}{re.escape(f.text)}", "".join(paragraphs(draft))) for f in changes)


# ── meaning in metrics.yml ─────────────────────────────────────────────────────────────────────
def test_every_indicator_says_how_drafts_state_it(catalog):
    for ind in catalog:
        assert ind.over_time in ("flow", "stock", "latest") and ind.rounding in ("never", "sums", "always")
        if ind.draft_level in ("own_level", "both"):
            assert ind.subject_zh.own_level
        if ind.kind == "percent":
            assert ind.rounding == "never"
    assert catalog["approval_items_streamlined"].over_time == "stock"  # counted since the reform: never summed
    assert catalog["gov_legal_advisors"].draft_level == "both"
    assert catalog["disclosure_requests_new"].rounding == "always"


def test_a_new_indicator_without_draft_fields_is_refused(tmp_path):
    text = FIXTURE_CATALOG.read_text(encoding="utf-8").replace("    over_time: flow\n", "", 1)
    path = tmp_path / "metrics.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(catalog_mod.CatalogError) as info:
        catalog_mod.load(path)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "id: hearings_held" in row)
    assert info.value.problems == [
        f"第{line}行 / line {line} 指标 hearings_held: 缺少必填项 'over_time' / missing required key 'over_time'"
    ]


def test_a_rate_over_stocks_cannot_be_summed_over_years(tmp_path):
    text = FIXTURE_CATALOG.read_text(encoding="utf-8")
    text = text.replace("    over_time: stock\n    rounding: never", "    over_time: flow\n    rounding: never", 1)
    path = tmp_path / "metrics.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(catalog_mod.CatalogError) as info:
        catalog_mod.load(path)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "over_time: flow" in row)
    assert info.value.problems == [
        f"第{line}行 / line {line} 指标 cut_rate: 比率按期间重算要求各分量都是流量，items_cut, items_before 不是 / "
        f"a rate recomputed over a period needs flows as parts; items_cut, items_before is not: use stock"
    ]


def test_the_wording_names_real_indicators_and_misses_none(catalog):
    for area_id, text in W.AREAS.items():
        named = [i for s in text.subsections for i in s.indicators]
        assert len(named) == len(set(named)) and all(catalog[i].area == area_id for i in named), area_id
        in_area = [i.id for i in catalog.in_area(area_id)]
        assert set(in_area) <= {i for s in W.outline(area_id, in_area) for i in s.indicators}
    for ratio in W.RATIOS:
        members = [i for i in (ratio.rate, ratio.whole, ratio.part) if i]
        assert len({catalog[i].draft_level for i in members}) == 1, ratio
        if ratio.rate and not ratio.patterns:  # the gap is whole - part: the formula must be part / whole * 100
            assert catalog[ratio.rate].formula_ids == (ratio.part, ratio.whole), ratio


# ── structure and scopes ───────────────────────────────────────────────────────────────────────
def test_a_draft_has_title_note_opening_then_one_numbered_heading_per_area(con, catalog):
    draft = draft_of(con, catalog, areas=("A7", "A3"))  # given out of order: the catalog order wins
    assert [b.kind for b in draft.blocks][:3] == ["title", "note", "opening"]
    assert draft.blocks[0].text == "安康市创建法治政府建设示范市经验材料"
    assert draft.blocks[1].text == "（本稿数据为示例数据，非官方统计）"
    assert draft.blocks[2].text.endswith("现将2017年以来主要做法和成效总结如下。")
    assert [b.text for b in draft.blocks if b.kind == "heading"] == [
        f"一、{W.AREAS['A3'].heading}",
        f"二、{W.AREAS['A7'].heading}",
    ]


def test_a_county_draft_speaks_of_the_county(shiquan_2023):
    assert shiquan_2023.blocks[0].text == "石泉县创建法治政府建设示范县经验材料"
    assert shiquan_2023.blocks[2].text.startswith("我县自开展")
    assert {f.region_code for f in shiquan_2023.figures if f.measure != "rank"} == {SHIQUAN}


def test_city_and_city_level_figures_never_mix(city_2017, catalog):
    for f in city_2017.figures:
        if f.measure in ("rank", "min") or f.region_code in COUNTIES:
            continue
        level = catalog[f.indicator_id].draft_level
        assert f.region_code == (OWN if level == "own_level" else f.region_code), f
        if f.region_code == OWN:
            assert level in ("own_level", "both"), f


def test_internal_indicators_only_for_signed_in_users(con, catalog):
    internal = {i.id for i in catalog if i.publication == "internal"}
    public = draft_of(con, catalog, areas=ALL)
    assert not internal & {f.indicator_id for f in public.figures}
    signed_in = draft_of(con, catalog, areas=ALL, include_internal=True)
    assert internal & {f.indicator_id for f in signed_in.figures}
    assert "败诉" not in "".join(paragraphs(public))


def test_no_number_in_the_text_lacks_a_source_row(city_2017, city_since, catalog):
    for draft in (city_2017, city_since):
        for block in draft.blocks:
            if block.kind != "chart":
                assert untraced_numbers(block.text, block.figures) == [], block.text
                assert all(occurrences(block.text, f.text) for f in block.figures), block.text
        assert len(sources.source_rows(draft, catalog)) == len(draft.figures) > 80


# ── edits, verify, CLI ─────────────────────────────────────────────────────────────────────────
def test_an_edit_keeps_the_figures_left_drops_the_deleted_and_flags_a_changed_one(con, catalog):
    draft = draft_of(con, catalog, areas=("A3",))
    index = next(i for i, b in enumerate(draft.blocks) if "听证会50余次" in b.text)
    old = draft.blocks[index].text
    new = old.replace("50余次", "60余次").replace("，其中1000余条被采纳", "")
    edited, flags = apply_edits(draft, {index: new})
    assert [f.text for f in flags[0]["dropped"]] == ["50余次", "1000余条"]
    assert flags[0]["untraced"] == ["60余次"]
    assert len(edited.figures) == len(draft.figures) - 2
    out = io.BytesIO(word.to_docx(edited, catalog))
    highlighted = [
        r.text for p in Document(out).paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert highlighted == ["60"]


def run_cli(capsys, *argv) -> tuple[int, list[str], str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.strip()


def test_the_cli_writes_draft_and_appendix_and_verify_lists_a_corrected_figure(tmp_path, sample_db, catalog, capsys):
    db_copy = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_copy)
    out = tmp_path / "draft.docx"
    appendix = tmp_path / "draft_数据来源.docx"
    code, lines, _ = run_cli(
        capsys,
        "draft",
        "--scope",
        "安康市",
        "--year",
        "2018",
        "--since",
        "2017",
        "--areas",
        "a3",
        "--out",
        out,
        "--db",
        db_copy,
    )
    assert code == 0 and out.is_file() and appendix.is_file()
    n = len(package.read_trace(out)["figures"])
    assert lines[-1] == (
        f"已生成 {out}、{appendix}：1 个领域、{n} 个数字、0 幅图，用时 {lines[-1].split('用时 ')[1].split(' 秒')[0]} 秒 / "
        f"wrote {out}, {appendix}: 1 areas, {n} figures, 0 charts"
    )
    appendix_text = "\n".join(p.text for p in Document(appendix).paragraphs)
    assert "数据来源" in appendix_text and "python" not in appendix_text and "rolgov.report" not in appendix_text
    assert not any("数据来源" in t.rows[0].cells[0].text for t in Document(out).tables)  # not inside the draft
    assert run_cli(capsys, "verify", out, "--db", db_copy)[:2] == (
        0,
        [f"✓ {n} 个数字与当前数据库一致 / all {n} figures match the current database"],
    )
    with db.read(db_copy) as c:  # a correction: 汉滨区 held ten more hearings in 2017 than reported
        hanbin = c.execute(
            "SELECT value FROM indicator_values WHERE region_code = '610902' AND year = 2017 AND indicator_id = 'hearings_held'"
        ).fetchone()[0]
    loaded = load_file(
        write_csv(tmp_path / "fix.csv", [["610902", 2017, "hearings_held", int(hanbin) + 10]]), db_copy, catalog
    )
    assert loaded.status == "loaded"
    code, lines, _ = run_cli(capsys, "verify", out, "--db", db_copy)
    assert code == 1
    assert (
        "✗ 召开听证会次数 hearings_held · 安康市（全市） 610900 · 2017—2018年合计 · 文中 50余次（57）/ in the "
        "document 50余次 · 现为 60余次（67）/ now 60余次"
    ) in lines
    assert lines[-1].endswith(f"共 {n} 个数字 / {n} figures traced")


def test_verify_checks_the_figures_behind_the_charts(tmp_path, sample_db, con, catalog, capsys):
    db_copy = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_copy)
    draft = draft_of(con, catalog, period=Period.single(2019), areas=("A5",), with_charts=True)
    drawn = draft.chart_figures
    assert drawn and all(f.style == "chart" for _, f in drawn)
    path = tmp_path / "charts.docx"
    path.write_bytes(word.to_docx(draft, catalog))  # no images needed: the trace holds the values drawn
    assert run_cli(capsys, "verify", path, "--db", db_copy)[0] == 0
    caption, point = next((c, f) for c, f in drawn if f.region_code == "610902" and f.end == 2019)
    loaded = load_file(
        write_csv(tmp_path / "fix.csv", [["610902", 2019, "emergency_drills", int(point.value) + 50]]), db_copy, catalog
    )
    assert loaded.status == "loaded"
    code, lines, _ = run_cli(capsys, "verify", path, "--db", db_copy)
    assert code == 1
    number = caption.split("　")[0]
    assert any(
        line.startswith(f"✗ {number} 组织开展应急预案演练次数") or line.startswith(f"✗ {number} ") for line in lines
    ), lines


def test_verify_refuses_what_is_not_a_docx_with_exit_2(tmp_path, sample_db, capsys):
    for name, data in (("draft.md", "# 草稿\n".encode()), ("draft.pdf", b"%PDF-1.7\n")):
        path = tmp_path / name
        path.write_bytes(data)
        code, _, err = run_cli(capsys, "verify", path, "--db", sample_db)
        assert code == 2
        assert err == (
            f"{path} 不是 Word 文档（.docx），无法复核；请选择本工具导出的 .docx 草稿 / {path} is not a "
            f"Word .docx file: verify reads the .docx draft this tool exported"
        )
    plain = tmp_path / "plain.docx"
    Document().save(plain)
    code, _, err = run_cli(capsys, "verify", plain, "--db", sample_db)
    assert code == 2 and err == (
        f"{plain} 中没有数字溯源信息，无法复核；请用 python -m rolgov.report draft 或「材料生成」页导出 / "
        f"{plain} carries no figure trace: export it with python -m rolgov.report draft or the report page"
    )


def test_the_cli_refuses_a_bad_out_before_building(tmp_path, sample_db, capsys):
    missing = tmp_path / "no such folder" / "draft.docx"
    code, _, err = run_cli(capsys, "draft", "--out", missing, "--db", sample_db)
    assert (code, err) == (
        2,
        f"文件夹 {missing.parent} 不存在，请先创建它或换一个位置 / folder {missing.parent} does not exist: "
        f"create it first or choose another place",
    )
    code, _, err = run_cli(capsys, "draft", "--out", tmp_path, "--db", sample_db)
    assert (code, err) == (
        2,
        f"{tmp_path} 是一个文件夹，请给出文件名，例如 {tmp_path / '材料.docx'} / {tmp_path} is a folder: "
        f"give a file name, e.g. {tmp_path / 'draft.docx'}",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "code"), [("610922", SHIQUAN), ("石泉县", SHIQUAN), ("安康市", CITY), ("旬阳县", "610981")]
)
def test_a_scope_by_code_or_chinese_name(text, code):
    assert cli.resolve_scope(text) == code


def test_an_unknown_scope_and_areas_in_any_case(catalog):
    with pytest.raises(ValueError) as info:
        cli.resolve_scope("石泉")
    assert str(info.value) == (
        "不认识的地区「石泉」：请写行政区划代码或名称，例如 610900 或 安康市 / unknown region '石泉': give a "
        "division code or a name, e.g. 610900 or 安康市"
    )
    assert cli.resolve_areas("a3, A7，科学决策", catalog) == ["A3", "A7", "A3"]


def test_markdown_has_the_draft_and_its_sources(con, catalog):
    draft = draft_of(con, catalog, areas=("A3",))
    lines = markdown.to_markdown(draft, catalog).splitlines()
    assert lines[0] == "# 安康市创建法治政府建设示范市经验材料"
    assert "**（一）严格行政决策法律审查。**" in "\n".join(lines) and "数据来源" not in "\n".join(lines)
    table = markdown.appendix_markdown(draft, catalog).splitlines()
    assert sum(1 for line in table if re.match(r"\| \d+ \|", line)) == len(draft.figures)


# ── the page ───────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def page(sample_db, tmp_path, monkeypatch):
    db_file = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_file)
    monkeypatch.setenv("ROLGOV_DB", str(db_file))
    monkeypatch.setattr(db, "DEFAULT_DB", db_file)
    st.cache_data.clear()
    st.cache_resource.clear()
    original = PagesManager.__init__

    def steady_state(self, *args, **kwargs):  # as in test_data_page: keep dashboard.py in every rerun
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", steady_state)

    def open_page(**params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page("pages/report.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def test_a_copied_link_rebuilds_the_same_draft(page, con, catalog):
    at = page(year="2018", unit=SHIQUAN, period="since", start="2017", areas=["A3", "A7"])
    expected = draft_of(con, catalog, scope=SHIQUAN, areas=("A3", "A7"))
    assert [a.value for a in at.text_area] == [
        b.text for b in expected.blocks if b.kind in ("opening", "lead", "paragraph")
    ]
    assert at.text_input[0].value == "石泉县创建法治政府建设示范县经验材料"
    assert not [s for s in at.selectbox if s.key == "r_year"]  # one year control: the sidebar's
    assert not at.get("plotly_chart")  # charts are asked for


def test_the_page_keeps_its_choices_in_the_url_and_flags_a_changed_figure(page):
    at = page(year="2018")
    at.radio(key="w_period").set_value("since").run()
    assert at.query_params["period"] == "since" and "start" not in at.query_params  # 2017, the default
    area = next(a for a in at.text_area if "听证会50余次" in a.value)
    area.set_value(area.value.replace("50余次", "60余次")).run()
    assert [e.value for e in at.error] == ["没有数据来源的数字（导出时以黄色标出）：60余次"]
    assert [w.value for w in at.warning if "删去" in w.value] == ["已删去的数字（将从附件中移除）：50余次"]
    at.selectbox(key="w_start").set_value(2016).run()
    assert at.query_params["start"] == "2016"


def test_the_english_page_says_the_draft_is_chinese(page):
    at = page(year="2019", lang="en", charts="1", areas=["A5"])
    assert any("written in Chinese only" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 2
