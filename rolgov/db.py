"""Open the DuckDB file for reading, or for one all-or-nothing write; current values are rebuilt after each
write (rolgov/current.py), for the region-years it touched.

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

from rolgov import regions as regions_mod
from rolgov.catalog import ROOT, Catalog
from rolgov.current import has_table, rebuild_current_values, reference_tables  # write() looks them up here

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


def catalog_fingerprint(catalog: Catalog) -> str:
    """Changes when metrics.yml or the region reference changes: then everything is recomputed."""
    digest = hashlib.sha256(catalog.path.read_bytes())
    digest.update(regions_mod.REGIONS_CSV.read_bytes())
    return digest.hexdigest()[:16]


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
def write(
    db_path: Path | str, catalog: Catalog, phases: dict[str, float] | None = None, locked: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """One all-or-nothing change: yields a connection to a copy; commits by renaming it over db_path.

    If the body raises (or the process dies), db_path is exactly as it was. After the body, current
    values are recomputed (rolgov.current): everything, with the reference tables rewritten, when
    metrics.yml or the region reference changed since the last write (the fingerprint in `meta`);
    otherwise only the region-years the body lists in a temp table affected_keys (region_code, year),
    starting from the current values when it adds one batch and nothing else and says so in a temp
    table appended_batch (batch_id). A write that lists nothing changed no data (a catalog change
    alone): its full rebuild starts from the reported current values rather than every observation.

    locked: the caller already holds writer_lock(db_path). phases: seconds per step are added to it
    (copy, open, body, reference, rebuild, checkpoint, publish), for the benchmarks.
    """
    db_path = Path(db_path)
    phases = {} if phases is None else phases
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock[0]
        clock[0] = now

    with contextlib.nullcontext() if locked else writer_lock(db_path):
        for stray in db_path.parent.glob(db_path.name + ".writing-*"):
            stray.unlink(missing_ok=True)  # left by a write that died; never the live file
        tmp = db_path.with_name(f"{db_path.name}.writing-{os.getpid()}")
        if db_path.exists():
            with open(db_path, "rb") as src, open(tmp, "wb") as dst:
                while chunk := src.read(1 << 22):
                    dst.write(chunk)
        lap("copy")
        con = duckdb.connect(str(tmp))
        try:
            con.execute(SCHEMA)
            fingerprint = catalog_fingerprint(catalog)
            if not has_table(con, "current_values"):  # a new file: give readers and checks empty tables
                reference_tables(con, catalog)
                rebuild_current_values(con, catalog)
                _set_meta(con, fingerprint)
            con.execute("BEGIN TRANSACTION")
            lap("open")
            yield con
            lap("body")
            touched = has_table(con, "affected_keys")  # every write that changes data lists what it touched
            same_catalog = _meta(con, "catalog") == fingerprint
            if not same_catalog:
                reference_tables(con, catalog)
            lap("reference")
            affected = "affected_keys" if same_catalog and has_table(con, "affected_keys") else None
            appended = None
            if affected and has_table(con, "appended_batch"):
                appended = con.execute("SELECT max(batch_id) FROM appended_batch").fetchall()[0][0]
            rebuild_current_values(con, catalog, affected, appended, observations_unchanged=not touched)
            lap("rebuild")
            _set_meta(con, fingerprint)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            con.close()
            lap("checkpoint")
            publish(tmp, db_path)
            lap("publish")
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
            raise


def _set_meta(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('catalog', ?)", [SCHEMA_VERSION, fingerprint]
    )


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
