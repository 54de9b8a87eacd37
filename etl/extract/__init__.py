"""Published reports in, candidate values out: one Extraction per file (read, locate, tables, figures, map).

Stages, one module each: document (file -> text and table cells), place (region, year, issuer, kind),
gia (the disclosure report's tables and their arithmetic), figures (numbers in running text), and
candidates (the CSV a person reviews). Nothing here writes to the database: a person confirms the
candidates (rolgov.review), and the confirmed file goes through `python -m etl check|load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.extract import figures as F
from etl.extract import gia
from etl.extract.document import Document, ExtractError, read_document
from etl.extract.place import Place, locate
from rolgov import regions as R
from rolgov.catalog import Catalog

__all__ = ["Candidate", "Extraction", "ExtractError", "extract"]

MARKERS = {"approximate": "约", "cumulative": "累计", "change": "变化", "part": "其中", "target": "目标"}
ISSUER_WORDS = {"department": ("部门", "a department"), "township": ("乡镇（街道）", "a township")}
# (table, row, column or columns) -> indicator; a tuple of cells is summed (予以公开 + 部分公开)
TABLE_MAP: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("normative_docs_issued", [("表二", "行政规范性文件", "本年制发件数")]),
    ("normative_docs_issued", [("表二", "行政规范性文件", "本年新制作数量")]),
    ("licensing_decisions", [("表二", "行政许可", "本年处理决定数量")]),
    ("licensing_decisions", [("表二", "行政许可", "处理决定数量")]),
    ("penalty_decisions", [("表二", "行政处罚", "本年处理决定数量")]),
    ("penalty_decisions", [("表二", "行政处罚", "处理决定数量")]),
    ("coercion_decisions", [("表二", "行政强制", "本年处理决定数量")]),
    ("coercion_decisions", [("表二", "行政强制", "处理决定数量")]),
    ("disclosure_requests_new", [("表三", "一、本年新收政府信息公开申请数量", "总计")]),
    ("disclosure_requests_concluded", [("表三", "（七）总计", "总计")]),
    ("disclosure_requests_granted", [("表三", "（一）予以公开", "总计"), ("表三", "（二）部分公开", "总计")]),
    ("disclosure_disputes", [("表四", g, "总计") for g in gia.T4_GROUPS]),
    ("disclosure_disputes_corrected", [("表四", g, "结果纠正") for g in gia.T4_GROUPS]),
]


@dataclass
class Candidate:
    region: str | None
    year: int | None
    indicator: str | None
    value: float
    unit: str
    note: str  # the sentence, or the table cell it came from
    qualifiers: list[str]
    position: str  # 第3段 / 表三「一、…」总计
    status: str = "proposed"  # proposed | flagged (a person accepts or rejects each)
    checks: list[str] = field(default_factory=list)
    order: int = 0

    @property
    def qualifier(self) -> str:
        return "+".join(self.qualifiers)

    @property
    def exact(self) -> bool:
        return self.qualifiers == ["exact"]

    def value_text(self) -> str:
        number = f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:g}"
        number = number.replace(",", "")
        if self.unit == "%":
            number += "%"
        return number if self.exact else MARKERS[self.qualifiers[0]] + number


@dataclass
class Extraction:
    document: Document
    place: Place
    tables: gia.Tables
    candidates: list[Candidate]
    problems: list[str]  # about the whole report, each in both languages

    @property
    def mapped(self) -> list[Candidate]:
        return [c for c in self.candidates if c.indicator]


def _override_region(text: str, year: int | None, scope: str) -> str:
    from etl.validate import resolve_regions

    frame = resolve_regions(pd.DataFrame({"region_text": [text], "year": [year]}), scope)
    row = frame.iloc[0]
    if row["status"] != "ok":
        raise ExtractError(
            f"--region「{text}」不是已知的行政区划{row['detail']} / '{text}' is not a known region: "
            "请填写6位区划代码或标准名称 / give the 6-digit code or the standard name"
        )
    return row["region_code"]


def extract(
    path: Path | str,
    catalog: Catalog,
    region: str | None = None,
    year: int | None = None,
    display_name: str | None = None,
    data: bytes | None = None,
    scope: str = R.DEFAULT_SCOPE,
) -> Extraction:
    """Candidates from one report; raises ExtractError for a file that is not a usable report."""
    doc = read_document(path, display_name, data)
    place = locate(doc, scope)
    if year is not None:
        place.year = year
        place.basis.append(f"年份由使用者指定 / year given: {year}")
    if region is not None:
        place.code = _override_region(region, place.year, scope)
        place.name = R.name_of(place.code, place.year)
        place.problems = [p for p in place.problems if "地区" not in p]
        place.basis.append(f"地区由使用者指定 / region given: {place.code} {place.name}")
    tables = gia.parse(doc, place.year) if place.kind in ("gia", "unknown") else gia.Tables("", "")
    candidates = _table_candidates(tables, place, catalog)
    candidates += _text_candidates(doc, place, catalog, len(candidates))
    if place.kind == "unknown" and not tables.cells and not any(c.indicator for c in candidates):
        raise ExtractError(
            f"{doc.name}：不像政府信息公开工作年度报告、法治政府建设年度报告或经验材料，没有找到可对应指标的数字 / "
            "this does not look like a disclosure report, a rule-of-law report or an experience material: "
            "no figure maps to an indicator. 请检查是否选错了文件 / check that this is the right file"
        )
    problems = list(place.problems)
    if place.year is None:
        problems.append("未能识别年份 / no year found: 请用 --year 指定 / give it with --year YYYY")
    if place.issuer in ISSUER_WORDS:
        zh, en = ISSUER_WORDS[place.issuer]
        problems.append(
            f"这是{zh}「{place.issuer_name}」的报告，数字只代表该单位，不代表{place.name}全域或政府本级 / "
            f"this is the report of {en} ({place.issuer_name}): its figures cover that body only"
        )
    for table, failures in tables.failures.items():
        problems.append(f"{table}自身数字不符 / {table} breaks its own arithmetic: " + "；".join(failures))
    problems += [f"未能读出 / not read: {line}" for line in tables.unread]
    _flag(candidates, place, tables, catalog)
    return Extraction(doc, place, tables, candidates, problems)


def _table_candidates(tables: gia.Tables, place: Place, catalog: Catalog) -> list[Candidate]:
    out: list[Candidate] = []
    used: set[tuple[str, str, str]] = set()
    for indicator, keys in TABLE_MAP:
        cells = [tables.get(*key) for key in keys]
        if not cells or None in cells:
            continue
        used.update(keys)
        value = sum(c.value for c in cells)
        parts = " + ".join(f"{c.table}「{c.row}」{c.column}" for c in cells)
        shown = " + ".join(_cell_value(c) for c in cells)
        note = f"{parts}：{shown}" + (f" = {value:g}" if len(cells) > 1 else "")
        unit = catalog[indicator].unit
        out.append(Candidate(place.code, place.year, indicator, value, unit, note, ["exact"], parts, order=len(out)))
    for cell in tables.cells:
        if (cell.table, cell.row, cell.column) in used:
            continue
        position = f"{cell.table}「{cell.row}」{cell.column}"
        unit = "万元" if "万元" in cell.column else "件"
        note = f"{position}：{_cell_value(cell)}"
        out.append(Candidate(place.code, place.year, None, cell.value, unit, note, ["exact"], position, order=len(out)))
    return out


def _cell_value(cell: gia.Cell) -> str:
    if cell.filled:
        return f"{cell.value:g}（总计栏空白，按各列之和 / blank total, summed from the columns）"
    return "空白（按0计 / blank, read as 0）" if cell.blank else f"{cell.value:g}"


def _text_candidates(doc: Document, place: Place, catalog: Catalog, start: int) -> list[Candidate]:
    out = []
    for number, figure in enumerate(F.find(doc.paragraphs, catalog, place.code, place.year)):
        note = figure.sentence
        candidate = Candidate(
            figure.scope_code,
            figure.year,
            figure.indicator,
            figure.value,
            figure.unit,
            note,
            figure.qualifiers,
            f"第{figure.paragraph}段第{figure.offset + 1}字「{figure.text}」",
            checks=list(figure.notes),
            order=start + number,
        )
        out.append(candidate)
    return out


def _flag(candidates: list[Candidate], place: Place, tables: gia.Tables, catalog: Catalog) -> None:
    """Mark what a person must look at before it can load: broken tables, a body other than the
    government, an unknown region or year, two different values for one indicator, computed ones."""
    broken = set(tables.failures)
    for c in candidates:
        table = c.position[:2]
        if table in broken:
            c.status = "flagged"
            c.checks.append(f"{table}自身数字不符，请核对 / {table} breaks its own arithmetic: check it")
        if place.issuer in ISSUER_WORDS:
            c.status = "flagged"
            c.checks.append(f"{ISSUER_WORDS[place.issuer][0]}的报告 / report of {ISSUER_WORDS[place.issuer][1]}")
        if c.region is None or c.year is None:
            c.status = "flagged"
            c.checks.append("地区或年份未识别 / region or year unknown")
        if c.indicator and catalog[c.indicator].derived:
            c.checks.append(
                "计算指标，由分量算出，不能直接导入 / a computed indicator: it is not loaded, enter its components"
            )
    groups: dict[tuple, list[Candidate]] = {}
    for c in candidates:
        if c.indicator and c.exact:
            groups.setdefault((c.region, c.year, c.indicator), []).append(c)
    for group in groups.values():
        values = {c.value for c in group}
        if len(values) > 1:
            listed = "、".join(f"{c.value:g}（{c.position}）" for c in group)
            for c in group:
                c.status = "flagged"
                c.checks.append(f"报告中同一指标有不同数值：{listed} / the report gives different figures")
        elif len(group) > 1:
            for c in group[1:]:  # the same figure twice (table and text): keep the first, say so
                candidates.remove(c)
                group[0].checks.append(f"正文同值 / also in the text: {c.note}")
