"""Scopes at every level: a region code (or the country, 000000) and a year in; the units pages compare out.

    children("610000", 2025)  -> 陕西省's cities (and any county-level unit directly under the province)
    children("000000", 2025)  -> the provinces
    children("610900", 2025)  -> 安康市本级 and its county-level units (旬阳市 610981 for every year since
                                 旬阳县 610928 was renamed: data are stored under canonical codes)
    peers("610902", 2025)     -> the county-level units of 安康市 (the county's own included)
    search("hz")              -> 汉中市, 杭州市 ... (Chinese name, pinyin in full or initials, English, code)

Levels come from rolgov.regions (the one owner of "what kind of unit is this code"); the country is
geo.layers.COUNTRY, which is not a code of the reference. Codes returned are canonical, as stored.
"""

from __future__ import annotations

import re

import pandas as pd

from rolgov import regions as R
from rolgov.geo.layers import COUNTRY
from rolgov.i18n import t

__all__ = [
    "COUNTRY",
    "children",
    "compared",
    "kind",
    "known",
    "label",
    "level_name",
    "offered",
    "parent",
    "peers",
    "search",
]

LEVEL_WORDS = {  # the word for a scope's level, as a heading or a ranking says it
    "country": ("全国", "country"),
    "province": ("省级", "province"),
    "prefecture": ("市级", "city"),
    "county": ("县级", "county"),
    "own_level": ("本级", "own level"),
}


def kind(scope: str) -> str | None:
    """country | province | prefecture | county | own_level; None for a code the reference does not know."""
    return "country" if scope == COUNTRY else R.level(scope)


def known(scope: str) -> bool:
    return kind(scope) is not None


def level_name(scope: str, lang: str = "zh") -> str:
    """'全国', '省级', '市级', '县级' (English: country, province, city, county) for a scope."""
    found = kind(scope)
    if found is None:
        raise ValueError(t("scope_unknown", lang, code=scope))
    return LEVEL_WORDS[found][0 if lang == "zh" else 1]


@R.derived(maxsize=1)
def _latest() -> pd.DataFrame:
    """Each code's latest row of the reference (a code used twice means its latest unit), indexed by code."""
    ref = R.reference()
    return ref.sort_values("valid_from", na_position="first").drop_duplicates("code", keep="last").set_index("code")


def parent(code: str) -> str | None:
    """The scope one level up: a county's city (or its province, for 省直辖 units and municipalities'
    districts), a 本级's government, a city's province, a province's country; None for the country."""
    if code == COUNTRY:
        return None
    if not known(code):
        raise ValueError(t("scope_unknown", "zh", code=code) + " / " + t("scope_unknown", "en", code=code))
    up = _latest().loc[code, "parent_code"]
    return up or COUNTRY


@R.derived(maxsize=512)
def _children(scope: str, year: int | None) -> tuple[str, ...]:
    level = kind(scope)
    if level is None:
        raise ValueError(t("scope_unknown", "zh", code=scope) + " / " + t("scope_unknown", "en", code=scope))
    if level in ("county", "own_level"):
        return (scope,)
    ref = R.reference()
    rows = ref[ref["valid_to"].isna()] if year is None else R.valid_in(ref, year)
    if level == "country":
        rows = rows[rows["level"] == "province"]
    elif level == "province":
        rows = rows[(rows["parent_code"] == scope) & rows["level"].isin(["prefecture", "county"])]
    else:
        rows = rows[(rows["parent_code"] == scope) & rows["level"].isin(["county", "own_level"])]
    # a renamed unit (旬阳县 -> 旬阳市) is one canonical code; the own level (本级) first, then by code
    codes = sorted(set(rows["canonical_code"]), key=lambda c: (not R.is_own_level(c), c))
    return tuple(codes)


def children(scope: str, year: int | None = None) -> list[str]:
    """The units one level down that pages compare, valid in `year` (None: today's), canonical codes.

    country -> provinces; province -> its cities and the county-level units directly under it (省直辖,
    a municipality's districts); city -> its 本级 and county-level units; a county or 本级 -> itself.
    Raises ValueError (both languages) for a code the reference does not know.
    """
    return list(_children(scope, year))


def compared(scope: str, year: int | None = None) -> list[str]:
    """The units a scope's overview ranks: the provinces of the country, a province's cities (and units
    directly under it), a city's county-level units (its 本级 is not ranked among them), and for a county
    the county-level units of its city (where it stands among its peers)."""
    level = kind(scope)
    if level in ("county", "own_level"):
        return [c for c in peers(scope, year) if kind(c) == "county"]
    return [c for c in children(scope, year) if kind(c) != "own_level"]


def peers(code: str, year: int | None = None) -> list[str]:
    """The units at the same level under the same parent, `code` included: a county's sibling units in its
    city, a city's sibling cities in its province, the provinces for a province; [COUNTRY] for the country."""
    if code == COUNTRY:
        return [COUNTRY]
    up = parent(code)
    mine = kind(code)
    same = [c for c in children(up, year) if kind(c) == mine]
    return same if code in same else sorted([*same, code])


# ── the scope selector: what is offered first, and how an option reads ───────────────────────
def offered(with_data: list[str]) -> list[str]:
    """The scopes offered without a search: the country (when a province has totals), then every
    province and city with data in code order, so that a province comes just above its cities."""
    codes = sorted({c for c in with_data if kind(c) in ("province", "prefecture")})
    return [COUNTRY, *codes] if any(kind(c) == "province" for c in codes) else codes


def label(code: str, lang: str = "zh") -> str:
    """An option's words: '陕西省'; a city '安康市' (the list puts it under its province); a county with its
    city, '安康市 汉滨区'; the country '全国'."""
    if code == COUNTRY:
        return t("map_country", lang)
    return _label(code, lang)


@R.derived(maxsize=16384)  # the sidebar labels every offered scope on every rerun (370 at national scale)
def _label(code: str, lang: str) -> str:
    name = R.name_of(code, None, lang)
    level = kind(code)
    if level is None or level == "province":
        return name
    up = parent(code)
    if level == "prefecture":  # a city's name is known across the country: listed under its province
        return name
    if up == COUNTRY:
        return name
    return f"{R.name_of(up, None, lang)} {name}" if lang == "zh" else f"{name}, {R.name_of(up, None, lang)}"


# ── search: Chinese name, pinyin (full or initials), English, code ───────────────────────────
_NOT_LETTERS = re.compile(r"[^a-z0-9]")


def _plain(text: str) -> str:
    return _NOT_LETTERS.sub("", text.lower())


@R.derived(maxsize=1)
def _index() -> pd.DataFrame:
    """One row per (unit, way of writing it): canonical code, level rank, and the keys to match.

    Every name a code has had is kept (旬阳县 finds 旬阳市); own-level units are left out (they are
    reached through their government). pypinyin takes about a second over the 5,000 names: built
    once, on the first search.
    """
    from pypinyin import Style, lazy_pinyin

    ref = R.reference()
    ref = ref[ref["level"] != "own_level"]
    names = ref["name_zh"].unique()
    full = {n: "".join(lazy_pinyin(n)) for n in names}
    initials = {n: "".join(lazy_pinyin(n, style=Style.FIRST_LETTER)) for n in names}
    rank = {"province": 0, "prefecture": 1, "county": 2}
    return pd.DataFrame(
        {
            "code": ref["canonical_code"],
            "current": ref["valid_to"].isna(),
            "rank": ref["level"].map(rank),
            "zh": ref["name_zh"],
            "pinyin": ref["name_zh"].map(full),
            "initials": ref["name_zh"].map(initials),
            "en": ref["name_en"].map(_plain),
            "raw_code": ref["code"],
        }
    )


COUNTRY_WORDS = ("全国", "中国", "quanguo", "qg", "china", "country", COUNTRY)


def search(text: str, lang: str = "zh", limit: int = 50) -> list[str]:
    """Canonical codes whose name, pinyin (汉中 = hanzhong = hz), English name or code matches `text`,
    best first: exact matches, then names starting with the text, then containing it; within each,
    provinces before cities before counties, units in use before former ones, then by code.
    The country answers to 全国 / China / 000000. Empty text or nothing found: []."""
    query = text.strip()
    if not query:
        return []
    plain = _plain(query)
    words = [w for w in COUNTRY_WORDS if query == w or (plain and w.startswith(plain) and len(plain) >= 2)]
    found = [COUNTRY] if words else []
    index = _index()
    zh = R.normalise_name(query)
    score = pd.Series(9, index=index.index)
    if plain.isdigit():
        score = score.mask(index["raw_code"].str.startswith(plain), 2).mask(index["raw_code"] == plain, 0)
    else:
        if zh:
            score = score.mask(index["zh"].str.contains(zh, regex=False), 3)
            score = score.mask(index["zh"].str.startswith(zh), 1).mask(index["zh"] == zh, 0)
        if plain:
            for column in ("pinyin", "initials", "en"):
                score = score.mask((score > 2) & index[column].str.startswith(plain), 2)
    hits = index.assign(score=score)[score < 9].sort_values(
        ["score", "rank", "current", "code"], ascending=[True, True, False, True]
    )
    for code in hits["code"]:
        if code not in found:
            found.append(code)
        if len(found) >= limit:
            break
    return found
