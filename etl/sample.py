"""Seeded SAMPLE figures for 安康市 2016–2025 (in: a seed and metrics.yml; out: the sample_* files in data/sample/).

Invented, not official statistics, except that the 2017 city figures agree with the seed document
(see data/sample/README.md). File names start with `sample_`, which marks the batches as sample data.
Regenerate with `python -m etl.sample`.
"""

from __future__ import annotations

import csv
import shutil
import zlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from etl import read_workbook as workbook
from etl.template import indicators_for, write_template
from rolgov import catalog as catalog_mod
from rolgov import regions as R
from rolgov.catalog import ROOT, Catalog

SEED = 2017
OUT_DIR = ROOT / "data" / "sample"
YEARS = np.arange(2016, 2026)
CITY, OWN_LEVEL = "610900", "610900BJ"
NOTE = "示例数据（非官方统计）"

# 万人, around the 2020 census; 汉滨区 grows 0.3% a year, the others shrink 0.8%.
POPULATION_2020 = {
    "610902": 87.2,
    "610921": 25.1,
    "610922": 15.3,
    "610923": 5.9,
    "610924": 27.6,
    "610925": 14.8,
    "610926": 18.9,
    "610927": 4.9,
    "610981": 38.2,
    "610929": 16.1,
}
POPULATION_TREND = {"610902": 0.003}
COUNTIES = list(POPULATION_2020)
UNITS = [*COUNTIES, OWN_LEVEL]  # row order of every array; the last row is 市本级
SHIQUAN, NINGSHAN, ZIYANG, ZHENPING, BAIHE = "610922", "610923", "610924", "610927", "610929"
# The city's own level reports neither what metrics.yml marks `own_level: false` (villages, population)
# nor whole-city figures (`aggregate: none`: the survey and the annual report), which 610900 reports.
NOT_FOR_OWN_LEVEL = tuple(i.id for i in catalog_mod.load().base if not i.own_level or i.aggregate == "none")

# Counts: (level for a unit of 20万 residents in 2016, elasticity to size, yearly growth).
COUNTS = {
    "certification_items_reviewed": (60, 0.3, -0.03),
    "normative_docs_issued": (14, 0.5, -0.02),
    "major_decisions_listed": (6, 0.4, 0.05),
    "hearings_held": (2.2, 0.4, 0.03),
    "public_comments_received": (100, 0.6, 0.06),
    "gov_legal_advisors": (29, 0.6, 0.07),
    "enforcement_officers_total": (420, 0.8, 0.01),
    "licensing_decisions": (5200, 1.0, 0.04),
    "penalty_decisions": (950, 1.0, 0.03),
    "coercion_decisions": (28, 0.9, -0.02),
    "major_enforcement_decisions": (24, 0.7, 0.06),
    "case_files_reviewed": (110, 0.6, 0.04),
    "emergency_drills": (5, 0.5, 0.08),
    "reconsideration_received": (16, 0.9, 0.05),
    "litigation_concluded": (14, 0.9, 0.05),
    "mediation_cases": (1300, 0.9, 0.0),
    "gov_info_published": (5750, 1.0, 0.06),
    "wechat_posts": (1180, 0.8, 0.18),
    "weibo_posts": (531, 0.8, 0.02),
    "press_conferences": (10.3, 0.5, 0.04),
    "info_access_points": (84, 0.7, 0.03),
    "disclosure_requests_new": (15, 0.9, 0.09),
    "disclosure_disputes": (1.0, 0.9, 0.06),
    "public_commitment_tasks": (380, 0.5, 0.03),
    "accountability_reminders": (5, 0.7, 0.04),
    "meeting_observers": (81, 0.5, 0.04),
    "services_total": (850, 0.2, 0.04),
    "exec_meeting_law_studies": (4.2, 0.2, 0.06),
    "plenary_law_studies": (2.2, 0.0, 0.0),
}
OWN_LEVEL_SIZE = 40.0  # 市本级 counts like a unit of 40万 residents, except for these 2016 levels:
OWN_LEVEL_LEVELS = {
    "public_commitment_tasks": 1250,
    "certification_items_reviewed": 140,
    "gov_legal_advisors": 6,
    "exec_meeting_law_studies": 5,
    "plenary_law_studies": 3,
    "mediation_cases": 60,
    "info_access_points": 25,
    "accountability_reminders": 20,
}
YEAR_SHOCKS = {
    "hearings_held": {2020: 0.5},
    "press_conferences": {2020: 0.6, 2021: 0.85},
    "meeting_observers": {2020: 0.4, 2021: 0.8},
    "public_comments_received": {2020: 0.8},
}
UNIT_BOOSTS = {("gov_legal_advisors", SHIQUAN): 1.7}  # 石泉 is the seed's example for legal advisers

# Pre-reform stocks (level, elasticity), then the share of the stock streamlined or retained each year
# (steps in reform years) and how far 镇坪县 lags behind that share.
STOCKS = {"approval_items_before": (240, 0.2), "intermediary_services_before": (55, 0.2)}
STEPS = {
    "approval_items_streamlined": (
        "approval_items_before",
        [0.30, 0.42, 0.47, 0.50, 0.53, 0.55, 0.57, 0.58, 0.59, 0.60],
        -0.08,
    ),
    "intermediary_services_retained": (
        "intermediary_services_before",
        [0.64, 0.536, 0.50, 0.47, 0.45, 0.43, 0.42, 0.41, 0.40, 0.40],
        +0.08,
    ),
}

# Parts of a whole: (whole, share in 2016, share reached in full_year, full_year, years behind per unit).
LAG_REVIEW = {ZHENPING: 3, NINGSHAN: 2}
SHARES = {
    "certification_items_cancelled": ("certification_items_reviewed", 0.06, 0.2, 2019, {}),
    "normative_docs_reviewed": ("normative_docs_issued", 0.85, 1.0, 2019, LAG_REVIEW),
    "normative_docs_filed_on_time": ("normative_docs_issued", 0.82, 1.0, 2020, LAG_REVIEW),
    "major_decisions_legality_reviewed": ("major_decisions_listed", 0.75, 1.0, 2019, LAG_REVIEW),
    "public_comments_adopted": ("public_comments_received", 0.35, 0.45, 2025, {}),
    "villages_with_legal_adviser": ("villages_total", 0.55, 1.0, 2019, {ZHENPING: 3, NINGSHAN: 3, SHIQUAN: -1}),
    "enforcement_officers_certified": ("enforcement_officers_total", 0.9, 1.0, 2021, {}),
    "major_enforcement_reviewed": ("major_enforcement_decisions", 0.8, 1.0, 2021, LAG_REVIEW),
    "case_files_passed": ("case_files_reviewed", 0.84, 0.97, 2022, {}),
    "reconsideration_concluded": ("reconsideration_received", 0.9, 0.97, 2020, {}),
    "reconsideration_corrected": ("reconsideration_concluded", 0.12, 0.08, 2025, {}),
    "litigation_lost": ("litigation_concluded", 0.07, 0.03, 2025, {}),
    "court_cases_heard": ("litigation_concluded", 0.7, 0.85, 2025, {}),
    "court_cases_head_appeared": ("court_cases_heard", 0.4, 1.0, 2023, LAG_REVIEW),
    "mediation_resolved": ("mediation_cases", 0.94, 0.985, 2025, {}),
    "disclosure_requests_concluded": ("disclosure_requests_new", 0.92, 0.98, 2020, {}),
    "disclosure_requests_granted": ("disclosure_requests_concluded", 0.55, 0.7, 2025, {}),
    "disclosure_disputes_corrected": ("disclosure_disputes", 0.15, 0.08, 2025, {}),
    "services_online": ("services_total", 0.6, 0.99, 2021, {ZIYANG: 2}),
    "accountability_admonitions": ("accountability_reminders", 0.22, 0.22, 2025, {}),
}
STEADY_SHARES = {"villages_with_legal_adviser", "enforcement_officers_certified"}  # stocks: no random ups and downs
EXTRA_SHARE = {("litigation_lost", BAIHE): ({2018, 2019, 2020}, 0.13)}  # one county loses too many lawsuits

# Villages (communities) before the 2020 merger of villages, which removed about a fifth.
VILLAGES_2016 = {
    "610902": 468,
    "610921": 158,
    "610922": 147,
    "610923": 76,
    "610924": 197,
    "610925": 132,
    "610926": 150,
    "610927": 62,
    "610981": 318,
    "610929": 122,
}
REPORT_NOT_PUBLISHED = {(NINGSHAN, 2016), (ZHENPING, 2017)}

# Agreement with the seed document (全市 = 本级 + every county, summed by the database).
CITY_TOTALS_2017 = {
    "gov_info_published": 91037,
    "wechat_posts": 18379,
    "weibo_posts": 7935,
    "press_conferences": 124,
    "info_access_points": 1075,
    "gov_legal_advisors": 349,
}
CITY_RANGES = {
    "disclosure_requests_new": ((2017,), 200, 209),
    "hearings_held": ((2017, 2018), 50, 59),
    "public_comments_adopted": ((2017, 2018), 1000, 1099),
    "meeting_observers": ((2017, 2018), 2000, 2099),
}
OWN_LEVEL_PINS = {
    ("gov_legal_advisors", 2017): 7,
    ("approval_items_streamlined", 2017): 216,
    ("intermediary_services_retained", 2017): 52,
    ("public_commitment_tasks", 2017): 1340,
    ("certification_items_reviewed", 2017): 136,
    ("certification_items_cancelled", 2017): 11,
    ("exec_meeting_law_studies", 2017): 5,
    ("exec_meeting_law_studies", 2018): 5,
    ("plenary_law_studies", 2017): 3,
    ("plenary_law_studies", 2018): 3,
}
OWN_LEVEL_STOCKS = {"approval_items_before": 514, "intermediary_services_before": 97}
SHIQUAN_VILLAGES_2017 = (147, 124)  # 124 / 147 = 84.4%
CITY_SATISFACTION_2024 = 91.99


def split_total(weights, total) -> np.ndarray:
    """Whole numbers in proportion to weights that add up to total exactly (largest remainder)."""
    weights, total = np.maximum(np.asarray(weights, dtype=float), 1e-9), int(total)
    exact = weights / weights.sum() * total
    whole = np.floor(exact).astype(int)
    whole[np.argsort(-(exact - whole), kind="stable")[: total - whole.sum()]] += 1
    return whole


def code_in_year(code: str, year: int) -> str:
    """旬阳 is 610928 旬阳县 until 2020 and 610981 旬阳市 from 2021."""
    return "610928" if code == "610981" and year <= 2020 else code


def random_for(seed: int, name: str) -> np.random.Generator:
    """One random stream per indicator, so tuning one indicator leaves the others as they were."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def _fit_city(table: dict) -> None:
    """Make the 全市 totals agree with the seed, keeping each county's share (本级 stays as it is)."""
    fits = [(ind, [2017], [total]) for ind, total in CITY_TOTALS_2017.items()]
    for ind, (years, low, high) in CITY_RANGES.items():
        if ind in table:
            natural = table[ind][:, [y - 2016 for y in years]].sum(axis=0)
            fits.append((ind, years, split_total(natural, np.clip(natural.sum(), low + 2, high - 2))))
    for ind, years, totals in fits:
        for year, total in zip(years, totals, strict=True):
            values = table[ind][:, year - 2016]
            values[:-1] = split_total(values[:-1], total - values[-1])


def _counts(seed: int, table: dict) -> None:
    size = np.array([POPULATION_2020.get(u, OWN_LEVEL_SIZE) for u in UNITS])
    for ind, (level, elasticity, growth) in COUNTS.items():
        rng = random_for(seed, ind)
        level_2016 = level * (size / 20) ** elasticity * np.array([UNIT_BOOSTS.get((ind, u), 1.0) for u in UNITS])
        level_2016[-1] = OWN_LEVEL_LEVELS.get(ind, level_2016[-1])
        shock = np.array([YEAR_SHOCKS.get(ind, {}).get(int(y), 1.0) for y in YEARS])
        mean = (
            level_2016[:, None]
            * ((1 + growth) ** (YEARS - 2016) * shock)
            * rng.lognormal(0, 0.15, (len(UNITS), 1))
            * rng.lognormal(0, 0.08, (len(UNITS), len(YEARS)))
        )
        table[ind] = np.where(mean < 10, rng.poisson(mean), np.round(mean)).astype(float)  # rare events vary more
    for ind, (level, elasticity) in STOCKS.items():
        stock = np.round(level * (size / 20) ** elasticity * random_for(seed, ind).lognormal(0, 0.12, len(UNITS)))
        stock[-1] = OWN_LEVEL_STOCKS[ind]
        table[ind] = np.repeat(stock[:, None], len(YEARS), axis=1)
    for ind, (whole, shares, zhenping_lag) in STEPS.items():
        offset = random_for(seed, ind).normal(0, 0.04, (len(UNITS), 1)) * np.array([[u != OWN_LEVEL] for u in UNITS])
        offset[COUNTIES.index(ZHENPING)] += zhenping_lag
        table[ind] = np.round(table[whole] * np.clip(np.array(shares)[None, :] + offset, 0, 1))


def _parts(seed: int, table: dict) -> None:
    for ind, (whole, start, end, full_year, lags) in SHARES.items():
        rng = random_for(seed, ind)
        lag = np.array([lags.get(u, 0) for u in UNITS]) + rng.uniform(-0.8, 0.8, len(UNITS))  # some a bit faster
        share = start + (end - start) * np.clip((YEARS - 2016 - lag[:, None]) / (full_year - 2016), 0, 1)
        for (extra_ind, unit), (years, extra) in EXTRA_SHARE.items():
            if extra_ind == ind:
                share[UNITS.index(unit), np.isin(YEARS, list(years))] += extra
        wholes, share = np.nan_to_num(table[whole]).astype(int), np.clip(share, 0, 1)
        table[ind] = (np.round(wholes * share) if ind in STEADY_SHARES else rng.binomial(wholes, share)).astype(float)
        table[ind][np.isnan(table[whole])] = np.nan


def generate(seed: int = SEED, catalog: Catalog | None = None) -> pd.DataFrame:
    """Every base indicator for the 10 counties and 市本级, 2016–2025, plus the 全市 survey and report values.

    Columns: region_code (as written that year: 610928 for 旬阳县 until 2020), year, indicator_id, value.
    """
    catalog = catalog or catalog_mod.load()
    blank_own_level = np.full((1, len(YEARS)), np.nan)
    trend = np.array([[1 + POPULATION_TREND.get(u, -0.008)] for u in COUNTIES])
    population = np.array(list(POPULATION_2020.values()))[:, None] * trend ** (YEARS - 2020)
    villages = np.repeat(np.array(list(VILLAGES_2016.values()), dtype=float)[:, None], len(YEARS), axis=1)
    merger = random_for(seed, "villages_total").uniform(0.75, 0.85, (len(COUNTIES), 1))
    villages[:, YEARS >= 2020] = np.round(villages[:, YEARS >= 2020] * merger)
    table = {
        "resident_population": np.vstack([np.round(population, 1), blank_own_level]),
        "villages_total": np.vstack([villages, blank_own_level]),
    }

    _counts(seed, table)
    for (ind, year), value in OWN_LEVEL_PINS.items():
        if ind in table:
            table[ind][-1, year - 2016] = value
    _fit_city(table)
    _parts(seed, table)
    for (ind, year), value in OWN_LEVEL_PINS.items():
        table[ind][-1, year - 2016] = value
    (
        table["villages_total"][COUNTIES.index(SHIQUAN), 2017 - 2016],
        table["villages_with_legal_adviser"][COUNTIES.index(SHIQUAN), 2017 - 2016],
    ) = SHIQUAN_VILLAGES_2017
    _fit_city(table)  # again, for the ranges on parts (adopted comments)
    for ind in catalog.base:  # a fitted part may outgrow its whole: raise the whole
        for bigger in ind.at_most:
            table[bigger] = np.fmax(table[bigger], table[ind.id])

    rng = random_for(seed, "public_satisfaction")
    mood = rng.normal(0, 1.0, (len(UNITS), 1)) - 0.8 * np.isin(UNITS, [ZHENPING, NINGSHAN])[:, None]
    satisfaction = 86.8 + 0.55 * (YEARS - 2016) + mood + rng.normal(0, 0.4, (len(UNITS), len(YEARS)))
    table["public_satisfaction"] = np.round(np.clip(satisfaction, 85, 95), 1)
    table["rule_of_law_report_published"] = np.array(
        [[0.0 if (u, y) in REPORT_NOT_PUBLISHED else 1.0 for y in YEARS.tolist()] for u in UNITS]
    )
    city_satisfaction = np.round(87.3 + 0.58 * (YEARS - 2016) + rng.normal(0, 0.15, len(YEARS)), 2)
    city_satisfaction[YEARS == 2024] = CITY_SATISFACTION_2024
    assert set(table) == {i.id for i in catalog.base}, set(table) ^ {i.id for i in catalog.base}

    rows = []
    for column, year in enumerate(YEARS.tolist()):
        rows += [
            (CITY, year, "public_satisfaction", float(city_satisfaction[column])),
            (CITY, year, "rule_of_law_report_published", 1.0),
        ]
        for unit in [OWN_LEVEL, *COUNTIES]:
            rows += [
                (code_in_year(unit, year), year, ind.id, float(table[ind.id][UNITS.index(unit), column]))
                for ind in catalog.base
                if not (unit == OWN_LEVEL and ind.id in NOT_FOR_OWN_LEVEL)
            ]
    return pd.DataFrame(rows, columns=["region_code", "year", "indicator_id", "value"])


def _notes(regions: list[str]) -> list[str]:
    """The sample note on the first row of each region, blank on the others."""
    seen: set[str] = set()
    return [NOTE if r not in seen and not seen.add(r) else "" for r in regions]


def _as_typed(value: float, kind: str) -> str:
    """As people type it: 1,234 and 91.2% and 是/否."""
    if kind == "count":
        return f"{int(value):,}"
    if kind == "boolean":
        return "是" if value else "否"
    return f"{value:g}%" if kind == "percent" else f"{value:g}"


def _number(value: float, kind: str) -> int | float:
    return int(value) if kind in ("count", "boolean") else float(value)


def _write_csv(path: Path, header: list[str], rows: list[list], encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _write_templates(folder: Path, frame: pd.DataFrame, catalog: Catalog) -> list[Path]:
    """One filled 2025 submission workbook per unit: the template of etl.template, values in its input column."""
    written = []
    for code in [*COUNTIES, OWN_LEVEL, CITY]:
        values = frame[frame["region_code"] == code].set_index("indicator_id")["value"]
        path = folder / f"sample_2025_{code}_{R.name_of(code, 2025)}.xlsx"
        write_template(catalog, code, 2025, path)
        book = openpyxl.load_workbook(path)
        sheet = book[workbook.TEMPLATE_SHEET]
        for row, ind in enumerate(indicators_for(catalog, code), start=workbook.TEMPLATE_HEADER_ROW + 1):
            assert sheet.cell(row, workbook.TEMPLATE_ID_COL).value == ind.id
            if ind.id in values:
                value = values[ind.id]
                typed = ("是" if value else "否") if ind.kind == "boolean" else _number(value, ind.kind)
                sheet.cell(row, workbook.TEMPLATE_VALUE_COL).value = typed
        sheet.cell(workbook.TEMPLATE_HEADER_ROW + 1, workbook.TEMPLATE_NOTE_COL).value = NOTE
        book.save(path)  # the sheet stays protected: only unlocked input cells were written
        written.append(path)
    return written


def write_files(frame: pd.DataFrame, out_dir: Path | str = OUT_DIR, catalog: Catalog | None = None) -> list[Path]:
    """Replace the sample_* files of out_dir with the frame in four formats (README.md is kept)."""
    catalog = catalog or catalog_mod.load()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(out_dir.glob("sample_*")):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    frame = frame.assign(kind=frame["indicator_id"].map(lambda i: catalog[i].kind))

    rows = frame[frame["year"].between(2016, 2020)]
    plain = [
        [r.region_code, r.year, r.indicator_id, _number(r.value, r.kind), note]
        for r, note in zip(rows.itertuples(), _notes(rows["region_code"].tolist()), strict=True)
    ]
    written = [
        _write_csv(
            out_dir / "sample_ankang_2016-2020.csv",
            ["region", "year", "indicator", "value", "note"],
            plain,
            "utf-8-sig",
        )
    ]

    rows = frame[frame["year"].between(2021, 2022)]
    names = [R.name_of(code, year) for code, year in zip(rows["region_code"], rows["year"], strict=True)]
    typed = [
        [name, r.year, catalog[r.indicator_id].name_zh, _as_typed(r.value, r.kind), note]
        for r, name, note in zip(rows.itertuples(), names, _notes(names), strict=True)
    ]
    written.append(
        _write_csv(
            out_dir / "sample_ankang_2021-2022_gb18030.csv", ["地区", "年份", "指标", "数值", "备注"], typed, "gb18030"
        )
    )

    rows = frame[frame["year"].between(2023, 2024)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["地区", "年份", "指标", "数值", "备注"])
    for r, note in zip(rows.itertuples(), _notes(rows["region_code"].tolist()), strict=True):
        sheet.append([r.region_code, r.year, r.indicator_id, _number(r.value, r.kind), note or None])
    written.append(out_dir / "sample_ankang_2023-2024.xlsx")
    book.save(written[-1])

    return written + _write_templates(out_dir / "sample_ankang_2025", frame[frame["year"] == 2025], catalog)


def main() -> None:
    written = write_files(generate())
    print(f"已生成 {len(written)} 个示例文件 / wrote {len(written)} sample files to {OUT_DIR}")


if __name__ == "__main__":
    main()
