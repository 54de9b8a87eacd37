"""Command line: python -m rolgov.report draft|verify; exit 0 clean, 1 figures that no longer match, 2 usage.

python -m rolgov.report draft --scope 610900 --year 2018 --since 2017 --areas A3,A7 --out draft.docx
python -m rolgov.report verify draft.docx
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rolgov import catalog as catalog_mod
from rolgov import db, queries, report, report_charts, report_docx, report_md
from rolgov import regions as R
from rolgov import report_text as W
from rolgov.report_figures import TracedFigure, occurrences, untraced_numbers, verify


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rolgov.report",
        description="经验材料草稿：生成与复核 / experience-summary drafts: write and re-check",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("draft", help="生成 Word 草稿 / write a .docx draft")
    p.add_argument("--scope", default=R.DEFAULT_SCOPE, help="全市 610900 或区县代码 / 610900 or a county code")
    p.add_argument(
        "--year", type=int, help="年度（累计或对比时为截止年）；默认最新年度 / year (the end year); default latest"
    )
    period = p.add_mutually_exclusive_group()
    period.add_argument("--since", type=int, metavar="YEAR", help="自该年以来累计 / cumulative since YEAR")
    period.add_argument("--compare", type=int, metavar="YEAR", help="与该年对比 / compared with YEAR")
    p.add_argument("--areas", default=",".join(W.AREAS), help="领域，逗号分隔 / areas, e.g. A3,A7 (default all)")
    p.add_argument("--exact", action="store_true", help="写精确数字，不写“50余次” / exact figures, not rounded")
    p.add_argument("--internal", action="store_true", help="含内部指标（仅限登录用户）/ include internal indicators")
    p.add_argument("--no-charts", action="store_true", help="不插入图表 / leave the charts out")
    p.add_argument("--out", type=Path, required=True, help="输出 .docx / output .docx")
    p.add_argument("--md", type=Path, help="另存 Markdown（图片存于旁边的文件夹）/ also write Markdown")
    p.add_argument("--db", type=Path, default=db.DEFAULT_DB, help=f"数据库 / database (default {db.DEFAULT_DB})")
    p = sub.add_parser("verify", help="对照当前数据库复核草稿中的数字 / re-check a draft against the database")
    p.add_argument("docx", type=Path)
    p.add_argument("--db", type=Path, default=db.DEFAULT_DB, help=f"数据库 / database (default {db.DEFAULT_DB})")
    return parser


def describe(f: TracedFigure, catalog) -> str:
    """One line naming a figure: indicator, region, period."""
    ind = catalog.by_id.get(f.indicator_id)
    name = ind.name_zh if ind else f.indicator_id
    return (
        f"{name} {f.indicator_id} · {report_md.region_label(f.region_code, f.end)} {f.region_code} · "
        f"{report_md.period_label(f)}"
    )


def _draft(args, catalog) -> int:
    with db.read(args.db) as con:
        years = queries.years(con, [args.scope])
        if not years:
            print(
                f"没有 {args.scope} 的数据 / no data for scope {args.scope}; 例如 / e.g. --scope 610900",
                file=sys.stderr,
            )
            return 2
        year = args.year or years[-1]
        try:
            period = (
                report.Period.since(args.since, year)
                if args.since
                else (report.Period.compare(year, args.compare) if args.compare else report.Period.single(year))
            )
            started = time.perf_counter()
            if not args.no_charts:
                report_charts.warm_up()  # the browser starts while the draft is built
            draft = report.build_draft(
                con,
                catalog,
                args.scope,
                period,
                [a.strip() for a in args.areas.split(",")],
                exact=args.exact,
                include_internal=args.internal,
                with_charts=not args.no_charts,
            )
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        if not draft.areas:
            print(
                f"{args.scope} 在{period.label()}没有可写入的数据 / no data for {args.scope} in this period; "
                f"有数据的年度 / years with data: {years[0]}–{years[-1]}",
                file=sys.stderr,
            )
            return 2
        labels = queries.batch_labels(con, sorted({b for f in draft.figures for b in f.batch_ids}))
    images = {i: report_charts.png(b.chart) for i, b in enumerate(draft.blocks) if b.kind == "chart"}
    args.out.write_bytes(report_docx.to_docx(draft, catalog, images, labels))
    if args.md:
        folder = args.md.with_name(args.md.stem + "_images")
        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for number, (index, png) in enumerate(images.items(), 1):
            (folder / f"图{number}.png").write_bytes(png)
            paths[index] = f"{folder.name}/图{number}.png"
        args.md.write_text(report_md.to_markdown(draft, catalog, paths, labels), encoding="utf-8")
    for warning in draft.warnings:
        print("! " + warning)
    print(
        f"已生成 {args.out}：{len(draft.areas)} 个领域、{len(draft.figures)} 个数字、{len(images)} 幅图，"
        f"用时 {time.perf_counter() - started:.1f} 秒 / wrote {args.out}: {len(draft.areas)} areas, "
        f"{len(draft.figures)} figures, {len(images)} charts"
    )
    return 0


def _verify(args, catalog) -> int:
    if not args.docx.is_file():
        print(f"找不到文件 / no such file: {args.docx}", file=sys.stderr)
        return 2
    trace = report_docx.read_trace(args.docx)
    if trace is None or trace.get("format") != "rolgov-report-trace":
        print(
            f"{args.docx} 中没有数字溯源信息，无法复核；请用 python -m rolgov.report draft 或「材料生成」页导出 / "
            f"{args.docx} carries no figure trace: export it with python -m rolgov.report draft or the report page",
            file=sys.stderr,
        )
        return 2
    figures = [TracedFigure.from_dict(f) for f in trace["figures"]]
    with db.read(args.db) as con:
        rows = verify(figures, con, catalog)
    texts = report_docx.checked_texts(args.docx)
    whole = "\n".join(texts)
    bad = [r for r in rows if r["status"] in ("mismatch", "gone")]
    moved = [r for r in rows if r["status"] == "changed"]
    missing = [f for f in figures if not occurrences(whole, f.text)]
    stray = [n for text in texts for n in untraced_numbers(text, figures)]
    for r in bad:
        f, now = r["figure"], r["now"]
        now_text = (
            f"现为 {now.text}（{now.value:g}）/ now {now.text}" if now else "现已无数据 / no longer in the database"
        )
        print(f"✗ {describe(f, catalog)} · 文中 {f.text}（{f.value:g}）/ in the document {f.text} · {now_text}")
    for r in moved:
        f, now = r["figure"], r["now"]
        print(
            f"· {describe(f, catalog)} · 数值由 {f.value:g} 变为 {now.value:g}，文中“{f.text}”仍成立 / "
            f"value moved, the text still holds"
        )
    for f in missing:
        print(f"✗ {describe(f, catalog)} · 文中已找不到“{f.text}”（被改动？）/ no longer found in the text")
    for number in stray:
        print(f"✗ 文中数字“{number}”没有数据来源 / number without a source row: {number}")
    problems = len(bad) + len(missing) + len(stray)
    if problems:
        print(f"\n{problems} 处需要核对 / {problems} problem(s); 共 {len(rows)} 个数字 / {len(rows)} figures traced")
        return 1
    print(f"✓ {len(rows)} 个数字与当前数据库一致 / all {len(rows)} figures match the current database")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    catalog = catalog_mod.load()
    if not Path(args.db).is_file():
        print(f"找不到数据库 / no database at {args.db}; 先运行 / run first: python -m etl build", file=sys.stderr)
        return 2
    try:
        return _draft(args, catalog) if args.command == "draft" else _verify(args, catalog)
    finally:
        report_charts.stop()  # no-op unless charts were drawn


if __name__ == "__main__":
    sys.exit(main())
