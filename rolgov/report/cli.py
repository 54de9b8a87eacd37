"""Command line: python -m rolgov.report draft|verify; exit 0 clean, 1 figures that no longer match, 2 usage.

python -m rolgov.report draft --scope 安康市 --year 2018 --since 2017 --areas a3,a7 --out 材料.docx
python -m rolgov.report verify 材料.docx
A draft's 数据来源 appendix is written beside it (材料_数据来源.docx) unless --appendix inline; charts
only with --charts. Every path is checked before the draft is built, so a typo costs no waiting.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rolgov import catalog as catalog_mod
from rolgov import db, queries
from rolgov import regions as R
from rolgov.report import markdown, package, sources, word
from rolgov.report import wording as W
from rolgov.report.build import build_draft
from rolgov.report.figures import TracedFigure, occurrences, untraced_numbers, verify
from rolgov.report.model import Period


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rolgov.report",
        description="经验材料草稿：生成与复核 / experience-summary drafts: write and re-check",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("draft", help="生成 Word 草稿 / write a .docx draft")
    p.add_argument(
        "--scope",
        default=R.DEFAULT_SCOPE,
        help="全市或区县：代码或名称 / city or county, code or name (安康市, 石泉县)",
    )
    p.add_argument(
        "--year", type=int, help="年度（累计或对比时为截止年）；默认最新年度 / year (the end year); default latest"
    )
    period = p.add_mutually_exclusive_group()
    period.add_argument("--since", type=int, metavar="YEAR", help="自该年以来累计 / cumulative since YEAR")
    period.add_argument("--compare", type=int, metavar="YEAR", help="与该年对比 / compared with YEAR")
    p.add_argument("--areas", default=",".join(W.AREAS), help="领域，逗号分隔 / areas, e.g. A3,A7 (default all)")
    p.add_argument("--exact", action="store_true", help="一律写精确数字，不写“50余次” / exact figures everywhere")
    p.add_argument("--internal", action="store_true", help="含内部指标（仅限登录用户）/ include internal indicators")
    p.add_argument("--charts", action="store_true", help="插入图表 / add the charts (a few seconds more)")
    p.add_argument(
        "--appendix",
        choices=("separate", "inline"),
        default="separate",
        help="数据来源附件：另存一个文件（默认）或附在正文后 / the 数据来源 appendix: its own file (default) or inline",
    )
    p.add_argument("--out", type=Path, required=True, help="输出 .docx / output .docx")
    p.add_argument("--md", type=Path, help="另存 Markdown（图片存于旁边的文件夹）/ also write Markdown")
    p.add_argument("--author", default=package.DEFAULT_AUTHOR, help="文档属性中的作者 / author in the properties")
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
        f"{name} {f.indicator_id} · {sources.region_label(f.region_code, f.end)} {f.region_code} · "
        f"{sources.period_label(f)}"
    )


# ── checking what the user typed ───────────────────────────────────────────────────────────────
def resolve_scope(text: str) -> str:
    """A scope by code (610900) or by name as the ETL reads names (安康市, 石泉县; 旬阳县 -> 610981): a
    name in use now wins over an old one (汉滨区 was 县级安康市 until 2000)."""
    text = text.strip()
    regions = R.reference()
    if text in set(regions["code"]):
        return str(regions.loc[regions["code"] == text, "canonical_code"].iloc[-1])
    wanted = R.normalise_name(text)
    rows = regions[regions["name_zh"].map(R.normalise_name) == wanted]
    if rows.empty:  # 安康市石泉县 and the other long forms: the ETL's alias table (slower: all of China)
        table = R.aliases(regions)
        rows = table[table["alias"] == wanted]
    rows = rows.loc[~rows["canonical_code"].map(R.is_own_level).astype(bool)]
    current = rows.loc[rows["valid_to"].isna()]
    hits = list(dict.fromkeys((current if not current.empty else rows)["canonical_code"]))
    if len(hits) > 1:  # 朝阳区 is in two cities: prefer the default scope's
        inside = set(R.descendants(regions, R.DEFAULT_SCOPE)["canonical_code"]) | {R.DEFAULT_SCOPE}
        hits = [h for h in hits if h in inside] or hits
    if len(hits) == 1:
        return str(hits[0])
    if not hits:
        raise ValueError(
            f"不认识的地区「{text}」：请写行政区划代码或名称，例如 610900 或 安康市 / unknown region {text!r}: "
            f"give a division code or a name, e.g. 610900 or 安康市"
        )
    named = "、".join(f"{h} {R.name_of(h)}" for h in hits[:6])
    raise ValueError(f"地区「{text}」有多个：{named}；请写代码 / {text!r} is ambiguous: {named}; give the code")


def resolve_areas(text: str, catalog) -> list[str]:
    """Area ids in any case (a3, A3) or by their short Chinese name (科学决策)."""
    by_name = {a.short_zh: a.id for a in catalog.areas} | {a.name_zh: a.id for a in catalog.areas}
    areas, unknown = [], []
    for part in (p.strip() for p in text.replace("，", ",").split(",") if p.strip()):
        area = part.upper() if part.upper() in W.AREAS else by_name.get(part)
        (areas if area in W.AREAS else unknown).append(area or part)
    if unknown or not areas:
        allowed = "、".join(f"{a} {W.AREAS[a].focus}" for a in W.AREAS)
        raise ValueError(f"未知领域 {unknown or text!r}；可选 / unknown areas {unknown or text!r}; allowed: {allowed}")
    return areas


def output_problem(path: Path, suffix: str, what: str) -> str | None:
    """Why a file cannot be written there, in both languages, or None."""
    if path.is_dir():
        return (
            f"{path} 是一个文件夹，请给出文件名，例如 {path / ('材料' + suffix)} / {path} is a folder: "
            f"give a file name, e.g. {path / ('draft' + suffix)}"
        )
    if path.suffix.lower() != suffix:
        return f"{what} 须以 {suffix} 结尾：{path} / {what} must end in {suffix}: {path}"
    if not path.parent.is_dir():
        return (
            f"文件夹 {path.parent} 不存在，请先创建它或换一个位置 / folder {path.parent} does not exist: "
            f"create it first or choose another place"
        )
    if not os.access(path.parent, os.W_OK):
        return f"没有权限写入文件夹 {path.parent} / no permission to write in {path.parent}"
    return None


def appendix_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}_数据来源{out.suffix}")


# ── the commands ───────────────────────────────────────────────────────────────────────────────
def _draft(args, catalog) -> int:
    try:
        scope = resolve_scope(args.scope)
        areas = resolve_areas(args.areas, catalog)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    outputs = [(args.out, ".docx", "--out")]
    if args.appendix == "separate":
        outputs.append((appendix_path(args.out), ".docx", "附件 / appendix"))
    if args.md:
        outputs.append((args.md, ".md", "--md"))
        if args.appendix == "separate":
            outputs.append((appendix_path(args.md), ".md", "附件 / appendix"))
    for path, suffix, what in outputs:
        problem = output_problem(path, suffix, what)
        if problem:
            print(problem, file=sys.stderr)
            return 2
    with db.read(args.db) as con:
        years = queries.years(con, [scope])
        if not years:
            print(f"没有 {scope} 的数据 / no data for scope {scope}; 例如 / e.g. --scope 610900", file=sys.stderr)
            return 2
        year = args.year or years[-1]
        try:
            period = (
                Period.since(args.since, year)
                if args.since
                else (Period.compare(year, args.compare) if args.compare else Period.single(year))
            )
            started = time.perf_counter()
            if args.charts:
                from rolgov.report import charts  # plotly and kaleido load only when charts are wanted

                charts.warm_up()  # the browser starts while the draft is built
            draft = build_draft(
                con,
                catalog,
                scope,
                period,
                areas,
                exact=args.exact,
                include_internal=args.internal,
                with_charts=args.charts,
            )
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        if not draft.areas:
            print(
                f"{scope} 在{period.label()}没有可写入的数据 / no data for {scope} in this period; "
                f"有数据的年度 / years with data: {years[0]}–{years[-1]}",
                file=sys.stderr,
            )
            return 2
        figures = draft.figures + [f for _, f in draft.chart_figures]
        labels = queries.batch_labels(con, sorted({b for f in figures for b in f.batch_ids}))
    images = {}
    if args.charts:
        from rolgov.report import charts

        images = {i: charts.png(b.chart) for i, b in enumerate(draft.blocks) if b.kind == "chart"}
    inline = args.appendix == "inline"
    args.out.write_bytes(word.to_docx(draft, catalog, images, labels, appendix=inline, author=args.author))
    written = [args.out]
    if not inline:
        appendix_path(args.out).write_bytes(word.appendix_docx(draft, catalog, labels, author=args.author))
        written.append(appendix_path(args.out))
    if args.md:
        folder = args.md.with_name(args.md.stem + "_images")
        paths = {}
        if images:
            folder.mkdir(exist_ok=True)
        for number, (index, png) in enumerate(images.items(), 1):
            (folder / f"图{number}.png").write_bytes(png)
            paths[index] = f"{folder.name}/图{number}.png"
        args.md.write_text(markdown.to_markdown(draft, catalog, paths, labels, appendix=inline), encoding="utf-8")
        written.append(args.md)
        if not inline:
            appendix_path(args.md).write_text(markdown.appendix_markdown(draft, catalog, labels), encoding="utf-8")
            written.append(appendix_path(args.md))
    for warning in draft.warnings:
        print("! " + warning)
    shown = "、".join(str(p) for p in written)
    print(
        f"已生成 {shown}：{len(draft.areas)} 个领域、{len(draft.figures)} 个数字、{len(images)} 幅图，"
        f"用时 {time.perf_counter() - started:.1f} 秒 / wrote {', '.join(str(p) for p in written)}: "
        f"{len(draft.areas)} areas, {len(draft.figures)} figures, {len(images)} charts"
    )
    return 0


def _verify(args, catalog) -> int:
    if not args.docx.is_file():
        print(f"找不到文件 / no such file: {args.docx}", file=sys.stderr)
        return 2
    if not package.is_docx(args.docx):
        print(
            f"{args.docx} 不是 Word 文档（.docx），无法复核；请选择本工具导出的 .docx 草稿 / {args.docx} is not a "
            f"Word .docx file: verify reads the .docx draft this tool exported",
            file=sys.stderr,
        )
        return 2
    trace = package.read_trace(args.docx)
    if trace is None or trace.get("format") != "rolgov-report-trace":
        print(
            f"{args.docx} 中没有数字溯源信息，无法复核；请用 python -m rolgov.report draft 或「材料生成」页导出 / "
            f"{args.docx} carries no figure trace: export it with python -m rolgov.report draft or the report page",
            file=sys.stderr,
        )
        return 2
    figures = [TracedFigure.from_dict(f) for f in trace["figures"]]
    drawn = [(f.get("caption", ""), TracedFigure.from_dict(f)) for f in trace.get("charts", [])]
    with db.read(args.db) as con:
        rows = verify(figures + [f for _, f in drawn], con, catalog)
    text_rows, chart_rows = rows[: len(figures)], rows[len(figures) :]
    texts = package.checked_texts(args.docx)
    whole = "\n".join(texts)
    bad = [r for r in text_rows if r["status"] in ("mismatch", "gone")]
    moved = [r for r in text_rows if r["status"] == "changed"]
    bad_charts = [(c, r) for (c, _), r in zip(drawn, chart_rows, strict=True) if r["status"] != "ok"]
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
    for caption, r in bad_charts:
        f, now = r["figure"], r["now"]
        now_text = f"现为 {now.text} / now {now.text}" if now else "现已无数据 / no longer in the database"
        print(f"✗ {caption.split('　')[0]} {describe(f, catalog)} · 图中 {f.text} / in the chart {f.text} · {now_text}")
    for f in missing:
        print(f"✗ {describe(f, catalog)} · 文中已找不到“{f.text}”（被改动？）/ no longer found in the text")
    for number in stray:
        print(f"✗ 文中数字“{number}”没有数据来源 / number without a source row: {number}")
    problems = len(bad) + len(bad_charts) + len(missing) + len(stray)
    total = len(rows)
    if problems:
        print(f"\n{problems} 处需要核对 / {problems} problem(s); 共 {total} 个数字 / {total} figures traced")
        return 1
    print(f"✓ {total} 个数字与当前数据库一致 / all {total} figures match the current database")
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
        if "rolgov.report.charts" in sys.modules:  # close kaleido's browser before the interpreter exits
            sys.modules["rolgov.report.charts"].stop()
