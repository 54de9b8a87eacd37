"""Attainment against targets, composite scores, ranks and trend projections; frames in, frames out.

No official scoring exists (the weights of the national indicator system are unpublished), so the
composite score is our own construction, stated wherever it shows:
- an indicator with a target scores min(actual / target, 1) × 100 (direction-aware: for "lower is
  better", target / actual), so meeting the target is 100 and exceeding it earns nothing more;
- an indicator without a target but with a direction scores by its percentile rank among the
  units compared (per 10,000 residents where the catalog says so, so size does not decide);
- monitor-only indicators are shown but never scored;
- an area's score is the weighted mean (metrics.yml weights) of its scored indicators; the
  overall score is the plain mean of the area scores.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.i18n import t

NEAR = 0.9  # within 10 % of the target counts as "near"
STATUS_ORDER = {"below": 0, "near": 1, "met": 2, "monitor": 3, "no_target": 4, "missing": 5}


def attainment(ind: Indicator, actual: float | None, target: float | None) -> tuple[str, float | None]:
    """(status, ratio) where status is met | near | below | monitor | no_target | missing."""
    if ind.direction == "monitor":
        return "monitor", None
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        return "missing", None
    if target is None:
        return "no_target", None
    if ind.direction == "higher":
        ratio = 1.0 if target == 0 else actual / target
    else:
        ratio = 1.0 if actual <= target else (target / actual if actual else 1.0)
    if ratio >= 1 - 1e-9:
        return "met", 1.0 if ind.direction == "lower" else ratio
    return ("near" if ratio >= NEAR else "below"), ratio


def gap(ind: Indicator, actual: float, target: float) -> float:
    """How far from the target in the indicator's own unit (positive = still to do)."""
    if ind.direction == "higher":
        return max(target - actual, 0.0)
    if ind.direction == "lower":
        return max(actual - target, 0.0)
    return 0.0


def gap_text(ind: Indicator, actual: float, target: float, lang: str = "zh") -> str:
    """'还差3场', '还差4.2个百分点', '需降低1.5个百分点', or '已达标'."""
    g = gap(ind, actual, target)
    if g <= 1e-9:
        return t("gap_met", lang)
    up = ind.direction == "higher"
    if ind.kind == "percent":
        return t("gap_points_up" if up else "gap_points_down", lang, amount=f"{g:.1f}")
    if ind.kind == "boolean":
        return t("gap_not_done", lang)
    g = math.ceil(g - 1e-9) if ind.kind == "count" else g
    amount = f"{g:,}" if ind.kind == "count" else f"{g:,.1f}"
    return t("gap_count_up" if up else "gap_count_down", lang, amount=amount, unit=ind.unit_label(lang, g))


def attainment_table(values: pd.DataFrame, catalog: Catalog, lang: str = "zh") -> pd.DataFrame:
    """values: region_code, year, indicator_id, value. Adds target, basis, status, ratio, gap, gap_text."""
    rows = []
    for rec in values.itertuples(index=False):  # one row per (region, indicator): a few hundred at most
        ind = catalog[rec.indicator_id]
        target = ind.target_for(R.target_level(rec.region_code), int(rec.year))
        target_value = target.value if target else None
        status, ratio = attainment(ind, rec.value, target_value)
        rows.append(
            {
                "target": target_value,
                "basis": target.basis if target else None,
                "is_estimate": bool(target and target.is_estimate),
                "status": status,
                "ratio": ratio,
                "gap": gap(ind, rec.value, target_value) if status in ("near", "below") else 0.0,
                "gap_text": gap_text(ind, rec.value, target_value, lang) if target and status != "missing" else "",
            }
        )
    extra = pd.DataFrame(
        rows, index=values.index, columns=["target", "basis", "is_estimate", "status", "ratio", "gap", "gap_text"]
    )
    # all-None columns would be object dtype, and pandas then refuses numbers (or an empty selection) in them
    extra = extra.astype({"target": float, "ratio": float, "gap": float})
    return pd.concat([values, extra], axis=1)


def indicator_scores(values: pd.DataFrame, catalog: Catalog, population: pd.Series | None = None) -> pd.DataFrame:
    """Score 0-100 per (region, indicator) for one year; values: region_code, year, indicator_id, value.

    population: resident population (万人) by region_code, for per-10,000 comparisons.
    """
    table = attainment_table(values, catalog)
    table["score"] = np.nan
    with_target = table["ratio"].notna()
    table.loc[with_target, "score"] = table.loc[with_target, "ratio"].clip(upper=1.0) * 100
    for indicator_id, group in table[~with_target & (table["status"] == "no_target")].groupby("indicator_id"):
        ind = catalog[indicator_id]
        if ind.weight == 0 or len(group) < 2:
            continue
        basis = group["value"].astype(float)
        if ind.per_10k and population is not None:
            basis = basis / group["region_code"].map(population).replace(0, np.nan)
        ranks = basis.rank(pct=True, ascending=ind.direction == "higher")
        table.loc[group.index, "score"] = ranks * 100
    table["weight"] = table["indicator_id"].map(lambda i: catalog[i].weight)
    table["area"] = table["indicator_id"].map(lambda i: catalog[i].area)
    return table


def composite_scores(values: pd.DataFrame, catalog: Catalog, population: pd.Series | None = None) -> pd.DataFrame:
    """Per region: one column per area (weighted mean score) and `overall` (mean of areas), 0-100."""
    scored = indicator_scores(values, catalog, population)
    scored = scored[scored["score"].notna() & (scored["weight"] > 0)]
    if scored.empty:
        return pd.DataFrame(columns=["region_code", "overall"])
    scored = scored.assign(weighted=scored["score"] * scored["weight"])
    by_area = scored.groupby(["region_code", "area"])[["weighted", "weight"]].sum()
    area_scores = (by_area["weighted"] / by_area["weight"]).unstack("area")
    order = [a.id for a in catalog.areas if a.id in area_scores.columns]
    area_scores = area_scores[order]
    area_scores["overall"] = area_scores.mean(axis=1, skipna=True)
    return area_scores.reset_index()


def ranks(scores: pd.DataFrame, column: str = "overall") -> pd.Series:
    """Rank 1 = best, ties share the better rank (two counties at 90 are both 1st, the next is 3rd)."""
    return scores[column].rank(ascending=False, method="min").astype("Int64")


def tied(rank: pd.Series) -> pd.Series:
    """True where a rank is shared with another unit, so pages can say 并列."""
    return rank.notna() & rank.duplicated(keep=False)


def rank_text(rank, is_tied: bool, lang: str = "zh") -> str:
    """'3' or '并列3' / '=3'; '—' without a rank."""
    if rank is None or pd.isna(rank):
        return "—"
    return t("rank_tied", lang, rank=int(rank)) if is_tied else str(int(rank))


def rank_change_text(change, lang: str = "zh") -> str:
    """'↑2' (moved up two places), '↓1', '持平' / 'same', '—' without last year's rank."""
    if change is None or pd.isna(change):
        return "—"
    change = int(change)
    if change == 0:
        return t("rank_same", lang)
    return f"↑{change}" if change > 0 else f"↓{-change}"


def rank_change(now: pd.DataFrame, before: pd.DataFrame, column: str = "overall") -> pd.DataFrame:
    """region_code, rank, tied (the rank is shared), rank_before, rank_change (positive = moved up)."""
    a = now[["region_code"]].assign(rank=ranks(now, column))
    a["tied"] = tied(a["rank"])
    b = (
        before[["region_code"]].assign(rank_before=ranks(before, column))
        if not before.empty
        else pd.DataFrame(columns=["region_code", "rank_before"])
    )
    out = a.merge(b, on="region_code", how="left")
    out["rank_change"] = out["rank_before"] - out["rank"]
    return out


def rank_change_words(change, lang: str = "zh") -> str:
    """'较上年上升2位' / 'up 2 on last year', '与上年持平', or '上年无排名' without last year's rank."""
    if change is None or pd.isna(change):
        return t("rank_change_new", lang)
    change = int(change)
    if change == 0:
        return t("rank_change_level", lang)
    return t("rank_change_up" if change > 0 else "rank_change_down", lang, n=abs(change))


def line_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and intercept of y on x (x not all equal): np.polyfit's answer for degree 1,
    without its SVD (a tenth of the time; the targets page fits a line for every unit and indicator)."""
    dx = x - x.mean()
    slope = float((dx * (y - y.mean())).sum() / (dx * dx).sum())
    return slope, float(y.mean() - slope * x.mean())


def projection(series: pd.Series, ind: Indicator, target: float | None, window: int = 5, horizon: int = 2035) -> dict:
    """When will the target be met on the current trend? series: value by year (index = year).

    Fits a straight line to the last `window` years. Returns {status, year, slope} where status is
    met (already), on_track (year given), off_track (trend away from target or flat), no_target,
    too_short (under three years of data), beyond (after the horizon).
    """
    series = series.dropna().sort_index()
    if target is None or ind.direction == "monitor":
        return {"status": "no_target", "year": None, "slope": None}
    if series.empty:
        return {"status": "too_short", "year": None, "slope": None}
    last_year, last = int(series.index[-1]), float(series.iloc[-1])
    status, _ = attainment(ind, last, target)
    if status == "met":
        return {"status": "met", "year": last_year, "slope": None}
    tail = series.iloc[-window:]
    if len(tail) < 3:
        return {"status": "too_short", "year": None, "slope": None}
    slope, intercept = line_fit(tail.index.to_numpy(dtype=float), tail.to_numpy(dtype=float))
    improving = slope > 1e-9 if ind.direction == "higher" else slope < -1e-9
    if not improving:
        return {"status": "off_track", "year": None, "slope": float(slope)}
    year = math.ceil((target - intercept) / slope - 1e-9)
    year = max(year, last_year + 1)
    if year > horizon:
        return {"status": "beyond", "year": None, "slope": float(slope)}
    return {"status": "on_track", "year": int(year), "slope": float(slope)}
