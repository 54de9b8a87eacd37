"""Open the DuckDB file for reading, or for one all-or-nothing write; rebuild current values after each write.

Why writes go to a copy: DuckDB lets one process write a file and no other process read it meanwhile.
The dashboard must keep answering while a county's file loads, so a write copies the database,
changes the copy, checkpoints it and renames it over the original (an atomic rename on POSIX).
Readers open the file read-only and keep the version they opened; the next query sees the new one.
A write that dies midway leaves only a stray copy, which the next write removes: the live file
never holds half a load. The copy and its folder are flushed to disk before the rename, so a power
cut cannot publish a half-written file either. Writers queue on a lock file (filelock: POSIX and
Windows alike).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import filelock
import pandas as pd

from rolgov import regions as regions_mod
from rolgov.catalog import ROOT, Catalog, formula_sql, indicator_table

DEFAULT_DB = Path(os.environ.get("ROLGOV_DB", ROOT / "data" / "rolgov.duckdb"))
SCHEMA_VERSION = "1"
LOCK_TIMEOUT_S = 600
REPLACE_RETRY_S = 30

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS batches (
    batch_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_blank INTEGER NOT NULL,
    rows_new INTEGER NOT NULL,
    rows_changed INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    regions VARCHAR NOT NULL,
    years VARCHAR NOT NULL,
    is_sample BOOLEAN NOT NULL,
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR
);
CREATE TABLE IF NOT EXISTS observations (
    batch_id INTEGER NOT NULL,
    region_code VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    indicator_id VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    note VARCHAR,
    source_sheet VARCHAR,
    source_row INTEGER
);
"""

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


def catalog_fingerprint(catalog: Catalog) -> str:
    """Changes when metrics.yml or the region reference changes: then everything is recomputed."""
    digest = hashlib.sha256(catalog.path.read_bytes())
    digest.update(regions_mod.REGIONS_CSV.read_bytes())
    return digest.hexdigest()[:16]


def _reference_tables(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """(Re)write the regions, region tree, indicator and target tables from the files."""
    regions = regions_mod.reference()
    con.register("regions_df", regions)
    con.execute("CREATE OR REPLACE TABLE regions AS SELECT * FROM regions_df")
    con.unregister("regions_df")
    # Every reporting unit (county or own level, canonical code) with each ancestor above it.
    latest = regions.sort_values("valid_from").drop_duplicates("code", keep="last").set_index("code")
    units = latest[latest["level"].isin(["county", "own_level"])]
    pairs: list[tuple[str, str]] = []
    for code in units.index.unique():
        parent = latest.at[code, "parent_code"]
        seen = 0
        while parent and parent in latest.index and seen < 4:
            pairs.append((code, parent))
            parent = latest.at[parent, "parent_code"]
            seen += 1
    tree = pd.DataFrame(pairs, columns=["unit_code", "ancestor_code"])
    con.register("tree_df", tree)
    con.execute("CREATE OR REPLACE TABLE region_tree AS SELECT * FROM tree_df")
    con.unregister("tree_df")
    indicators = indicator_table(catalog)
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
    for name, frame in (("indicators", indicators), ("targets", targets)):
        con.register("tmp_df", frame)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM tmp_df")
        con.unregister("tmp_df")


def _inline_formula(catalog: Catalog, indicator_id: str) -> str:
    """SQL for a derived indicator with any derived ids it names expanded in place."""
    sql = formula_sql(catalog[indicator_id].formula)
    for name in catalog[indicator_id].formula_ids:
        if catalog[name].derived:
            sql = sql.replace(f'"{name}"', f"({_inline_formula(catalog, name)})")
    return sql


def rebuild_current_values(con: duckdb.DuckDBPyConnection, catalog: Catalog, affected: str | None = None) -> None:
    """Materialise current_values: latest non-rolled-back observations, totals, derived values.

    affected names a table of (region_code, year) a change touched: only those years are redone,
    for the touched units, every ancestor above them and every unit those ancestors total. A county
    file loaded into a national database then recomputes one province-year, not two million rows.
    Without it (a new database, a catalog change) everything is rebuilt.

    Totals: for `aggregate: sum` indicators, an ancestor's value is the sum over its units, given
    only when every county-level unit valid that year reported (a partial sum would mislead).
    A value reported directly for the ancestor wins over the sum. Derived indicators are then
    recomputed from components at every level, so ratios are never averaged.
    """
    sum_ids = [i.id for i in catalog.base if i.aggregate == "sum"]
    own_level_ids = [i.id for i in catalog.base if i.aggregate == "sum" and i.own_level]
    base_ids = [i.id for i in catalog.base]
    incremental = affected is not None and has_table(con, "current_values")
    if incremental:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE redo_years AS SELECT DISTINCT year FROM {affected};
            CREATE OR REPLACE TEMP TABLE redo_ancestors AS
                SELECT DISTINCT t.ancestor_code AS region_code FROM region_tree t
                JOIN (SELECT DISTINCT region_code FROM {affected}) a ON a.region_code = t.unit_code;
            CREATE OR REPLACE TEMP TABLE redo_regions AS
                SELECT DISTINCT region_code FROM {affected}
                UNION SELECT region_code FROM redo_ancestors
                UNION SELECT t.unit_code FROM region_tree t
                      JOIN redo_ancestors a ON a.region_code = t.ancestor_code;
            """
        )
        scope = (
            "AND o.year IN (SELECT year FROM redo_years) AND o.region_code IN (SELECT region_code FROM redo_regions)"
        )
    else:
        scope = ""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cur_base AS
        SELECT o.region_code, o.year, o.indicator_id, o.value, o.batch_id, b.is_sample
        FROM observations o JOIN batches b USING (batch_id)
        WHERE b.rolled_back_at IS NULL {scope}
        QUALIFY row_number() OVER (
            PARTITION BY o.region_code, o.year, o.indicator_id ORDER BY o.batch_id DESC) = 1
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cur_totals AS
        WITH years AS (SELECT DISTINCT year FROM cur_base),
        expected AS (
            SELECT t.ancestor_code, y.year, count(DISTINCT r.canonical_code) AS n
            FROM regions r JOIN region_tree t ON t.unit_code = r.canonical_code
            JOIN years y ON coalesce(r.valid_from, 0) <= y.year
                AND (r.valid_to IS NULL OR r.valid_to >= y.year)
            WHERE r.level = 'county'
            GROUP BY ALL
        ),
        sums AS (
            SELECT t.ancestor_code AS region_code, c.year, c.indicator_id, sum(c.value) AS value,
                   max(c.batch_id) AS batch_id, bool_or(c.is_sample) AS is_sample,
                   count(DISTINCT c.region_code) FILTER (WHERE NOT c.region_code LIKE '%BJ') AS n_units,
                   bool_or(c.region_code = t.ancestor_code || 'BJ') AS has_own_level
            FROM cur_base c JOIN region_tree t ON t.unit_code = c.region_code
            WHERE list_contains($sum_ids, c.indicator_id)
            GROUP BY ALL
        )
        SELECT s.region_code, s.year, s.indicator_id, s.value, s.batch_id, s.is_sample
        FROM sums s JOIN expected e ON e.ancestor_code = s.region_code AND e.year = s.year
        WHERE s.n_units = e.n
          AND (s.has_own_level OR NOT list_contains($own_level_ids, s.indicator_id))
          AND NOT EXISTS (SELECT 1 FROM cur_base c WHERE c.region_code = s.region_code
                          AND c.year = s.year AND c.indicator_id = s.indicator_id)
        """,
        {"sum_ids": sum_ids, "own_level_ids": own_level_ids},
    )
    formula_ids = [i for i in base_ids if any(i in _leaf_ids(catalog, d.id) for d in catalog.derived)]
    pivot_cols = (
        ",\n".join(
            f"max(value) FILTER (WHERE indicator_id = '{i}') AS \"{i}\", "
            f"max(batch_id) FILTER (WHERE indicator_id = '{i}') AS \"b__{i}\", "
            f"bool_or(is_sample) FILTER (WHERE indicator_id = '{i}') AS \"s__{i}\""
            for i in formula_ids
        )
        or "NULL AS nothing"
    )
    derived_selects = []
    for ind in catalog.derived_in_dependency_order():
        expr = _inline_formula(catalog, ind.id)
        leaves = _leaf_ids(catalog, ind.id)
        batch = "greatest(" + ", ".join(f'"b__{n}"' for n in leaves) + ")"
        sample = "(" + " OR ".join(f'coalesce("s__{n}", false)' for n in leaves) + ")"
        derived_selects.append(
            f"SELECT region_code, year, '{ind.id}' AS indicator_id, {expr} AS value, "
            f"{batch} AS batch_id, {sample} AS is_sample, 'derived' AS value_kind FROM wide "
            f"WHERE {expr} IS NOT NULL"
        )
    derived_sql = "\nUNION ALL\n".join(derived_selects) or "SELECT * FROM all_base WHERE false"
    target = "TEMP TABLE new_values" if incremental else "TABLE current_values"
    con.execute(
        f"""
        CREATE OR REPLACE {target} AS
        WITH all_base AS (
            SELECT *, 'reported' AS value_kind FROM cur_base
            UNION ALL
            SELECT *, 'total' AS value_kind FROM cur_totals
        ),
        wide AS (
            SELECT region_code, year, {pivot_cols}
            FROM all_base WHERE list_contains($formula_ids, indicator_id) GROUP BY region_code, year
        ),
        everything AS (
            SELECT region_code, year, indicator_id, value, batch_id, is_sample, value_kind FROM all_base
            UNION ALL
            {derived_sql}
        ),
        region_years AS (SELECT DISTINCT region_code, year FROM everything),
        named AS (
            -- the name in force that year, else the latest name; one lookup per (region, year)
            SELECT ry.region_code, ry.year,
                   coalesce(arg_max(n.name_zh, n.valid_from) FILTER (
                                WHERE coalesce(n.valid_from, 0) <= ry.year
                                  AND (n.valid_to IS NULL OR n.valid_to >= ry.year)),
                            arg_max(n.name_zh, n.valid_from), ry.region_code) AS region_name,
                   CASE WHEN ry.region_code LIKE '%BJ' THEN 'own_level'
                        WHEN bool_or(n.level IN ('province', 'prefecture')) THEN 'total'
                        ELSE 'unit' END AS scope
            FROM region_years ry LEFT JOIN regions n ON n.canonical_code = ry.region_code
            GROUP BY ry.region_code, ry.year
        )
        SELECT e.region_code, m.region_name, e.year::SMALLINT AS year, e.indicator_id, e.value,
               e.is_sample, e.batch_id, e.value_kind, m.scope
        FROM everything e JOIN named m USING (region_code, year)
        """,
        {"formula_ids": formula_ids},
    )
    if incremental:
        con.execute(
            """
            DELETE FROM current_values WHERE year IN (SELECT year FROM redo_years)
                AND region_code IN (SELECT region_code FROM redo_regions);
            INSERT INTO current_values SELECT * FROM new_values;
            """
        )
    con.execute(VIEW_SQL)


def has_table(con: duckdb.DuckDBPyConnection, name: str, database: str | None = None) -> bool:
    """Whether a table exists (temporary ones included), optionally in one attached database."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND (? IS NULL OR database_name = ?)",
        [name, database, database],
    ).fetchall()
    return bool(rows[0][0])


def _leaf_ids(catalog: Catalog, indicator_id: str) -> list[str]:
    out: list[str] = []
    for name in catalog[indicator_id].formula_ids:
        for leaf in _leaf_ids(catalog, name) if catalog[name].derived else [name]:
            if leaf not in out:
                out.append(leaf)
    return out


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def _lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextlib.contextmanager
def writer_lock(db_path: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive writer lock for db_path; another writer waits its turn.

    filelock takes an OS lock on the .lock file (flock on POSIX, LockFileEx on Windows), so the lock
    goes with the process: a writer killed midway never leaves the next one waiting.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with filelock.FileLock(_lock_path(db_path), timeout=timeout_s):
            yield
    except filelock.Timeout:
        raise TimeoutError(
            f"数据库正被另一个导入占用 / another load holds {db_path} for over {timeout_s:.0f} s"
        ) from None


def publish(new_file: Path, db_path: Path) -> None:
    """Make new_file the database: flush it and its folder to disk, then rename it over db_path.

    The fsyncs come first so that a power cut after the rename cannot leave a renamed but empty or
    half-written file. Windows refuses to replace a file another process holds open (a reader that
    has not let go yet): try again for a while, then say what to do.
    """
    with open(new_file, "rb+") as handle:
        os.fsync(handle.fileno())
    _fsync_folder(db_path.parent)
    deadline = time.monotonic() + REPLACE_RETRY_S
    while True:
        try:
            os.replace(new_file, db_path)
            break
        except PermissionError:
            if os.name != "nt":
                raise
            if time.monotonic() > deadline:
                raise PermissionError(
                    f"无法替换 {db_path}：另一个程序（如看板）正打开它；关闭后重试 / "
                    f"cannot replace {db_path}: another program (the dashboard?) holds it open; "
                    "close it and try again"
                ) from None
            time.sleep(0.1)
    _fsync_folder(db_path.parent)  # the rename itself


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder with os.open: the file's own flush has to do
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def write(db_path: Path | str, catalog: Catalog) -> Iterator[duckdb.DuckDBPyConnection]:
    """One all-or-nothing change: yields a connection to a copy; commits by renaming it over db_path.

    If the body raises (or the process dies), db_path is exactly as it was.
    """
    db_path = Path(db_path)
    with writer_lock(db_path):
        for stray in db_path.parent.glob(db_path.name + ".writing-*"):
            stray.unlink(missing_ok=True)  # left by a write that died; never the live file
        tmp = db_path.with_name(f"{db_path.name}.writing-{os.getpid()}")
        if db_path.exists():
            with open(db_path, "rb") as src, open(tmp, "wb") as dst:
                while chunk := src.read(1 << 22):
                    dst.write(chunk)
        con = duckdb.connect(str(tmp))
        try:
            con.execute(SCHEMA)
            if not has_table(con, "current_values"):
                _reference_tables(con, catalog)  # a new file: give readers and checks empty tables
                rebuild_current_values(con, catalog)
            con.execute("BEGIN TRANSACTION")
            yield con
            same_catalog = _meta(con, "catalog") == catalog_fingerprint(catalog)
            _reference_tables(con, catalog)
            affected = "affected_keys" if same_catalog and has_table(con, "affected_keys") else None
            rebuild_current_values(con, catalog, affected)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('catalog', ?)",
                [SCHEMA_VERSION, catalog_fingerprint(catalog)],
            )
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            con.close()
            publish(tmp, db_path)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
            raise


def read(db_path: Path | str = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the version of the database current at this moment.

    Why not duckdb.connect(path, read_only=True): DuckDB hands back the instance this process already
    has open for that path, so while any older connection lives (the app caches one), a reader in the
    same process keeps seeing the file a write has since replaced. An in-memory database that attaches
    the file opens the current one; views in its own catalog keep table names unqualified for the
    connection and its cursors.
    """
    con = duckdb.connect()
    con.execute("ATTACH ? AS live (READ_ONLY)", [str(db_path)])
    names = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'live' AND table_schema = 'main'"
    ).fetchall()
    for (name,) in names:
        con.execute(f'CREATE VIEW main."{name}" AS SELECT * FROM live.main."{name}"')
    return con


def data_version(db_path: Path | str = DEFAULT_DB) -> str:
    """Changes whenever a write lands (a new file replaces the old): use it as a cache key."""
    stat = Path(db_path).stat()
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


def stored_fingerprint(db_path: Path | str) -> str | None:
    """The catalog fingerprint a database was last written with (None when it has none or is unreadable)."""
    try:
        with read(db_path) as con:
            rows = con.execute("SELECT value FROM meta WHERE key = 'catalog'").fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None
