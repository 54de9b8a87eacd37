"""A unit and those it is compared with: a scope's children, a unit's peers and where a unit stands among them on
one indicator (rank, ties, percentile, the peers without a value); region codes and current values in, codes and
a Standing out.

Levels come from rolgov.regions (never from the digits) and the tree from its parent codes, as in force in the
year asked. The whole country (rolgov.geo.COUNTRY, "000000") is no code of the reference: its children are the
provinces and its county-level units every county of China. The tree itself (parent, children, levels) is
rolgov/scopes.py's; this module says what a comparison takes from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rolgov import fmt, queries, scopes, scoring
from rolgov import regions as R
from rolgov.catalog import Indicator
from rolgov.geo import layers
from rolgov.geo.layers import COUNTRY
from rolgov.i18n import t

# how a group of units at one level is called in a sentence ("高于陕西省82%的县（市、区）")
LEVEL_NOUNS = {
    "county": ("县（市、区）", "county-level units"),
    "prefecture": ("市", "cities"),
    "province": ("省（区、市）", "provinces"),
}


def parent(code: str) -> str:
    """The unit one level up by the code's latest use (rolgov.scopes.parent): a county's city (or its province
    where it has no city), a city's province, a province's country; a 本级 unit's government. COUNTRY for
    the country and for an unknown code."""
    return (scopes.parent(code) if code != COUNTRY and scopes.known(code) else None) or COUNTRY


def province_of(code: str) -> str:
    """The province a unit lies in (the province itself for a province; COUNTRY for the country)."""
    while code != COUNTRY and R.level(code) not in ("province", None):
        code = parent(code)
    return code


def county_units(scope: str, year: int | None) -> list[str]:
    """Every county-level unit under a scope in `year` (107 for 陕西省, 2,846 for the country; a county: itself)."""
    if scope != COUNTRY and R.level(scope) == "county":
        return [scope]
    return queries.county_codes("" if scope == COUNTRY else scope, year)  # provinces hang under ""


def children(scope: str, year: int | None, all_counties: bool = False) -> list[str]:
    """The units one level down that a page compares: the country → its provinces, a province → its cities
    (and county-level units directly under it, 省直辖, which stand beside the cities), a city → its
    county-level units, a county → itself. all_counties: every county-level unit under the scope instead."""
    kind = None if scope == COUNTRY else R.level(scope)
    if all_counties or kind in ("prefecture", "county"):
        return county_units(scope, year)
    if kind is None and scope != COUNTRY:
        return []
    return [c for c in scopes.children(scope, year) if not R.is_own_level(c)]


def child_level(scope: str, all_counties: bool = False) -> str:
    """The level of children(scope): province, prefecture or county."""
    if scope == COUNTRY and not all_counties:
        return "province"
    if R.level(scope) == "province" and not all_counties:
        return "prefecture"
    return "county"


def peers(code: str, year: int | None, within: str | None = None) -> list[str]:
    """The units at the same level as `code` under the same parent (or under `within`, e.g. a county's
    province), the unit itself included: a county's sibling counties, a city's sibling cities, a
    province among all provinces."""
    kind = R.level(code)
    if kind == "county":
        return county_units(within or parent(code), year)
    if kind == "prefecture":
        return [c for c in children(within or parent(code), year) if R.level(c) == "prefecture"]
    if kind == "province":
        return children(COUNTRY, year)
    return []


# ── where a unit stands on one indicator ─────────────────────────────────────────────────────
@dataclass(frozen=True)
class Standing:
    """One unit among its peers on one indicator in one year.

    rank: 1 = best (direction-aware; the highest value for a monitor-only indicator), ties share the
    better rank. better / level / worse: how many other peers with a value it beats, equals, trails
    (figures compared as shown: 96.31 % and 96.34 % both read 96.3 %). percentile: the share of the
    other peers it beats, counting a tie as half (第N百分位, 0-100); None with no other peer.
    missing: peers without a value, never counted as zero.
    """

    code: str
    value: float | None
    rank: int | None
    tied: bool
    of: int  # peers with a value, the unit included
    better: int
    level: int
    worse: int
    percentile: float | None
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def share_better(self) -> float | None:
        """The share of the other peers with a value that this unit is strictly better than (0-1)."""
        others = self.better + self.level + self.worse
        return self.better / others if others else None


def shown(ind: Indicator, values: pd.Series) -> pd.Series:
    """Values as compared: rounded as a page shows them, so equal-looking figures tie."""
    return values.round(1 if ind.kind == "percent" else 6)


def standing(values: pd.Series, code: str, peer_codes: list[str], ind: Indicator) -> Standing:
    """Where `code` stands among `peer_codes` on `ind`. values: region_code -> value (NaN or absent: missing)."""
    mine = values.reindex(peer_codes)
    missing = tuple(c for c in peer_codes if pd.isna(mine.get(c)))
    have = shown(ind, mine.dropna())
    value = values.get(code)
    value = None if value is None or pd.isna(value) else float(value)
    if value is None or code not in have.index:
        return Standing(code, value, None, False, len(have), 0, 0, 0, None, missing)
    own, others = have[code], have.drop(code)
    sign = -1 if ind.direction == "lower" else 1
    better = int((sign * others < sign * own).sum())
    level = int((others == own).sum())
    worse = int(len(others) - better - level)
    percentile = 100 * (better + level / 2) / len(others) if len(others) else None
    return Standing(code, value, worse + 1, level > 0, len(have), better, level, worse, percentile, missing)


def peer_values(frame: pd.DataFrame, peer_codes: list[str], year: int, indicator_id: str) -> pd.Series:
    """region_code -> value of one indicator in one year for the peers (those without a value absent)."""
    rows = frame[
        (frame["year"] == year) & (frame["indicator_id"] == indicator_id) & frame["region_code"].isin(peer_codes)
    ]
    return rows.dropna(subset=["value"]).drop_duplicates("region_code").set_index("region_code")["value"]


def group_noun(level: str, lang: str) -> str:
    nouns = LEVEL_NOUNS.get(level, LEVEL_NOUNS["county"])
    return nouns[0] if lang == "zh" else nouns[1]


def within_name(scope: str, year: int | None, lang: str) -> str:
    """陕西省 / Shaanxi Province, or 全国 / China for the whole country."""
    return t("cmp_country", lang) if scope == COUNTRY else R.name_of(scope, year, lang)


def standing_text(s: Standing, ind: Indicator, name: str, within: str, level: str, lang: str) -> str:
    """'汉台区 96.3%：陕西省107个县（市、区）中排名并列8，优于其中82%（第83百分位）', or why there is no rank."""
    noun = group_noun(level, lang)
    if s.value is None:
        return t("cmp_standing_none", lang, name=name)
    value = fmt.value(ind, s.value, lang)
    if s.percentile is None:
        return t("cmp_standing_alone", lang, name=name, value=value, within=within, noun=noun)
    # with ties the share beaten and the percentile differ (a tie counts half): the sentence says why
    keys = ("cmp_standing_higher", "cmp_standing_higher_tied", "cmp_standing_better", "cmp_standing_better_tied")
    key = keys[2 * (ind.direction != "monitor") + (s.level > 0)]
    return t(
        key,
        lang,
        level=s.level,
        name=name,
        value=value,
        within=within,
        of=s.of,
        noun=noun,
        rank=scoring.rank_text(s.rank, s.tied, lang),
        share=f"{100 * s.share_better:.0f}",
        pct=f"{s.percentile:.0f}",
    )


def missing_text(missing: tuple[str, ...] | list[str], level: str, year: int | None, lang: str, shown: int = 12) -> str:
    """'3个县（市、区）无数据（不计为0）：宁陕县、岚皋县、镇坪县', the first `shown` named; '' when none."""
    if not missing:
        return ""
    names = t("cmp_name_sep", lang).join(R.name_of(c, year, lang) for c in missing[:shown])
    more = t("cmp_and_more", lang, n=len(missing)) if len(missing) > shown else ""
    return t("cmp_missing_peers", lang, n=len(missing), noun=group_noun(level, lang), names=names + more)


def labels(codes: list[str], year: int | None, lang: str) -> dict[str, str]:
    """code -> name in force in `year`; a name shared by two units in the list (朝阳区 in Beijing and in
    Changchun) gets its parent's name, so charts never merge two units into one row."""
    known = layers.names(year, lang)  # every name of the year at once: name_of filters the reference per code
    names = {c: known.get(c) or R.name_of(c, year, lang) for c in codes}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {
        c: (f"{known.get(parent(c), '')}·{n}" if lang == "zh" else f"{n} ({known.get(parent(c), '')})")
        if seen[n] > 1
        else n
        for c, n in names.items()
    }


def name_key(name: str, lang: str) -> tuple:
    """Sort key for names as a reader expects: Chinese by pinyin (安康 before 宝鸡), English by letters."""
    if lang != "zh":
        return (name.casefold(),)
    from pypinyin import lazy_pinyin  # only when names are sorted: it loads a large dictionary

    return (*lazy_pinyin(name), name)
