"""Check files, load them into DuckDB, one batch per file, all or nothing; list batches; roll one back.

A file with any problem loads nothing. The same file (same sha256) loaded twice changes nothing.
A new value for a stored (region, year, indicator) supersedes the old one, which stays in
`observations`; rolling a batch back marks it, so its values leave the current view and the
values it had superseded come back. Nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import problems as P
from etl import sandbox
from etl.checked import Checked, Limits
from etl.validate import CLEAN_COLUMNS, changes_sql, validate
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

    options (sandbox.check): annotate, want_clean, want_changes, sha256.
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


def check_file(
    path: Path | str,
    catalog: Catalog,
    db_path: Path | str | None = None,
    scope_root: str = R.DEFAULT_SCOPE,
    allowed_regions: set[str] | None = None,
    display_name: str | None = None,
    limits: Limits | None = None,
):
    """check() with the clean rows; returns (checked, clean rows, problems, blank values)."""
    checked = check(path, catalog, db_path, scope_root, allowed_regions, display_name, limits, want_clean=True)
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
) -> LoadResult:
    """Validate and load one file as one batch inside one write; refuse it whole on any problem.

    The file is read in the checking child (etl.sandbox); its rows come back as text and are
    validated here, inside the write, against the data as they are at that moment.
    """
    path, db_path = Path(path), Path(db_path)
    name = display_name or path.name
    say = progress or (lambda _msg: None)
    limits = limits or Limits.from_env()
    digest = sha256_of(path)
    sample = name.startswith("sample_") if is_sample is None else is_sample
    with sandbox.read(path, name=name, limits=limits) as raw:
        if not raw.problems.empty:
            return LoadResult(name, "refused", problems=raw.problems, counts=raw.counts or P.counts_of(raw.problems))
        say(f"  读取 / reading ({raw.kind}{', ' + raw.encoding if raw.encoding else ''})")
        return _load(raw, digest, sample, db_path, catalog, user, scope_root, allowed_regions, say, limits)


def _load(raw, digest, sample, db_path, catalog, user, scope_root, allowed_regions, say, limits) -> LoadResult:
    result = LoadResult(raw.name, "refused")
    try:
        with db.write(db_path, catalog) as con:
            done = con.execute(
                "SELECT batch_id FROM batches WHERE sha256 = ? AND rolled_back_at IS NULL", [digest]
            ).fetchall()
            if done:
                result.status, result.batch_id = "unchanged", done[0][0]
                raise Refused
            con.execute(
                "CREATE OR REPLACE TEMP VIEW reported_now AS SELECT * FROM current_values WHERE value_kind = 'reported'"
            )
            checked = validate(
                raw.source,
                catalog,
                con,
                scope_root,
                allowed_regions,
                "reported_now",
                return_clean=False,
                listed=limits.problems_listed,
                file_name=raw.name,
            )
            blank = checked.blank
            result.rows_blank = blank
            result.rows_read = con.execute("SELECT count(*) FROM raw_rows").fetchall()[0][0]
            if not checked.ok:
                result.problems, result.counts = checked.problems, checked.counts
                raise Refused
            # counted in DuckDB: millions of rows need not come back to Python for three numbers
            counts = dict(
                con.execute(f"SELECT status, count(*) FROM ({changes_sql('clean_rows')}) GROUP BY ALL").fetchall()
            )
            n_values = sum(counts.values())
            say(f"  校验通过 {n_values:,} 个数值 / {n_values:,} values passed the checks")
            batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batches").fetchall()[0][0]
            regions = [r[0] for r in con.execute("SELECT DISTINCT region_code FROM clean_rows ORDER BY 1").fetchall()]
            years = [int(r[0]) for r in con.execute("SELECT DISTINCT year FROM clean_rows ORDER BY 1").fetchall()]
            con.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [
                    batch_id,
                    raw.name,
                    digest,
                    dt.datetime.now(),
                    user or default_user(),
                    result.rows_read,
                    blank,
                    int(counts.get("new", 0)),
                    int(counts.get("changed", 0)),
                    int(counts.get("unchanged", 0)),
                    ",".join(regions[:50]) + ("…" if len(regions) > 50 else ""),
                    f"{years[0]}–{years[-1]}" if years else "",
                    sample,
                ],
            )
            con.execute(
                "INSERT INTO observations SELECT ?, region_code, year, indicator_id, value, note, "
                "source_sheet, source_row FROM clean_rows",
                [batch_id],
            )
            # what the rebuild of current values has to redo (db.write reads this table)
            con.execute("CREATE TEMP TABLE affected_keys AS SELECT DISTINCT region_code, year FROM clean_rows")
            say("  重算汇总与计算指标 / recomputing totals and derived indicators")
            result.status, result.batch_id = "loaded", batch_id
            result.rows_new = int(counts.get("new", 0))
            result.rows_changed = int(counts.get("changed", 0))
            result.rows_unchanged = int(counts.get("unchanged", 0))
    except Refused:
        pass
    return result


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
