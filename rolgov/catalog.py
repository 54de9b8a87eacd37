"""Load metrics.yml and check it strictly; return a Catalog or raise CatalogError listing every problem.

Every page, the ETL, scoring and the report generator read indicators only through this module.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = ROOT / "metrics.yml"

# Units are a fixed list: the key is what the catalog writes, then the Chinese and English labels.
UNITS: dict[str, tuple[str, str]] = {
    "次": ("次", "times"),
    "场": ("场", "sessions"),
    "条": ("条", "items"),
    "件": ("件", "cases"),
    "项": ("项", "items"),
    "个": ("个", "units"),
    "名": ("名", "persons"),
    "人": ("人", "persons"),
    "人次": ("人次", "person-times"),
    "%": ("%", "%"),
    "万元": ("万元", "10k yuan"),
    "万人": ("万人", "10k residents"),
    "是/否": ("是/否", "yes/no"),
}
# the English unit words that do not become singular by losing their last letter
SINGULAR = {
    "persons": "person",
    "person-times": "person-time",
    "10k residents": "10k residents",
    "10k yuan": "10k yuan",
}
KINDS = ("count", "percent", "amount", "boolean")
DIRECTIONS = ("higher", "lower", "monitor")
AGGREGATES = ("sum", "recompute", "none")
BASES = ("statutory", "indicator_text", "local_plan", "estimate")
LEVELS = ("city", "county")
PUBLICATION = ("public", "internal")

BASIS_LABELS = {
    "statutory": ("法定要求", "statutory"),
    "indicator_text": ("指标体系原文", "indicator text"),
    "local_plan": ("地方规划", "local plan"),
    "estimate": ("估计值（非官方）", "estimate (not official)"),
}
DIRECTION_LABELS = {
    "higher": ("越高越好", "higher is better"),
    "lower": ("越低越好", "lower is better"),
    "monitor": ("仅监测", "monitor only"),
}
KIND_LABELS = {
    "count": ("计数", "count"),
    "percent": ("百分比", "percent"),
    "amount": ("金额", "amount"),
    "boolean": ("是/否", "yes/no"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(_Strict):
    """A demonstration-city target; `level` says whether it applies to the city or to a county."""

    level: Literal["city", "county"]
    value: float
    basis: Literal["statutory", "indicator_text", "local_plan", "estimate"]
    note_zh: str
    note_en: str = ""
    from_year: int | None = None
    to_year: int | None = None

    def applies(self, year: int) -> bool:
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)

    @property
    def is_estimate(self) -> bool:
        return self.basis == "estimate"


class Area(_Strict):
    id: str = Field(pattern=r"^A\d+$")
    name_zh: str
    name_en: str
    short_zh: str
    short_en: str


class Subjects(_Strict):
    """Who a draft sentence names as doing it (its subject), per level: {c} is 市 (or 省) of the city,
    {name} a county-level unit's name and {k} its kind (县, 区 or 市)."""

    own_level: str | None = None  # the city government's own level: {c}级, {c}政府
    total: str | None = None  # the whole city: 全{c}各级行政机关, 全{c}
    unit: str  # a county in its own draft: {name}, 全{k}


SUBJECT_PLACEHOLDERS = ("{c}", "{k}", "{name}")


class Indicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    area: str
    unit: str
    kind: Literal["count", "percent", "amount", "boolean"]
    direction: Literal["higher", "lower", "monitor"]
    formula: str | None = None
    aggregate: Literal["sum", "recompute", "none"]
    range: tuple[float | None, float | None]
    targets: tuple[Target, ...] = ()
    weight: float = Field(ge=0)
    template_zh: str
    definition_zh: str
    definition_en: str
    source: str
    publication: Literal["public", "internal"] = "public"
    at_most: tuple[str, ...] = ()
    per_10k: bool = False
    headline: bool = False
    context: bool = False
    unit_en: str | None = None  # the English unit where UNITS' word is wrong for this indicator (documents)
    own_level: bool = True  # False: a government's own level (市本级) does not report it (villages, population)
    # words naming the indicator in running text (报告、经验材料), for etl.extract; "…" stands for a short gap
    aliases: tuple[str, ...] = ()
    # How experience-summary drafts may state it (rolgov/report): required, so a new indicator is never
    # summed over years or rounded by a guess. See the field notes at the top of metrics.yml.
    over_time: Literal["flow", "stock", "latest"]
    rounding: Literal["never", "sums", "always"]
    draft_level: Literal["own_level", "total", "both"]
    subject_zh: Subjects

    @property
    def derived(self) -> bool:
        return self.formula is not None

    @cached_property
    def formula_ids(self) -> tuple[str, ...]:
        return formula_names(self.formula) if self.formula else ()

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def unit_label(self, lang: str = "zh", value: float | None = None) -> str:
        """The unit's word: 件 / cases, or this indicator's unit_en (documents); in English one of a thing is
        singular (1 time, 1 document)."""
        if lang == "zh":
            return UNITS[self.unit][0]
        word = self.unit_en or UNITS[self.unit][1]
        if value is not None and float(value) == 1:
            return SINGULAR.get(word, word[:-1] if word.endswith("s") else word)
        return word

    def target_for(self, level: str, year: int) -> Target | None:
        """The target in force for a region level in a year, or None. level: 'county', 'city' (a city's
        total or a government's own level) or 'province' (a province's or the country's total).

        The demonstration targets are set for cities and counties. A province's total takes a city's
        target where it does not grow with the size of the area (a rate, a yes/no); a count's (召开听证会
        10次 for a city) says nothing of a province's sum of a hundred units, so it has none there.
        """
        return next((target for target in self.targets_at(level) if target.applies(year)), None)

    def targets_at(self, level: str) -> list[Target]:
        """Every year's targets for a region level (target_for says which level takes which)."""
        if level == "province":
            if self.kind in ("count", "amount"):
                return []
            level = "city"
        return [target for target in self.targets if target.level == level]


class _CatalogFile(_Strict):
    version: int
    # the context indicator (resident population, in 万人) that per_10k indicators are divided by
    per_10k_base: str | None = None
    areas: tuple[Area, ...]
    indicators: tuple[Indicator, ...]


class CatalogError(ValueError):
    """Every problem found in metrics.yml, each naming its line and indicator."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        head = f"{path.name}: {len(problems)} 个问题 / {len(problems)} problem(s)"
        super().__init__("\n".join([head, *problems]))


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def formula_names(formula: str) -> tuple[str, ...]:
    """The indicator ids a formula names, in order; raises ValueError for anything but + - * / ( ) numbers."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"公式无法解析 / formula does not parse: {exc.msg}") from None
    allowed_ops = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub)
    names: list[str] = []
    # ast.walk visits a parent before its children, so an unsupported operator or call is
    # reported as the whole sub-expression (e.g. 'a ** 2', 'round(a)'), which the user can find.
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in names:
                names.append(node.id)
            continue
        structure = isinstance(node, (ast.Expression, ast.Load, *allowed_ops))
        operation = isinstance(node, (ast.BinOp, ast.UnaryOp)) and isinstance(node.op, allowed_ops)
        number = isinstance(node, ast.Constant) and type(node.value) in (int, float)
        if not (structure or operation or number):
            bad = ast.unparse(node)
            raise ValueError(
                f"公式只允许指标编号、数字、+ - * / 和括号，不允许 {bad!r}"
                f" / formula allows only indicator ids, numbers, + - * / and brackets, not {bad!r}"
            )
    return tuple(names)


def formula_sql(formula: str) -> str:
    """Translate a checked formula into a DuckDB expression over columns named by indicator ids.

    Division guards against a zero denominator (NULLIF), so 0/0 is missing rather than an error.
    """
    tree = ast.parse(formula, mode="eval")

    def emit(node: ast.AST) -> str:
        if isinstance(node, ast.Expression):
            return emit(node.body)
        if isinstance(node, ast.Name):
            return f'"{node.id}"'
        if isinstance(node, ast.Constant):
            return repr(float(node.value))
        if isinstance(node, ast.UnaryOp):
            return f"(-{emit(node.operand)})"
        if isinstance(node, ast.BinOp):
            left, right = emit(node.left), emit(node.right)
            if isinstance(node.op, ast.Div):
                return f"({left} / NULLIF({right}, 0))"
            op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}[type(node.op)]
            return f"({left} {op} {right})"
        raise ValueError(type(node).__name__)

    return emit(tree)


def _node_lines(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """Map every key path in the YAML document to its 1-based line number."""
    lines: dict[tuple, int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            lines.update(_node_lines(value, sub))
            lines[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_node_lines(item, (*path, i)))
    return lines


def _duplicate_keys(node: yaml.Node, problems: list[str], where) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                problems.append(
                    f"第{key.start_mark.line + 1}行 / line {key.start_mark.line + 1}"
                    f"{where(key.start_mark.line + 1)}: 键 {key.value!r} 重复 / duplicate key {key.value!r}"
                )
            seen.add(key.value)
            _duplicate_keys(value, problems, where)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(item, problems, where)


def _bound(value: float | None) -> str:
    return "null" if value is None else f"{value:g}"


def _unknown_key_hint(loc: tuple) -> tuple[str, str]:
    """(zh, en) hint for an unknown key: the closest allowed key, or the list of allowed keys."""
    if len(loc) == 1:
        model: type[BaseModel] = _CatalogFile
    elif "targets" in loc[:-1]:
        model = Target
    elif "subject_zh" in loc[:-1]:
        model = Subjects
    else:
        model = Area if loc[0] == "areas" else Indicator
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f"，是否应为 {close[0]!r}？", f"; did you mean {close[0]!r}?"
    return f"，允许的键：{', '.join(allowed)}", f"; allowed: {', '.join(allowed)}"


def _cycle_from(start: str, edges: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A chain of formula references leading from start back to start, or None.

    A formula naming its own indicator directly is reported separately, so it is skipped here.
    """
    stack = [(start, [start])]
    visited: set[str] = set()
    while stack:
        node, chain = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt == start:
                if len(chain) > 1:
                    return [*chain, start]
            elif nxt not in visited:
                visited.add(nxt)
                stack.append((nxt, [*chain, nxt]))
    return None


def _draft_problems(ind: Indicator, by_id: dict[str, Indicator]) -> list[tuple[str, str]]:
    """(key, message) for draft fields that contradict the rest of the indicator."""
    out = []
    try:
        parts = [by_id[n] for n in ind.formula_ids if n in by_id] if ind.formula else []
    except ValueError:  # a formula that does not parse is reported on its own
        parts = []
    if ind.over_time == "flow" and ind.kind in ("percent", "boolean") and not ind.formula:
        out.append(
            (
                "over_time",
                "只有计数、金额或由流量计算的比率才能跨年相加（flow）/ only counts, amounts and rates "
                "computed from flows can be taken over several years; use stock or latest",
            )
        )
    if ind.over_time == "flow" and ind.formula:
        stocks = [p.id for p in parts if p.over_time != "flow" or p.derived]
        if stocks:
            out.append(
                (
                    "over_time",
                    f"比率按期间重算要求各分量都是流量，{', '.join(stocks)} 不是 / a rate recomputed over a "
                    f"period needs flows as parts; {', '.join(stocks)} is not: use stock",
                )
            )
    if ind.rounding != "never" and ind.kind not in ("count", "amount"):
        out.append(("rounding", "只有计数和金额可以写成“50余次” / only counts and amounts may be rounded; use never"))
    if not ind.own_level and ind.draft_level != "total":
        out.append(
            (
                "draft_level",
                "本级不报送的指标只能按全市写 / an indicator the own level does not report is "
                "drafted for the whole city (total)",
            )
        )
    needed = {"own_level": ["own_level"], "total": ["total"], "both": ["own_level", "total"]}[ind.draft_level]
    for key in needed:
        if not getattr(ind.subject_zh, key):
            out.append(
                (
                    "subject_zh",
                    f"draft_level 为 {ind.draft_level} 时须写 subject_zh.{key} / subject_zh.{key} "
                    f"is required when draft_level is {ind.draft_level}",
                )
            )
    for key in ("own_level", "total", "unit"):
        words = getattr(ind.subject_zh, key) or ""
        unknown = set(re.findall(r"\{[^}]*\}", words)) - set(SUBJECT_PLACEHOLDERS)
        if unknown:
            out.append(
                (
                    "subject_zh",
                    f"subject_zh.{key} 含未知占位符 {sorted(unknown)} / unknown placeholder; "
                    f"allowed: {', '.join(SUBJECT_PLACEHOLDERS)}",
                )
            )
    return out


@dataclass(frozen=True)
class Catalog:
    """The checked indicator catalog: areas and indicators in file order, with lookups."""

    path: Path
    areas: tuple[Area, ...]
    indicators: tuple[Indicator, ...]
    by_id: dict[str, Indicator] = field(repr=False)
    per_10k_base: str | None = None  # metrics.yml's per_10k_base: the population for per-10,000 views

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self.by_id[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.by_id

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def in_area(self, area_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.area == area_id]

    @property
    def base(self) -> list[Indicator]:
        """Indicators people report (no formula)."""
        return [i for i in self.indicators if not i.derived]

    @property
    def derived(self) -> list[Indicator]:
        return [i for i in self.indicators if i.derived]

    @property
    def headline(self) -> list[Indicator]:
        return [i for i in self.indicators if i.headline]

    def visible(self, signed_in: bool) -> list[Indicator]:
        """Indicators a viewer may see: internal ones only when signed in."""
        return [i for i in self.indicators if signed_in or i.publication == "public"]

    def derived_in_dependency_order(self) -> list[Indicator]:
        """Derived indicators ordered so each comes after the derived ones it uses."""
        done: set[str] = {i.id for i in self.base}
        ordered: list[Indicator] = []
        pending = list(self.derived)
        while pending:
            ready = [i for i in pending if all(n in done for n in i.formula_ids)]
            if not ready:  # a cycle; load() already refuses it
                raise ValueError("formula cycle: " + ", ".join(i.id for i in pending))
            for i in ready:
                ordered.append(i)
                done.add(i.id)
                pending.remove(i)
        return ordered


def _check_aliases(indicators: list[tuple[int, Indicator]], at, problems: list[str]) -> None:
    """Aliases are non-empty, not just the gap mark, and each names one indicator only (text extraction
    maps a phrase to exactly one id)."""
    owner: dict[str, str] = {}
    for index, ind in indicators:
        loc = ("indicators", index, "aliases")
        for alias in ind.aliases:
            words = alias.replace("…", "").strip()
            if not words:
                problems.append(f"{at(loc)}: 别名为空 / an alias is empty: {alias!r}")
            elif alias in owner and owner[alias] != ind.id:
                problems.append(
                    f"{at(loc)}: 别名 {alias!r} 已属于指标 {owner[alias]}"
                    f" / alias {alias!r} already names {owner[alias]}"
                )
            elif alias in owner:
                problems.append(f"{at(loc)}: 别名 {alias!r} 重复 / alias {alias!r} is listed twice")
            else:
                owner[alias] = ind.id


def load(path: Path | str = DEFAULT_CATALOG) -> Catalog:
    """Read and check a catalog file; raise CatalogError with every problem at once."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    problems: list[str] = []
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise CatalogError(path, [f"YAML 语法错误 / YAML syntax error: {exc}"]) from None
    if root is None:
        raise CatalogError(path, ["文件为空 / file is empty"])
    lines = _node_lines(root)
    raw = yaml.safe_load(text)

    def indicator_label(index: int) -> str:
        try:
            return str(raw["indicators"][index].get("id", f"#{index + 1}"))
        except (KeyError, IndexError, TypeError, AttributeError):
            return f"#{index + 1}"

    def where_line(line: int) -> str:
        starts = sorted(
            (ln, i)
            for key, ln in lines.items()
            if len(key) == 2 and key[0] == "indicators"
            for i in [key[1]]
            if isinstance(i, int)
        )
        owner = None
        for start, i in starts:
            if start <= line:
                owner = i
        return f" 指标 {indicator_label(owner)}" if owner is not None else ""

    def at(loc: tuple) -> str:
        loc = tuple(loc)
        while loc and loc not in lines:
            loc = loc[:-1]
        line = lines.get(loc, 1)
        who = ""
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            who = f" 指标 {indicator_label(loc[1])}"
        elif len(loc) >= 2 and loc[0] == "areas" and isinstance(loc[1], int):
            who = f" 领域 #{loc[1] + 1}"
        return f"第{line}行 / line {line}{who}"

    _duplicate_keys(root, problems, where_line)

    def schema_problems(exc: ValidationError) -> None:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field_name = ".".join(str(p) for p in loc[2:]) or ".".join(str(p) for p in loc)
            if err["type"] == "extra_forbidden":
                hint_zh, hint_en = _unknown_key_hint(loc)
                msg = f"未知的键 {loc[-1]!r}{hint_zh} / unknown key {loc[-1]!r}{hint_en}"
            elif err["type"] == "missing":
                msg = f"缺少必填项 {field_name!r} / missing required key {field_name!r}"
            elif err["type"] == "literal_error":
                allowed = err["ctx"]["expected"]
                msg = f"{field_name} 的值 {err['input']!r} 不在允许范围 / not allowed; allowed: {allowed}"
            else:
                msg = f"{field_name}: {err['msg']} (值 / value {err.get('input')!r})"
            problems.append(f"{at(loc)}: {msg}")

    # Check each area and indicator on its own, so that one typo does not hide the reference
    # problems of the others: every problem is listed at once.
    try:
        parsed = _CatalogFile.model_validate(raw)
        areas, indicators = list(parsed.areas), list(enumerate(parsed.indicators))
    except ValidationError as exc:
        schema_problems(exc)
        if not isinstance(raw, dict) or not isinstance(raw.get("indicators"), list):
            raise CatalogError(path, problems) from None
        areas, indicators = [], []
        for item in raw.get("areas") or []:
            with contextlib.suppress(ValidationError):
                areas.append(Area.model_validate(item))
        for index, item in enumerate(raw["indicators"]):
            with contextlib.suppress(ValidationError):
                indicators.append((index, Indicator.model_validate(item)))

    area_ids = {a.id for a in areas} or {item.get("id") for item in raw.get("areas") or [] if isinstance(item, dict)}
    seen: dict[str, int] = {}
    # ids of every indicator written, parsed or not: a reference to one with a typo is not "unknown"
    ids = [item.get("id") for item in raw["indicators"] if isinstance(item, dict)]
    edges: dict[str, tuple[str, ...]] = {}  # derived id -> ids its formula names, for the cycle check
    for index, ind in indicators:
        loc = ("indicators", index)
        if ind.id in seen:
            problems.append(
                f"{at((*loc, 'id'))}: 指标编号重复（首次出现于第{seen[ind.id]}行）"
                f" / duplicate id (first at line {seen[ind.id]})"
            )
        else:
            seen[ind.id] = lines.get((*loc, "id"), 1)
        if ind.area not in area_ids:
            problems.append(f"{at((*loc, 'area'))}: 未知领域 {ind.area!r} / unknown area; allowed: {sorted(area_ids)}")
        if ind.unit not in UNITS:
            problems.append(f"{at((*loc, 'unit'))}: 未知单位 {ind.unit!r} / unknown unit; allowed: {list(UNITS)}")
        if ind.formula is not None:
            try:
                names = formula_names(ind.formula)
            except ValueError as exc:
                problems.append(f"{at((*loc, 'formula'))}: {exc}")
                names = ()
            edges[ind.id] = names
            for name in names:
                if name not in ids:
                    problems.append(
                        f"{at((*loc, 'formula'))}: 公式引用了未知指标 {name!r} / "
                        f"formula names unknown indicator {name!r}"
                    )
                elif name == ind.id:
                    problems.append(f"{at((*loc, 'formula'))}: 公式引用了自身 / formula refers to itself")
            if ind.aggregate != "recompute":
                problems.append(
                    f"{at((*loc, 'aggregate'))}: 计算指标必须按分量重算（aggregate: recompute）"
                    f" / a derived indicator must aggregate by recompute, not {ind.aggregate!r}"
                )
        elif ind.aggregate == "recompute":
            problems.append(
                f"{at((*loc, 'aggregate'))}: 只有带公式的指标才能 recompute / "
                "only indicators with a formula can recompute"
            )
        if ind.kind == "percent" and ind.aggregate == "sum":
            problems.append(f"{at((*loc, 'aggregate'))}: 百分比不能相加 / a percentage cannot be summed")
        low, high = ind.range
        if low is not None and high is not None and low > high:
            problems.append(f"{at((*loc, 'range'))}: 下限大于上限 / range low {_bound(low)} > high {_bound(high)}")
        valid = f"[{_bound(low)}, {_bound(high)}]"
        for t_index, target in enumerate(ind.targets):
            if (low is not None and target.value < low) or (high is not None and target.value > high):
                problems.append(
                    f"{at((*loc, 'targets', t_index, 'value'))}: 目标值 {target.value:g} 超出有效范围 {valid}"
                    f" / target {target.value:g} is outside the valid range {valid}"
                )
        for other in ind.at_most:
            if other not in ids:
                problems.append(
                    f"{at((*loc, 'at_most'))}: at_most 引用了未知指标 {other!r} / at_most names unknown indicator"
                )
        if "{value}" not in ind.template_zh:
            problems.append(f"{at((*loc, 'template_zh'))}: 句式模板缺少 {{value}} / sentence template lacks {{value}}")
    _check_aliases(indicators, at, problems)
    parsed_by_id = {ind.id: ind for _, ind in indicators}
    for index, ind in indicators:
        problems += [f"{at(('indicators', index, key))}: {msg}" for key, msg in _draft_problems(ind, parsed_by_id)]
    base_id = raw.get("per_10k_base") if isinstance(raw, dict) else None
    if base_id is not None:
        base = next((ind for _, ind in indicators if ind.id == base_id), None)
        if base is None or not base.context or base.unit != "万人":
            problems.append(
                f"{at(('per_10k_base',))}: per_10k_base 应为以“万人”为单位的背景指标（context: true），"
                f"不是 {base_id!r} / per_10k_base must name a context indicator in 万人, not {base_id!r}"
            )
    elif any(ind.per_10k for _, ind in indicators):
        problems.append(
            f"{at(('per_10k_base',))}: 有 per_10k 指标，但未设置 per_10k_base（用作分母的常住人口指标）"
            " / indicators are marked per_10k but per_10k_base (the population indicator) is not set"
        )
    for index, ind in indicators:
        cycle = _cycle_from(ind.id, edges)
        if cycle:
            chain = " → ".join(cycle)
            problems.append(f"{at(('indicators', index, 'formula'))}: 公式循环引用 {chain} / formula cycle {chain}")
    if problems:
        raise CatalogError(path, problems)
    catalog = Catalog(
        path, parsed.areas, parsed.indicators, {i.id: i for i in parsed.indicators}, per_10k_base=parsed.per_10k_base
    )
    try:
        catalog.derived_in_dependency_order()
    except ValueError as exc:
        raise CatalogError(path, [f"公式循环引用 / {exc}"]) from None
    return catalog


def indicator_table(catalog: Catalog) -> pd.DataFrame:
    """One row per indicator: the database's `indicators` table, and what validation joins rows against."""
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "area": i.area,
                "unit": i.unit,
                "kind": i.kind,
                "direction": i.direction,
                "formula": i.formula,
                "aggregate": i.aggregate,
                "publication": i.publication,
                "weight": i.weight,
                "range_low": i.range[0],
                "range_high": i.range[1],
                "definition_zh": i.definition_zh,
                "source": i.source,
            }
            for i in catalog
        ]
    )
