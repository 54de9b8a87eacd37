"""Benchmark the material generator: a full city draft (every area, every chart) from the sample data, in seconds.

Prints the time to build the draft (queries, sentences, figures, the rates over the period in DuckDB),
to render its charts to PNG (kaleido; the first image starts a headless browser), and to write the
.docx and its 数据来源 appendix; then the total, which should stay under 10 s, and the total as a ratio
of a floor measured in the same run (one chart rendered by a warm kaleido, times the number of charts).
"SLOW" is printed otherwise, and the exit code stays 0: a busy shared machine varies by seconds.
Usage: python scripts/bench_report.py [--db PATH] [--scope 610900] [--year 2019] [--out FILE.docx]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.build import ensure  # noqa: E402
from rolgov import catalog as catalog_mod  # noqa: E402
from rolgov import db, queries  # noqa: E402
from rolgov.report import build_draft, charts, word  # noqa: E402
from rolgov.report import wording as W  # noqa: E402
from rolgov.report.model import Period  # noqa: E402

TARGET_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=db.DEFAULT_DB)
    parser.add_argument("--scope", default="610900")
    parser.add_argument("--year", type=int, help="default: the latest year (a trend needs three years)")
    parser.add_argument("--out", type=Path, help="keep the .docx here")
    args = parser.parse_args()
    if not args.db.is_file():
        print(f"no database at {args.db}: run python -m etl build first", file=sys.stderr)
        return 2
    catalog = catalog_mod.load()
    ensure(args.db, catalog)
    with db.read(args.db) as con:
        year = args.year or queries.years(con, [args.scope])[-1]
        started = time.perf_counter()
        charts.warm_up()  # the browser starts while the draft is built, as the CLI does
        draft = build_draft(con, catalog, args.scope, Period.single(year), list(W.AREAS), with_charts=True)
        figures = draft.figures + [f for _, f in draft.chart_figures]
        labels = queries.batch_labels(con, sorted({b for f in figures for b in f.batch_ids}))
    built = time.perf_counter()
    blocks = [(i, b) for i, b in enumerate(draft.blocks) if b.kind == "chart"]
    images = {i: charts.png(b.chart) for i, b in blocks}
    rendered = time.perf_counter()
    data = word.to_docx(draft, catalog, images, labels)
    appendix = word.appendix_docx(draft, catalog, labels)
    written = time.perf_counter()
    floor_start = time.perf_counter()
    charts.png(blocks[0][1].chart)  # the floor: one chart through the warm browser
    floor = (time.perf_counter() - floor_start) * len(blocks)
    charts.stop()
    if args.out:
        args.out.write_bytes(data)
    total = written - started
    print(
        f"city draft {args.scope}, {year}: {len(draft.areas)} areas, {len(draft.figures)} figures in the text, "
        f"{len(images)} charts ({len(draft.chart_figures)} values drawn), {len(data) / 1e6:.1f} MB + "
        f"{len(appendix) / 1e3:.0f} kB appendix"
    )
    print(f"  build draft      {built - started:6.2f} s")
    print(f"  render charts    {rendered - built:6.2f} s  (kaleido, first image starts the browser)")
    print(f"  write .docx      {written - rendered:6.2f} s  (draft and appendix)")
    print(f"  total            {total:6.2f} s  (target < {TARGET_S:.0f} s: {'ok' if total < TARGET_S else 'SLOW'})")
    print(
        f"  floor            {floor:6.2f} s  ({len(blocks)} charts through a warm browser); "
        f"total = {total / floor:.1f}x floor"
    )
    return 0  # a shared CI machine varies by seconds: the figures are printed, never a failure


if __name__ == "__main__":
    sys.exit(main())
