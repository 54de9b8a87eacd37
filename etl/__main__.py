"""Command line: python -m etl template|check|load|history|rollback|build|extract|sample [--db PATH].

Exit status 0 clean, 1 problems found (a file with no values included), 2 usage errors.
The command line is for whoever holds the database file: it asks for no sign-in and checks no
role (anyone who can write the file can change it anyway). load and rollback record the OS user
(or --user) on the batch, so the history says who did what. Files are read in the checking child
with the same limits as uploads (etl.sandbox; ROLGOV_* variables in the README).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from etl import problems as P
from etl import sandbox
from etl.build import SAMPLE_DIR, BuildFailed, build_from_folder, ensure
from etl.load import check, history, load_file, rollback, rollback_effect
from etl.template import write_template
from rolgov import catalog as catalog_mod
from rolgov import db
from rolgov import regions as R
from rolgov.catalog import CatalogError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="法治政府建设指标：校验与导入 / rule-of-law indicators: validate and load",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", type=Path, default=db.DEFAULT_DB, help=f"数据库文件 / database file (default {db.DEFAULT_DB})"
    )
    common.add_argument("--catalog", type=Path, default=catalog_mod.DEFAULT_CATALOG, help="metrics.yml")
    common.add_argument(
        "--scope",
        default=R.DEFAULT_SCOPE,
        help="按名称识别地区时优先的范围 / scope preferred when a name is ambiguous (default 610900)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("template", parents=[common], help="生成填报模板 / write a submission workbook")
    p.add_argument("region", help="区划代码，如 610902 或 610900BJ（市本级）/ region code")
    p.add_argument("year", type=int)
    p.add_argument("-o", "--out", type=Path, help="输出文件 / output .xlsx (default <code>_<year>_填报表.xlsx)")

    p = sub.add_parser("check", parents=[common], help="只校验不导入 / validate without loading")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument(
        "--annotate",
        type=Path,
        metavar="OUT.xlsx",
        help="写出标注了问题单元格的副本 / write a copy with the bad cells marked",
    )

    p = sub.add_parser("load", parents=[common], help="校验并导入，每个文件一个批次 / validate and load")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--user", help="记录的导入人 / user recorded on the batch (default: OS user)")

    sub.add_parser("history", parents=[common], help="列出导入批次 / list batches")

    p = sub.add_parser(
        "rollback",
        parents=[common],
        help="回滚一个批次（记录操作系统用户）/ undo one batch (records the OS user)",
    )
    p.add_argument("batch", type=int)
    p.add_argument("--user", help="记录的回滚人 / user recorded on the batch (default: OS user)")
    p.add_argument("--dry-run", action="store_true", help="只显示影响 / show the effect only")

    p = sub.add_parser("build", parents=[common], help="从示例数据或文件夹重建数据库 / rebuild the database")
    p.add_argument("folder", nargs="?", type=Path, default=SAMPLE_DIR)

    p = sub.add_parser(
        "sample",
        parents=[common],
        help="为任一范围生成并导入示例数据（非官方统计）/ generate and load SAMPLE data for any scope",
        description="--scope 610000（陕西省）、610700（汉中市）或 000000（全国）；安康市保留拟合的示例数据 / "
        "a province, a city, a county or 000000 for the whole country; 安康市 keeps its fitted sample",
    )
    p.add_argument("--years", help="年份，如 2016-2025 或 2024（默认 2016-2025，全国 2023-2025）/ years")
    p.add_argument("--out", type=Path, help="保留生成的文件于此文件夹 / keep the generated files in this folder")
    p.add_argument("--no-load", action="store_true", help="只写文件不导入（需 --out）/ write the files only")

    p = sub.add_parser(
        "extract", parents=[common], help="从已公开的报告中提取候选数值 / candidate values from published reports"
    )
    p.add_argument("files", nargs="+", type=Path, help=".html .htm .txt .docx .pdf")
    p.add_argument("--region", help="区划代码或名称（不从报告识别）/ region code or name")
    p.add_argument("--year", type=int, help="年份（不从报告识别）/ year")
    p.add_argument("-o", "--out", type=Path, help="候选文件 / candidates .csv (default <报告名>_候选.csv)")
    return parser


# Why rows of a reviewed candidates file (python -m etl extract) were not loaded (etl.validate.SKIPPED)
SKIPPED_WORDS = {
    "rejected": ("已拒绝", "rejected"),
    "not_accepted": ("未接受（另有行已接受）", "not accepted while others are"),
    "not_exact": ("限定不是 exact", "qualifier not exact"),
    "no_indicator": ("未对应指标", "no indicator"),
    "computed": ("计算指标", "computed indicator"),
}


def _print_skipped(skipped: dict[str, int]) -> None:
    if skipped:
        total = sum(skipped.values())
        zh = "，".join(f"{SKIPPED_WORDS[k][0]} {n:,}" for k, n in skipped.items())
        en = ", ".join(f"{n:,} {SKIPPED_WORDS[k][1]}" for k, n in skipped.items())
        print(f"  跳过 {total:,} 行（{zh}） / skipped {total:,} row(s): {en}")


def _print_problems(name: str, problems, counts: dict[str, int] | None = None) -> None:
    total = sum(counts.values()) if counts else len(problems)
    print(f"\n✗ {name}: {total:,} 个问题 / {total:,} problem(s)")
    for line in P.format_lines(problems, counts=counts):
        print("  " + line)


def _sample(args, catalog) -> int:
    from etl import sample_scope

    if args.no_load and not args.out:
        print("--no-load 需要 --out 文件夹 / --no-load needs --out FOLDER", file=sys.stderr)
        return 2
    try:
        years = sample_scope.parse_years(args.years, args.scope)
        if args.no_load:
            frame = sample_scope.generate(args.scope, years, catalog)
            files = sample_scope.write_files(frame, args.scope, args.out, catalog)
            print(f"已生成 {len(files)} 个示例文件 / wrote {len(files)} sample files to {args.out}")
            return 0
        if args.db == db.DEFAULT_DB:  # the default database keeps 安康市's sample beside the new scope
            ensure(args.db, catalog)
        started = time.perf_counter()
        results = sample_scope.load(args.scope, years, args.db, catalog, folder=args.out)
    except sample_scope.SampleScopeError as exc:
        print(exc, file=sys.stderr)
        return 1 if isinstance(exc, sample_scope.SampleRefused) else 2
    values = sum(r.rows_new + r.rows_changed + r.rows_unchanged for r in results)
    name = "全国" if args.scope == sample_scope.COUNTRY else R.name_of(args.scope)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    print(
        f"完成：{name} {span} 示例数据（非官方统计）{values:,} 个数值，"
        f"用时 {time.perf_counter() - started:.1f} 秒 / done: SAMPLE data (not official) for {args.scope}, "
        f"{values:,} values -> {args.db}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("check", "load", "build", "sample"):
        sandbox.warm_up()  # the checking child's fork server imports while we load the catalog
    try:
        catalog = catalog_mod.load(args.catalog)
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in getattr(args, "files", []) or []:
        if not path.is_file():
            print(f"找不到文件 / no such file: {path}", file=sys.stderr)
            return 2

    if args.command == "template":
        out = args.out or Path(f"{args.region}_{args.year}_填报表.xlsx")
        try:
            write_template(catalog, args.region, args.year, out)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"已生成 / written: {out}")
        return 0

    if args.command == "check":
        if args.annotate and len(args.files) != 1:
            print("--annotate 只能用于一个文件 / --annotate takes exactly one file", file=sys.stderr)
            return 2
        status = 0
        for path in args.files:
            checked = check(path, catalog, args.db, args.scope, annotate=bool(args.annotate))
            if checked.ok:
                print(
                    f"✓ {path.name}: {checked.values:,} 个数值无问题，{checked.blank:,} 个空白 / "
                    f"{checked.values:,} values clean, {checked.blank:,} blank"
                )
            else:
                status = 1
                _print_problems(path.name, checked.problems, checked.counts)
            _print_skipped(checked.skipped)
            if args.annotate and checked.annotated:
                args.annotate.parent.mkdir(parents=True, exist_ok=True)
                args.annotate.write_bytes(checked.annotated)
                print(f"已写出标注副本 / annotated copy: {args.annotate}")
            elif args.annotate and not checked.ok:
                print("问题涉及整个文件，没有可标注的单元格 / the problems concern the whole file: no cell to mark")
        return status

    if args.command == "load":
        if args.db == db.DEFAULT_DB:  # the default database starts from the sample; another starts empty
            ensure(args.db, catalog)
        status = 0
        for number, path in enumerate(args.files, start=1):
            started = time.perf_counter()
            print(f"[{number}/{len(args.files)}] {path.name}", flush=True)
            result = load_file(
                path, args.db, catalog, user=args.user, scope_root=args.scope, progress=lambda m: print(m, flush=True)
            )
            if result.status == "refused":
                status = 1
                _print_problems(path.name, result.problems, result.counts)
                print("  未导入任何数据 / nothing was loaded from this file")
            elif result.status == "unchanged":
                print(
                    f"  与批次 {result.batch_id} 是同一文件，未做改动 / "
                    f"same file as batch {result.batch_id}; nothing changed"
                )
            else:
                print(
                    f"  ✓ 批次 {result.batch_id}：新增 {result.rows_new:,}，修改 {result.rows_changed:,}，"
                    f"未变 {result.rows_unchanged:,}，空白 {result.rows_blank:,}"
                    f"（{time.perf_counter() - started:.1f} 秒）"
                    f" / batch {result.batch_id}: {result.rows_new:,} new, {result.rows_changed:,} changed, "
                    f"{result.rows_unchanged:,} unchanged"
                )
            _print_skipped(result.skipped)
        return status

    if args.command in ("history", "rollback"):
        if args.db == db.DEFAULT_DB:
            ensure(args.db, catalog)
        elif not args.db.exists():
            print(f"数据库不存在 / no database at {args.db}", file=sys.stderr)
            return 2

    if args.command == "history":
        frame = history(args.db)
        if frame.empty:
            print("尚无批次 / no batches yet")
            return 0
        for row in frame.itertuples():
            # a live batch has no rollback time: pandas gives NaT, which has no strftime
            rolled_back = not pd.isna(row.rolled_back_at)
            state = f"已回滚 {row.rolled_back_at:%Y-%m-%d %H:%M} by {row.rolled_back_by}" if rolled_back else "有效"
            sample = " [示例数据]" if row.is_sample else ""
            print(
                f"#{row.batch_id:<4} {row.loaded_at:%Y-%m-%d %H:%M}  {row.loaded_by:<10} {row.file_name}{sample}  "
                f"新增{row.rows_new} 修改{row.rows_changed} 未变{row.rows_unchanged}  {row.years}  {state}"
            )
        return 0

    if args.command == "rollback":
        try:
            effect = (
                rollback_effect(args.db, args.batch)
                if args.dry_run
                else rollback(args.db, args.batch, catalog, args.user)
            )
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        counts = effect["status"].value_counts()
        verb = "将" if args.dry_run else "已"
        print(
            f"批次 {args.batch} {verb}回滚：{int(counts.get('restored', 0))} 个数值恢复为旧值，"
            f"{int(counts.get('removed', 0))} 个数值移除，{int(counts.get('unchanged', 0))} 个不变 / "
            f"{int(counts.get('restored', 0))} restored, {int(counts.get('removed', 0))} removed"
        )
        return 0

    if args.command == "sample":
        return _sample(args, catalog)

    if args.command == "extract":
        from etl.extract.cli import run_extract  # only this command needs the report readers

        return run_extract(args, catalog)

    if args.command == "build":
        try:
            build_from_folder(args.db, args.folder, catalog)
        except BuildFailed as exc:
            for result in exc.results:
                if result.status == "refused":
                    _print_problems(result.file, result.problems)
            print(exc, file=sys.stderr)
            return 1
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return 2
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
