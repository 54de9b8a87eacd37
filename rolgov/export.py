"""Tables to downloadable bytes: .xlsx (data, then an 'about' sheet) and CSV with BOM; formula injection
neutralised. Every exported row says what it is: year, scope, unit, whether it is sample data, and its
source line, so a file that travels on its own still cannot be mistaken for official statistics.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from rolgov import fmt
from rolgov.catalog import Catalog, Indicator
from rolgov.i18n import t

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that starts like a formula gets a leading apostrophe, so a spreadsheet shows it as text."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


@dataclass(frozen=True)
class About:
    """What an export is: its title, scope, period, source line (plain text) and whether it is sample data."""

    title: str
    scope: str
    period: str
    source: str
    sample: bool
    lang: str = "zh"
    notes: tuple[str, ...] = field(default=())

    def rows(self) -> pd.DataFrame:
        lang = self.lang
        items = [
            (t("x_title", lang), self.title),
            (t("x_scope", lang), self.scope),
            (t("x_period", lang), self.period),
            (t("x_sample", lang), t("x_yes" if self.sample else "x_no", lang)),
            (t("x_source", lang), self.source),
            *((t("x_note", lang), note) for note in self.notes),
        ]
        return pd.DataFrame(items, columns=[t("x_item", lang), t("x_content", lang)])


def stamp(frame: pd.DataFrame, about: About) -> pd.DataFrame:
    """The rows with scope, sample flag and source in columns of their own (CSV has no second sheet)."""
    lang = about.lang
    return frame.assign(
        **{
            t("x_scope", lang): about.scope,
            t("x_sample", lang): t("x_yes" if about.sample else "x_no", lang),
            t("x_source", lang): about.source,
        }
    )


def to_xlsx(frame: pd.DataFrame, sheet: str = "data", about: About | None = None) -> bytes:
    """The table on its own sheet (stamped when `about` is given), then the about sheet."""
    buffer = io.BytesIO()
    sheets = {sheet[:31]: stamp(frame, about) if about else frame}
    if about is not None:
        sheets[t("x_about_sheet", about.lang)] = about.rows()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            neutralised(table).to_excel(writer, sheet_name=name, index=False)
            worksheet = writer.sheets[name]
            for cells in worksheet.columns:
                width = max(len(str(c.value or "")) for c in cells)
                worksheet.column_dimensions[cells[0].column_letter].width = min(max(8, width * 1.8), 60)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame, about: About | None = None) -> bytes:
    """UTF-8 with BOM, so Excel in China opens it without mojibake; stamped when `about` is given."""
    table = stamp(frame, about) if about else frame
    return neutralised(table).to_csv(index=False).encode("utf-8-sig")


# ── the tidy tables pages export ─────────────────────────────────────────────────────────────
def series(
    rows: pd.DataFrame, ind: Indicator, labels: dict[str, str], lang: str, per_10k: bool = False
) -> pd.DataFrame:
    """One indicator by region and year: year, region code, region, indicator, value, unit."""
    unit = t("per_10k_unit", lang) if per_10k else ind.unit_label(lang)
    table = rows[rows["region_code"].isin(labels)].sort_values(["region_code", "year"])
    return pd.DataFrame(
        {
            t("year", lang): table["year"].astype(int),
            t("x_code", lang): table["region_code"],
            t("region", lang): table["region_code"].map(labels),
            t("indicator", lang): ind.name(lang),
            t("value", lang): table["value"].round(4 if per_10k else 6),
            t("unit", lang): unit,
        }
    )


def composite(
    scores: pd.DataFrame,
    values: pd.DataFrame,
    catalog: Catalog,
    labels: dict[str, str],
    areas: dict[str, str],
    year: int,
    lang: str,
) -> pd.DataFrame:
    """Composite and area scores with rank and change of rank, then every indicator value behind them:
    year, region code, region, kind, item, value, unit, rank, rank change (long, one row per figure)."""
    out = []
    for rec in scores.itertuples(index=False):
        base = (year, rec.region_code, labels.get(rec.region_code, rec.region_code))
        rank = fmt.number(rec.rank) if pd.notna(rec.rank) else ""
        change = "" if pd.isna(rec.rank_change) else int(rec.rank_change)
        out.append(
            (
                *base,
                t("x_kind_score", lang),
                t("composite", lang),
                round(rec.overall, 2),
                t("points", lang),
                rank,
                change,
            )
        )
        for area, name in areas.items():
            if area in scores.columns and pd.notna(getattr(rec, area)):
                score = round(getattr(rec, area), 2)
                out.append((*base, t("x_kind_area", lang), name, score, t("points", lang), "", ""))
    for rec in values[values["region_code"].isin(scores["region_code"])].itertuples(index=False):
        if rec.indicator_id not in catalog:
            continue
        ind = catalog[rec.indicator_id]
        out.append(
            (
                year,
                rec.region_code,
                labels.get(rec.region_code, rec.region_code),
                t("x_kind_value", lang),
                ind.name(lang),
                rec.value,
                ind.unit_label(lang),
                "",
                "",
            )
        )
    columns = ["year", "x_code", "region", "x_kind", "x_item", "value", "unit", "rank", "rank_change"]
    return pd.DataFrame(out, columns=[t(c, lang) for c in columns])
