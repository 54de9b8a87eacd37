"""What the database derives from its inputs: the reference tables (from metrics.yml and the region
reference) and current_values (from the observations), in full or for the region-years a write touched.

In: a DuckDB connection to the database being written (rolgov.db.write) and the catalog. Out: the
tables regions, region_tree, indicators, targets and current_values, and the view indicator_values.

Current values: the latest live observation of each (region, year, indicator) is the reported value;
for `aggregate: sum` indicators an ancestor's total is the sum over its units, given only when every
county-level unit valid that year reported (a partial sum would mislead) and, for indicators reported
at a government's own level, when that level (本级) reported too; a value reported directly for the
ancestor wins over the sum. The national total (全国, 000000) is the sum of the provinces' values, given
only when every province with county-level units has one. Derived indicators are then recomputed from
their components at every level, so ratios are never averaged.

Why it is built the way it is (a national database holds 2.6 million values a year's worth at a time):
a load that only adds a batch starts from the current values it replaces rather than from every
observation; derived values come from one grouping of their components per region-year (a pivot with
one filtered aggregate per component took seconds); the region tree is built once per region
reference, in SQL, with what the totals need to know about each unit.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from rolgov import regions as regions_mod
from rolgov.catalog import Catalog, formula_sql, indicator_table
from rolgov.regions import COUNTRY

VIEW_SQL = """
CREATE OR REPLACE VIEW indicator_values AS
-- Current values: one row per (region, year, indicator), reported, derived or totalled.
-- region_code: canonical code (旬阳县 610928 is stored as 旬阳市 610981); a code ending in BJ is
--   a government's own level (610900BJ 安康市本级); a prefecture or province code is its whole-area
--   total (610900 全市 = 市本级 + every county).
-- region_name: the name in force in that year. value_kind: reported | total | derived.
-- scope: unit (county-level unit) | own_level (本级) | total (全市/全省).
-- batch_id: the batch that supplied the value (for totals and derived values, the newest batch
--   among their components); is_sample: true when any component comes from the sample data.
SELECT region_code, region_name, year, indicator_id, value, is_sample, batch_id, value_kind, scope
FROM current_values;
"""


def has_table(con: duckdb.DuckDBPyConnection, name: str, database: str | None = None) -> bool:
    """Whether a table exists (temporary ones included), optionally in one attached database."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND (? IS NULL OR database_name = ?)",
        [name, database, database],
    ).fetchall()
    return bool(rows[0][0])


def _table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, temporary: bool = False) -> None:
    con.register("frame_df", frame)
    con.execute(f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {name} AS SELECT * FROM frame_df")
    con.unregister("frame_df")


def reference_tables(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """(Re)write regions, region_tree, indicators and targets from metrics.yml and the region reference.

    region_tree: every reporting unit (county-level unit or 本级, canonical code) with each ancestor
    above it (at most four), as the code's latest row in the reference says, and whether the unit is
    that ancestor's own level.
    """
    _table(con, "regions", regions_mod.reference())
    con.execute(
        """
        CREATE OR REPLACE TABLE region_tree AS
        WITH RECURSIVE latest AS (
            SELECT code, arg_max(parent_code, valid_from) AS parent_code, arg_max(level, valid_from) AS level
            FROM regions GROUP BY code
        ),
        walk(unit_code, ancestor_code, depth) AS (
            SELECT u.code, u.parent_code, 1 FROM latest u JOIN latest p ON p.code = u.parent_code
            WHERE u.level IN ('county', 'own_level')
            UNION ALL
            SELECT w.unit_code, p.parent_code, w.depth + 1
            FROM walk w JOIN latest p ON p.code = w.ancestor_code JOIN latest pp ON pp.code = p.parent_code
            WHERE w.depth < 4
        )
        SELECT unit_code, ancestor_code, unit_code = ancestor_code || 'BJ' AS own_level FROM walk
        ORDER BY unit_code, depth
        """
    )
    _table(con, "indicators", indicator_table(catalog))
    targets = pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "level": t.level,
                "value": t.value,
                "basis": t.basis,
                "note_zh": t.note_zh,
                "from_year": t.from_year,
                "to_year": t.to_year,
            }
            for i in catalog
            for t in i.targets
        ],
        columns=["indicator_id", "level", "value", "basis", "note_zh", "from_year", "to_year"],
    )
    _table(con, "targets", targets)


def _inline_formula(catalog: Catalog, indicator_id: str) -> str:
    """SQL for a derived indicator with any derived ids it names expanded in place."""
    sql = formula_sql(catalog[indicator_id].formula)
    for name in catalog[indicator_id].formula_ids:
        if catalog[name].derived:
            sql = sql.replace(f'"{name}"', f"({_inline_formula(catalog, name)})")
    return sql


def _leaf_ids(catalog: Catalog, indicator_id: str) -> list[str]:
    out: list[str] = []
    for name in catalog[indicator_id].formula_ids:
        for leaf in _leaf_ids(catalog, name) if catalog[name].derived else [name]:
            if leaf not in out:
                out.append(leaf)
    return out


def rebuild_current_values(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    affected: str | None = None,
    appended: int | None = None,
    observations_unchanged: bool = False,
) -> None:
    """Materialise current_values: latest non-rolled-back observations, totals, derived values.

    affected names a table of (region_code, year) a change touched: only those years are redone,
    for the touched units, every ancestor above them and every unit those ancestors total. A county
    file loaded into a national database then recomputes one province-year, not two million rows.
    appended, with affected, says the change was one new batch and nothing else: the reported values
    are then the current ones with that batch's on top, without a look at older observations.
    Without affected (a new database, a catalog change) everything is rebuilt. observations_unchanged
    says the write changed no observation or batch (a catalog or region reference change alone): the
    latest value of each key is then the reported current values as they stand, since which observation
    is the latest depends on neither file, and the grouping of every observation is skipped.
    """
    incremental = affected is not None and has_table(con, "current_values")
    if incremental:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE redo_years AS SELECT DISTINCT year FROM {affected};
            CREATE OR REPLACE TEMP TABLE redo_ancestors AS
                SELECT DISTINCT t.ancestor_code AS region_code FROM region_tree t
                JOIN (SELECT DISTINCT region_code FROM {affected}) a ON a.region_code = t.unit_code;
            -- the units those ancestors total: each of their values is read again
            CREATE OR REPLACE TEMP TABLE redo_units AS
                SELECT DISTINCT region_code FROM {affected}
                UNION SELECT t.unit_code FROM region_tree t
                      JOIN redo_ancestors a ON a.region_code = t.ancestor_code;
            -- and every total over them is redone, not only the touched units' own ancestors: a county of
            -- 汉中市 redoes 陕西省, whose units are 西安市's too, so 西安市's totals are recomputed as well and
            -- must leave first (else they would be there twice); the national total sums every province
            CREATE OR REPLACE TEMP TABLE redo_regions AS
                SELECT region_code FROM redo_units
                UNION SELECT t.ancestor_code FROM region_tree t JOIN redo_units u ON u.region_code = t.unit_code
                UNION SELECT '{COUNTRY}';
            """
        )
    _reported(con, incremental, appended, observations_unchanged and has_table(con, "current_values"))
    _totals(con, catalog)
    _country(con, incremental)
    _derived(con, catalog)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE region_names AS
        -- the name in force that year, else the latest name; one lookup per (region, year)
        WITH region_years AS (
            SELECT DISTINCT region_code, year FROM cur_base UNION SELECT DISTINCT region_code, year FROM cur_totals
        )
        SELECT ry.region_code, ry.year,
               CASE WHEN ry.region_code = '{COUNTRY}' THEN '全国'
                    ELSE coalesce(arg_max(n.name_zh, n.valid_from) FILTER (
                                      WHERE coalesce(n.valid_from, 0) <= ry.year
                                        AND (n.valid_to IS NULL OR n.valid_to >= ry.year)),
                                  arg_max(n.name_zh, n.valid_from), ry.region_code) END AS region_name,
               -- the level in force that year, else the latest: a code once a city's and now a district's
               -- (沙市市 -> 沙市区 421002, 东川市 -> 东川区 530113, 石河子市 659001) is a unit today
               CASE WHEN ry.region_code LIKE '%BJ' THEN 'own_level' WHEN ry.region_code = '{COUNTRY}' THEN 'total'
                    WHEN coalesce(arg_max(n.level, n.valid_from) FILTER (
                                      WHERE coalesce(n.valid_from, 0) <= ry.year
                                        AND (n.valid_to IS NULL OR n.valid_to >= ry.year)),
                                  arg_max(n.level, n.valid_from)) IN ('province', 'prefecture') THEN 'total'
                    ELSE 'unit' END AS scope
        FROM region_years ry LEFT JOIN regions n ON n.canonical_code = ry.region_code
        GROUP BY ry.region_code, ry.year
        """
    )
    if incremental:  # the region-years redone leave, and come back recomputed
        con.execute(
            "DELETE FROM current_values WHERE year IN (SELECT year FROM redo_years) "
            "AND region_code IN (SELECT region_code FROM redo_regions)"
        )
    con.execute(
        f"""
        {"INSERT INTO current_values" if incremental else "CREATE OR REPLACE TABLE current_values AS"}
        SELECT e.region_code, m.region_name, e.year::SMALLINT AS year, e.indicator_id, e.value,
               e.is_sample, e.batch_id, e.value_kind, m.scope
        FROM (
            SELECT *, 'reported' AS value_kind FROM cur_base
            UNION ALL SELECT *, 'total' AS value_kind FROM cur_totals
            UNION ALL SELECT *, 'derived' AS value_kind FROM cur_derived
        ) e JOIN region_names m USING (region_code, year)
        """
    )
    con.execute(VIEW_SQL)


def _reported(con: duckdb.DuckDBPyConnection, incremental: bool, appended: int | None, unchanged: bool) -> None:
    """The view cur_base: the reported values of the region-years to redo (all of them for a full rebuild).

    After one appended batch it is the batch's rows as stored plus the current values of the
    region-years it leaves as they are (kept aside first: the current values of those years are
    replaced), so a national file's millions of rows are not copied once more.
    """
    if incremental and appended is not None:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE kept_values AS
            SELECT c.region_code, c.year, c.indicator_id, c.value, c.batch_id, c.is_sample
            FROM current_values c
            WHERE c.value_kind = 'reported' AND c.year IN (SELECT year FROM redo_years)
              AND c.region_code IN (SELECT region_code FROM redo_regions)
              AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.batch_id = $batch
                              AND o.region_code = c.region_code AND o.year = c.year
                              AND o.indicator_id = c.indicator_id)
            """,
            {"batch": appended},
        )
        sample = con.execute("SELECT is_sample FROM batches WHERE batch_id = ?", [appended]).fetchall()[0][0]
        con.execute(
            f"""
            CREATE OR REPLACE TEMP VIEW cur_base AS
            SELECT region_code, year, indicator_id, value, batch_id, {bool(sample)} AS is_sample
            FROM observations WHERE batch_id = {int(appended)}
            UNION ALL SELECT * FROM kept_values
            """
        )
        return
    if unchanged and not incremental:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE latest_values AS
            SELECT region_code, year, indicator_id, value, batch_id, is_sample FROM current_values
            WHERE value_kind = 'reported';
            CREATE OR REPLACE TEMP VIEW cur_base AS SELECT * FROM latest_values
            """
        )
        return
    scope = (
        "AND o.year IN (SELECT year FROM redo_years) AND o.region_code IN (SELECT region_code FROM redo_regions)"
        if incremental
        else ""
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE latest_values AS
        SELECT l.region_code, l.year, l.indicator_id, l.value, l.batch_id, b.is_sample
        FROM (
            SELECT o.region_code, o.year, o.indicator_id, arg_max(o.value, o.batch_id) AS value,
                   max(o.batch_id) AS batch_id
            FROM observations o
            WHERE o.batch_id IN (SELECT batch_id FROM batches WHERE rolled_back_at IS NULL) {scope}
            GROUP BY ALL
        ) l JOIN batches b USING (batch_id);
        CREATE OR REPLACE TEMP VIEW cur_base AS SELECT * FROM latest_values
        """
    )


def _totals(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """cur_totals: sums up the region tree, where every county-level unit (and the 本级 where the
    indicator is reported at that level) gave a value and no value was reported for the ancestor; a
    city without county-level units totals its 本级 alone."""
    sums = pd.DataFrame(
        [(i.id, bool(i.own_level)) for i in catalog.base if i.aggregate == "sum"], columns=["indicator_id", "own"]
    )
    _table(con, "sum_indicators", sums, temporary=True)
    con.execute(  # values reported for an ancestor itself (a city's total given directly), which win
        "CREATE OR REPLACE TEMP TABLE reported_totals AS SELECT region_code, year, indicator_id FROM cur_base "
        "WHERE region_code IN (SELECT ancestor_code FROM region_tree)"
    )
    con.execute(
        """
        -- how many county-level units each ancestor has in each year of the values
        CREATE OR REPLACE TEMP TABLE expected_units AS
        WITH years AS (SELECT DISTINCT year FROM cur_base)
        SELECT t.ancestor_code, y.year, count(DISTINCT r.canonical_code) AS n
        FROM regions r JOIN region_tree t ON t.unit_code = r.canonical_code
        JOIN years y ON coalesce(r.valid_from, 0) <= y.year
            AND (r.valid_to IS NULL OR r.valid_to >= y.year)
        WHERE r.level = 'county'
        GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE cur_totals AS
        WITH sums AS (
            -- each (unit, year, indicator) is one row of cur_base, so rows count units; summed as decimals,
            -- so that a total does not depend on the order the rows come in (251.9, never 251.89999999999998)
            SELECT t.ancestor_code AS region_code, c.year, c.indicator_id,
                   sum(c.value::DECIMAL(38, 10))::DOUBLE AS value,
                   max(c.batch_id) AS batch_id, bool_or(c.is_sample) AS is_sample,
                   count(*) FILTER (WHERE NOT c.region_code LIKE '%BJ') AS n_units,
                   bool_or(t.own_level) AS has_own_level, any_value(s.own) AS own
            FROM cur_base c JOIN region_tree t ON t.unit_code = c.region_code
            JOIN sum_indicators s ON s.indicator_id = c.indicator_id
            GROUP BY ALL
        )
        -- a city with no county-level unit at all (东莞, 中山, 儋州, 嘉峪关) is its 本级 alone
        SELECT s.region_code, s.year, s.indicator_id, s.value, s.batch_id, s.is_sample
        FROM sums s LEFT JOIN expected_units e ON e.ancestor_code = s.region_code AND e.year = s.year
        WHERE s.n_units = coalesce(e.n, 0) AND (s.has_own_level OR NOT s.own)
          AND NOT EXISTS (SELECT 1 FROM reported_totals r WHERE r.region_code = s.region_code
                          AND r.year = s.year AND r.indicator_id = s.indicator_id)
        """
    )


def _country(con: duckdb.DuckDBPyConnection, incremental: bool) -> None:
    """The national total (全国, COUNTRY) joins cur_totals: the sum of the provinces' values, given only when
    every province with county-level units that year has one (a total or a value reported for it), and
    no value was reported for the country itself. 港澳台 have no county-level units in the reference, so
    the total is the mainland's. After a change to some provinces, the others' values are their current
    ones, which the change leaves as they are."""
    others = (
        """UNION ALL
            SELECT region_code, year, indicator_id, value, batch_id, is_sample FROM current_values
            WHERE value_kind IN ('reported', 'total') AND year IN (SELECT year FROM redo_years)
              AND region_code IN (SELECT region_code FROM provinces)
              AND region_code NOT IN (SELECT region_code FROM redo_regions)"""
        if incremental
        else ""
    )
    con.execute(
        f"""
        INSERT INTO cur_totals
        WITH provinces AS (
            SELECT e.ancestor_code AS region_code, e.year FROM expected_units e
            WHERE e.n > 0 AND e.ancestor_code IN (SELECT canonical_code FROM regions WHERE level = 'province')
        ),
        expected AS (SELECT year, count(*) AS n FROM provinces GROUP BY year),
        province_values AS (
            SELECT region_code, year, indicator_id, value, batch_id, is_sample FROM cur_base
            WHERE region_code IN (SELECT region_code FROM provinces)
            UNION ALL
            SELECT region_code, year, indicator_id, value, batch_id, is_sample FROM cur_totals
            WHERE region_code IN (SELECT region_code FROM provinces)
            {others}
        ),
        sums AS (
            SELECT v.year, v.indicator_id, sum(v.value::DECIMAL(38, 10))::DOUBLE AS value,
                   max(v.batch_id) AS batch_id, bool_or(v.is_sample) AS is_sample, count(*) AS n
            FROM province_values v JOIN provinces p USING (region_code, year)
            WHERE v.indicator_id IN (SELECT indicator_id FROM sum_indicators)
            GROUP BY ALL
        )
        SELECT '{COUNTRY}' AS region_code, s.year, s.indicator_id, s.value, s.batch_id, s.is_sample
        FROM sums s JOIN expected e USING (year)
        WHERE s.n = e.n AND NOT EXISTS (SELECT 1 FROM cur_base r WHERE r.region_code = '{COUNTRY}'
                                        AND r.year = s.year AND r.indicator_id = s.indicator_id)
        """
    )


def _derived(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """cur_derived: every derived indicator from its leaf components, at every level that has them.

    The components of each derived indicator are gathered once per region-year (v1, v2 … in the order
    of the formula's leaves), with the newest batch and whether any is sample data among them.
    """
    derived = catalog.derived_in_dependency_order()
    leaves = pd.DataFrame(
        [(d.id, leaf, n) for d in derived for n, leaf in enumerate(_leaf_ids(catalog, d.id), start=1)],
        columns=["derived_id", "leaf_id", "pos"],
    )
    if leaves.empty:
        con.execute("CREATE OR REPLACE TEMP TABLE cur_derived AS SELECT * FROM cur_base WHERE false")
        return
    _table(con, "formula_leaves", leaves, temporary=True)
    width = int(leaves["pos"].max())
    values = ", ".join(f"max(a.value) FILTER (WHERE f.pos = {n}) AS v{n}" for n in range(1, width + 1))
    selects = []
    for ind in derived:
        expr = _inline_formula(catalog, ind.id)
        for n, leaf in enumerate(_leaf_ids(catalog, ind.id), start=1):
            expr = expr.replace(f'"{leaf}"', f"v{n}")
        selects.append(
            f"SELECT region_code, year, derived_id AS indicator_id, {expr} AS value, batch_id, is_sample "
            f"FROM components WHERE derived_id = '{ind.id}' AND {expr} IS NOT NULL"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE components AS
        SELECT a.region_code, a.year, f.derived_id, {values},
               max(a.batch_id) AS batch_id, bool_or(a.is_sample) AS is_sample
        FROM (SELECT * FROM cur_base UNION ALL SELECT * FROM cur_totals) a
        JOIN formula_leaves f ON f.leaf_id = a.indicator_id
        GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE cur_derived AS {" UNION ALL ".join(selects)}
        """
    )
