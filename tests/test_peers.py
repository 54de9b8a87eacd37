"""rolgov.peers on the real region reference: children and peers at every level, and a unit's standing
(rank, ties, percentile, missing peers) on real catalog indicators."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rolgov import peers as P
from rolgov import regions as R
from rolgov.geo import COUNTRY

SHAANXI_CITIES = ["西安市", "铜川市", "宝鸡市", "咸阳市", "渭南市", "延安市", "汉中市", "榆林市", "安康市", "商洛市"]


def test_children_go_one_level_down_from_the_country_to_a_county():
    assert [R.name_of(c) for c in P.children("610000", 2024)] == SHAANXI_CITIES
    assert len(P.children("610000", 2024, all_counties=True)) == 107
    assert len(P.children(COUNTRY, 2024, all_counties=True)) == 2846
    provinces = P.children(COUNTRY, 2024)
    assert "610000" in provinces and all(R.level(c) == "province" for c in provinces)
    assert len(P.children("610900", 2024)) == 10  # 安康市's county-level units
    assert P.children("610902", 2024) == ["610902"]
    assert P.child_level(COUNTRY) == "province"
    assert P.child_level("610000") == "prefecture"
    assert P.child_level("610000", all_counties=True) == "county"
    assert P.child_level("610900") == "county"


def test_a_province_with_counties_directly_under_it_compares_them_beside_its_cities():
    hainan = P.children("460000", 2024)
    levels = {R.level(c) for c in hainan}
    assert levels == {"prefecture", "county"}  # 五指山市 and the other 省直辖 units stand beside 海口市
    assert "460100" in hainan


def test_peers_are_the_same_level_under_the_same_parent():
    hanzhong = P.peers("610702", 2024)  # 汉台区: the county-level units of 汉中市
    assert "610702" in hanzhong and len(hanzhong) == 11
    assert all(P.parent(c) == "610700" for c in hanzhong)
    assert len(P.peers("610702", 2024, within="610000")) == 107  # its province's counties
    assert [R.name_of(c) for c in P.peers("610700", 2024)] == SHAANXI_CITIES
    assert len(P.peers("610000", 2024)) == len(P.children(COUNTRY, 2024))
    assert P.province_of("610702") == "610000"
    assert P.parent("610000") == COUNTRY


def test_an_old_year_uses_the_units_of_that_year():
    # 旬阳县 became 旬阳市 in 2021; both years count one unit under its canonical code
    assert "610981" in P.children("610900", 2018) and "610981" in P.children("610900", 2024)
    assert len(P.children("610900", 2018)) == 10


def test_standing_ranks_counts_ties_as_half_and_lists_the_missing(catalog):
    rate = catalog["case_file_pass_rate"]  # higher is better, compared to one decimal
    peers = ["a", "b", "c", "d", "e", "f"]
    values = pd.Series({"a": 96.31, "b": 96.34, "c": 90.0, "d": 99.0, "e": float("nan")})
    a = P.standing(values, "a", peers, rate)
    assert (a.rank, a.tied, a.of, a.better, a.level, a.worse) == (2, True, 4, 1, 1, 1)
    assert a.percentile == pytest.approx(100 * 1.5 / 3)
    assert a.share_better == pytest.approx(1 / 3)
    assert a.missing == ("e", "f")  # NaN and absent alike: missing, never zero
    top = P.standing(values, "d", peers, rate)
    assert (top.rank, top.tied, top.percentile) == (1, False, 100.0)
    bottom = P.standing(values, "c", peers, rate)
    assert (bottom.rank, bottom.percentile) == (4, 0.0)


def test_a_tie_makes_the_share_beaten_and_the_percentile_differ_and_the_sentence_says_why(catalog):
    """优于其中33%（第50百分位） read as two figures for one thing; with a tie the sentence names the tie."""
    rate = catalog["case_file_pass_rate"]
    values = pd.Series({"a": 96.31, "b": 96.34, "c": 90.0, "d": 99.0})
    tied = P.standing(values, "a", ["a", "b", "c", "d"], rate)
    assert P.standing_text(tied, rate, "甲县", "乙市", "county", "zh") == (
        "甲县 96.3%：在乙市4个有数据的县（市、区）中排名并列2，优于其中33%，与1个并列（并列按一半计，第50百分位）"
    )
    assert P.standing_text(tied, rate, "A", "B", "county", "en").endswith(
        "better than 33% of them and level with 1 (a tie counting half: percentile 50)"
    )
    alone = P.standing(values, "d", ["a", "b", "c", "d"], rate)
    assert P.standing_text(alone, rate, "丁县", "乙市", "county", "zh").endswith("排名1，优于其中100%（第100百分位）")


def test_standing_for_a_lower_is_better_indicator_turns_the_order(catalog):
    lower = next(i for i in catalog.indicators if i.direction == "lower")
    values = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0})
    best = P.standing(values, "a", ["a", "b", "c"], lower)
    assert (best.rank, best.percentile) == (1, 100.0)
    assert P.standing(values, "c", ["a", "b", "c"], lower).rank == 3


def test_a_unit_without_a_value_has_no_rank_and_alone_has_no_percentile(catalog):
    rate = catalog["case_file_pass_rate"]
    values = pd.Series({"a": 90.0})
    none = P.standing(values, "b", ["a", "b"], rate)
    assert (none.value, none.rank, none.percentile, none.missing) == (None, None, None, ("b",))
    alone = P.standing(values, "a", ["a", "b"], rate)
    assert (alone.rank, alone.of, alone.percentile, alone.share_better) == (1, 1, None, None)


def test_peer_values_take_one_year_and_indicator_and_skip_blanks():
    frame = pd.DataFrame(
        {
            "region_code": ["a", "b", "c", "a"],
            "year": [2024, 2024, 2024, 2023],
            "indicator_id": ["x", "x", "x", "x"],
            "value": [1.0, math.nan, 3.0, 9.0],
        }
    )
    assert P.peer_values(frame, ["a", "b"], 2024, "x").to_dict() == {"a": 1.0}
