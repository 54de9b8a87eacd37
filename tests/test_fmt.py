"""Figures as Chinese government materials write them (rolgov/fmt.py): exact, compact (万), rounded (余), changes."""

from __future__ import annotations

import math

import pytest

from rolgov import fmt


@pytest.mark.parametrize(
    ("value", "rounded", "qualifier"),
    [
        (57, 50, "余"),  # 50余次
        (187, 180, "余"),  # two significant digits below 10,000
        (1043, 1000, "余"),
        (2087, 2000, "余"),
        (91037, 91000, "余"),  # 9.1万余
        (18379, 18000, "余"),  # 1.8万余, never 1万余 (45% too low)
        (7, 7, ""),  # under 20: written exactly
        (50, 50, ""),  # already round: no 余 ("more than" would be false)
        (2000, 2000, ""),
        (12.5, 12.5, ""),  # not a whole number: exact
    ],
)
def test_approx_rounds_down_and_says_yu_only_when_it_dropped_something(value, rounded, qualifier):
    assert fmt.approx(value) == (rounded, qualifier)


def test_approx_of_missing_is_missing():
    rounded, qualifier = fmt.approx(math.nan)
    assert math.isnan(rounded) and qualifier == ""


@pytest.mark.parametrize(
    ("indicator", "value", "text"),
    [
        ("hearings_held", 57, "50余次"),
        ("gov_info_published", 91037, "9.1万余条"),
        ("wechat_posts", 18379, "1.8万余条"),
        ("gov_info_published", 150000, "150000条"),  # already round: exact
        ("gov_info_published", 1043, "1000余条"),
        ("gov_legal_advisors", 349, "340余名"),
        ("hearings_held", 7, "7次"),
        ("village_legal_advisor_coverage", 84.35, "84.3%"),  # percentages stay exact
        ("rule_of_law_report_published", 1, "是"),
        ("hearings_held", None, "—"),
    ],
)
def test_approx_text(catalog, indicator, value, text):
    assert fmt.approx_text(catalog[indicator], value) == text


def test_exact_text_has_no_thousands_separator(catalog):
    assert fmt.exact_text(catalog["gov_info_published"], 91037) == "91037条"
    assert fmt.exact_text(catalog["village_legal_advisor_coverage"], 84.35) == "84.3%"
    assert fmt.exact_text(catalog["approval_streamlining_rate"], 42.02) == "42%"  # as the seed writes 42


@pytest.mark.parametrize(
    ("indicator", "value", "zh", "en"),
    [
        ("gov_info_published", 91037, "91,037条", "91,037 items"),  # under 100,000: in full
        ("gov_info_published", 41175, "41,175条", "41,175 items"),
        ("gov_info_published", 99_999, "99,999条", "99,999 items"),
        ("gov_info_published", 100_000, "10.00万条", "100.0k items"),  # from 100,000: 万, the same everywhere
        ("gov_info_published", 146_614, "14.66万条", "146.6k items"),  # the report figure, the tile, the profile
        ("gov_info_published", 1_520_000, "152.0万条", "1.52M items"),
        ("gov_info_published", 215_000_000, "2.15亿条", "215.00M items"),
        ("gov_legal_advisors", 349, "349名", "349 persons"),
        ("village_legal_advisor_coverage", 84.35, "84.3%", "84.3%"),
        ("village_legal_advisor_coverage", 100, "100.0%", "100.0%"),
        ("rule_of_law_report_published", 1, "是", "yes"),
        ("rule_of_law_report_published", 0, "否", "no"),
        ("hearings_held", None, "—", "—"),
        ("hearings_held", math.nan, "—", "—"),
    ],
)
def test_one_rule_for_every_figure(catalog, indicator, value, zh, en):
    ind = catalog[indicator]
    assert fmt.value(ind, value, "zh") == zh
    assert fmt.value(ind, value, "en") == en


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [(0.3512, "0.35（每万人）", "0.35 per 10,000"), (12.345, "12.3（每万人）", "12.3 per 10,000"), (None, "—", "—")],
)
def test_per_10000_keeps_decimals_and_says_per_10000_never_the_count_unit(value, zh, en):
    assert fmt.per_10k(value, "zh") == zh
    assert fmt.per_10k(value, "en") == en


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (150_000, "15万", "150k"),
        (146_614, "14.66万", "146.6k"),
        (2_000, "2,000", "2,000"),
        (0.25, "0.25", "0.25"),
        (1.5e8, "1.5亿", "150M"),
        (3, "3", "3"),
    ],
)
def test_axis_ticks_follow_the_same_rule(value, zh, en):
    assert fmt.axis_number(value, "zh") == zh
    assert fmt.axis_number(value, "en") == en


@pytest.mark.parametrize(
    ("indicator", "new", "old", "zh", "en"),
    [
        ("gov_info_published", 110, 100, "同比增长10.0%", "+10.0% on last year"),
        ("gov_info_published", 982, 1004, "同比下降2.2%", "-2.2% on last year"),
        ("gov_info_published", 100, 100, "持平", "unchanged"),  # never 同比增长0.0%
        ("gov_info_published", 100001, 100000, "持平", "unchanged"),  # +0.001 % shows as 0.0 %: unchanged
        ("village_legal_advisor_coverage", 80.0, 80.0, "持平", "unchanged"),
        ("village_legal_advisor_coverage", 84.4, 80.0, "提高4.4个百分点", "+4.4 pp"),  # rates change in points
        ("village_legal_advisor_coverage", 78.8, 80.0, "下降1.2个百分点", "-1.2 pp"),
        ("gov_info_published", 5, 0, "", ""),  # no percentage change from zero
        ("gov_info_published", 5, None, "", ""),
    ],
)
def test_change_on_last_year(catalog, indicator, new, old, zh, en):
    ind = catalog[indicator]
    assert fmt.change(ind, new, old) == zh
    assert fmt.change(ind, new, old, "en") == en


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1234567, None, "1,234,567"), (84.44, None, "84.4"), (12.0, None, "12"), (2.5, 2, "2.50"), (None, None, "—")],
)
def test_number(value, decimals, text):
    assert fmt.number(value, decimals) == text


@pytest.mark.parametrize(
    ("indicator", "value", "en"),
    [
        ("hearings_held", 1, "1 time"),  # "1 times" was written
        ("hearings_held", 3, "3 times"),
        ("normative_docs_issued", 22, "22 documents"),  # its unit_en: 件 is not "cases" for a document
        ("normative_docs_issued", 1, "1 document"),
        ("litigation_concluded", 15, "15 cases"),
        ("gov_legal_advisors", 1, "1 person"),
        ("reconsideration_received", 146614, "146.6k applications"),
    ],
)
def test_english_units_fit_the_thing_counted_and_one_is_singular(catalog, indicator, value, en):
    assert fmt.value(catalog[indicator], value, "en") == en
    assert fmt.value(catalog[indicator], value, "zh").endswith(catalog[indicator].unit)
