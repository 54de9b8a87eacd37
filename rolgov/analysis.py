"""Page-ready tables from current values: tiles, attainment by area, county scores, trend and gap tables.

values frames have the indicator_values columns (region_code, region_name, year, indicator_id, value,
is_sample, batch_id, ...). Everything here is plain pandas, called by pages and by tests alike.
"""

from __future__ import annotations

import pandas as pd

from rolgov import fmt, scoring
from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator


def pick(values: pd.DataFrame, region: str, year: int, indicator_id: str) -> float | None:
    hit = values[
        (values["region_code"] == region) & (values["year"] == year) & (values["indicator_id"] == indicator_id)
    ]
    return float(hit["value"].iloc[0]) if len(hit) else None


def population(values: pd.DataFrame, year: int) -> pd.Series:
    """Resident population (万人) by region for a year, falling back to the nearest earlier year."""
    pop = values[(values["indicator_id"] == "resident_population") & (values["year"] <= year)]
    return pop.sort_values("year").groupby("region_code")["value"].last()


def tiles(
    values: pd.DataFrame, catalog: Catalog, region: str, year: int, indicators: list[Indicator], lang: str = "zh"
) -> list[dict]:
    """One dict per headline indicator: value text, change on last year, attainment status and target."""
    out = []
    for ind in indicators:
        now, before = pick(values, region, year, ind.id), pick(values, region, year - 1, ind.id)
        target = ind.target_for(R.target_level(region), year)
        status, _ = scoring.attainment(ind, now, target.value if target else None)
        delta = None if now is None or before is None else now - before
        color, arrow = delta_style(ind, delta)
        out.append(
            {
                "indicator": ind,
                "value": now,
                "value_text": fmt.value(ind, now, lang, compact=True),
                "delta": delta,
                "delta_text": fmt.change(ind, now, before, lang),
                "status": status,
                "delta_color": color,
                "delta_arrow": arrow,
                "target": target,
                "gap_text": scoring.gap_text(ind, now, target.value, lang) if target and now is not None else "",
            }
        )
    return out


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


def area_status_counts(
    values: pd.DataFrame, catalog: Catalog, region: str, year: int, indicators: list[Indicator], lang: str = "zh"
) -> pd.DataFrame:
    """area_label, status, n: how many indicators with a target are met / near / below, per area."""
    ids = {i.id for i in indicators}
    rows = values[(values["region_code"] == region) & (values["year"] == year) & values["indicator_id"].isin(ids)]
    table = scoring.attainment_table(rows[["region_code", "year", "indicator_id", "value"]], catalog, lang)
    judged = table[table["status"].isin(["met", "near", "below"])]
    counts = (
        judged.assign(area=judged["indicator_id"].map(lambda i: catalog[i].area))
        .groupby(["area", "status"])
        .size()
        .rename("n")
        .reset_index()
    )
    names = {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in catalog.areas}
    order = {a.id: k for k, a in enumerate(catalog.areas)}
    counts["area_label"] = counts["area"].map(names)
    return counts.sort_values("area", key=lambda s: s.map(order)).reset_index(drop=True)


def county_scores(
    values: pd.DataFrame, catalog: Catalog, counties: list[str], year: int, indicators: list[Indicator]
) -> pd.DataFrame:
    """Composite scores (areas and overall) of the counties for one year."""
    ids = {i.id for i in indicators}
    rows = values[values["region_code"].isin(counties) & (values["year"] == year) & values["indicator_id"].isin(ids)]
    return scoring.composite_scores(
        rows[["region_code", "year", "indicator_id", "value"]], catalog, population(values, year)
    )


def scores_with_rank_change(
    values: pd.DataFrame, catalog: Catalog, counties: list[str], year: int, indicators: list[Indicator]
) -> pd.DataFrame:
    now = county_scores(values, catalog, counties, year, indicators)
    before = county_scores(values, catalog, counties, year - 1, indicators)
    if now.empty:
        return now
    return now.merge(scoring.rank_change(now, before), on="region_code", how="left")


def per_10k(values: pd.DataFrame) -> pd.DataFrame:
    """Add value_per_10k = value / resident population (万人) of the same region and year."""
    pop = values[values["indicator_id"] == "resident_population"][["region_code", "year", "value"]].rename(
        columns={"value": "population"}
    )
    out = values.merge(pop, on=["region_code", "year"], how="left")
    out["value_per_10k"] = out["value"] / out["population"].where(out["population"] > 0)
    return out


def trend_table(values: pd.DataFrame, ind: Indicator, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Wide table: one row per year, a column per region label, plus year-on-year change columns."""
    rows = values[values["indicator_id"] == ind.id]
    wide = rows.pivot_table(index="year", columns="region_code", values="value", aggfunc="first")
    wide = wide[[c for c in labels if c in wide.columns]]
    out = pd.DataFrame(index=wide.index)
    for code in wide.columns:
        label = labels[code]
        out[label] = wide[code].map(lambda v: fmt.value(ind, v, lang))
        prev = wide[code].shift(1)
        out[f"{label} {'同比' if lang == 'zh' else 'YoY'}"] = [
            fmt.change(ind, a, b, lang) for a, b in zip(wide[code], prev, strict=True)
        ]
    out.index.name = "年份" if lang == "zh" else "Year"
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


def counties_at_risk(
    values: pd.DataFrame, catalog: Catalog, counties: list[str], year: int, ind: Indicator
) -> pd.DataFrame:
    """Counties below an indicator's target whose trend does not reach it by the horizon (or within 2 years)."""
    out = []
    target = ind.target_for("county", year)
    if target is None:
        return pd.DataFrame(out, columns=["region_code", "value", "target", "projection_status", "projection_year"])
    # filter the (large) frame once, then split by county: the page calls this for every indicator
    mine = values[(values["indicator_id"] == ind.id) & (values["year"] <= year) & values["region_code"].isin(counties)]
    by_county = {code: group.set_index("year")["value"] for code, group in mine.groupby("region_code", sort=False)}
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
    rows = per_10k(values[values["region_code"].isin(counties) & (values["year"] == year)])
    rows = rows[rows["indicator_id"].isin([i.id for i in indicators if i.direction != "monitor" and i.weight > 0])]
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


def area_ranks(scores: pd.DataFrame, county: str, catalog: Catalog) -> pd.DataFrame:
    """A county's rank among counties in each area and overall."""
    out = []
    for column in [c for c in scores.columns if c != "region_code"]:
        ranked = scores.assign(rank=scoring.ranks(scores, column))
        mine = ranked[ranked["region_code"] == county]
        if mine.empty:
            continue
        out.append(
            {
                "area": column,
                "score": float(mine[column].iloc[0]),
                "rank": int(mine["rank"].iloc[0]),
                "of": int(scores[column].notna().sum()),
            }
        )
    return pd.DataFrame(out, columns=["area", "score", "rank", "of"])


def completeness(
    reported: pd.DataFrame, regions: list[str], years: list[int], indicator_ids: list[str]
) -> pd.DataFrame:
    """Region by year: share of base indicators reported (0-1) and the count missing."""
    expected = len(indicator_ids)
    counts = reported.groupby(["region_code", "year"]).size().rename("reported")
    grid = pd.MultiIndex.from_product([regions, years], names=["region_code", "year"])
    table = counts.reindex(grid, fill_value=0).reset_index()
    table["missing"] = expected - table["reported"]
    table["share"] = table["reported"] / expected if expected else 0.0
    return table
