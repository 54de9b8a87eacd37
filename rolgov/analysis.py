"""Page-ready tables from current values: tiles, status by area, scores and ranks, laggards, trends, gaps.

values frames have the indicator_values columns (region_code, region_name, year, indicator_id, value,
is_sample, batch_id, ...). Everything here is plain pandas, called by pages and by tests alike; no
function assumes one city or ten counties: the units come in as lists of codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rolgov import fmt, scoring
from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.i18n import t

JUDGED = ("met", "near", "below")
AREA_STATUSES = ("below", "near", "met", "no_target", "missing")


def pick(values: pd.DataFrame, region: str, year: int, indicator_id: str) -> float | None:
    hit = values[
        (values["region_code"] == region) & (values["year"] == year) & (values["indicator_id"] == indicator_id)
    ]
    return float(hit["value"].iloc[0]) if len(hit) else None


def population(values: pd.DataFrame, catalog: Catalog, year: int) -> pd.Series:
    """The per_10k_base figure (resident population, 万人) by region for a year, else the latest before it."""
    if catalog.per_10k_base is None:
        return pd.Series(dtype=float)
    pop = values[(values["indicator_id"] == catalog.per_10k_base) & (values["year"] <= year)]
    return pop.sort_values("year").groupby("region_code")["value"].last()


def per_10k(values: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Add value_per_10k = value / the per_10k_base figure (万人) of the same region and year."""
    base = catalog.per_10k_base
    pop = values[values["indicator_id"] == base][["region_code", "year", "value"]] if base else values.iloc[0:0]
    pop = pop.rename(columns={"value": "population"})[["region_code", "year", "population"]]
    out = values.merge(pop, on=["region_code", "year"], how="left")
    out["value_per_10k"] = out["value"] / out["population"].where(out["population"] > 0)
    return out


# ── tiles and the status of every indicator ──────────────────────────────────────────────────
def tiles(
    values: pd.DataFrame, catalog: Catalog, region: str, year: int, indicators: list[Indicator], lang: str = "zh"
) -> list[dict]:
    """One dict per headline indicator, those with a target first (catalog order otherwise): value text,
    change on last year, attainment status, target and gap."""
    out = []
    for ind in indicators:
        now, before = pick(values, region, year, ind.id), pick(values, region, year - 1, ind.id)
        target = ind.target_for(R.target_level(region), year)
        status, _ = scoring.attainment(ind, now, target.value if target else None)
        delta = None if now is None or before is None else now - before
        # a change that rounds to nothing is said as 持平 and drawn grey, never as a red arrow beside "unchanged"
        color, arrow = delta_style(ind, 0.0 if fmt.unchanged(ind, now, before) else delta)
        out.append(
            {
                "indicator": ind,
                "value": now,
                "value_text": fmt.value(ind, now, lang),
                "delta": delta,
                "delta_text": fmt.change(ind, now, before, lang),
                "status": status,
                "delta_color": color,
                "delta_arrow": arrow,
                "target": target,
                "gap_text": scoring.gap_text(ind, now, target.value, lang) if target and now is not None else "",
            }
        )
    return sorted(out, key=lambda tile: tile["target"] is None or tile["status"] == "monitor")


def delta_style(ind: Indicator, delta: float | None) -> tuple[str, str]:
    """(colour, arrow) for a tile's change on last year: green when it improved, red when it worsened.

    The change text reads "同比下降2.2%" without a minus sign, so the arrow cannot be left to
    Streamlit (which looks for a leading "-"); monitor-only indicators and no change stay grey.
    """
    if delta is None or abs(delta) < 1e-9:
        return "gray", "off"
    arrow = "up" if delta > 0 else "down"
    if ind.direction == "monitor":
        return "gray", arrow
    better = delta > 0 if ind.direction == "higher" else delta < 0
    return ("green" if better else "red"), arrow


def statuses(
    values: pd.DataFrame, catalog: Catalog, regions: list[str], year: int, indicators: list[Indicator], lang: str = "zh"
) -> pd.DataFrame:
    """Every (region, indicator) of the year, reported or not, with its attainment status.

    Columns: region_code, year, indicator_id, area, value, is_sample, batch_id, target, is_estimate,
    status (met, near, below, monitor, no_target, missing), ratio, gap_text. Targets follow each
    region's level.
    """
    scored = [i for i in indicators if not i.context]
    ids = [i.id for i in scored]
    grid = pd.MultiIndex.from_product([regions, ids], names=["region_code", "indicator_id"]).to_frame(index=False)
    rows = values[values["region_code"].isin(regions) & (values["year"] == year) & values["indicator_id"].isin(ids)]
    kept = [c for c in ("value", "is_sample", "batch_id") if c in rows]
    grid = grid.merge(rows[["region_code", "indicator_id", *kept]], how="left").assign(year=year)
    table = scoring.attainment_table(grid[["region_code", "year", "indicator_id", "value"]], catalog, lang)
    table["area"] = table["indicator_id"].map({i.id: i.area for i in scored})
    for column in kept[1:]:  # where each figure came from, for source lines
        table[column] = grid[column]
    return table


def area_status_counts(table: pd.DataFrame, catalog: Catalog, lang: str = "zh") -> pd.DataFrame:
    """area, area_label, status, n for one region: every area with scored indicators, every status,
    zeros included, so an area where nothing is judged still shows (as "no target")."""
    shown = table.assign(status=table["status"].replace({"monitor": "no_target"}))
    counts = shown.groupby(["area", "status"]).size()
    areas = [a for a in catalog.areas if a.id in set(shown["area"])]
    full = pd.MultiIndex.from_product([[a.id for a in areas], AREA_STATUSES], names=["area", "status"])
    out = counts.reindex(full, fill_value=0).rename("n").reset_index()
    names = {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in areas}
    out["area_label"] = out["area"].map(names)
    return out


def status_summary(table: pd.DataFrame) -> dict[str, int]:
    """How many of a region's indicators are met, near, below; how many have a target; and missing."""
    counted = table["status"].value_counts()
    out = {s: int(counted.get(s, 0)) for s in (*JUDGED, "no_target", "monitor", "missing")}
    out["judged"] = out["met"] + out["near"] + out["below"]
    return out


def county_status_summary(table: pd.DataFrame, counties: list[str]) -> pd.DataFrame:
    """Per county: met, near, below counts against county targets, worst first (most below, then near);
    missing: indicators with a target the unit has no value for (never counted as below)."""
    judged = table[table["region_code"].isin(counties) & table["status"].isin(JUDGED)]
    counts = judged.groupby(["region_code", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=counties, columns=list(JUDGED), fill_value=0)
    gone = table[table["region_code"].isin(counties) & (table["status"] == "missing") & table["target"].notna()]
    counts["missing"] = gone.groupby("region_code").size().reindex(counties, fill_value=0)
    counts = counts.reset_index()
    return counts.sort_values(["below", "near"], ascending=False, kind="stable").reset_index(drop=True)


# ── composite scores, ranks and the counties that lag ────────────────────────────────────────
def county_scores(
    values: pd.DataFrame, catalog: Catalog, counties: list[str], year: int, indicators: list[Indicator]
) -> pd.DataFrame:
    """Composite scores (areas and overall) of the counties for one year."""
    ids = {i.id for i in indicators}
    rows = values[values["region_code"].isin(counties) & (values["year"] == year) & values["indicator_id"].isin(ids)]
    return scoring.composite_scores(
        rows[["region_code", "year", "indicator_id", "value"]], catalog, population(values, catalog, year)
    )


def scores_by_year(
    values: pd.DataFrame, catalog: Catalog, counties: list[str], indicators: list[Indicator]
) -> pd.DataFrame:
    """Composite scores of the counties in every year, with rank, tied and change of rank on the year
    before: one table the map's fixed colour range, the rankings and the laggards all read."""
    frames, before = [], pd.DataFrame(columns=["region_code", "overall"])
    for year in sorted(values["year"].unique()):
        now = county_scores(values, catalog, counties, int(year), indicators)
        if now.empty:
            before = now
            continue
        ranked = now.merge(scoring.rank_change(now, before), on="region_code", how="left")
        frames.append(ranked.assign(year=int(year)))
        before = now
    if not frames:
        return pd.DataFrame(columns=["region_code", "year", "overall", "rank", "tied", "rank_before", "rank_change"])
    return pd.concat(frames, ignore_index=True)


def lagging(scores: pd.DataFrame, statuses_table: pd.DataFrame, how_many: int = 3) -> pd.DataFrame:
    """The counties at the bottom of the composite ranking, worst first, with their rank change and how
    many indicators miss the county target. scores: one year of scores_by_year."""
    if scores.empty:
        return scores.assign(below=pd.Series(dtype=int))
    below = statuses_table[statuses_table["status"] == "below"].groupby("region_code").size()
    worst = scores.sort_values(["rank", "overall"], ascending=[False, True]).head(how_many)
    return worst.assign(below=worst["region_code"].map(below).fillna(0).astype(int)).reset_index(drop=True)


def area_ranks(scores: pd.DataFrame, county: str) -> pd.DataFrame:
    """A county's rank among counties in each area and overall, and whether the rank is shared."""
    out = []
    bookkeeping = ("region_code", "year", "rank", "tied", "rank_before", "rank_change")
    for column in [c for c in scores.columns if c not in bookkeeping]:
        ranked = scores.assign(rank=scoring.ranks(scores, column))
        mine = ranked[ranked["region_code"] == county]
        if mine.empty or pd.isna(mine[column].iloc[0]):
            continue
        out.append(
            {
                "area": column,
                "score": float(mine[column].iloc[0]),
                "rank": int(mine["rank"].iloc[0]),
                "tied": bool(scoring.tied(ranked["rank"])[mine.index[0]]),
                "of": int(scores[column].notna().sum()),
            }
        )
    return pd.DataFrame(out, columns=["area", "score", "rank", "tied", "of"])


# ── trends and gaps ──────────────────────────────────────────────────────────────────────────
def trend_table(
    values: pd.DataFrame, ind: Indicator, labels: dict[str, str], lang: str = "zh", per_10k_view: bool = False
) -> pd.DataFrame:
    """Wide table: one row per year, a column per region label, plus year-on-year change columns.

    values: rows of the indicator with `value` (per 10,000 residents already, when per_10k_view).
    """
    rows = values[values["indicator_id"] == ind.id]
    wide = rows.pivot_table(index="year", columns="region_code", values="value", aggfunc="first")
    wide = wide[[c for c in labels if c in wide.columns]]
    out = pd.DataFrame(index=wide.index)
    show = (lambda v: fmt.per_10k(v, lang)) if per_10k_view else (lambda v: fmt.value(ind, v, lang))
    for code in wide.columns:
        label = labels[code]
        out[label] = wide[code].map(show)
        prev = wide[code].shift(1)
        out[t("yoy_column", lang, region=label)] = [
            fmt.change(ind, a, b, lang) for a, b in zip(wide[code], prev, strict=True)
        ]
    out.index.name = t("year", lang)
    return out.reset_index()


def gaps(
    values: pd.DataFrame, catalog: Catalog, region: str, year: int, indicators: list[Indicator], lang: str = "zh"
) -> pd.DataFrame:
    """Indicators with a target for one region and year, worst first, with gap text and projection."""
    ids = [i.id for i in indicators if i.targets]
    rows = values[(values["region_code"] == region) & (values["year"] == year) & values["indicator_id"].isin(ids)]
    table = scoring.attainment_table(rows[["region_code", "year", "indicator_id", "value"]], catalog, lang)
    table = table[table["target"].notna()].copy()
    history = values[(values["region_code"] == region) & (values["year"] <= year)]
    projections = []
    for rec in table.itertuples():
        series = history[history["indicator_id"] == rec.indicator_id].set_index("year")["value"]
        projections.append(scoring.projection(series, catalog[rec.indicator_id], rec.target))
    table["projection_status"] = [p["status"] for p in projections]
    table["projection_year"] = [p["year"] for p in projections]
    table["severity"] = 1 - table["ratio"].fillna(1).clip(upper=1)
    table["status_rank"] = table["status"].map(scoring.STATUS_ORDER)
    return table.sort_values(["status_rank", "severity"], ascending=[True, False]).reset_index(drop=True)


def total_level_count(ind: Indicator, region: str) -> bool:
    """A summed count (or amount) judged at a whole-area total against the city target: the target is
    what the city government itself should do, while the total adds every county (119 drills against
    2次*). Pages note this wherever such a row shows. A province's or the country's total has no count
    target at all (Indicator.target_for)."""
    return R.level(region) == "prefecture" and ind.kind in ("count", "amount") and ind.aggregate == "sum"


def series_by_region(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """{region_code: value by year} of one indicator's rows. Split on sorted arrays: a pandas groupby with a
    set_index per group cost 25 ms an indicator at a province's or the country's units."""
    rows = rows.sort_values(["region_code", "year"])
    codes = rows["region_code"].to_numpy(dtype=object)
    years = rows["year"].to_numpy()
    numbers = rows["value"].to_numpy(dtype=float, na_value=np.nan)
    cuts = [0, *(np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist(), len(codes)]
    return {
        codes[a]: pd.Series(numbers[a:b], index=pd.Index(years[a:b], name="year"), name="value")
        for a, b in zip(cuts[:-1], cuts[1:], strict=True)
        if b > a
    }


def counties_at_risk(
    values: pd.DataFrame, catalog: Catalog, counties: list[str], year: int, ind: Indicator, level: str = "county"
) -> pd.DataFrame:
    """Units below an indicator's target whose trend does not reach it by the horizon (or within 2 years).
    level: which target applies, 'county' for county-level units, 'city' for the cities of a province."""
    out = []
    target = ind.target_for(level, year)
    if target is None:
        return pd.DataFrame(out, columns=["region_code", "value", "target", "projection_status", "projection_year"])
    # filter the (large) frame once, then split by county: the page calls this for every indicator
    mine = values[(values["indicator_id"] == ind.id) & (values["year"] <= year) & values["region_code"].isin(counties)]
    by_county = series_by_region(mine)
    for code in counties:
        series = by_county.get(code)
        if series is None or year not in series.index:
            continue
        status, _ = scoring.attainment(ind, float(series.loc[year]), target.value)
        if status in ("met", "monitor"):
            continue
        proj = scoring.projection(series, ind, target.value)
        if proj["status"] in ("off_track", "beyond", "too_short") or (proj["year"] or 0) > year + 2:
            out.append(
                {
                    "region_code": code,
                    "value": float(series.loc[year]),
                    "target": target.value,
                    "projection_status": proj["status"],
                    "projection_year": proj["year"],
                }
            )
    return pd.DataFrame(out, columns=["region_code", "value", "target", "projection_status", "projection_year"])


def comparable(ind: Indicator) -> bool:
    """Whether units of different sizes can be held against each other on it: a rate, a yes/no, a count per
    10,000 residents or a count with a target every unit should reach (召开听证会2次). A plain count grows
    with the unit (配备法律顾问的村（社区）数 91个 is no weakness beside a 100% coverage rate)."""
    return ind.weight > 0 and (ind.kind in ("percent", "boolean") or ind.per_10k or bool(ind.targets))


def strengths_weaknesses(
    values: pd.DataFrame,
    catalog: Catalog,
    county: str,
    counties: list[str],
    year: int,
    indicators: list[Indicator],
    top: int = 5,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A county against the county average, direction-aware, per 10,000 residents where it makes sense.

    Returns (strengths, weaknesses), each with indicator_id, value, mine (the compared figure),
    average, difference (mine - average), relative (difference / average), standing and per_10k.
    Rows are ordered by standing: how many standard deviations across counties the county is
    better (+) or worse (-) than the average. Ranking by the relative difference instead would put
    rates near zero first (1.4 % against 11.1 % is "-700 %"), whatever their weight.
    """
    rows = per_10k(values[values["region_code"].isin(counties) & (values["year"] == year)], catalog)
    rows = rows[rows["indicator_id"].isin([i.id for i in indicators if i.direction != "monitor" and comparable(i)])]
    out = []
    for indicator_id, group in rows.groupby("indicator_id"):
        ind = catalog[indicator_id]
        column = "value_per_10k" if ind.per_10k else "value"
        mine = group.loc[group["region_code"] == county, column]
        average, spread = group[column].mean(), group[column].std(ddof=0)
        if mine.empty or pd.isna(mine.iloc[0]) or pd.isna(spread) or spread < 1e-9:
            continue  # no figure, or every county the same: neither a strength nor a weakness
        difference = float(mine.iloc[0] - average)
        standing = difference / spread * (-1 if ind.direction == "lower" else 1)
        out.append(
            {
                "indicator_id": indicator_id,
                "value": group.loc[group["region_code"] == county, "value"].iloc[0],
                "mine": float(mine.iloc[0]),
                "average": float(average),
                "difference": difference,
                "relative": difference / abs(average) if average else float("nan"),
                "standing": standing,
                "per_10k": ind.per_10k,
            }
        )
    columns = ["indicator_id", "value", "mine", "average", "difference", "relative", "standing", "per_10k"]
    table = pd.DataFrame(out, columns=columns).sort_values("standing", ascending=False)
    strong = table[table["standing"] > 0].head(top)  # a strength is better than average, never merely the least bad
    weak = table[table["standing"] < 0].tail(top).iloc[::-1]
    return strong.reset_index(drop=True), weak.reset_index(drop=True)


# ── completeness ─────────────────────────────────────────────────────────────────────────────
def applies(ind: Indicator, code: str) -> bool:
    """Whether a unit is expected to report an indicator: a government's own level (市本级) does not
    report what metrics.yml marks own_level: false (villages, population)."""
    return ind.own_level or R.level(code) != "own_level"


def completeness(
    reported: pd.DataFrame, regions: list[str], years: list[int], indicators: list[Indicator]
) -> pd.DataFrame:
    """Region by year: expected (applicable) base indicators, reported, missing, share (0-1) and
    not_applicable (what the region's level does not report)."""
    expected = {code: sum(applies(i, code) for i in indicators) for code in regions}
    # on whole columns: the country's hundreds of thousands of reported values, checked one by one, took seconds
    own_units = [c for c in regions if R.level(c) == "own_level"]
    not_at_own = [i.id for i in indicators if not i.own_level]
    mask = (
        reported["region_code"].isin(regions)
        & reported["indicator_id"].isin([i.id for i in indicators])
        & ~(reported["region_code"].isin(own_units) & reported["indicator_id"].isin(not_at_own))
    )
    counts = reported[mask].groupby(["region_code", "year"]).size().rename("reported")
    grid = pd.MultiIndex.from_product([regions, years], names=["region_code", "year"])
    table = counts.reindex(grid, fill_value=0).reset_index()
    table["expected"] = table["region_code"].map(expected)
    table["missing"] = table["expected"] - table["reported"]
    table["not_applicable"] = len(indicators) - table["expected"]
    table["share"] = (table["reported"] / table["expected"].where(table["expected"] > 0)).fillna(0.0)
    return table


def completeness_by_year(table: pd.DataFrame) -> pd.DataFrame:
    """Per year of a completeness() table: units, units that reported anything, units that reported all
    they should (the counts a province's completeness page opens with)."""
    grouped = table.assign(any=table["reported"] > 0, complete=table["missing"] <= 0).groupby("year")
    out = grouped.agg(units=("region_code", "size"), reported=("any", "sum"), complete=("complete", "sum"))
    return out.reset_index().astype(int)


def reporting_status(ind: Indicator, code: str, reported_ids: set[str]) -> str:
    """reported | missing | not_applicable, for the completeness detail table."""
    if not applies(ind, code):
        return "not_applicable"
    return "reported" if ind.id in reported_ids else "missing"
