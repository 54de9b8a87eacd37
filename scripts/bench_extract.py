"""Time `etl.extract` on every real report fixture and print precision and recall against SOURCES.md.

Per report: the median of several runs of the whole extraction (read, locate, tables, figures,
flags, candidate table), and beside it a floor measured in the same run on the same file: decoding
the bytes and one regex pass collecting every number (what any extractor must at least do). The
first call pays for building the region-name index once per process; it is printed separately.

    .venv/bin/python scripts/bench_extract.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.extract import ExtractError, candidates, extract  # noqa: E402
from etl.extract import score as S  # noqa: E402
from rolgov import catalog as catalog_mod  # noqa: E402


def _floor(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    re.findall(r"\d[\d,.]*", text)


def _median(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    catalog = catalog_mod.load()
    items = S.read_expected()
    started = time.perf_counter()
    extract(S.FIXTURES / items[0].file, catalog)
    print(f"first extraction in this process (builds the region-name index): {time.perf_counter() - started:.2f} s")
    print(f"{'report':34} {'KB':>6} {'cands':>6} {'extract ms':>11} {'floor ms':>9} {'ratio':>6}")
    times = []
    for item in items:
        path = S.FIXTURES / item.file
        year = int(item.args["year"]) if "year" in item.args else None

        def run(path=path, year=year):
            try:
                return candidates.frame(extract(path, catalog, year=year), catalog)
            except ExtractError:
                return None

        table = run()
        spent = _median(run, args.repeat)
        floor = _median(lambda path=path: _floor(path), args.repeat)
        times.append(spent)
        count = 0 if table is None else len(table)
        print(
            f"{item.file:34} {path.stat().st_size / 1024:6.1f} {count:6d} {spent * 1000:11.1f} "
            f"{floor * 1000:9.3f} {spent / floor:6.0f}"
        )
    print(f"median per report: {statistics.median(times) * 1000:.1f} ms; slowest: {max(times) * 1000:.1f} ms")
    # the fixtures are mostly openings of reports; a whole report is longer: the seed five times over
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        long_text = Path(folder) / "long.txt"
        long_text.write_text((S.FIXTURES / "ankang_2018_experience.txt").read_text(encoding="utf-8") * 5)
        spent = _median(lambda: extract(long_text, catalog, year=2018), args.repeat)
        floor = _median(lambda: _floor(long_text), args.repeat)
        size = long_text.stat().st_size / 1024
        print(f"a {size:.0f} KB report (the seed five times): {spent * 1000:.1f} ms ({spent / floor:.0f}× the floor)")
    result = S.score(catalog, items)
    print(
        f"precision on proposed exact values: {result.precision:.3f} ({result.correct_exact}/{result.proposed_exact}); "
        f"recall: {result.recall:.3f} ({result.found}/{result.expected})"
    )
    for line in result.wrong:
        print("  wrong: " + line)
    for line in result.missed:
        print("  missed: " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
