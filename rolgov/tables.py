"""The words and small tables pages show, from analysis frames: the overview's sentences and ranking, the county
comparison's ranking, heatmap cells and phone list, the composite table, target bullets as a list, the
counties at risk; frames in, Markdown lines or display frames (text already formatted) out.
"""

from __future__ import annotations

import re

import pandas as pd

from rolgov import fmt, scoring
from rolgov.analysis import JUDGED, counties_at_risk, county_status_summary
from rolgov.catalog import Catalog, Indicator
from rolgov.charts_status import SHARE_CAP
from rolgov.i18n import t

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$])")


def escape_markdown(text) -> str:
    """Our own labels inside Markdown: punctuation Markdown would act on is escaped (名称* stays 名称*)."""
    return _MARKDOWN.sub(r"\\\1", str(text))


# the statuses an area bar shows, worst first; monitor-only indicators count as "no target" there


def bullet_lines(rows: pd.DataFrame, lang: str) -> str:
    """The bullets as a Markdown list for phones: a status badge, the name, the value against the target
    and the share of the target. rows: the bullets frame (label, value, target, status, *_text)."""
    lines = []
    for rec in rows.itertuples(index=False):
        share = rec.value / rec.target * 100 if rec.target else float("nan")
        colour = {"met": "green", "near": "orange", "below": "red"}.get(rec.status, "gray")
        shown = "" if pd.isna(share) else share_text(share, lang)
        lines.append(
            f"- :{colour}-badge[{t(rec.status, lang)}] **{escape_markdown(rec.label)}** "
            f"{escape_markdown(rec.value_text)} / {t('target', lang)} {escape_markdown(rec.target_text)}{shown}"
        )
    return "\n".join(lines)


def share_text(share: float, lang: str) -> str:
    """（目标的99.6%） as the list says it: whole percents, but never 100% for a value short of or over its
    target (99.6% of 100% is near, not met); beyond the chart's 150% a multiple, as the chart says (目标的766.5倍)."""
    if share > SHARE_CAP * 100:
        return t("share_of_target_times", lang, times=f"{share / 100:.1f}")
    digits = 0
    while digits < 3 and f"{share:.{digits}f}" == f"{100:.{digits}f}" and share != 100:
        digits += 1
    return t("share_of_target_text", lang, share=f"{share:.{digits}f}")


def projection_text(status: str, year_met, lang: str = "zh") -> str:
    """When a target will be met on the trend, in words: '2027年', '按当前趋势无法达到', '已达标', '—'."""
    if status == "on_track":
        return t("year_option", lang, year=int(year_met))
    return t(f"projection_{status}", lang) if status in ("met", "off_track", "beyond", "too_short") else "—"


def at_risk_table(
    values: pd.DataFrame,
    catalog: Catalog,
    counties: list[str],
    year: int,
    indicators: list[Indicator],
    names: dict[str, str],
    lang: str = "zh",
    level: str = "county",
) -> pd.DataFrame:
    """Every unit at risk of missing its target (counties_at_risk), as the page shows them; level: the target's."""
    history = values[values["region_code"].isin(counties) & (values["year"] <= year)]  # filter once
    by_indicator = dict(tuple(history.groupby("indicator_id", sort=False, observed=True)))
    rows = []
    unit = "county" if level == "county" else "region"  # a province's rows are cities, the country's provinces
    for ind in [i for i in indicators if i.targets and i.direction != "monitor"]:
        at_risk = counties_at_risk(by_indicator.get(ind.id, history.iloc[:0]), catalog, counties, year, ind, level)
        star = "*" if at_risk.size and ind.target_for(level, year).is_estimate else ""
        for rec in at_risk.itertuples():
            rows.append(
                {
                    t("indicator", lang): ind.name(lang),
                    t(unit, lang): names[rec.region_code],
                    t("value", lang): fmt.value(ind, rec.value, lang),
                    t("target", lang): fmt.value(ind, rec.target, lang) + star,
                    t("trend", lang): projection_text(rec.projection_status, rec.projection_year, lang),
                }
            )
    columns = [t(k, lang) for k in ("indicator", unit, "value", "target", "trend")]
    return pd.DataFrame(rows, columns=columns)


# ── the overview's words and tables ──────────────────────────────────────────────────────────
def ranking_table(scores: pd.DataFrame, in_counties: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """The counties by composite score: rank (并列 when shared), name, score, change of rank, targets missed."""
    below = in_counties[in_counties["status"] == "below"].groupby("region_code").size()
    ranked = scores.sort_values(["rank", "region_code"])
    return pd.DataFrame(
        {
            t("rank", lang): [
                scoring.rank_text(r, d, lang) for r, d in zip(ranked["rank"], ranked["tied"], strict=True)
            ],
            t("county", lang): ranked["region_code"].map(labels),
            t("composite", lang): ranked["overall"].map(lambda v: f"{v:.1f}"),
            t("rank_change", lang): ranked["rank_change"].map(lambda v: scoring.rank_change_text(v, lang)),
            t("below_count", lang): ranked["region_code"].map(below).fillna(0).astype(int),
        }
    ).set_axis(pd.Index(ranked["region_code"].to_numpy(), name="region_code"))  # for a search by pinyin or code


# ── the county comparison's tables ───────────────────────────────────────────────────────────
def indicator_ranking(rows: pd.DataFrame, ind: Indicator, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Counties on one indicator: rank on the figures as shown (96.31 % and 96.34 % both read 96.3 %, so they
    share a place), tied, a label that says the rank ('石泉县（并列8）'), and the value text."""
    out = rows[rows["value"].notna()].copy()
    shown = out["value"].round(1 if ind.kind == "percent" else 6)
    out["rank"] = shown.rank(ascending=ind.direction == "lower", method="min").astype(int)
    out["tied"] = scoring.tied(out["rank"])
    judged = ind.direction != "monitor"  # monitor-only indicators are shown, never ranked
    out["label"] = [
        t("ranked_label", lang, name=labels[c], rank=scoring.rank_text(r, d, lang)) if judged else labels[c]
        for c, r, d in zip(out["region_code"], out["rank"], out["tied"], strict=True)
    ]
    out["tied"] &= judged
    out["text"] = out["value"].map(lambda v: fmt.value(ind, v, lang))
    return out


def heatmap_cells(cells: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Add full (the figure with its unit, for the tooltip) and text (what fits a cell: English units such
    as '5 sessions' overflow it, so the number alone) to status rows."""
    full = [fmt.value(catalog[i], v, lang) for i, v in zip(cells["indicator_id"], cells["value"], strict=True)]
    text = [
        f if lang == "zh" or catalog[i].kind in ("percent", "boolean") else fmt.axis_number(v, lang)
        for i, v, f in zip(cells["indicator_id"], cells["value"], full, strict=True)
    ]
    return cells.assign(full=full, text=text)


def county_lines(cells: pd.DataFrame, catalog: Catalog, counties: list[str], labels: dict[str, str], lang: str):
    """The heatmap as a list for phones, worst county first: counts met / near / below, then what is near or
    below, with value and target. cells: heatmap_cells() rows."""
    judged = cells[cells["status"].isin(JUDGED)]
    lines = []
    for rec in county_status_summary(judged, counties).itertuples():
        mine = judged[(judged["region_code"] == rec.region_code) & judged["status"].isin(["below", "near"])]
        missed = [
            escape_markdown(
                t(
                    "missed_item",
                    lang,
                    name=catalog[i].name(lang),
                    value=f,
                    target=fmt.value(catalog[i], g, lang),
                    star="*" if e else "",
                )
            )
            for i, f, g, e in zip(mine["indicator_id"], mine["full"], mine["target"], mine["is_estimate"], strict=True)
        ]
        head = t("county_line", lang, name=labels[rec.region_code], below=rec.below, near=rec.near, met=rec.met)
        lines.append(head + ("  \n" + t("list_separator", lang).join(missed) if missed else ""))
    return lines


def composite_table(scores: pd.DataFrame, labels: dict[str, str], areas: dict[str, str], lang: str) -> pd.DataFrame:
    """One year of scores_by_year as the page shows it: region, rank (并列), change, composite, each area."""
    ranked = scores.sort_values(["rank", "region_code"])
    return pd.DataFrame(
        {
            t("region", lang): ranked["region_code"].map(labels),
            t("rank", lang): [
                scoring.rank_text(r, d, lang) for r, d in zip(ranked["rank"], ranked["tied"], strict=True)
            ],
            t("rank_change", lang): ranked["rank_change"].map(lambda v: scoring.rank_change_text(v, lang)),
            t("composite", lang): ranked["overall"].map(lambda v: f"{v:.1f}"),
            **{name: ranked[a].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}") for a, name in areas.items()},
        }
    )


# ── many units: top and bottom, the units found, what each total is missing ─────────────────────
MANY = 25  # more units than this and a chart shows the top and bottom N and the units searched for
HEATMAP_PAGE = 12  # columns of the heatmap a desk shows with every figure legible (25 overflowed their cells)


def top_bottom(ranked: pd.DataFrame, ind: Indicator, n: int, picked: list[str], lang: str) -> pd.DataFrame:
    """indicator_ranking() rows cut to the best n, the worst n and the picked units, best first, with a row
    '… 67个单位略 …' (value NaN) where units are left out, so a chart never squeezes a hundred bars."""
    order = ranked.sort_values(["rank", "region_code"]).reset_index(drop=True)
    if len(order) <= 2 * n + len(picked):
        return order
    keep = order.index.isin(range(n)) | order.index.isin(range(len(order) - n, len(order)))
    keep |= order["region_code"].isin(picked).to_numpy()
    out, skipped = [], 0
    for index, row in order.iterrows():
        if keep[index]:
            if skipped:
                out.append(_gap_row(skipped, len(out), lang))
                skipped = 0
            out.append(row.to_dict())
        else:
            skipped += 1
    if skipped:
        out.append(_gap_row(skipped, len(out), lang))
    return pd.DataFrame(out)


def _gap_row(skipped: int, at: int, lang: str) -> dict:
    # a distinct label per gap: plotly draws rows with the same category label on one line
    return {
        "region_code": "",
        "value": float("nan"),
        "label": t("cmp_gap_row", lang, n=skipped) + "\u200b" * at,
        "text": "",
        "status": "",
        "rank": pd.NA,
        "tied": False,
    }


def marked(rows: pd.DataFrame, picked: list[str]) -> pd.DataFrame:
    """The units searched for in bold in a chart's labels (a new frame: ranked rows are shared, read-only)."""
    if not picked:
        return rows
    bold = rows["region_code"].isin(picked)
    return rows.assign(label=rows["label"].where(~bold, "<b>" + rows["label"] + "</b>"))


def missing_under(totals: list[str], unit_values: pd.Series, units_of) -> dict[str, tuple[int, int]]:
    """For each total (a city, a province): (units without a value, units) among its county-level units.
    unit_values: region_code -> value (absent or NaN: missing); units_of(code) -> its county-level units."""
    out = {}
    for code in totals:
        units = units_of(code)
        have = unit_values.reindex(units).notna().sum()
        out[code] = (int(len(units) - have), len(units))
    return out


def children_table(
    ranked: pd.DataFrame, codes: list[str], missing: dict[str, tuple[int, int]], labels: dict[str, str], lang: str
) -> pd.DataFrame:
    """The totals compared (the cities of a province, the provinces): value, rank (并列), and how many of its
    county-level units did not report, best first and the totals without a value last, never as zero."""
    by_code = ranked.set_index("region_code")
    rows = []
    for code in sorted(codes, key=lambda c: (c not in by_code.index, by_code["rank"].get(c, 0), c)):
        gone, units = missing.get(code, (0, 0))
        has = code in by_code.index
        rows.append(
            {
                t("region", lang): labels[code],
                t("value", lang): by_code.loc[code, "text"] if has else t("missing", lang),
                t("rank", lang): scoring.rank_text(by_code.loc[code, "rank"], by_code.loc[code, "tied"], lang)
                if has
                else "—",
                t("cmp_units_missing", lang): t("cmp_units_missing_cell", lang, n=gone, of=units) if units else "—",
            }
        )
    return pd.DataFrame(rows)


def attainment_summary(table: pd.DataFrame, units: list[str], labels: dict[str, str], lang: str) -> pd.DataFrame:
    """The units' attainment side by side, worst first: met, near, below and missing against their targets."""
    counts = county_status_summary(table, units)
    return pd.DataFrame(
        {
            t("region", lang): counts["region_code"].map(labels),
            t("met", lang): counts["met"],
            t("near", lang): counts["near"],
            t("below", lang): counts["below"],
            t("missing", lang): counts["missing"],
        }
    )


def total_gaps(totals: pd.Series, unit_values: pd.DataFrame, units_of, years: list[int]) -> list[tuple[int, int, int]]:
    """(year, units without a value, units) for each year a scope's total is missing while some of its units
    reported: the database gives no total until every unit has (a partial sum would mislead), and the page
    says why the line breaks. totals: year -> value; unit_values: region_code, year, value."""
    out = []
    for year in years:
        if year in totals.index and pd.notna(totals[year]):
            continue
        units = units_of(year)
        have = (
            unit_values[(unit_values["year"] == year) & unit_values["region_code"].isin(units)]["value"].notna().sum()
        )
        if 0 < have < len(units):
            out.append((year, int(len(units) - have), len(units)))
    return out
