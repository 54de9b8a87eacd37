"""Attainment, gaps in natural units, composite scores, ranks, rank change and projections (rolgov/scoring.py),
checked by hand on tiny frames with the real metrics.yml; plus the tile colours of rolgov/analysis.py."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rolgov import analysis, scoring, tables
from rolgov import regions as R

YEAR = 2025


# ── attainment ───────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("indicator", "actual", "target", "status", "ratio"),
    [
        ("case_file_pass_rate", 95.0, 90.0, "met", 95 / 90),  # higher is better: the ratio may pass 1
        ("case_file_pass_rate", 90.0, 90.0, "met", 1.0),
        ("case_file_pass_rate", 81.0, 90.0, "near", 0.9),  # within 10 % of the target
        ("case_file_pass_rate", 72.0, 90.0, "below", 0.8),
        ("litigation_loss_rate", 5.0, 10.0, "met", 1.0),  # lower is better: meeting it is exactly 1
        ("litigation_loss_rate", 11.0, 10.0, "near", 10 / 11),
        ("litigation_loss_rate", 12.5, 10.0, "below", 0.8),
        ("litigation_loss_rate", 0.0, 10.0, "met", 1.0),
        ("hearings_held", 0.0, 0.0, "met", 1.0),  # a zero target is met by anything
        ("rule_of_law_report_published", 0.0, 1.0, "below", 0.0),
    ],
)
def test_attainment_by_direction(catalog, indicator, actual, target, status, ratio):
    got_status, got_ratio = scoring.attainment(catalog[indicator], actual, target)
    assert got_status == status
    assert got_ratio == pytest.approx(ratio)


def test_attainment_of_monitor_only_no_target_and_missing(catalog):
    assert scoring.attainment(catalog["approval_items_before"], 514.0, None) == ("monitor", None)
    assert scoring.attainment(catalog["approval_items_before"], 514.0, 100.0) == ("monitor", None)
    assert scoring.attainment(catalog["public_comments_adopted"], 507.0, None) == ("no_target", None)
    assert scoring.attainment(catalog["case_file_pass_rate"], None, 90.0) == ("missing", None)
    assert scoring.attainment(catalog["case_file_pass_rate"], math.nan, 90.0) == ("missing", None)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("610902", "county"),
        ("610981", "county"),
        ("610900", "city"),
        ("610900BJ", "city"),
        ("610000BJ", "city"),
        ("610000", "province"),
        ("000000", "province"),
    ],
)
def test_which_target_level_applies(code, level):
    assert R.target_level(code) == level


def test_a_provinces_total_takes_a_citys_rate_targets_but_no_count_target(catalog):
    """召开听证会次数 10次 is a city's target: a province's 452次 (the sum of 117 units) is not judged by it,
    nor is the country's; a rate's requirement (100% reviewed) holds at every level."""
    hearings, review = catalog["hearings_held"], catalog["normative_doc_review_rate"]
    assert hearings.target_for("city", 2024).value == 10
    assert hearings.target_for("province", 2024) is None and hearings.targets_at("province") == []
    assert review.target_for("province", 2024) == review.target_for("city", 2024)
    assert review.target_for("province", 2024).value == 100
    rows = pd.DataFrame(
        {"region_code": ["610000"], "year": [2024], "indicator_id": ["hearings_held"], "value": [452.0]}
    )
    tiles = {tile["indicator"].id: tile for tile in analysis.tiles(rows, catalog, "610000", 2024, [hearings])}
    assert tiles["hearings_held"]["target"] is None and tiles["hearings_held"]["status"] == "no_target"


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("610902", "county"),
        ("610900", "prefecture"),
        ("610000", "province"),
        ("610900BJ", "own_level"),
        ("110101", "county"),  # 东城区: a county-level code of a municipality
        ("429004", "county"),  # 仙桃市: county-level, directly under the province
        ("999999", None),
    ],
)
def test_the_region_reference_says_what_kind_of_unit_a_code_is(code, level):
    assert R.level(code) == level


def test_a_target_applies_only_from_its_first_year(catalog):
    report = catalog["rule_of_law_report_published"]
    assert report.target_for("county", 2018) is None
    assert report.target_for("county", 2019).value == 1.0


# ── gaps in the indicator's own unit ─────────────────────────────────────────────────────────
@pytest.fixture
def sessions(catalog):
    """A count of sessions (场), whatever unit metrics.yml gives hearings today."""
    return catalog["hearings_held"].model_copy(update={"unit": "场", "kind": "count", "direction": "higher"})


@pytest.mark.parametrize(
    ("actual", "target", "zh", "en"),
    [
        (7.0, 10.0, "还差3场", "3 sessions to go"),
        (7.2, 10.0, "还差3场", "3 sessions to go"),  # counts round the remainder up
        (1.0, 2500.0, "还差2,499场", "2,499 sessions to go"),
        (1.0, 2.0, "还差1场", "1 session to go"),  # one of a thing is singular, as fmt.value says it
        (12.0, 10.0, "已达标", "target met"),
        (10.0, 10.0, "已达标", "target met"),
    ],
)
def test_gap_text_of_a_count(sessions, actual, target, zh, en):
    assert scoring.gap_text(sessions, actual, target) == zh
    assert scoring.gap_text(sessions, actual, target, "en") == en


def test_gap_text_of_a_count_that_should_fall(sessions):
    fewer = sessions.model_copy(update={"direction": "lower"})
    assert scoring.gap_text(fewer, 13.0, 10.0) == "需减少3场"
    assert scoring.gap_text(fewer, 13.0, 10.0, "en") == "3 sessions too many"


@pytest.mark.parametrize(
    ("indicator", "actual", "target", "zh", "en"),
    [
        ("case_file_pass_rate", 85.8, 90.0, "还差4.2个百分点", "4.2 pp to go"),
        ("litigation_loss_rate", 12.0, 10.0, "需降低2.0个百分点", "2.0 pp too high"),
        ("rule_of_law_report_published", 0.0, 1.0, "尚未完成", "not yet done"),
        ("case_file_pass_rate", 90.0, 90.0, "已达标", "target met"),
        ("litigation_loss_rate", 8.0, 10.0, "已达标", "target met"),
    ],
)
def test_gap_text_of_rates_and_yes_no(catalog, indicator, actual, target, zh, en):
    ind = catalog[indicator]
    assert scoring.gap_text(ind, actual, target) == zh
    assert scoring.gap_text(ind, actual, target, "en") == en


def test_attainment_table_uses_county_targets_for_counties_and_city_targets_for_the_city(catalog):
    hearings = catalog["hearings_held"]
    county, city = hearings.target_for("county", YEAR).value, hearings.target_for("city", YEAR).value
    values = pd.DataFrame(
        {
            "region_code": ["610902", "610900", "610902"],
            "year": [YEAR, YEAR, YEAR],
            "indicator_id": ["hearings_held", "hearings_held", "approval_items_before"],
            "value": [county - 1, city - 3, 514.0],
        }
    )
    table = scoring.attainment_table(values, catalog)
    assert table["target"].tolist()[:2] == [county, city]
    assert table["status"].tolist() == ["below", "below", "monitor"]
    unit = hearings.unit_label("zh")
    assert table["gap_text"].tolist() == [f"还差1{unit}", f"还差3{unit}", ""]
    assert pd.isna(table["target"].iloc[2]) and pd.isna(table["basis"].iloc[2])


# ── composite scores ─────────────────────────────────────────────────────────────────────────
COUNTIES = ["610902", "610921", "610922"]


def three_counties() -> tuple[pd.DataFrame, pd.Series]:
    """Three counties, four scored indicators in three areas, one monitor-only indicator."""
    rows = {
        "case_file_pass_rate": [95.0, 81.0, 72.0],  # A4, target 90: scores 100, 90, 80
        "litigation_loss_rate": [5.0, 12.5, 20.0],  # A6, lower, target 10: 100, 80, 50
        "hearings_held": [4.0, 1.0, 2.0],  # A3, county target 2, weight 0.5: 100, 50, 100
        "public_comments_adopted": [100.0, 300.0, 200.0],  # A3, no target, weight 0.5, per 10,000 residents
        "approval_items_before": [500.0, 10.0, 10.0],  # monitor only: never scored
    }
    values = pd.DataFrame(
        [(code, YEAR, ind, numbers[i]) for ind, numbers in rows.items() for i, code in enumerate(COUNTIES)],
        columns=["region_code", "year", "indicator_id", "value"],
    )
    population = pd.Series([50.0, 100.0, 40.0], index=COUNTIES)  # 万人: comments per 10,000 = 2, 3, 5
    return values, population


def test_composite_scores_by_hand(catalog):
    values, population = three_counties()
    scores = scoring.composite_scores(values, catalog, population).set_index("region_code")
    assert list(scores.columns) == ["A3", "A4", "A6", "overall"]  # areas in catalog order, unscored areas absent
    # A3 = weighted mean of hearings (attainment) and comments (percentile among the three)
    assert scores["A3"].tolist() == pytest.approx([(100 + 100 / 3) / 2, (50 + 200 / 3) / 2, 100.0])
    assert scores["A4"].tolist() == pytest.approx([100.0, 90.0, 80.0])  # exceeding the target earns no more
    assert scores["A6"].tolist() == pytest.approx([100.0, 80.0, 50.0])
    assert scores["overall"].tolist() == pytest.approx(
        [(200 / 3 + 100 + 100) / 3, (175 / 3 + 90 + 80) / 3, (100 + 80 + 50) / 3]
    )


def test_composite_percentiles_compare_per_10000_residents_where_the_catalog_says_so(catalog):
    values, population = three_counties()
    per_head = scoring.indicator_scores(values, catalog, population)
    raw = scoring.indicator_scores(values, catalog, None)
    comments = per_head["indicator_id"] == "public_comments_adopted"
    assert per_head.loc[comments, "score"].tolist() == pytest.approx([100 / 3, 200 / 3, 100.0])
    assert raw.loc[comments, "score"].tolist() == pytest.approx([100 / 3, 100.0, 200 / 3])
    assert per_head.loc[per_head["indicator_id"] == "approval_items_before", "score"].isna().all()


def test_composite_of_nothing_scorable_is_empty(catalog):
    values = pd.DataFrame(
        {"region_code": ["610902"], "year": [YEAR], "indicator_id": ["approval_items_before"], "value": [514.0]}
    )
    assert scoring.composite_scores(values, catalog).empty


# ── ranks and rank change ────────────────────────────────────────────────────────────────────
def test_ranks_share_the_better_place_on_a_tie():
    scores = pd.DataFrame({"region_code": list("abcd"), "overall": [90.0, 80.0, 90.0, 70.0]})
    assert scoring.ranks(scores).tolist() == [1, 3, 1, 4]


def test_rank_change_is_positive_for_moving_up_and_empty_without_a_past():
    now = pd.DataFrame({"region_code": list("abcd"), "overall": [90.0, 80.0, 70.0, 60.0]})
    before = pd.DataFrame({"region_code": list("abc"), "overall": [80.0, 90.0, 70.0]})
    change = scoring.rank_change(now, before).set_index("region_code")
    assert change["rank"].tolist() == [1, 2, 3, 4]
    assert change["rank_before"].tolist()[:3] == [2, 1, 3]
    assert change["rank_change"].tolist()[:3] == [1, -1, 0]
    assert pd.isna(change.loc["d", "rank_change"])  # new this year
    first_year = scoring.rank_change(now, before.iloc[0:0])
    assert first_year["rank_change"].isna().all()


# ── projection ───────────────────────────────────────────────────────────────────────────────
def series(start: int, *values: float) -> pd.Series:
    return pd.Series(values, index=range(start, start + len(values)), dtype=float)


def test_projection_met_already(catalog):
    got = scoring.projection(series(2021, 80, 85, 91), catalog["case_file_pass_rate"], 90.0)
    assert got == {"status": "met", "year": 2023, "slope": None}


def test_projection_on_track_gives_the_year_the_line_reaches_the_target(catalog):
    got = scoring.projection(series(2021, 80, 82, 84, 86), catalog["case_file_pass_rate"], 90.0)
    assert got["status"] == "on_track" and got["year"] == 2026 and got["slope"] == pytest.approx(2.0)


def test_projection_lower_is_better(catalog):
    got = scoring.projection(series(2021, 16, 14, 12), catalog["litigation_loss_rate"], 10.0)
    assert (got["status"], got["year"]) == ("on_track", 2024)


def test_projection_uses_only_the_last_five_years(catalog):
    falling_then_rising = series(2011, 89, 85, 80, 75, 70, 72, 74, 76, 78, 80)
    got = scoring.projection(falling_then_rising, catalog["case_file_pass_rate"], 90.0)
    assert (got["status"], got["year"]) == ("on_track", 2025)


@pytest.mark.parametrize("values", [(86, 84, 82), (80, 80, 80)])
def test_projection_off_track_when_moving_away_or_flat(catalog, values):
    got = scoring.projection(series(2021, *values), catalog["case_file_pass_rate"], 90.0)
    assert got["status"] == "off_track" and got["year"] is None


def test_projection_too_short_and_beyond_and_without_target(catalog):
    ind = catalog["case_file_pass_rate"]
    assert scoring.projection(series(2023, 80, 82), ind, 90.0)["status"] == "too_short"
    assert scoring.projection(series(2023, math.nan, math.nan, 82), ind, 90.0)["status"] == "too_short"
    assert scoring.projection(pd.Series(dtype=float), ind, 90.0)["status"] == "too_short"
    slow = scoring.projection(series(2021, 80.0, 80.1, 80.2), ind, 90.0)  # 2121 at this pace
    assert slow == {"status": "beyond", "year": None, "slope": pytest.approx(0.1)}
    assert scoring.projection(series(2021, 80, 82, 84), ind, None)["status"] == "no_target"
    assert scoring.projection(series(2021, 1, 2, 3), catalog["approval_items_before"], 10.0)["status"] == "no_target"


def test_projection_is_never_earlier_than_next_year(catalog):
    # a steep line whose fit crosses the target before the last (still unmet) year
    got = scoring.projection(series(2021, 70, 95, 89), catalog["case_file_pass_rate"], 90.0)
    assert got["status"] == "on_track" and got["year"] == 2024


# ── counties at risk and tile colours (rolgov/analysis.py) ───────────────────────────────────
def test_counties_at_risk_are_below_target_and_not_closing_the_gap(catalog):
    ind = catalog["hearings_held"]  # county target: 2 sessions
    rows = []
    for code, values in {
        "610902": [3, 3, 3],
        "610921": [1, 1, 1],
        "610922": [0, 1, 1.9],
        "610923": [1, 1.5, 1],
    }.items():
        rows += [(code, 2023 + k, "hearings_held", v) for k, v in enumerate(values)]
    frame = pd.DataFrame(rows, columns=["region_code", "year", "indicator_id", "value"])
    risky = analysis.counties_at_risk(frame, catalog, ["610902", "610921", "610922", "610923"], 2025, ind)
    assert risky["region_code"].tolist() == ["610921", "610923"]  # 610922 is near and rising fast
    assert risky["projection_status"].tolist() == ["off_track", "off_track"]
    assert risky["target"].tolist() == [2.0, 2.0]


@pytest.mark.parametrize(
    ("indicator", "delta", "style"),
    [
        ("public_comments_adopted", -22.0, ("red", "down")),  # fewer comments adopted: worse
        ("public_comments_adopted", 30.0, ("green", "up")),
        ("litigation_loss_rate", -1.5, ("green", "down")),  # fewer lawsuits lost: better
        ("litigation_loss_rate", 1.5, ("red", "up")),
        ("approval_items_before", 10.0, ("gray", "up")),  # monitor only: no judgement
        ("public_comments_adopted", 0.0, ("gray", "off")),
        ("public_comments_adopted", None, ("gray", "off")),
    ],
)
def test_tile_change_colour_follows_the_direction(catalog, indicator, delta, style):
    assert analysis.delta_style(catalog[indicator], delta) == style


# ── ties and rank change in words ────────────────────────────────────────────────────────────
def test_tied_ranks_are_marked_and_said():
    ranks = scoring.ranks(pd.DataFrame({"region_code": list("abcd"), "overall": [90.0, 80.0, 90.0, 70.0]}))
    assert scoring.tied(ranks).tolist() == [True, False, True, False]
    assert [scoring.rank_text(r, d) for r, d in zip(ranks, scoring.tied(ranks), strict=True)] == [
        "并列1",
        "3",
        "并列1",
        "4",
    ]
    assert scoring.rank_text(1, True, "en") == "=1"
    assert scoring.rank_text(None, False) == "—"


@pytest.mark.parametrize(
    ("change", "arrow", "zh", "en"),
    [
        (2, "↑2", "较上年上升2位", "up 2 on last year"),
        (-1, "↓1", "较上年下降1位", "down 1 on last year"),
        (0, "持平", "与上年持平", "same as last year"),
        (None, "—", "上年无排名", "no rank last year"),
    ],
)
def test_rank_change_in_arrows_and_words(change, arrow, zh, en):
    assert scoring.rank_change_text(change) == arrow
    assert scoring.rank_change_words(change) == zh
    assert scoring.rank_change_words(change, "en") == en


def test_rank_change_says_which_ranks_are_shared():
    now = pd.DataFrame({"region_code": list("abc"), "overall": [90.0, 90.0, 70.0]})
    assert scoring.rank_change(now, now.iloc[0:0])["tied"].tolist() == [True, True, False]


# ── per 10,000 residents: the population indicator is named by the catalog ───────────────────
def test_per_10000_divides_by_the_catalogs_population_indicator(catalog):
    assert catalog.per_10k_base == "resident_population"
    values = pd.DataFrame(
        {
            "region_code": ["610902", "610902", "610900BJ"],
            "year": [YEAR, YEAR, YEAR],
            "indicator_id": ["gov_legal_advisors", catalog.per_10k_base, "gov_legal_advisors"],
            "value": [30.0, 100.0, 12.0],
        }
    )
    out = analysis.per_10k(values, catalog).set_index(["region_code", "indicator_id"])
    assert out.loc[("610902", "gov_legal_advisors"), "value_per_10k"] == pytest.approx(0.3)
    assert math.isnan(out.loc[("610900BJ", "gov_legal_advisors"), "value_per_10k"])  # no population of its own


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            "per_10k_base: hearings_held",
            "per_10k_base 应为以“万人”为单位的背景指标（context: true），不是 'hearings_held'",
        ),
        ("", "有 per_10k 指标，但未设置 per_10k_base（用作分母的常住人口指标）"),
    ],
)
def test_the_catalog_checks_its_population_setting(tmp_path, edit, message):
    from rolgov import catalog as catalog_mod

    text = catalog_mod.DEFAULT_CATALOG.read_text(encoding="utf-8").replace("per_10k_base: resident_population", edit)
    path = tmp_path / "metrics.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(catalog_mod.CatalogError) as error:
        catalog_mod.load(path)
    assert any(message in problem for problem in error.value.problems)


def test_a_change_that_rounds_to_nothing_is_grey_beside_its_unchanged(catalog):
    """97.80% -> 97.76% is said 持平 / unchanged at one decimal: a red down arrow beside it contradicted the words."""
    online = catalog["online_service_rate"]
    rows = pd.DataFrame(
        {"region_code": ["610700"] * 2, "year": [2024, 2025], "indicator_id": [online.id] * 2, "value": [97.80, 97.76]}
    )
    tile = analysis.tiles(rows, catalog, "610700", 2025, [online])[0]
    assert tile["delta_text"] == "持平" and (tile["delta_color"], tile["delta_arrow"]) == ("gray", "off")
    falling = rows.assign(value=[97.80, 97.70])
    tile = analysis.tiles(falling, catalog, "610700", 2025, [online])[0]
    assert tile["delta_text"] == "下降0.1个百分点" and (tile["delta_color"], tile["delta_arrow"]) == ("red", "down")


@pytest.mark.parametrize(
    ("share", "zh", "en"),
    [
        (99.6, "（目标的99.6%）", " (99.6% of target)"),  # near: never rounded up to 100%
        (99.96, "（目标的99.96%）", " (99.96% of target)"),
        (100.0, "（目标的100%）", " (100% of target)"),
        (85.3, "（目标的85%）", " (85% of target)"),
        (76650.0, "（目标的766.5倍）", " (766.5× target)"),  # beyond the chart's 150%: a multiple, as the chart says
    ],
)
def test_the_phone_list_says_the_share_of_the_target_as_the_chart_does(share, zh, en):
    assert (tables.share_text(share, "zh"), tables.share_text(share, "en")) == (zh, en)


def test_strengths_and_weaknesses_hold_rates_not_counts_that_grow_with_a_county(catalog):
    """汉台区 listed 配备法律顾问的村（社区）数 91个（低51%） as a weakness beside its 100% coverage: a plain count
    says how big a county is. Rates, per-resident counts and counts with a target are compared; others not."""
    counties = ["a", "b", "c"]
    rows = []
    for code, villages, coverage, hearings in (("a", 91, 100.0, 1), ("b", 200, 90.0, 3), ("c", 300, 80.0, 5)):
        rows += [
            (code, 2024, "villages_with_legal_adviser", float(villages)),
            (code, 2024, "village_legal_advisor_coverage", coverage),
            (code, 2024, "hearings_held", float(hearings)),
        ]
    values = pd.DataFrame(rows, columns=["region_code", "year", "indicator_id", "value"])
    wanted = [catalog[i] for i in ("villages_with_legal_adviser", "village_legal_advisor_coverage", "hearings_held")]
    strong, weak = analysis.strengths_weaknesses(values, catalog, "a", counties, 2024, wanted)
    assert strong["indicator_id"].tolist() == ["village_legal_advisor_coverage"]
    assert "villages_with_legal_adviser" not in weak["indicator_id"].tolist()
    assert not analysis.comparable(catalog["villages_with_legal_adviser"])
    assert analysis.comparable(catalog["hearings_held"])  # a count with a target every county should reach
