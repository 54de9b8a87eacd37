"""Benchmark hostile uploads through the upload page's own path (rolgov.intake.stage: the checking child).

Prints, for each file: its size, the time to a message, that time as a ratio to DuckDB's raw
read_csv of the same file (the floor, where DuckDB can read it at all), what the message says, the
checking child's peak memory and this process's (the server's part) peak. Files: the 19 MB CSV of
one row repeated, the 2 MB CSV of one line and the 1.6 KB workbook with a cell at XFD1048576.
The target: a message within 30 s, memory bounded by the limits (etl/sandbox.py).
Usage: python scripts/bench_hostile.py [--db data/rolgov.duckdb] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import openpyxl  # noqa: E402

from etl.build import ensure  # noqa: E402
from rolgov import catalog as catalog_mod  # noqa: E402
from rolgov import db, intake  # noqa: E402


def files(folder: Path) -> dict[str, Path]:
    row = b"610902,2025,hearings_held,12,\n"
    duplicates = folder / "duplicates_19mb.csv"
    duplicates.write_bytes(b"region,year,indicator,value,note\n" + row * (19 * 1024 * 1024 // len(row)))
    one_line = folder / "one_line_2mb.csv"
    one_line.write_bytes(b"region,year,indicator,value\n" + b"610902," * (2 * 1024 * 1024 // 7))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "year", "indicator", "value"])
    sheet.append(["610902", 2025, "hearings_held", 3])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    bomb = folder / "far_cell_1.6kb.xlsx"
    bomb.write_bytes(buffer.getvalue())
    return {"19 MB of one repeated row": duplicates, "2 MB on one line": one_line, "1.6 KB far cell": bomb}


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM; since reset_peak where Linux allows it)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> float:
    """Forget the peak of the start-up (building the sample database happens in this process), return the
    resident memory now."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    for line in Path("/proc/self/status").read_text().splitlines() if Path("/proc/self/status").exists() else []:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return peak_mb()


def floor_s(path: Path) -> float | None:
    if path.suffix != ".csv":
        return None
    started = time.perf_counter()
    try:
        duckdb.connect().sql(f"SELECT count(*) FROM read_csv('{path}', all_varchar = true)").fetchall()
    except duckdb.Error:
        return None
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=db.DEFAULT_DB)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    catalog = catalog_mod.load()
    ensure(args.db, catalog)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        intake.stage("warm.csv", b"region,year,indicator,value\n610902,2025,hearings_held,1\n", catalog, args.db, None)
        uploads = files(folder)
        floors = {label: floor_s(path) for label, path in uploads.items()}  # DuckDB's memory: before the reset
        before = reset_peak()
        print(f"{'file':28} {'size':>9} {'message in':>11} {'floor':>8} {'ratio':>7} {'child peak':>11}  message")
        for label, path in uploads.items():
            data = path.read_bytes()
            started = time.perf_counter()
            staged = intake.stage(path.name, data, catalog, args.db, None)
            took = time.perf_counter() - started
            floor = floors[label]
            message = staged.problems["message"].iloc[0][:70] if not staged.ok else f"{staged.values:,} values ok"
            print(
                f"{label:28} {len(data) / 1e6:7.2f}MB {took:10.2f}s "
                f"{(f'{floor:.2f}s' if floor else '—'):>8} {(f'{took / floor:.1f}x' if floor else '—'):>7} "
                f"{staged.peak_mb:9.0f}MB  {staged.total_problems:,} problem(s): {message}"
            )
        print(
            f"this process (the server's part: upload bytes, the capped problem list): {before:.0f} MB before the "
            f"uploads, peak {peak_mb():.0f} MB while they were checked"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
