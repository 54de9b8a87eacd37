"""What checking an untrusted file runs under and gives back: Limits (read from the environment) and Checked.

Shared by the parent (etl.sandbox), the child that does the work (etl.sandbox_child) and the loader,
so none of them has to import another to know the shapes they exchange.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from etl import problems as P


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 100
    max_rows: int = 3_000_000
    max_cells: int = 3_000_000
    max_line_chars: int = 40_000
    max_unzipped_mb: float = 500
    memory_mb: int = 3072
    cpu_s: int = 120
    wall_s: int = 180
    threads: int = 2
    nice: int = 10
    problems_listed: int = 100
    changes_listed: int = 2000
    annotate_max_mb: float = 5

    ENV = {
        "max_file_mb": "ROLGOV_MAX_FILE_MB",
        "max_rows": "ROLGOV_MAX_ROWS",
        "max_cells": "ROLGOV_MAX_CELLS",
        "max_line_chars": "ROLGOV_MAX_LINE_CHARS",
        "max_unzipped_mb": "ROLGOV_MAX_UNZIPPED_MB",
        "memory_mb": "ROLGOV_CHECK_MEMORY_MB",
        "cpu_s": "ROLGOV_CHECK_CPU_S",
        "wall_s": "ROLGOV_CHECK_WALL_S",
        "threads": "ROLGOV_CHECK_THREADS",
        "nice": "ROLGOV_CHECK_NICE",
        "problems_listed": "ROLGOV_PROBLEMS_LISTED",
        "annotate_max_mb": "ROLGOV_ANNOTATE_MAX_MB",
    }

    @classmethod
    def from_env(cls, **overrides) -> Limits:
        values = {}
        for f in fields(cls):
            name = cls.ENV.get(f.name)
            if name and os.environ.get(name, "").strip():
                values[f.name] = type(getattr(cls, f.name))(float(os.environ[name]))
        return cls(**{**values, **overrides})


@dataclass
class Checked:
    """One file checked in a child: problems (the first `problems_listed`) and counts per rule, or the
    values it holds and how they compare with the database (new | changed | unchanged).

    sha256 is of the bytes the child read; db_version the version of the database it checked against
    (rolgov.db.data_version; "" without one, None when a write landed during the check). A check asked
    to hand its rows back leaves them in clean_file (Parquet, CLEAN_COLUMNS) and the (region_code, year)
    pairs they touch in keys_file, both in its private folder while the check's block lasts
    (etl.sandbox.checking), or keeps their bytes (keep_rows) for a load later: etl.load.load_file takes
    them instead of checking again when the bytes, the database version and the basis are the same."""

    name: str
    kind: str = ""
    encoding: str = ""
    problems: pd.DataFrame = field(default_factory=P.empty)
    counts: dict[str, int] = field(default_factory=dict)
    blank: int = 0
    values: int = 0
    rows_read: int = 0
    clean: pd.DataFrame | None = None
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # the first `changes_listed` of each status
    change_counts: dict[str, int] = field(default_factory=dict)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)  # region_code, year, new, changed, unchanged
    same_as_batch: int | None = None
    annotated: bytes | None = None
    peak_mb: float = 0.0
    cpu_s: float = 0.0  # CPU seconds the child used
    sha256: str = ""
    db_version: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # rows of a candidates file not loaded, by reason
    clean_file: Path | None = None
    keys_file: Path | None = None
    clean_parquet: bytes | None = None  # the same two files' bytes, kept when asked (keep_rows)
    keys_parquet: bytes | None = None
    basis: str = ""  # the catalog, scope and allowed regions it was checked with (basis())
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step in the child, for the benchmarks

    @property
    def ok(self) -> bool:
        return self.problems.empty

    @property
    def total_problems(self) -> int:
        return sum(self.counts.values()) if self.counts else len(self.problems)


def basis(catalog_fingerprint: str, scope_root: str, allowed_regions) -> str:
    """What besides the file and the database a check's outcome depends on, as one comparable string."""
    allowed = "*" if allowed_regions is None else ",".join(sorted(allowed_regions))
    return f"{catalog_fingerprint}|{scope_root}|{allowed}"
