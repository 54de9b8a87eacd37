"""SAMPLE figures for any scope (in: a region code and years; out: a long CSV per year, loaded as sample batches).

Invented, not official statistics: every file is named `sample_<scope>_<year>.csv`, every row carries
the sample note (示例数据（非官方统计）) and every batch is marked `is_sample`. 安康市's units keep the
fitted figures of etl/sample.py (2016–2025, agreeing with the seed document) wherever the scope
reaches them; every other unit gets figures from the same rules (etl/sample.py's tables of levels,
growth rates, reform steps and shares), drawn from a random stream of its own:

- counts scale with a population drawn per unit (districts a little larger), parts never exceed their
  whole (metrics.yml's at_most), shares reach the demonstration targets by a year with some units a
  few years behind, satisfaction rises gently around the 90% target, most units publish their report;
- the draws depend only on the unit's canonical code (a renamed unit keeps its stream), the indicator
  and the year (and on the catalog's list of indicators, which orders each unit's stream), so a county
  has the same figures whether generated for its city, its province or the country, and a run twice
  gives the same files;
- codes are written as in force each year (旬阳县 610928 until 2020), and a unit appears only in the
  years its code is valid, so totals follow the region reference's succession;
- the database sums and recomputes totals and ratios itself (rolgov/current.py): the files hold only
  what units report, plus the whole-area figures no sum gives (satisfaction, the annual report).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from etl import sample as ankang
from rolgov import catalog as catalog_mod
from rolgov import regions as R
from rolgov.catalog import Catalog
from rolgov.geo.layers import COUNTRY

SEED = ankang.SEED
NOTE = ankang.NOTE
DEFAULT_YEARS = (2016, 2025)
COUNTRY_YEARS = (2023, 2025)  # 2,846 units × 57 indicators a year: a few years are enough to look at
# each unit draws noise for this whole span, so a year's figures never depend on the other years asked for
SPAN = (2000, 2040)
ANKANG_YEARS = range(int(ankang.YEARS[0]), int(ankang.YEARS[-1]) + 1)
COLUMNS = ["地区", "年份", "指标", "数值", "备注"]

# a 本级 reports like a unit of this many 万人 (a province's own departments are larger than a city's)
OWN_LEVEL_SIZE = {"prefecture": ankang.OWN_LEVEL_SIZE, "province": 90.0}
EXTRA_KEYS = ("resident_population", "population_trend", "villages_total", "village_merger", "laggard")


class SampleScopeError(ValueError):
    """A scope or year range the generator cannot use; the message is in Chinese and English."""


class SampleRefused(SampleScopeError):
    """A generated file the checks refused (a rule the generator breaks): nothing of it was loaded."""


def parse_years(text: str | None, scope: str) -> list[int]:
    """'2016-2025' or '2024' -> the years; None -> the default for the scope (a few for the country)."""
    if not text:
        first, last = COUNTRY_YEARS if scope == COUNTRY else DEFAULT_YEARS
        return list(range(first, last + 1))
    try:
        first, _, last = text.partition("-")
        years = list(range(int(first), int(last or first) + 1))
    except ValueError:
        years = []
    if not years or years[0] < SPAN[0] or years[-1] >= SPAN[1]:
        raise SampleScopeError(
            f"年份「{text}」无效：请写成 2016-2025 或 2024，范围 {SPAN[0]}–{SPAN[1] - 1} / "
            f"years '{text}' not understood: write 2016-2025 or 2024, within {SPAN[0]}–{SPAN[1] - 1}"
        )
    return years


def unit_rows(scope: str, years: list[int]) -> pd.DataFrame:
    """Who reports in each year: code as written that year, canonical code, level, and the parent's level
    for a 本级; county-level units and 本级 units report base indicators, provinces and prefectures the
    whole-area figures. Columns: code, canonical_code, name_zh (the unit's latest name), level, parent_level,
    year."""
    reference = R.reference()
    if scope == COUNTRY:
        rows = reference
    elif R.level(scope) in ("province", "prefecture"):
        rows = pd.concat([reference[reference["code"] == scope], R.descendants(reference, scope)])
    elif R.level(scope) in ("county", "own_level"):
        canonical = reference.loc[reference["code"] == scope, "canonical_code"].iloc[-1]
        rows = reference[reference["canonical_code"] == canonical]
    else:
        raise SampleScopeError(
            f"区划代码「{scope}」不在区划参考表（data/regions.csv）中："
            f"请写省、市或县级单位的六位代码，全国写 {COUNTRY} / "
            f"region code '{scope}' is not in the region reference (data/regions.csv): give a province, city "
            f"or county-level code, or {COUNTRY} for the whole country"
        )
    # 台湾省, 香港 and 澳门 have no units below them in the reference (only the 本级 it adds to every
    # province): the demonstration evaluation does not reach them, so no figures are made up for them
    below = reference.loc[reference["level"] != "own_level", "parent_code"]
    empty = set(reference.loc[(reference["level"] == "province") & ~reference["code"].isin(below), "code"])
    rows = rows[~rows["code"].isin(empty) & ~rows["parent_code"].isin(empty)]
    levels = dict(zip(reference["code"], reference["level"], strict=False))
    frames = [R.valid_in(rows, year).assign(year=year) for year in years]
    out = pd.concat(frames, ignore_index=True).drop_duplicates(["code", "year"])
    out["parent_level"] = out["parent_code"].map(levels)
    # the unit's latest name, so a county that became a district (户县 -> 鄠邑区) keeps its size
    latest = reference.sort_values("valid_from", na_position="first").drop_duplicates("code", keep="last")
    out["name_zh"] = out["canonical_code"].map(dict(zip(latest["code"], latest["name_zh"], strict=True)))
    return out[["code", "canonical_code", "name_zh", "level", "parent_level", "year"]].reset_index(drop=True)


def _keys(catalog: Catalog) -> list[str]:
    return sorted({i.id for i in catalog.base} | set(EXTRA_KEYS))


def _draws(canonical: list[str], years: list[int], keys: list[str]):
    """Per unit: a normal draw per key (its lasting level), a uniform per key (laggard or not, trend) and a
    normal per key and year (ups and downs). One generator per canonical code over the whole SPAN."""
    span = np.arange(*SPAN)
    columns = np.searchsorted(span, years)
    level = np.empty((len(canonical), len(keys)), dtype=np.float32)
    uniform = np.empty_like(level)
    yearly = np.empty((len(canonical), len(keys), len(years)), dtype=np.float32)
    for n, code in enumerate(canonical):
        rng = np.random.default_rng([SEED, zlib.crc32(code.encode())])
        level[n], uniform[n] = rng.standard_normal(len(keys)), rng.random(len(keys))
        yearly[n] = rng.standard_normal((len(keys), len(span)))[:, columns]
    return level, uniform, yearly


def generate(scope: str, years: list[int], catalog: Catalog | None = None) -> pd.DataFrame:
    """Every base indicator for each unit-year of the scope, the whole-area figures for its provinces and
    prefectures, and 安康市's fitted figures where the scope reaches them.

    Columns: region_code (as written that year), year, indicator_id, value.
    """
    catalog = catalog or catalog_mod.load()
    missing = {i.id for i in catalog.base} - _rules_cover()
    if missing:
        raise SampleScopeError(
            f"示例生成器没有这些指标的规则：{', '.join(sorted(missing))}；请在 etl/sample.py 的表中补上 / "
            f"the sample generator has no rule for: {', '.join(sorted(missing))}; add them to etl/sample.py's tables"
        )
    rows = unit_rows(scope, years)
    keys = _keys(catalog)
    canonical = sorted(rows["canonical_code"].unique())
    level, uniform, yearly = _draws(canonical, years, keys)
    u = rows["canonical_code"].map({c: n for n, c in enumerate(canonical)}).to_numpy()
    y = rows["year"].map({year: n for n, year in enumerate(years)}).to_numpy()

    def draw(key: str):
        k = keys.index(key)
        return level[u, k].astype(float), uniform[u, k].astype(float), yearly[u, k, y].astype(float)

    reporting = rows["level"].isin(["county", "own_level"]).to_numpy()
    table = _unit_table(rows, draw)
    frames = []
    for ind in catalog.base:
        values = table[ind.id]
        keep = reporting & ~np.isnan(values)
        if ind.id in ankang.NOT_FOR_OWN_LEVEL:
            keep &= (rows["level"] != "own_level").to_numpy()
        if ind.aggregate == "none":  # whole-area figures: provinces and prefectures report them too
            keep |= rows["level"].isin(["province", "prefecture"]).to_numpy()
        frames.append(
            pd.DataFrame(
                {"region_code": rows["code"][keep], "year": rows["year"][keep], "indicator_id": ind.id}
            ).assign(value=values[keep])
        )
    frame = pd.concat(frames, ignore_index=True)
    return _with_ankang(frame, rows, catalog)


def _rules_cover() -> set[str]:
    return (
        set(ankang.COUNTS)
        | set(ankang.STOCKS)
        | set(ankang.STEPS)
        | set(ankang.SHARES)
        | {"resident_population", "villages_total", "public_satisfaction", "rule_of_law_report_published"}
    )


def _unit_table(rows: pd.DataFrame, draw: Callable) -> dict[str, np.ndarray]:
    """indicator id -> one value per row of `rows` (NaN where a row does not report it)."""
    year = rows["year"].to_numpy()
    since = year - 2016
    own = (rows["level"] == "own_level").to_numpy()
    district = rows["name_zh"].str.endswith("区").to_numpy()
    _, trend, _ = draw("population_trend")
    size_draw, _, _ = draw("resident_population")
    population_2020 = np.clip(np.exp(np.log(np.where(district, 42.0, 30.0)) + 0.55 * size_draw), 2.0, 300.0)
    growth = np.where(district, 0.008, -0.006) + 0.01 * (trend - 0.5)
    population = np.round(population_2020 * (1 + growth) ** (year - 2020), 1)
    own_size = rows["parent_level"].map(OWN_LEVEL_SIZE).fillna(ankang.OWN_LEVEL_SIZE).to_numpy()
    size = np.where(own, own_size * np.exp(0.2 * size_draw), population)
    table = {"resident_population": np.where(own, np.nan, population)}

    villages_draw, merger, _ = draw("villages_total")
    villages = 30 * population_2020**0.6 * np.where(district, 0.6, 1.0) * np.exp(0.15 * villages_draw)
    villages = np.where(year >= 2020, villages * (0.75 + 0.2 * merger), villages)
    table["villages_total"] = np.where(own, np.nan, np.round(villages))

    for ind, (base, elasticity, rate) in ankang.COUNTS.items():
        lasting, _, ups = draw(ind)
        shock = np.array([ankang.YEAR_SHOCKS.get(ind, {}).get(int(v), 1.0) for v in year])
        mean = base * (size / 20) ** elasticity * np.exp(0.15 * lasting) * (1 + rate) ** since * shock
        rare = np.maximum(np.round(mean + np.sqrt(mean) * ups), 0)  # rare events vary more
        table[ind] = np.where(mean < 10, rare, np.round(mean * np.exp(0.08 * ups)))
    for ind, (base, elasticity) in ankang.STOCKS.items():
        lasting, _, _ = draw(ind)
        table[ind] = np.round(base * (size / 20) ** elasticity * np.exp(0.12 * lasting))
    for ind, (whole, shares, lag) in ankang.STEPS.items():
        lasting, behind, _ = draw(ind)
        share = np.array(shares)[np.clip(since, 0, len(shares) - 1)] + 0.04 * lasting + lag * (behind < 0.1)
        table[ind] = np.round(table[whole] * np.clip(share, 0, 1))

    _, laggard, _ = draw("laggard")  # a unit behind on reviews is behind on all of them, as in 安康
    for ind, (whole, start, end, full_year, _) in ankang.SHARES.items():
        lasting, behind, ups = draw(ind)
        lag = np.clip(0.5 * lasting, -0.8, 0.8) + np.where(laggard < 0.12, 2 + 10 * laggard, 0)
        lag += np.where(behind < 0.05, 2, 0)  # and a few lag on one thing only
        share = start + (end - start) * np.clip((since - lag) / (full_year - 2016), 0, 1)
        if end >= 0.9:  # and about one unit in fifteen never quite gets to a near-complete share (2–8 points short)
            short = (behind >= 0.05) & (behind < 0.12)
            share = np.where(short, np.minimum(share, end - 0.02 - (behind - 0.05) * 0.86), share)
        wholes = np.nan_to_num(table[whole])
        spread = 0 if ind in ankang.STEADY_SHARES else np.sqrt(wholes * share * (1 - share)) * ups
        part = np.clip(np.round(wholes * share + spread), 0, wholes)
        table[ind] = np.where(np.isnan(table[whole]), np.nan, part)

    mood, _, ups = draw("public_satisfaction")
    total = rows["level"].isin(["province", "prefecture"]).to_numpy()
    satisfaction = np.where(
        total, 87.3 + 0.58 * since + 0.5 * mood + 0.15 * ups, 86.8 + 0.55 * since + 1.4 * mood + 0.4 * ups
    )
    satisfaction = np.clip(satisfaction, 80, 98)
    table["public_satisfaction"] = np.where(total, np.round(satisfaction, 2), np.round(satisfaction, 1))
    _, _, chance = draw("rule_of_law_report_published")
    table["rule_of_law_report_published"] = np.where(total | (chance > -1.28 - 0.085 * np.clip(since, 0, 9)), 1.0, 0.0)
    return table


def _with_ankang(frame: pd.DataFrame, rows: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """安康市's own fitted figures replace the drawn ones for its units in 2016–2025 (its codes as written)."""
    ankang_codes = set(R.descendants(R.reference(), ankang.CITY)["canonical_code"]) | {ankang.CITY}
    covered = rows["canonical_code"].isin(ankang_codes) & rows["year"].isin(ANKANG_YEARS)
    if not covered.any():
        return frame
    wanted = set(zip(rows.loc[covered, "code"], rows.loc[covered, "year"], strict=True))
    fitted = ankang.generate(catalog=catalog)
    fitted = fitted[[pair in wanted for pair in zip(fitted["region_code"], fitted["year"], strict=True)]]
    drawn = [pair not in wanted for pair in zip(frame["region_code"], frame["year"], strict=True)]
    return pd.concat([frame[drawn], fitted], ignore_index=True)


def write_files(frame: pd.DataFrame, scope: str, folder: Path | str, catalog: Catalog | None = None) -> list[Path]:
    """One CSV per year, `sample_<scope>_<year>.csv` (UTF-8 with BOM, region codes and indicator ids), the
    sample note on every row. Counts and yes/no as whole numbers."""
    catalog = catalog or catalog_mod.load()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    whole = frame["indicator_id"].map(lambda i: catalog[i].kind in ("count", "boolean"))
    text = np.where(whole, frame["value"].round().astype("int64").astype(str), frame["value"].map("{:g}".format))
    out = pd.DataFrame(
        {
            COLUMNS[0]: frame["region_code"],
            COLUMNS[1]: frame["year"],
            COLUMNS[2]: frame["indicator_id"],
            COLUMNS[3]: text,
            COLUMNS[4]: NOTE,
        }
    )
    written = []
    for year, rows in out.groupby(COLUMNS[1], sort=True):
        path = folder / f"sample_{scope}_{year}.csv"
        rows.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def load(
    scope: str,
    years: list[int],
    db_path: Path | str,
    catalog: Catalog | None = None,
    folder: Path | str | None = None,
    say: Callable[[str], None] = print,
) -> list:
    """Generate, write one file per year (into folder, or a temporary one) and load each as a sample batch
    through the normal path (etl.load.load_file: checked in the checking child, then one batch per file).

    Returns the LoadResults; raises SampleRefused naming the file and its first problems if a file is
    refused (the files loaded before it stay loaded: each is a batch of its own).
    """
    import tempfile

    from etl import problems as P
    from etl.load import load_file

    catalog = catalog or catalog_mod.load()
    frame = generate(scope, years, catalog)
    results = []
    with tempfile.TemporaryDirectory(prefix="rolgov-sample-") as tmp:
        files = write_files(frame, scope, folder or tmp, catalog)
        for number, path in enumerate(files, start=1):
            say(f"[{number}/{len(files)}] {path.name}")
            result = load_file(
                path,
                db_path,
                catalog,
                user="sample",
                is_sample=True,
                scope_root=scope if scope != COUNTRY else R.DEFAULT_SCOPE,
            )
            results.append(result)
            if result.status == "refused":
                lines = "\n".join(P.format_lines(result.problems, counts=result.counts)[:10])
                raise SampleRefused(f"{path.name} 未导入 / was refused:\n{lines}")
            say(
                f"  批次 {result.batch_id}：新增 {result.rows_new:,}，修改 {result.rows_changed:,}，"
                f"未变 {result.rows_unchanged:,} / batch {result.batch_id}: {result.rows_new:,} new, "
                f"{result.rows_changed:,} changed, {result.rows_unchanged:,} unchanged ({result.status})"
            )
    return results
