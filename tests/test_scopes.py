"""rolgov.scopes against the real region reference: children, peers, level names and search at every level."""

import pytest

from rolgov import regions as R
from rolgov import scopes as S


def test_a_province_has_its_cities_as_children():
    assert S.children("610000", 2025) == [
        "610100", "610200", "610300", "610400", "610500", "610600", "610700", "610800", "610900", "611000",
    ]  # fmt: skip
    assert [R.name_of(c) for c in S.children("610000", 2025)][:2] == ["西安市", "铜川市"]
    assert S.level_name("610000") == "省级"
    assert S.level_name("610000", "en") == "province"
    assert S.parent("610000") == S.COUNTRY


def test_a_municipality_has_its_districts_as_children():
    kids = S.children("110000", 2025)
    assert "110101" in kids and all(R.level(c) == "county" for c in kids)


def test_the_country_has_the_provinces():
    kids = S.children(S.COUNTRY, 2025)
    assert len(kids) == 34 and {R.level(c) for c in kids} == {"province"}
    assert kids[0] == "110000" and "610000" in kids
    assert S.level_name(S.COUNTRY) == "全国"
    assert S.parent(S.COUNTRY) is None
    assert S.peers(S.COUNTRY) == [S.COUNTRY]
    assert S.peers("610000", 2025) == kids


def test_a_city_has_its_own_level_and_counties():
    kids = S.children("610900", 2025)
    assert kids[0] == "610900BJ"
    assert len(kids) == 11 and {R.level(c) for c in kids[1:]} == {"county"}


def test_a_county_is_its_own_child_and_its_peers_are_its_citys_counties():
    assert S.children("610902", 2025) == ["610902"]
    assert S.level_name("610902") == "县级"
    assert S.parent("610902") == "610900"
    peers = S.peers("610902", 2025)
    assert peers == [c for c in S.children("610900", 2025) if c != "610900BJ"]
    assert S.peers("610900", 2025) == S.children("610000", 2025)


def test_xunyang_county_and_city_are_one_unit_across_the_rename():
    """旬阳县 (610928, to 2020) became 旬阳市 (610981, from 2021); data are stored under 610981."""
    before, after = S.children("610900", 2020), S.children("610900", 2021)
    assert "610981" in before and "610981" in after and "610928" not in before
    assert before == after
    assert R.name_of("610981", 2020) == "旬阳县" and R.name_of("610981", 2021) == "旬阳市"
    assert S.search("旬阳县") == ["610981"]
    assert S.search("610928") == ["610981"]
    assert "610981" in S.peers("610902", 2019)


def test_search_by_pinyin_initials_english_name_and_code():
    assert S.search("hanzhong")[0] == "610700"
    initials = S.search("hz")
    assert "610700" in initials and "330100" in initials  # 汉中市, 杭州市
    assert R.level(initials[0]) == "prefecture"  # cities before counties of the same initials
    assert S.search("xunyang") == ["360403", "610981"]  # 浔阳区 and 旬阳市 sound the same
    assert S.search("汉中")[0] == "610700"
    assert S.search("Ankang")[0] == "610900"
    assert S.search("610900")[0] == "610900"
    assert S.search("安康") == ["610900", "612400", "610902"]  # 安康市, 安康地区 (to 2000), 汉滨区 (安康县 once)
    assert S.search("全国") == [S.COUNTRY] and S.search("China")[0] == S.COUNTRY


def test_a_code_not_in_the_reference():
    assert S.search("999999") == []
    assert S.search("  ") == []
    assert not S.known("999999")
    with pytest.raises(ValueError) as raised:
        S.children("999999")
    assert str(raised.value) == (
        "地区代码 999999 不在区划参考表（data/regions.csv）中。 / "
        "Region code 999999 is not in the region reference (data/regions.csv)."
    )
    with pytest.raises(ValueError):
        S.level_name("999999")


def test_an_edited_region_reference_is_forgotten_with_every_answer_drawn_from_it():
    """The app calls R.forget() when data/regions.csv changes: no list of units, name or map layer
    computed from the old reference may survive it."""
    import inspect

    from rolgov import peers, queries
    from rolgov.geo import layers

    answers = [
        lambda: S.children("610000", 2025),
        lambda: S.label("610902"),
        lambda: queries.scope_codes("610900", 2025),
        lambda: queries.county_codes("610000", 2025),
        lambda: R.scope_units("610900", 2025),
        lambda: R.name_of("610902", 2025),
        lambda: layers.names(2025),
        lambda: peers.children("610000", 2025),
    ]
    for answer in answers:
        answer()
    kept = [f for f in R._DERIVED if f.cache_info().currsize]
    assert len(kept) >= 6 and R.reference.cache_info().currsize
    R.forget()
    assert [f.__name__ for f in R._DERIVED if f.cache_info().currsize] == []
    assert R.reference.cache_info().currsize == 0 and R._CHILDREN == {}
    # every cache of the reference's users is registered: none keeps its own lru_cache of region answers
    for module in (S, queries, peers, layers):
        assert "lru_cache(" not in inspect.getsource(module), module.__name__
