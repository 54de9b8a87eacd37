"""Benchmark loading: a long CSV of ~2 million values for every county of China, against DuckDB's raw ingest.

Prints: rows, DuckDB read_csv into a table (the floor), our `check` and `load` (read, validate,
store, recompute totals and derived values), their ratio to the floor, and peak memory.
Usage: python scripts/bench_load.py [--values 2000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.load import check_file, load_file  # noqa: E402
from rolgov import catalog as catalog_mod  # noqa: E402
from rolgov import regions as R  # noqa: E402


def make_csv(path: Path, target_values: int) -> int:
    """Every county-level unit of China in each year it existed, count indicators, back from 2024."""
    catalog = catalog_mod.load()
    ids = [i.id for i in catalog.base if i.aggregate == "sum" and i.kind == "count" and not i.at_most]
    frames, total, year = [], 0, 2024
    while total < target_values:
        regions = R.valid_in(R.reference(), year)
        counties = regions.loc[regions["level"] == "county", "code"].to_numpy()
        frames.append(
            pd.MultiIndex.from_product([counties, [year], ids], names=["region", "year", "indicator"]).to_frame(
                index=False
            )
        )
        total += len(frames[-1])
        year -= 1
    grid = pd.concat(frames, ignore_index=True)
    rng = np.random.default_rng(1)
    values = rng.integers(0, 5000, len(grid))
    # values as people type them: a third with thousands separators
    text = pd.Series(values).map("{:,}".format).where(rng.random(len(grid)) < 0.33, pd.Series(values).astype(str))
    grid["value"] = text
    grid.to_csv(path, index=False, encoding="utf-8")
    return len(grid)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    catalog = catalog_mod.load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        csv = folder / "national.csv"
        started = time.perf_counter()
        rows = make_csv(csv, args.values)
        print(f"rows {rows:,} ({csv.stat().st_size / 1e6:.0f} MB), written in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        con = duckdb.connect(str(folder / "raw.duckdb"))
        con.execute(f"CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv('{csv}', all_varchar=true)")
        con.close()
        raw_s = time.perf_counter() - started
        print(f"DuckDB raw ingest (read_csv into a table): {raw_s:.2f} s")

        started = time.perf_counter()
        _raw, clean, problems, _ = check_file(csv, catalog)
        check_s = time.perf_counter() - started
        print(f"check: {check_s:.2f} s ({len(clean):,} clean, {len(problems)} problems) = {check_s / raw_s:.1f}x raw")

        db_path = folder / "bench.duckdb"
        db_path.unlink(missing_ok=True)
        started = time.perf_counter()
        result = load_file(csv, db_path, catalog, user="bench", progress=lambda m: print("   ", m, flush=True))
        load_s = time.perf_counter() - started
        print(f"load: {load_s:.2f} s ({result.status}, {result.rows_new:,} new) = {load_s / raw_s:.1f}x raw")

        # the everyday case: one county's corrections loaded into the national database
        small = folder / "one_county.csv"
        rows = pd.read_csv(csv, dtype=str, nrows=40)
        rows["value"] = "7"
        rows.to_csv(small, index=False)
        started = time.perf_counter()
        result = load_file(small, db_path, catalog, user="bench")
        print(
            f"load of {len(rows)} values for one county into that database: {time.perf_counter() - started:.2f} s "
            f"({result.status}, {result.rows_changed} changed)"
        )
        print(f"peak memory: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
