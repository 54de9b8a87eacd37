"""Read data/regions.csv (China's division codes since 1981) and add each government's own level; return frames.

Two scopes never mix (the seed mixes them freely, we do not):
- 全市 (the whole city, code 610900): the city level plus all its counties, computed as a total;
- 市本级 (the city government's own departments, code 610900BJ): reported by the city itself.
The same holds for a province (610000 and 610000BJ). A county reports for the whole county.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from rolgov.catalog import ROOT

REGIONS_CSV = ROOT / "data" / "regions.csv"
OWN_LEVEL_SUFFIX = "BJ"
DEFAULT_SCOPE = os.environ.get("ROLGOV_SCOPE", "610900")
# The whole country: no code of the reference (its provinces have no parent), but a scope, a map and a
# national total (current_values' 全国 row, the sum of the provinces' totals)
COUNTRY = "000000"

LEVEL_LABELS = {
    "province": ("省", "province"),
    "prefecture": ("市", "city"),
    "county": ("县（市、区）", "county"),
    "own_level": ("本级", "own level"),
}
SCOPE_LABELS = {
    "total": ("全域合计", "whole-area total"),
    "own_level": ("本级", "own level"),
    "unit": ("县级单位", "county-level unit"),
}

_BRACKETS = re.compile(r"[\s\u3000()（）\[\]【】]")


def normalise_name(text: str) -> str:
    """Strip spaces and brackets so 安康市（市本级） and 安康市 市本级 compare equal."""
    return _BRACKETS.sub("", str(text))


def own_level_code(code: str) -> str:
    return f"{code}{OWN_LEVEL_SUFFIX}"


def is_own_level(code: str) -> bool:
    return str(code).endswith(OWN_LEVEL_SUFFIX)


_DERIVED: list = []


def derived(maxsize: int):
    """lru_cache for an answer computed from the region reference, registered so that forget() drops it
    with the reference when data/regions.csv changes (every module that keeps such answers uses this)."""

    def wrap(function):
        cached = lru_cache(maxsize=maxsize)(function)
        _DERIVED.append(cached)
        return cached

    return wrap


def forget() -> None:
    """Drop the reference and every answer derived from it (the app on an edited regions.csv)."""
    reference.cache_clear()
    _CHILDREN.clear()
    for cached in _DERIVED:
        cached.cache_clear()


@lru_cache(maxsize=4)
def reference(path: Path | str = REGIONS_CSV) -> pd.DataFrame:
    """Every code with its validity, plus a 本级 unit for each province and prefecture.

    Columns: code, name_zh, name_en, level, parent_code, valid_from, valid_to, successor_code,
    canonical_code. valid_to is the last year in use (inclusive) or NA while in use.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    parents = frame[frame["level"].isin(["province", "prefecture"])]
    own = pd.DataFrame(
        {
            "code": parents["code"] + OWN_LEVEL_SUFFIX,
            "name_zh": parents["name_zh"] + "本级",
            "name_en": parents["name_en"] + " (own level)",
            "level": "own_level",
            "parent_code": parents["code"],
            "valid_from": parents["valid_from"],
            "valid_to": parents["valid_to"],
            "successor_code": parents["successor_code"].where(
                parents["successor_code"] == "", parents["successor_code"] + OWN_LEVEL_SUFFIX
            ),
            "canonical_code": parents["canonical_code"] + OWN_LEVEL_SUFFIX,
        }
    )
    return pd.concat([frame, own], ignore_index=True)


def aliases(regions: pd.DataFrame) -> pd.DataFrame:
    """Every way a person may name a unit: code, name, parent+name, province+parent+name, 市本级 forms.

    Columns: alias (normalised), canonical_code, valid_from, valid_to. One alias may match several
    canonical codes (朝阳区 is in Beijing and in Changchun); resolution narrows by year and scope.
    """
    by_code = regions.drop_duplicates("code", keep="last").set_index("code")
    parent_name = regions["parent_code"].map(by_code["name_zh"]).fillna("")
    grand_code = regions["parent_code"].map(by_code["parent_code"]).fillna("")
    grand_name = grand_code.map(by_code["name_zh"]).fillna("")
    base = regions[["canonical_code", "valid_from", "valid_to"]]
    own = regions["level"] == "own_level"
    parent_of_own = regions["parent_code"].map(by_code["name_zh"]).fillna("")
    frames = [
        base.assign(alias=regions["code"]),
        base.assign(alias=regions["name_zh"]),
        base.assign(alias=parent_name + regions["name_zh"]),
        base.assign(alias=grand_name + parent_name + regions["name_zh"]),
        # 安康市市本级, 安康市（市本级）, 安康市级
        base[own].assign(alias=parent_of_own[own] + parent_of_own[own].str[-1] + "本级"),
        base[own].assign(alias=parent_of_own[own] + "级"),
        base[own].assign(alias=regions.loc[own, "code"].str.lower()),
    ]
    table = pd.concat(frames, ignore_index=True)
    table["alias"] = table["alias"].map(normalise_name)
    table = table[table["alias"] != ""]
    return table.drop_duplicates(["alias", "canonical_code", "valid_from"]).reset_index(drop=True)


_CHILDREN: dict[int, tuple[pd.DataFrame, dict[str, list[str]]]] = {}


def _children(regions: pd.DataFrame) -> dict[str, list[str]]:
    """{parent_code: [codes]} of a region table, kept for the last few tables asked (the reference is one
    cached frame; grouping its 20,000 rows again for each of the country's 34 provinces took seconds)."""
    kept = _CHILDREN.get(id(regions))
    if kept is None or kept[0] is not regions:
        if len(_CHILDREN) >= 4:
            _CHILDREN.clear()
        kept = _CHILDREN[id(regions)] = (regions, regions.groupby("parent_code")["code"].apply(list).to_dict())
    return kept[1]


def descendants(regions: pd.DataFrame, root: str) -> pd.DataFrame:
    """Rows (all years) of units below root, root excluded; own-level units included."""
    children = _children(regions)
    found: set[str] = set()  # a set: the country's ~20,000 codes made a list's `in` take seconds
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return regions[regions["code"].isin(found)]


def valid_in(regions: pd.DataFrame, year: int) -> pd.DataFrame:
    start_ok = regions["valid_from"].fillna(0) <= year
    end_ok = regions["valid_to"].isna() | (regions["valid_to"] >= year)
    return regions[start_ok & end_ok]


def scope_units(root: str = DEFAULT_SCOPE, year: int | None = None) -> pd.DataFrame:
    """The units a scope is made of: the root's own level and its county-level units (canonical codes),
    own levels first, then by code.

    For a province this goes down to counties and every prefecture's own level.
    """
    leaves = _leaves_below(root)
    if year is not None:
        leaves = valid_in(leaves, year)
    current = leaves[leaves["code"] == leaves["canonical_code"]]
    missing = leaves[~leaves["canonical_code"].isin(current["code"])]
    units = pd.concat([current, missing]).drop_duplicates("canonical_code")
    county_after = (units["level"] != "own_level").to_numpy()
    return units.iloc[np.lexsort((units["code"].to_numpy(dtype=str), county_after))]


@derived(maxsize=64)
def _leaves_below(root: str) -> pd.DataFrame:
    """The county-level and own-level rows (all years) below root: what scope_units filters by year. Kept,
    as each year change asks again for every province of the country."""
    below = descendants(reference(), root)
    return below[below["level"].isin(["county", "own_level"])]


@derived(maxsize=1)
def _levels() -> dict[str, str]:
    """code -> level by the latest use of each code (own-level codes included)."""
    latest = reference().sort_values("valid_from", na_position="first").drop_duplicates("code", keep="last")
    return dict(zip(latest["code"], latest["level"], strict=True))


def level(code: str) -> str | None:
    """province | prefecture | county | own_level, or None for a code the reference does not know.

    The one place that says what kind of unit a code is: pages, scoring, templates, sign-in and drafts
    all ask here rather than reading the digits (a county-level code may end in 00, a city's may not).
    """
    return _levels().get(str(code))


def is_total(code: str) -> bool:
    """A province or prefecture code: its figures are whole-area totals (全市 / 全省)."""
    return level(code) in ("province", "prefecture")


def target_level(code: str) -> str:
    """Which metrics.yml target applies (Indicator.target_for): 'county' for a county-level unit, 'province'
    for a province's or the country's total, 'city' for a city's total and any government's own level."""
    return child_target_level("province" if code == COUNTRY else level(code))


def child_target_level(child_level: str | None) -> str:
    """target_level of the units a page compares, by their level (peers.child_level, or R.level)."""
    return {"county": "county", "province": "province"}.get(child_level, "city")


@derived(maxsize=4096)  # pages label every option on every rerun; the table never changes at run time
def name_of(code: str, year: int | None = None, lang: str = "zh") -> str:
    """A unit's name as in force in `year` (following the succession), or its latest name.

    A code may have been used twice (511403 was 李渡区 in 1995-96 and is 彭山区 since 2014): the
    latest use of the code decides which unit it means.
    """
    if code == COUNTRY:
        return "全国" if lang == "zh" else "China"
    regions = reference()
    own = regions[regions["code"] == code]
    if own.empty:
        return code
    canonical = own.sort_values("valid_from").iloc[-1]["canonical_code"]
    rows = regions[regions["canonical_code"] == canonical]
    if year is not None:
        in_year = valid_in(rows, year)
        if not in_year.empty:
            rows = in_year
    row = rows.sort_values("valid_from").iloc[-1]
    return row["name_zh"] if lang == "zh" else row["name_en"]
