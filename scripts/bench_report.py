"""Benchmark the experience-summary generator: a full city draft (every area, every chart) from the sample data.

Prints seconds for: building the draft (queries, sentences, figures), rendering its charts to PNG
(kaleido; the first image starts a headless browser), and writing the .docx; then the total, which
should stay under 10 s. "SLOW" is printed otherwise, and the exit code stays 0: a busy shared
machine varies by seconds. Usage: python scripts/bench_report.py [--db PATH] [--scope 610900] [--out FILE.docx]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.build import ensure  # noqa: E402
from rolgov import catalog as catalog_mod  # noqa: E402
from rolgov import db, queries, report, report_charts, report_docx  # noqa: E402
from rolgov import report_text as W  # noqa: E402

TARGET_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=db.DEFAULT_DB)
    parser.add_argument("--scope", default="610900")
    parser.add_argument("--out", type=Path, help="keep the .docx here")
    args = parser.parse_args()
    catalog = catalog_mod.load()
    ensure(args.db, catalog)
    with db.read(args.db) as con:
        last = queries.years(con, [args.scope])[-1]
        started = time.perf_counter()
        report_charts.warm_up()  # the browser starts while the draft is built, as the CLI does
        draft = report.build_draft(con, catalog, args.scope, report.Period.since(last - 1, last), list(W.AREAS))
        labels = queries.batch_labels(con, sorted({b for f in draft.figures for b in f.batch_ids}))
    built = time.perf_counter()
    images = {i: report_charts.png(b.chart) for i, b in enumerate(draft.blocks) if b.kind == "chart"}
    report_charts.stop()
    rendered = time.perf_counter()
    data = report_docx.to_docx(draft, catalog, images, labels)
    written = time.perf_counter()
    if args.out:
        args.out.write_bytes(data)
    total = written - started
    print(
        f"city draft {args.scope}, {last - 1}–{last}: {len(draft.areas)} areas, {len(draft.figures)} figures, "
        f"{len(images)} charts, {len(data) / 1e6:.1f} MB"
    )
    print(f"  build draft      {built - started:6.2f} s")
    print(f"  render charts    {rendered - built:6.2f} s  (kaleido, first image starts the browser)")
    print(f"  write .docx      {written - rendered:6.2f} s")
    print(f"  total            {total:6.2f} s  (target < {TARGET_S:.0f} s: {'ok' if total < TARGET_S else 'SLOW'})")
    return 0  # a shared CI machine varies by seconds: the figures are printed, never a failure


if __name__ == "__main__":
    sys.exit(main())
