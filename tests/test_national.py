"""Beyond 安康市: the sample generator for any scope, a second city (汉中市 610700) and a province (陕西省
610000) end to end — generated, loaded through the CLI, totalled at every level, every page, a draft —, a
scope without data, and the map layers of a province and of the country.

The province database is 安康市's sample plus `python -m etl sample --scope 610000 --years 2023-2025`,
built once for the module in a real process. Totals are checked in SQL against the units' reported
values, never against what the database computed from them.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import sample as ankang
from etl import sample_scope
from rolgov import current, db, geo, navigation, peers, queries
from rolgov import regions as R
from rolgov.i18n import page_title, t
from rolgov.report import Period, build_draft, markdown
from rolgov.report import wording as W
from rolgov.report.build import Builder
from tests.conftest import cli, open_page, serving, value_of

PROVINCE, HANZHONG, HANTAI, GANSU = "610000", "610700", "610702", "620000"
YEARS = [2023, 2024, 2025]
PAGE_IDS = list(navigation.PAGE_KEYS)
# the pages a person works with figures on; the data page (sign-in first) has its own tests
FIGURE_PAGES = [p for p in PAGE_IDS if p != "data"]


def etl(*args: str, real: bool = False) -> subprocess.CompletedProcess:
    """python -m etl ARGS (conftest.cli): the province's sample and one refused command in a real process,
    the rest through main() in this one."""
    return cli("etl", *args, real=real)


@pytest.fixture(scope="module")
def province_db(sample_db, tmp_path_factory):
    """安康市's sample and 陕西省 2023–2025 generated and loaded by the CLI, its files kept beside it."""
    folder = tmp_path_factory.mktemp("national")
    path = folder / "rolgov.duckdb"
    shutil.copy(sample_db, path)
    done = etl(
        "sample",
        "--scope",
        PROVINCE,
        "--years",
        "2023-2025",
        "--db",
        str(path),
        "--out",
        str(folder / "files"),
        real=True,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "[1/3] sample_610000_2023.csv"
    # 安康市's units were already there with the same fitted figures: they come back unchanged
    assert (
        lines[1] == "  批次 16：新增 6,069，修改 0，未变 624 / batch 16: 6,069 new, 0 changed, 624 unchanged (loaded)"
    )
    assert re.fullmatch(
        r"完成：陕西省 2023–2025 示例数据（非官方统计）20,079 个数值，用时 [\d.]+ 秒 / done: SAMPLE data \(not "
        rf"official\) for 610000, 20,079 values -> {re.escape(str(path))}",
        lines[-1],
    ), lines[-1]
    return path


def frame_rows(frame: pd.DataFrame) -> set[tuple]:
    return set(frame[["region_code", "year", "indicator_id", "value"]].itertuples(index=False, name=None))


# ── the generator ─────────────────────────────────────────────────────────────────────────────
def test_a_unit_has_the_same_figures_whatever_scope_it_is_generated_for(catalog):
    city = sample_scope.generate(HANZHONG, [2024], catalog)
    province = sample_scope.generate(PROVINCE, [2024], catalog)
    assert len(city) == 681  # 11 counties × 57, 本级 × 52, 全市 satisfaction and annual report
    assert frame_rows(city) <= frame_rows(province)
    assert frame_rows(sample_scope.generate(HANZHONG, [2024], catalog)) == frame_rows(city)  # seeded: the same twice
    alone = sample_scope.generate(HANTAI, [2023, 2024], catalog)
    assert set(alone["region_code"]) == {HANTAI}
    assert frame_rows(alone[alone["year"] == 2024]) <= frame_rows(city)


def test_ankang_keeps_its_fitted_figures_inside_the_province_and_alone(catalog):
    fitted = ankang.generate(catalog=catalog)
    ankang_codes = set(fitted["region_code"])
    province = sample_scope.generate(PROVINCE, [2017, 2024], catalog)
    inside = province[province["region_code"].isin(ankang_codes)]
    assert frame_rows(inside) == frame_rows(fitted[fitted["year"].isin([2017, 2024])])
    alone = sample_scope.generate(ankang.CITY, list(range(2016, 2026)), catalog)
    assert frame_rows(alone) == frame_rows(fitted) and len(alone) == len(fitted)


def test_parts_never_exceed_their_whole_and_counts_follow_the_population(catalog):
    frame = sample_scope.generate(PROVINCE, [2016, 2020, 2025], catalog)
    wide = frame.pivot_table(index=["region_code", "year"], columns="indicator_id", values="value")
    pairs = {(i.id, whole) for i in catalog.base for whole in i.at_most}
    assert len(pairs) >= 15
    pairs |= {(part, rule[0]) for part, rule in ankang.SHARES.items()}  # and the generator's own parts
    for part, whole in pairs:
        both = wide[[part, whole]].dropna()
        assert len(both) > 100, part
        assert (both[part] <= both[whole]).all(), (part, whole, both[both[part] > both[whole]].head())
    counties = wide[wide.index.get_level_values(0).map(R.level) == "county"]
    assert counties["resident_population"].corr(counties["licensing_decisions"]) > 0.7
    assert counties["resident_population"].between(2, 300).all()


def test_rates_sit_near_the_targets_with_some_units_below_and_most_reports_published(catalog):
    frame = sample_scope.generate(PROVINCE, [2016, 2025], catalog)
    wide = frame.pivot_table(index=["region_code", "year"], columns="indicator_id", values="value").reset_index()
    units = wide[wide["region_code"].map(R.level) == "county"]
    late, early = units[units["year"] == 2025], units[units["year"] == 2016]
    assert len(late) == 107
    reviewed = late["normative_docs_reviewed"] / late["normative_docs_issued"]
    assert 0.6 <= (reviewed == 1).mean() < 1  # most at the statutory 100%, some below
    assert 88 <= late["public_satisfaction"].mean() <= 94 and (late["public_satisfaction"] < 90).sum() >= 3
    assert early["public_satisfaction"].mean() < late["public_satisfaction"].mean()  # a gentle rise
    assert 0.85 <= early["rule_of_law_report_published"].mean() < 1
    assert set(frame["value"][frame["indicator_id"] == "rule_of_law_report_published"]) == {0.0, 1.0}


def test_codes_are_written_as_in_force_each_year(catalog):
    years = list(range(2016, 2026))
    frame = sample_scope.generate(PROVINCE, years, catalog)
    reference = R.reference()
    written = set(zip(frame["region_code"], frame["year"], strict=True))
    for year in years:
        valid = set(R.valid_in(reference, year)["code"])
        assert {c for c, y in written if y == year} <= valid, year
    assert ("610928", 2020) in written and ("610981", 2020) not in written  # 旬阳县 until 2020
    assert ("610981", 2021) in written and ("610928", 2021) not in written  # 旬阳市 from 2021
    # a renamed unit outside 安康市 keeps its figures' stream: the old code up to its last year, the new after
    below = R.descendants(reference, PROVINCE)
    renamed = below[
        (below["level"] == "county")
        & below["valid_to"].between(2016, 2024)
        & (below["canonical_code"] != below["code"])
        & ~below["code"].str.startswith("6109")
    ]
    assert not renamed.empty
    old = renamed.iloc[0]
    last = int(old["valid_to"])
    assert (old["code"], last) in written and (old["canonical_code"], last) not in written
    assert (old["canonical_code"], last + 1) in written and (old["code"], last + 1) not in written


def test_every_file_and_row_is_marked_as_sample(catalog, tmp_path):
    frame = sample_scope.generate(HANZHONG, [2024, 2025], catalog)
    files = sample_scope.write_files(frame, HANZHONG, tmp_path, catalog)
    assert [f.name for f in files] == ["sample_610700_2024.csv", "sample_610700_2025.csv"]
    for path in files:
        written = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        assert list(written.columns) == ["地区", "年份", "指标", "数值", "备注"]
        assert (written["备注"] == "示例数据（非官方统计）").all()
        assert len(written) == 681


def test_a_scope_or_years_the_generator_cannot_use_get_a_clear_message(tmp_path):
    done = etl("sample", "--scope", "999999", "--db", str(tmp_path / "x.duckdb"), real=True)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "区划代码「999999」不在区划参考表（data/regions.csv）中：请写省、市或县级单位的六位代码，全国写 000000 / "
        "region code '999999' is not in the region reference (data/regions.csv): give a province, city or "
        "county-level code, or 000000 for the whole country"
    )
    done = etl("sample", "--scope", HANZHONG, "--years", "2025-2016", "--db", str(tmp_path / "x.duckdb"))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "年份「2025-2016」无效：请写成 2016-2025 或 2024，范围 2000–2039 / "
        "years '2025-2016' not understood: write 2016-2025 or 2024, within 2000–2039"
    )
    assert not (tmp_path / "x.duckdb").exists()


# ── loaded: marked, and totalled at every level ───────────────────────────────────────────────
def test_the_loaded_batches_and_values_are_sample_data(province_db):
    with db.read(province_db) as con:
        batches = con.execute(
            "SELECT file_name, is_sample FROM batches WHERE batch_id > 15 ORDER BY batch_id"
        ).fetchall()
        flags = con.execute(
            "SELECT DISTINCT is_sample FROM indicator_values WHERE year IN (2023, 2024, 2025)"
        ).fetchall()
        notes = con.execute("SELECT DISTINCT note FROM observations WHERE batch_id > 15").fetchall()
    assert batches == [(f"sample_610000_{y}.csv", True) for y in YEARS]
    assert flags == [(True,)]
    assert notes == [("示例数据（非官方统计）",)]


SUM_CHECK = """
WITH units AS (  -- what the units under each ancestor reported, summed here
    SELECT t.ancestor_code, v.year, v.indicator_id, sum(v.value) AS summed, count(*) AS n
    FROM indicator_values v JOIN region_tree t ON t.unit_code = v.region_code
    JOIN indicators i ON i.indicator_id = v.indicator_id
    WHERE v.value_kind = 'reported' AND i.aggregate = 'sum' AND v.year IN (2023, 2024, 2025)
      AND t.ancestor_code = $root
    GROUP BY ALL
)
SELECT u.year, u.indicator_id, u.summed, u.n, v.value, v.value_kind
FROM units u LEFT JOIN indicator_values v
  ON v.region_code = u.ancestor_code AND v.year = u.year AND v.indicator_id = u.indicator_id
ORDER BY 1, 2
"""


@pytest.mark.parametrize(("root", "counties", "units"), [(HANZHONG, 11, 12), (PROVINCE, 107, 107 + 11)])
def test_counts_are_the_sum_of_every_unit_below(province_db, catalog, root, counties, units):
    with db.read(province_db) as con:
        rows = con.execute(SUM_CHECK, {"root": root}).df()
    summed = [i.id for i in catalog.base if i.aggregate == "sum"]
    assert len(rows) == 3 * len(summed)
    for r in rows.itertuples():
        # every county-level unit, and every 本级 (the province's and its cities') unless 本级 do not report it
        assert r.n == (units if catalog[r.indicator_id].own_level else counties), r
        assert r.value_kind == "total" and math.isclose(r.value, r.summed, rel_tol=1e-12), r


def test_the_province_is_its_own_level_plus_its_cities(province_db, catalog):
    with db.read(province_db) as con:
        cities = con.execute(
            """
            SELECT v.year, v.indicator_id, sum(v.value) AS cities, count(*) AS n
            FROM indicator_values v JOIN regions r ON r.code = v.region_code
            WHERE r.level = 'prefecture' AND r.parent_code = '610000' AND v.value_kind = 'total'
              AND v.year IN (2023, 2024, 2025)
            GROUP BY ALL
            """
        ).df()
        values = con.execute(
            "SELECT region_code, year, indicator_id, value FROM indicator_values WHERE region_code IN "
            "('610000', '610000BJ') AND year IN (2023, 2024, 2025)"
        ).df()
    wide = values.pivot_table(index=["year", "indicator_id"], columns="region_code", values="value")
    checked = 0
    for r in cities.itertuples():
        ind = catalog[r.indicator_id]
        if ind.derived or ind.aggregate != "sum":
            continue
        assert r.n == 10, r  # every city of 陕西省 has its total
        own = wide.loc[(r.year, r.indicator_id)].get("610000BJ", math.nan) if ind.own_level else 0.0
        assert math.isclose(wide.loc[(r.year, r.indicator_id), "610000"], own + r.cities, rel_tol=1e-12), r
        checked += 1
    assert checked == 3 * sum(1 for i in catalog.base if i.aggregate == "sum")


RATES = ["normative_doc_review_rate", "case_file_pass_rate", "online_service_rate", "mediation_success_rate"]


@pytest.mark.parametrize("root", [HANZHONG, PROVINCE])
def test_ratios_are_recomputed_from_summed_parts_never_averaged(province_db, catalog, root):
    with db.read(province_db) as con:
        values = con.execute(
            "SELECT region_code, year, indicator_id, value FROM indicator_values WHERE year IN (2023, 2024, 2025)"
        ).df()
    children = (
        _reference_children(PROVINCE, "prefecture", 2025) if root == PROVINCE else set(queries.county_codes(root))
    )
    differs = 0
    for indicator_id in RATES:
        ind = catalog[indicator_id]
        part, whole = ind.formula_ids
        for year in YEARS:
            at = values[(values["year"] == year)].set_index(["region_code", "indicator_id"])["value"]
            recomputed = at[(root, part)] / at[(root, whole)] * 100
            assert math.isclose(at[(root, indicator_id)], recomputed, rel_tol=1e-12)
            kids = [at[(c, indicator_id)] for c in children if (c, indicator_id) in at.index]
            differs += abs(sum(kids) / len(kids) - at[(root, indicator_id)]) > 0.01
    assert differs > 0  # an average of the children's rates would have been caught


def test_a_missing_unit_leaves_the_total_absent_not_counted_as_zero(catalog, tmp_path):
    files = tmp_path / "files"
    done = etl(
        "sample", "--scope", HANZHONG, "--years", "2024-2025", "--db", "unused", "--out", str(files), "--no-load"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已生成 2 个示例文件 / wrote 2 sample files to {files}"
    late = files / "sample_610700_2025.csv"
    rows = pd.read_csv(late, dtype=str, encoding="utf-8-sig")
    rows[rows["地区"] != "610729"].to_csv(late, index=False, encoding="utf-8-sig")  # 留坝县 did not report in 2025
    database = tmp_path / "hanzhong.duckdb"
    done = etl("load", "--db", str(database), str(files / "sample_610700_2024.csv"), str(late))
    assert done.returncode == 0, done.stdout + done.stderr
    with db.read(database) as con:
        city = dict(
            con.execute(
                "SELECT year || ' ' || indicator_id, value FROM indicator_values WHERE region_code = '610700' "
                "AND indicator_id IN ('hearings_held', 'normative_doc_review_rate', 'public_satisfaction')"
            ).fetchall()
        )
        units_2025 = con.execute(
            "SELECT count(DISTINCT region_code) FROM indicator_values WHERE year = 2025 AND scope = 'unit'"
        ).fetchall()[0][0]
    assert set(city) == {
        "2024 hearings_held",
        "2024 normative_doc_review_rate",
        "2024 public_satisfaction",
        "2025 public_satisfaction",
    }  # 2025: reported for the city itself, no sum, no rate
    assert units_2025 == 10


def test_a_catalog_change_rebuilds_what_a_rebuild_from_every_observation_gives(province_db, catalog, tmp_path):
    """A write that changes no data (a new metrics.yml) starts from the reported current values; the result
    must be the one a rebuild from the observations gives, with a rolled-back batch still left out."""
    path = tmp_path / "rolgov.duckdb"
    shutil.copy(province_db, path)
    assert etl("rollback", "17", "--db", str(path), "--user", "admin").returncode == 0  # 陕西省 2024
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = 'an older catalog' WHERE key = 'catalog'")
    phases: dict[str, float] = {}
    with db.write(path, catalog, phases=phases):
        pass
    query = "SELECT * FROM current_values ORDER BY region_code, year, indicator_id, value_kind"
    with db.read(path) as con:
        rebuilt = con.execute(query).fetchall()
    assert db.stored_fingerprint(path) == db.catalog_fingerprint(catalog) and phases["rebuild"] > 0
    with duckdb.connect(str(path)) as con:
        current.rebuild_current_values(con, catalog)  # from every observation
        full = con.execute(query).fetchall()
    assert len(rebuilt) > 20_000 and rebuilt == full
    assert value_of(path, "610702", 2024, "hearings_held") is None  # rolled back: not reported, not totalled
    assert value_of(path, "610702", 2025, "hearings_held") is not None


def test_a_city_without_counties_totals_its_own_level_and_a_former_city_code_is_a_unit(catalog, tmp_path):
    """东莞市 (441900) has no county-level unit: its total is its 本级's. 沙市区 (421002) reuses the code
    of 沙市市 (a city until 1993): in 2025 it is a county-level unit, not a total."""
    database = tmp_path / "rolgov.duckdb"
    for scope in ("441900", "421002"):
        results = sample_scope.load(scope, [2025], database, catalog, say=lambda _m: None)
        assert [r.status for r in results] == ["loaded"]
    with db.read(database) as con:
        rows = con.execute(
            "SELECT region_code, indicator_id, value, value_kind, scope FROM indicator_values "
            "WHERE indicator_id IN ('hearings_held', 'normative_doc_review_rate', 'public_satisfaction')"
        ).fetchall()
    by = {(r[0], r[1]): r[2:] for r in rows}
    own = by[("441900BJ", "hearings_held")]
    assert by[("441900", "hearings_held")] == (own[0], "total", "total")
    assert by[("441900", "normative_doc_review_rate")][1:] == ("derived", "total")
    assert by[("441900", "public_satisfaction")][1:] == ("reported", "total")
    assert by[("421002", "hearings_held")][1:] == ("reported", "unit")
    assert ("421000", "hearings_held") not in by  # 荆州市's other units did not report


# ── the national total ─────────────────────────────────────────────────────────────────────────
SINGLE = "610702"  # 汉台区, the county whose file moves the national total


@pytest.fixture(scope="module")
def country_files(tmp_path_factory):
    """The whole country's 2025 sample (every county-level unit and 本级, 181,878 values), written not loaded."""
    files = tmp_path_factory.mktemp("country")
    done = etl("sample", "--scope", "000000", "--years", "2025", "--db", "unused", "--out", str(files), "--no-load")
    assert done.returncode == 0, done.stderr
    return files / "sample_000000_2025.csv"


@pytest.fixture(scope="module")
def country_db(country_files, tmp_path_factory):
    path = tmp_path_factory.mktemp("country_db") / "rolgov.duckdb"
    done = etl("load", "--db", str(path), str(country_files))
    assert done.returncode == 0, done.stdout + done.stderr
    return path


NATIONAL_CHECK = """
WITH below AS (  -- every value reported by a unit (county-level unit or 本级) of the country, summed here
    SELECT v.indicator_id, sum(v.value) AS summed, count(*) AS n
    FROM indicator_values v JOIN indicators i USING (indicator_id)
    WHERE v.value_kind = 'reported' AND v.scope IN ('unit', 'own_level') AND i.aggregate = 'sum' AND v.year = 2025
    GROUP BY ALL
)
SELECT b.indicator_id, b.summed, b.n, v.value, v.value_kind, v.region_name, v.scope
FROM below b LEFT JOIN indicator_values v
  ON v.region_code = '000000' AND v.year = 2025 AND v.indicator_id = b.indicator_id
"""


def test_the_national_total_is_every_unit_summed_and_its_rates_recomputed(country_db, catalog):
    with db.read(country_db) as con:
        rows = con.execute(NATIONAL_CHECK).df()
        national = dict(
            con.execute("SELECT indicator_id, value FROM indicator_values WHERE region_code = '000000'").fetchall()
        )
    assert len(rows) == sum(1 for i in catalog.base if i.aggregate == "sum")
    for r in rows.itertuples():
        assert (r.value_kind, r.region_name, r.scope) == ("total", "全国", "total"), r
        assert math.isclose(r.value, r.summed, rel_tol=1e-12), r
        assert r.n >= 2_846, r  # every county-level unit at least
    for indicator_id in RATES:
        part, whole = catalog[indicator_id].formula_ids
        assert math.isclose(national[indicator_id], national[part] / national[whole] * 100, rel_tol=1e-12)


def test_a_county_file_moves_the_national_total_by_its_change_alone(country_db, country_files, catalog, tmp_path):
    """One county's file into the national database redoes its province's year and the country's, from the
    other provinces' current totals: the result must be what a rebuild from every observation gives."""
    path = tmp_path / "rolgov.duckdb"
    shutil.copy(country_db, path)
    rows = pd.read_csv(country_files, dtype=str, encoding="utf-8-sig")
    mine = rows[rows["地区"] == SINGLE].copy()
    held = mine["指标"] == "hearings_held"
    before = {code: value_of(path, code, 2025, "hearings_held") for code in ("000000", PROVINCE, SINGLE)}
    mine.loc[held, "数值"] = str(int(before[SINGLE]) + 7)
    mine.to_csv(tmp_path / "one_county.csv", index=False, encoding="utf-8-sig")
    done = etl("load", "--db", str(path), str(tmp_path / "one_county.csv"))
    assert done.returncode == 0, done.stdout + done.stderr
    for code in ("000000", PROVINCE, SINGLE):
        assert value_of(path, code, 2025, "hearings_held") == before[code] + 7, code
    query = "SELECT * FROM current_values ORDER BY region_code, year, indicator_id, value_kind"
    with db.read(path) as con:
        incremental = con.execute(query).fetchall()
    with duckdb.connect(str(path)) as con:
        current.rebuild_current_values(con, catalog)
        full = con.execute(query).fetchall()
    assert len(incremental) > 180_000 and incremental == full


def test_a_province_without_data_leaves_no_national_total(country_files, catalog, tmp_path):
    rows = pd.read_csv(country_files, dtype=str, encoding="utf-8-sig")
    tibet = rows["地区"].str.startswith("54")
    rows[~tibet].to_csv(tmp_path / "no_tibet.csv", index=False, encoding="utf-8-sig")
    path = tmp_path / "rolgov.duckdb"
    done = etl("load", "--db", str(path), str(tmp_path / "no_tibet.csv"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert tibet.sum() > 1_000
    with db.read(path) as con:
        national = con.execute("SELECT count(*) FROM indicator_values WHERE region_code = '000000'").fetchall()
    assert national == [(0,)]  # missing, not counted as zero
    assert value_of(path, PROVINCE, 2025, "hearings_held") is not None  # the provinces' own totals stand


# ── every page at the province scope, at a county of 汉中市, and for a scope without data ──────
@pytest.fixture(scope="module")
def app_db(province_db):
    with serving(province_db):
        yield province_db


def main_texts(at: AppTest) -> list[str]:
    """What the main area shows (the sidebar's scope picker names every scope, so it is left out)."""
    main = at.main
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
        out += [str(e.value) for e in getattr(main, kind)]
    for widget in main.selectbox:
        out += [widget.label, str(widget.value)]
    out += [m.label for m in main.metric] + [str(m.value) for m in main.metric]
    for frame in [*main.dataframe, *main.table]:
        out += frame.value.astype(str).to_numpy().ravel().tolist() + [str(c) for c in frame.value.columns]
    for chart in main.get("plotly_chart"):
        out.append(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False))
    return out


def mentions_ankang(at: AppTest) -> bool:
    """安康 anywhere in the main area but the sample banner (which says the 2017 figures follow 安康's material)."""
    banner = t("sample_banner", "zh")
    return any("安康" in text for text in main_texts(at) if text != banner)


def names_scope(at: AppTest, scope: str) -> bool:
    name = R.name_of(scope, 2025)
    return any(name in text for text in main_texts(at))


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_every_page_at_the_province_scope(app_db, page):
    at = open_page(page, scope=PROVINCE)
    assert at.title[0].value == page_title(page, "zh")
    assert at.session_state["ctx"].scope == PROVINCE  # the shared contract: ctx.scope
    assert not [i.value for i in at.main.info if t("no_data", "zh") in i.value]
    if page != "catalog":  # the catalog describes indicators, the same for every scope
        assert names_scope(at, PROVINCE), main_texts(at)[:12]


def test_the_data_page_at_the_province_scope_asks_to_sign_in(app_db):
    at = open_page("data", scope=PROVINCE)
    assert at.title[0].value == page_title("data", "zh")
    assert [i.value for i in at.main.info] == ["数据管理需要登录。"]


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_every_page_at_a_county_of_hanzhong(app_db, page):
    at = open_page(page, scope=HANTAI)
    assert at.session_state["ctx"].scope == HANTAI  # the shared contract: ctx.scope
    assert not [i.value for i in at.main.info if t("no_data", "zh") in i.value]
    if page != "catalog":
        assert names_scope(at, HANTAI), main_texts(at)[:12]
    assert not mentions_ankang(at)


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_a_scope_without_data_shows_the_no_data_state_on_every_page(app_db, page):
    at = open_page(page, scope=GANSU)
    assert at.session_state["ctx"].scope == GANSU  # the shared contract: ctx.scope
    assert not at.main.get("plotly_chart")
    if page == "catalog":  # the catalog describes indicators, the same for every scope
        return
    said = t("scope_no_data", "zh", name="甘肃省", level="省级", code=GANSU)
    assert said in [i.value for i in at.main.info]
    assert said.startswith("**甘肃省**（省级，代码 620000）暂无数据。到「数据管理」导入该地区的数据文件")
    assert not mentions_ankang(at)


# ── drafts ─────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("scope", "name"), [(PROVINCE, "陕西省"), (HANTAI, "汉台区")])
def test_a_draft_for_the_province_and_for_a_county_of_hanzhong(province_db, catalog, scope, name):
    with db.read(province_db) as con:
        draft = build_draft(con, catalog, scope, Period.single(2024), list(W.AREAS))
        stored = (
            con.execute("SELECT region_code, indicator_id, value FROM indicator_values WHERE year = 2024")
            .df()
            .set_index(["region_code", "indicator_id"])["value"]
        )
    text = markdown.to_markdown(draft, catalog)
    assert draft.scope_name == name and text.startswith(f"# {name}")
    # a city of the province is named only where the draft ranks the province's cities (全省各市);
    # a county's draft names no other city's units at all
    sentences = re.split(r"(?<=[。；])", text)
    for sentence in (s for s in sentences if "安康" in s or "汉滨" in s):
        assert scope == PROVINCE and "全省各市" in sentence, sentence
    assert "*（本稿数据为示例数据，非官方统计）*" in text
    assert not re.search(r"(?:^|[。，；])[省市区县]\d{4}年", text)  # 省2024年政府常务会议… was written
    assert len(draft.areas) >= 7, draft.warnings
    plain = [f for f in draft.figures if f.measure == "value" and f.start == f.end == 2024]
    children = set(peers.children(scope, 2024)) if scope == PROVINCE else set()
    assert len(plain) >= 20
    for f in plain:
        assert f.text in text
        assert math.isclose(f.value, stored[(f.region_code, f.indicator_id)], rel_tol=1e-12), f
        # the scope's own figures and its units', nobody else's
        assert f.region_code in queries.scope_codes(scope) or f.region_code in children, f
    issued = int(stored[(scope, "normative_docs_issued")])
    assert f"{issued}件" in text or f"{issued:,}件" in text


def test_a_provinces_total_is_never_called_its_counties_and_its_own_departments(province_db, catalog):
    """全省各县（市、区）和省级各部门 leaves out every city's own level: a city's draft may say it, a province's not."""
    ind = catalog["hearings_held"]
    with db.read(province_db) as con:
        said = {
            scope: {
                Builder(con, catalog, scope, Period.single(2024), False, False).subject(ind, "total", f"k{n}")[1]
                for n in range(40)
            }
            for scope in (PROVINCE, "610900")
        }
    assert "全市各县（市、区）和市级各部门" in said["610900"]
    assert len(said[PROVINCE]) > 3 and not any("各县（市、区）" in words for words in said[PROVINCE]), said


def test_an_autonomous_regions_government_is_the_zizhiqu_and_its_whole_area_quanqu(province_db, catalog):
    """广西壮族自治区: 自治区政府常务会议, 自治区级各部门 (区政府 is a district's), while the whole area is 全区."""
    with db.read(province_db) as con:
        guangxi = Builder(con, catalog, "450000", Period.single(2024), False, False)
        shaanxi = Builder(con, catalog, PROVINCE, Period.single(2024), False, False)
    studies, tasks, hearings = (
        catalog[i] for i in ("exec_meeting_law_studies", "public_commitment_tasks", "hearings_held")
    )
    assert guangxi.subject(studies, "own_level", "k")[1] + "政府" == "自治区政府"
    assert guangxi.subject(tasks, "own_level", "k")[1] == "自治区级各部门"
    assert guangxi.subject(hearings, "total", "k")[1].startswith("全区")
    assert shaanxi.subject(studies, "own_level", "k")[1] == "省"


# ── maps ───────────────────────────────────────────────────────────────────────────────────────
def _reference_children(parent: str | None, level: str, year: int) -> set[str]:
    valid = R.valid_in(R.reference(), year)
    rows = valid[valid["level"] == level]
    return set(rows["code"] if parent is None else rows.loc[rows["parent_code"] == parent, "code"])


def _has_geometry(feature: dict) -> bool:
    geometry = feature.get("geometry") or {}
    return geometry.get("type") in ("Polygon", "MultiPolygon") and len(geometry.get("coordinates", [])) > 0


@pytest.mark.parametrize(
    ("scope", "level", "expected"),
    [
        (PROVINCE, "prefecture", lambda: _reference_children(PROVINCE, "prefecture", 2025)),
        (PROVINCE, "county", lambda: set(queries.county_codes(PROVINCE, 2025))),
        (HANZHONG, "county", lambda: _reference_children(HANZHONG, "county", 2025)),
        (geo.COUNTRY, "province", lambda: _reference_children(None, "province", 2025)),
    ],
)
def test_the_map_of_a_province_and_of_the_country_draws_every_child(scope, level, expected):
    layer = geo.children(scope, 2025, level=level)
    codes = expected()
    assert set(layer.codes) == codes and len(layer.codes) == len(codes)
    assert {"province": 34, "prefecture": 10, "county": 107 if scope == PROVINCE else 11}[level] == len(codes)
    features = {f["id"]: f for f in layer.geojson["features"]}
    assert set(features) == codes
    for code, feature in features.items():
        assert _has_geometry(feature), code
        assert feature["properties"]["name"] == R.name_of(code, 2025), code
    assert layer.unmapped == ()
