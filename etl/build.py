"""Rebuild the database from a folder of submission files (by default the sample set); out: a new DuckDB file.

The new database is built beside the old one and renamed over it at the end, so the dashboard
keeps reading the old one until the new one is complete. `ensure` gives the app and the CLI a
database to start from: the sample set when there is none (rolgov.db only stores; it does not
know where a first database comes from).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from etl.load import LoadResult, load_file
from rolgov import catalog as catalog_mod
from rolgov import db
from rolgov.catalog import ROOT, Catalog

SAMPLE_DIR = ROOT / "data" / "sample"
SUFFIXES = (".csv", ".xlsx", ".xls")


class BuildFailed(RuntimeError):
    """A file of the folder had problems; `results` holds them all and nothing was swapped in."""

    def __init__(self, message: str, results: list[LoadResult]):
        super().__init__(message)
        self.results = results


def submission_files(folder: Path) -> list[Path]:
    """Files to load, in name order (years and regions load in a stable order)."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and not p.name.startswith("~$"))


def build_from_folder(
    db_path: Path | str = db.DEFAULT_DB,
    folder: Path | str = SAMPLE_DIR,
    catalog: Catalog | None = None,
    quiet: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[LoadResult]:
    """Load every file of `folder` into a fresh database and swap it in; refuse all if any file fails."""
    db_path, folder = Path(db_path), Path(folder)
    catalog = catalog or catalog_mod.load()
    say = (lambda _m: None) if quiet else (progress or print)
    files = submission_files(folder)
    if not files:
        raise FileNotFoundError(f"{folder} 中没有 .csv/.xlsx 文件 / no submission files in {folder}")
    is_sample = folder.resolve() == SAMPLE_DIR.resolve()
    started = time.perf_counter()
    with db.writer_lock(db_path):
        fresh = db_path.with_name(db_path.name + f".building-{os.getpid()}")
        fresh.unlink(missing_ok=True)
        results = []
        try:
            for number, path in enumerate(files, start=1):
                say(f"[{number}/{len(files)}] {path.relative_to(folder)}")
                result = load_file(path, fresh, catalog, user="build", is_sample=is_sample or None, progress=say)
                results.append(result)
                if result.status == "refused":
                    raise BuildFailed(
                        f"{path.name} 有 {len(result.problems)} 个问题，未重建数据库 / "
                        f"{path.name} has {len(result.problems)} problem(s); the database was not rebuilt",
                        results,
                    )
            if not fresh.exists():  # every file was empty of values
                with db.write(fresh, catalog):
                    pass
            db.publish(fresh, db_path)
        finally:
            fresh.unlink(missing_ok=True)
            for lock in fresh.parent.glob(fresh.name + ".lock"):
                lock.unlink(missing_ok=True)
    values = sum(r.rows_new + r.rows_changed + r.rows_unchanged for r in results)
    say(
        f"完成：{len(files)} 个文件，{values:,} 个数值，用时 {time.perf_counter() - started:.1f} 秒 / "
        f"done: {len(files)} files, {values:,} values in {time.perf_counter() - started:.1f} s -> {db_path}"
    )
    return results


def ensure(db_path: Path | str = db.DEFAULT_DB, catalog: Catalog | None = None) -> Path:
    """Build the database from the sample data if it is missing; refresh it if built with another catalog."""
    db_path = Path(db_path)
    catalog = catalog or catalog_mod.load()
    if db_path.exists() and db.stored_fingerprint(db_path) == db.catalog_fingerprint(catalog):
        return db_path
    with db.writer_lock(db_path):
        pass  # wait for any running write, then look again
    if not db_path.exists():
        build_from_folder(db_path, catalog=catalog, quiet=True)
    elif db.stored_fingerprint(db_path) != db.catalog_fingerprint(catalog):
        with db.write(db_path, catalog):
            pass  # the write refreshes reference tables and recomputes derived values
    return db_path
