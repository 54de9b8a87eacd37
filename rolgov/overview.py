"""The overview at every level: a scope, its compared units' statuses and composite scores in; the first
screen's sentences, the missing units, the ranking rows to show and the map's values out.

The compared units are rolgov.scopes.compared(): the provinces of the country, a province's cities, a
city's counties, a county's peers. Totals are read from the database (rolgov/current.py sums counts up
the region tree only when every unit reported and recomputes ratios from their parts); nothing here sums
or averages values. A unit without a value is missing, never zero: it has no score and no rank, and is
named as missing.
"""

from __future__ import annotations

import pandas as pd

from rolgov import analysis, scoring, tables
from rolgov import scopes as S
from rolgov.i18n import t

RANKING_ROWS = 15  # more units than this: the ranking shows the bottom (or top) ten, and a search
SHOWN_ROWS = 10
NOTE_KEYS = {"country": "overview_note_country", "province": "overview_note_province", "county": "overview_note_county"}


def unit_word(scope: str, lang: str) -> str:
    """The ranking's column heading for the compared units: 省份, 市 or 区县."""
    level = S.kind(scope)
    key = {"country": "unit_province", "province": "unit_city"}.get(level, "county")
    return t(key, lang)


def ranking_title(scope: str, year: int, lang: str, parent_name: str = "") -> str:
    level = S.kind(scope)
    if level == "country":
        return t("children_ranking_country", lang, year=year)
    if level == "province":
        return t("children_ranking_province", lang, year=year)
    if level == "county":
        return t("peer_ranking", lang, parent=parent_name, year=year)
    return t("county_ranking", lang, year=year)


def lines(
    scope: str,
    whole: pd.DataFrame,
    in_units: pd.DataFrame,
    scores: pd.DataFrame,
    labels: dict[str, str],
    name: str,
    lang: str,
) -> list[str]:
    """The first screen in words (Markdown): the scope's own targets met, near and missed (for the country,
    once every province has its totals: until then it says so); the compared units' against their own targets; and the
    units at the bottom of the composite ranking, by name, with their change of rank.

    whole, in_units: rows of analysis.statuses(); scores: one year of analysis.scores_by_year()."""
    level = S.kind(scope)
    out = []
    if level == "country" and whole.empty:
        out.append(t("no_country_total", lang))
    else:
        out.append(t("sentence_whole", lang, name=name, **analysis.status_summary(whole)))
    if len(in_units) and level in ("country", "province"):
        below = int(in_units.loc[in_units["status"] == "below", "region_code"].nunique())
        key = "sentence_children_country" if level == "country" else "sentence_children_province"
        out.append(t(key, lang, counties=below, **analysis.status_summary(in_units)))
    elif len(in_units) and level == "prefecture":
        below = int(in_units.loc[in_units["status"] == "below", "region_code"].nunique())
        out.append(t("sentence_counties", lang, counties=below, **analysis.status_summary(in_units)))
    # with one unit scored there is nobody to lag behind; with a few, at most the worse half is named
    scored = int(scores["overall"].notna().sum()) if len(scores) else 0
    laggards = analysis.lagging(scores, in_units, how_many=min(3, scored // 2))
    if len(laggards):
        named = [
            t(
                "laggard",
                lang,
                name=labels[rec.region_code],
                rank=scoring.rank_text(rec.rank, rec.tied, lang),
                change=scoring.rank_change_words(rec.rank_change, lang),
                below=rec.below,
            )
            for rec in laggards.itertuples()
        ]
        out.append(t("laggards", lang, names=t("list_separator", lang).join(named)))
    return out


def missing_units(units: list[str], scores: pd.DataFrame) -> list[str]:
    """The compared units with no composite score this year (no value at all): missing, not zero."""
    scored = set(scores.loc[scores["overall"].notna(), "region_code"]) if len(scores) else set()
    return [c for c in units if c not in scored]


def missing_note(scope: str, missing: list[str], labels: dict[str, str], year: int, lang: str, most: int = 12) -> str:
    """'3个省份暂无2025年数据，未参与排名（视为缺数据，不计为0）：台湾省；…' ('' when none is missing)."""
    if not missing:
        return ""
    names = t("list_separator", lang).join(labels[c] for c in missing[:most]) + ("…" if len(missing) > most else "")
    units = {"country": "units_provinces", "province": "units_cities"}.get(S.kind(scope), "units_counties")
    return t("children_missing", lang, n=len(missing), units=t(units, lang), year=year, names=names)


def ranking(
    scope: str, scores: pd.DataFrame, in_units: pd.DataFrame, labels: dict[str, str], lang: str
) -> pd.DataFrame:
    """The compared units by composite score (rank, name, score, change of rank, targets missed), best
    first, with the unit column named for the level (省份 / 市 / 区县)."""
    table = tables.ranking_table(scores, in_units, labels, lang)
    return table.rename(columns={t("county", lang): unit_word(scope, lang)})


def shown_rows(table: pd.DataFrame, show: str, find: str, name_column: str) -> pd.DataFrame:
    """The rows a long ranking shows: 'bottom' or 'top' SHOWN_ROWS, or 'all'; `find` keeps the rows whose
    name contains it, or whose unit (the table's index: region codes) the scope search finds by pinyin,
    initials, English name or code (hanzhong, hz, 6107), whatever `show` says, so a unit is found
    wherever it ranks."""
    if find:
        found = table.index.isin(S.search(find, limit=100_000))
        return table[table[name_column].str.contains(find.strip(), case=False, regex=False) | found]
    if show == "top":
        return table.head(SHOWN_ROWS)
    if show == "bottom":
        return table.tail(SHOWN_ROWS)
    return table


def map_values(
    choice: str, frame: pd.DataFrame, scores: pd.DataFrame, codes: list[str], year: int
) -> tuple[pd.DataFrame, pd.Series, tuple[int, int] | None]:
    """(this year's values of the units on the map, every year's values for the fixed colour range, the
    range of years) for the composite score or one indicator."""
    if choice == "composite":
        every = scores[scores["region_code"].isin(codes)]
        now = every[every["year"] == year][["region_code", "overall"]].rename(columns={"overall": "value"})
        values = every["overall"]
        years = every["year"]
    else:
        every = frame[(frame["indicator_id"] == choice) & frame["region_code"].isin(codes)]
        now = every[every["year"] == year][["region_code", "value"]]
        values, years = every["value"], every["year"]
    span = (int(years.min()), int(years.max())) if len(years) else None
    return pd.DataFrame({"region_code": codes}).merge(now, on="region_code", how="left"), values, span
