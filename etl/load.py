"""Check files, load them into DuckDB, one batch per file, all or nothing; list batches; roll one back.

A file with any problem loads nothing. The same file (same sha256) loaded twice changes nothing.
A new value for a stored (region, year, indicator) supersedes the old one, which stays in
`observations`; rolling a batch back marks it, so its values leave the current view and the
values it had superseded come back. Nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import problems as P
from etl import sandbox
from etl.checked import Checked, Limits, basis
from etl.validate import CLEAN_COLUMNS
from rolgov import db, queries
from rolgov import regions as R
from rolgov.catalog import Catalog


@dataclass
class LoadResult:
    file: str
    status: str  # loaded | unchanged | refused
    batch_id: int | None = None
    rows_read: int = 0
    rows_blank: int = 0
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    problems: pd.DataFrame = field(default_factory=P.empty)  # the first ROLGOV_PROBLEMS_LISTED
    counts: dict[str, int] = field(default_factory=dict)  # problems per rule, all of them
    skipped: dict[str, int] = field(default_factory=dict)  # rows of a candidates file not loaded, by reason
    sha256: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for the benchmarks
    child_peak_mb: float = 0.0  # the checking child's peak memory
    child_cpu_s: float = 0.0  # and the CPU seconds it used
    reused_check: bool = False  # an earlier check (checked=) was loaded from, no child ran


# the shape of the rows a check hands back (etl.validate's clean_rows)
HAND_BACK = list(
    zip(CLEAN_COLUMNS, ["VARCHAR", "SMALLINT", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "INTEGER"], strict=True)
)


class Refused(Exception):
    """Raised inside a write to abandon it; the database stays as it was."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def check(
    path: Path | str,
    catalog: Catalog,
    db_path: Path | str | None = None,
    scope_root: str = R.DEFAULT_SCOPE,
    allowed_regions: set[str] | None = None,
    display_name: str | None = None,
    limits: Limits | None = None,
    **options,
) -> Checked:
    """Read and validate one file in the checking child against the stored data, without writing.

    options (sandbox.checking): annotate, want_clean, want_changes, sha256.
    """
    return sandbox.check(
        path,
        catalog,
        name=display_name,
        db_path=db_path,
        scope_root=scope_root,
        allowed_regions=allowed_regions,
        limits=limits,
        **options,
    )


def check_file(path: Path | str, catalog: Catalog, db_path: Path | str | None = None, **where):
    """check() with the clean rows; returns (checked, clean rows, problems, blank values). `where`: check()'s
    scope_root, allowed_regions, display_name and limits."""
    checked = check(path, catalog, db_path, **where, want_clean=True)
    clean = checked.clean if checked.clean is not None else pd.DataFrame(columns=CLEAN_COLUMNS)
    return checked, clean, checked.problems, checked.blank


def load_file(
    path: Path | str,
    db_path: Path | str,
    catalog: Catalog,
    user: str | None = None,
    is_sample: bool | None = None,
    scope_root: str = R.DEFAULT_SCOPE,
    allowed_regions: set[str] | None = None,
    display_name: str | None = None,
    progress: Callable[[str], None] | None = None,
    limits: Limits | None = None,
    checked: Checked | None = None,
) -> LoadResult:
    """Check one file against the database it lands in and load it as one batch; refuse it whole on any problem.

    Under the writer lock, the checking child reads and validates the file against the live database
    (read-only) while this process copies it; the rows the child hands back (Parquet) were therefore
    checked against exactly the data they join, and are inserted without being checked twice. The
    batch's sha256 is that of the bytes the child read.

    checked: an earlier check of this file that kept its rows (check(..., keep_rows=True): the upload
    page's preview). It is used instead of a new check when, under the lock, the file's bytes (sha256),
    the database's version and the catalog, scope and allowed regions are those it was made with.
    """
    path, db_path = Path(path), Path(db_path)
    name = display_name or path.name
    say = progress or (lambda _msg: None)
    limits = limits or Limits.from_env()
    sample = name.startswith("sample_") if is_sample is None else is_sample
    result = LoadResult(name, "refused")
    started = time.perf_counter()
    with db.writer_lock(db_path):
        result.phases["lock"] = time.perf_counter() - started
        options = {"name": name, "db_path": db_path, "scope_root": scope_root, "allowed_regions": allowed_regions}
        with _check_for_load(path, catalog, checked, options, limits) as (outcome, result.reused_check):
            try:
                with db.write(db_path, catalog, result.phases, locked=True) as con:
                    checked = _checked(con, outcome, db_path, result, say)
                    _insert(con, checked, name, sample, user, result, say)
            except Refused:
                pass
    return result


@contextlib.contextmanager
def _check_for_load(path: Path, catalog: Catalog, earlier: Checked | None, options: dict, limits: Limits):
    """Yields a function giving the check to load from, and whether it is the earlier one: that one when
    it still holds (its rows written back to a private folder), else a new one the child starts now."""
    db_path = Path(options["db_path"])
    version = db.data_version(db_path) if db_path.exists() else ""
    expected = basis(db.catalog_fingerprint(catalog), options["scope_root"], options["allowed_regions"])
    if (
        earlier is not None
        and earlier.ok
        and earlier.clean_parquet is not None
        and earlier.keys_parquet is not None
        and (earlier.db_version, earlier.basis) == (version, expected)
        and earlier.sha256 == sha256_of(path)
    ):
        with tempfile.TemporaryDirectory(prefix="rolgov-load-") as folder:
            clean, keys = Path(folder) / "clean.parquet", Path(folder) / "keys.parquet"
            clean.write_bytes(earlier.clean_parquet)
            keys.write_bytes(earlier.keys_parquet)
            yield (lambda: dataclasses.replace(earlier, clean_file=clean, keys_file=keys, phases={})), True
        return
    with sandbox.checking(path, catalog, **options, hand_back=True, limits=limits) as outcome:
        yield outcome, False


def _checked(con, outcome: Callable[[], Checked], db_path: Path, result: LoadResult, say) -> Checked:
    """Wait for the check the child ran meanwhile; the same bytes loaded before change nothing; refuse on
    problems; make sure the check saw this very database."""
    started = time.perf_counter()
    checked = outcome()
    result.phases["check_wait"] = time.perf_counter() - started
    result.phases |= {f"child_{k}": v for k, v in checked.phases.items()}
    result.rows_read, result.rows_blank, result.skipped = checked.rows_read, checked.blank, checked.skipped
    result.sha256, result.child_peak_mb, result.child_cpu_s = checked.sha256, checked.peak_mb, checked.cpu_s
    done = con.execute(
        "SELECT batch_id FROM batches WHERE sha256 = ? AND rolled_back_at IS NULL", [checked.sha256]
    ).fetchall()
    if checked.sha256 and done:
        result.status, result.batch_id = "unchanged", done[0][0]
        raise Refused
    if not checked.ok:
        result.problems, result.counts = checked.problems, checked.counts or P.counts_of(checked.problems)
        raise Refused
    say(f"  读取 / reading ({checked.kind}{', ' + checked.encoding if checked.encoding else ''})")
    live = db.data_version(db_path) if db_path.exists() else ""
    if checked.db_version != live:  # the writer lock keeps the live file as it is: this would be a bug
        raise RuntimeError(f"the check saw database version {checked.db_version}, the write {live}")
    return checked


def _insert(con, checked: Checked, name: str, sample: bool, user: str | None, result: LoadResult, say) -> None:
    """The batch row, its observations from the child's Parquet, and what the rebuild has to redo."""
    started = time.perf_counter()
    clean, keys = _sql_path(checked.clean_file), _sql_path(checked.keys_file)
    shape = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{clean}')").fetchall()
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{clean}')").fetchall()[0][0]
    if [(c[0], c[1]) for c in shape] != HAND_BACK or rows != checked.values:
        raise RuntimeError(f"the checked rows came back as {shape} ({rows:,} rows, {checked.values:,} checked)")
    say(f"  校验通过 {rows:,} 个数值 / {rows:,} values passed the checks")
    counts = checked.change_counts
    batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchall()[0][0]
    regions = con.execute(f"SELECT DISTINCT region_code FROM read_parquet('{keys}') ORDER BY 1 LIMIT 51")
    regions = [r[0] for r in regions.fetchall()]
    first, last = con.execute(f"SELECT min(year), max(year) FROM read_parquet('{keys}')").fetchall()[0]
    con.execute(
        "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        [
            batch_id,
            name,
            checked.sha256,
            dt.datetime.now(),
            user or default_user(),
            checked.rows_read,
            checked.blank,
            int(counts.get("new", 0)),
            int(counts.get("changed", 0)),
            int(counts.get("unchanged", 0)),
            ",".join(regions[:50]) + ("…" if len(regions) > 50 else ""),
            f"{first}–{last}" if first is not None else "",
            sample,
        ],
    )
    con.execute(
        "INSERT INTO observations SELECT ?, region_code, year, indicator_id, value, note, source_sheet, source_row "
        f"FROM read_parquet('{clean}')",
        [batch_id],
    )
    # what the rebuild of current values has to redo, and that it is one batch on top (db.write reads these)
    con.execute(
        f"CREATE TEMP TABLE affected_keys AS SELECT DISTINCT region_code, year FROM read_parquet('{keys}');"
        f"CREATE TEMP TABLE appended_batch AS SELECT {int(batch_id)} AS batch_id"
    )
    result.phases["insert"] = time.perf_counter() - started
    say("  重算汇总与计算指标 / recomputing totals and derived indicators")
    result.status, result.batch_id = "loaded", batch_id
    result.rows_new = int(counts.get("new", 0))
    result.rows_changed = int(counts.get("changed", 0))
    result.rows_unchanged = int(counts.get("unchanged", 0))


def _sql_path(path: Path | None) -> str:
    return str(path).replace("'", "''")


def history(db_path: Path | str) -> pd.DataFrame:
    """Every batch, oldest first (rolgov.queries.batches)."""
    with db.read(db_path) as con:
        return queries.batches(con)


def rollback_effect(db_path: Path | str, batch_id: int) -> pd.DataFrame:
    """What rolling a batch back would change: each current value it supplies, and what replaces it."""
    with db.read(db_path) as con:
        return _rollback_effect(con, batch_id)


def _rollback_effect(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    return con.execute(
        """
        WITH live AS (
            SELECT o.*, row_number() OVER (PARTITION BY region_code, year, indicator_id
                                           ORDER BY o.batch_id DESC) AS rank_now
            FROM observations o JOIN batches b USING (batch_id) WHERE b.rolled_back_at IS NULL
        ),
        affected AS (SELECT * FROM live WHERE batch_id = $batch AND rank_now = 1),
        fallback AS (
            SELECT l.region_code, l.year, l.indicator_id, l.value, l.batch_id,
                   row_number() OVER (PARTITION BY l.region_code, l.year, l.indicator_id
                                      ORDER BY l.batch_id DESC) AS r
            FROM live l WHERE l.batch_id <> $batch
        )
        SELECT a.region_code, a.year, a.indicator_id, a.value AS current_value,
               f.value AS value_after, f.batch_id AS batch_after,
               CASE WHEN f.value IS NULL THEN 'removed' WHEN f.value = a.value THEN 'unchanged'
                    ELSE 'restored' END AS status
        FROM affected a LEFT JOIN fallback f ON f.region_code = a.region_code AND f.year = a.year
             AND f.indicator_id = a.indicator_id AND f.r = 1
        ORDER BY a.region_code, a.year, a.indicator_id
        """,
        {"batch": batch_id},
    ).df()


def rollback(db_path: Path | str, batch_id: int, catalog: Catalog, user: str | None = None) -> pd.DataFrame:
    """Mark a batch rolled back; return the effect. Raises ValueError for an unknown or undone batch."""
    with db.write(db_path, catalog) as con:
        row = con.execute("SELECT rolled_back_at FROM batches WHERE batch_id = ?", [batch_id]).fetchall()
        row = row[0] if row else None
        if row is None:
            raise ValueError(f"批次 {batch_id} 不存在 / batch {batch_id} does not exist; see `python -m etl history`")
        if row[0] is not None:
            raise ValueError(
                f"批次 {batch_id} 已于 {row[0]:%Y-%m-%d %H:%M} 回滚 / batch {batch_id} was already rolled back"
            )
        effect = _rollback_effect(con, batch_id)
        con.execute(
            "CREATE TEMP TABLE affected_keys AS SELECT DISTINCT region_code, year FROM observations WHERE batch_id = ?",
            [batch_id],
        )
        con.execute(
            "UPDATE batches SET rolled_back_at = ?, rolled_back_by = ? WHERE batch_id = ?",
            [dt.datetime.now(), user or default_user(), batch_id],
        )
    return effect
