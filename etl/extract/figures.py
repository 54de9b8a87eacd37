"""Figures in running text (paragraphs in; Figure records out): the number, its unit, the indicator the
words before it name (metrics.yml aliases), its qualifiers and its scope.

Rules, not a model: a number becomes a figure only with a unit after it (12次, 84.4%, 百分之42);
dates, document numbers, phone numbers and numbers in quotes are skipped. The indicator is the alias
that ends nearest before the number inside the same clause (or, failing that, one right after
"N项"), and only when the units agree (次 is not 件). Qualifiers are read from the words around it:
approximate (余, 约, 近, 超过…), cumulative (累计, N年以来 for an earlier year, 截至), change (同比,
增长, 较上年, …个百分点), part (其中, 占), target (力争, 目标, 计划). The scope is a region named in the
sentence (石泉县…84.4% belongs to 石泉县), the government's own level (市政府, 市级) or the whole area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.extract.place import _names, _resolve, is_word
from rolgov import regions as R
from rolgov.catalog import Catalog

UNIT_CLASS = {
    "条": "items", "件": "items", "项": "items", "篇": "items", "份": "items", "类": "items",
    "次": "events", "场": "events", "期": "events", "轮": "events",
    "个": "units", "家": "units", "处": "units", "所": "units",
    "名": "persons", "人": "persons", "位": "persons",
    "人次": "person_times",
    "%": "percent",
    "万元": "money", "元": "money", "亿元": "money",
    "万人": "population",
}  # fmt: skip
_UNITS = sorted(UNIT_CLASS, key=len, reverse=True)
_FIGURE = re.compile(
    r"(?P<pct_word>百分之)?(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<wan>万)?(?P<approx>余|多)?(?P<unit>" + "|".join(map(re.escape, _UNITS)) + r"|％)?"
)
_CLAUSE_END = re.compile(r"[，,；;。！？!?、：:（）()“”\"]")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
APPROX_BEFORE = ("约", "近", "超过", "逾", "达到近", "将近", "接近")
APPROX_AFTER = ("余", "多", "左右", "以上", "上下")
CHANGE_WORDS = re.compile(
    r"(同比|比上年|较上年|较去年|比去年|环比|增长|增加|下降|减少|提高|提升|降低|回落|上升)[了达到为]?$"
)
TARGET_WORDS = re.compile(r"力争|目标|计划|预计|拟|争取|确保.*达到")
CUMULATIVE_WORDS = re.compile(r"累计|截至|截止|历年|近年来|近\d+年|多年来")
SINCE = re.compile(
    r"((?:19|20)\d{2})年(?:[^，。；]{0,6})?以来|自((?:19|20)\d{2})年|((?:19|20)\d{2})[年\-—至到]+((?:19|20)\d{2})年"
)
OWN_LEVEL_WORDS = re.compile(r"(市|县|区|省)(政府|人民政府|级|本级|政府办公室)(?!各)")
AREA_WORDS = re.compile(r"全(市|县|区|省)|各级|市县|县镇")


@dataclass
class Figure:
    value: float
    unit: str
    indicator: str | None
    alias: str
    qualifiers: list[str]
    sentence: str
    paragraph: int  # 1-based
    offset: int  # character offset of the number in its paragraph
    text: str  # the figure as written, e.g. 1,000余条
    scope: str  # area | own_level | named | department
    scope_code: str | None = None
    year: int | None = None  # the figure's own year when the sentence names one (2017年全市…)
    notes: list[str] = field(default_factory=list)


_PATTERNS: dict[int, list] = {}


def _alias_patterns(catalog: Catalog) -> list[tuple[re.Pattern, str, str, int]]:
    """(regex, indicator id, alias, number of literal characters) for every alias in the catalog."""
    if id(catalog) in _PATTERNS:
        return _PATTERNS[id(catalog)]
    out = []
    for ind in catalog:
        for alias in ind.aliases:
            parts = [re.escape(p) for p in alias.split("…")]
            regex = re.compile(r"[^，,；;。]{0,10}?".join(parts))
            out.append((regex, ind.id, alias, len(alias.replace("…", ""))))
    _PATTERNS.clear()  # one catalog at a time in practice
    _PATTERNS[id(catalog)] = out
    return out


def _unit_class(catalog: Catalog, indicator: str) -> str:
    unit = catalog[indicator].unit
    return {"是/否": "boolean"}.get(unit, UNIT_CLASS.get(unit, "items"))


def _skip(paragraph: str, match: re.Match) -> bool:
    """Dates, document numbers, ordinals, phone numbers, quoted names: not figures."""
    start, end = match.span("num")
    before, after = paragraph[max(0, start - 2) : start], paragraph[end : end + 2]
    if re.match(r"[年月日号届期〕\]】/\-:：.]", after) and not match.group("unit"):
        return True
    if before.endswith(("第", "〔", "[", "【", "“", '"')) or after.startswith(("〕", "]", "】", "”")):
        return True
    return match.group("unit") is None and match.group("pct_word") is None


def _nearest_alias(catalog: Catalog, clause: str, unit_class: str) -> tuple[str | None, str]:
    """The alias ending nearest the end of `clause` (ties: the longer one), if its unit agrees."""
    best = None
    for regex, indicator, alias, size in _alias_patterns(catalog):
        for hit in regex.finditer(clause):
            gap = clause[hit.end() :]
            if re.search(r"\d", gap) or len(gap) > 8:
                continue  # another figure or too many words in between
            key = (len(gap), -size)
            if best is None or key < best[0]:
                best = (key, indicator, alias)
    if best is None or _unit_class(catalog, best[1]) != unit_class:
        return None, best[2] if best else ""
    return best[1], best[2]


def _alias_at_start(catalog: Catalog, tail: str, unit_class: str) -> tuple[str | None, str]:
    """An alias right after the figure (7名法律顾问): the longest one starting the tail, units agreeing."""
    best = None
    for regex, indicator, alias, size in _alias_patterns(catalog):
        hit = regex.match(tail)
        if hit and (best is None or (hit.end(), -size) < best[0]):
            best = ((hit.end(), -size), indicator, alias)  # the adjacent noun: the shortest match
    if best is None or _unit_class(catalog, best[1]) != unit_class:
        return None, ""
    return best[1], best[2]


def figure_year(head: str) -> int | None:
    """The year a sentence gives its figure (2017年全市各单位…), unless it opens a period (2017年以来)."""
    years = [m for m in re.finditer(r"((?:19|20)\d{2})年(?!以来|[\d月底末初])(?!度?以来)", head)]
    if not years or re.search(r"今年|本年", head[years[-1].end() :]):
        return None  # none, or 今年上半年 after it: the report's own year
    return int(years[-1].group(1))


def _qualifiers(sentence: str, at: int, match: re.Match, year: int | None) -> list[str]:
    head = sentence[:at]
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    clause = head[clause_start:]
    found: list[str] = []
    if TARGET_WORDS.search(clause):
        found.append("target")
    if CHANGE_WORDS.search(clause.rstrip("了达到为至")) or re.match(r"个百分点", sentence[match.end() - at :]):
        found.append("change")
    since = [int(y) for m in SINCE.finditer(head) for y in m.groups() if y]
    if CUMULATIVE_WORDS.search(head) or (since and year is not None and min(since) < year):
        found.append("cumulative")
    if (
        "其中" in head
        or re.search(r"上半年|前三季度|一季度|\d+[-—至]\d+月", head)
        or clause.endswith(("占", "占比"))
        or re.search(r"占[^，。]{0,8}$", clause)
    ):
        found.append("part")
    if (
        match.group("approx")
        or clause.endswith(APPROX_BEFORE)
        or sentence[match.end() - at :].startswith(APPROX_AFTER[2:])
    ):
        found.append("approximate")
    return found or ["exact"]


def _scope(sentence: str, at: int, place_code: str | None, year: int | None) -> tuple[str, str | None, str]:
    head = sentence[:at]
    pattern, _ = _names()
    named = [m for m in pattern.finditer(head) if is_word(head, m)]
    if named and place_code:
        name = named[-1].group(0)
        codes, level = _resolve(name, year, sentence, R.DEFAULT_SCOPE)
        base = place_code.removesuffix(R.OWN_LEVEL_SUFFIX)
        if level == "county" and codes[0] != base:
            return "named", codes[0], name
    last = {
        kind: max((m.start() for m in regex.finditer(head)), default=-1)
        for kind, regex in (
            ("area", AREA_WORDS),
            ("own_level", OWN_LEVEL_WORDS),
            ("department", re.compile(r"(市|县|区)[\u4e00-\u9fff]{1,8}(局|委)(?![员会])")),
        )
    }
    kind, position = max(last.items(), key=lambda item: item[1])
    if kind == "own_level" and last["area"] >= 0 and position - last["area"] <= 1:
        kind = "area"  # 市县政府: both levels, the whole area
    if kind == "own_level" and position >= 0 and place_code and R.is_total(place_code):
        return kind, R.own_level_code(place_code), ""  # 市政府聘请7名: the city's own level, not 全市
    if kind == "area" and position >= 0 and place_code and R.is_own_level(place_code):
        return kind, place_code.removesuffix(R.OWN_LEVEL_SUFFIX), ""
    return (kind if position >= 0 else "report"), place_code, ""


def find(paragraphs: list[str], catalog: Catalog, place_code: str | None, year: int | None) -> list[Figure]:
    figures: list[Figure] = []
    for number, paragraph in enumerate(paragraphs, start=1):
        if len(paragraph) < 6:
            continue  # a table cell on its own line
        for sentence_match in _SENTENCE.finditer(paragraph):
            sentence = sentence_match.group(0)
            for match in _FIGURE.finditer(sentence):
                if _skip(sentence, match):
                    continue
                unit = (match.group("unit") or "%").replace("％", "%")
                raw = float(match.group("num").replace(",", "").replace("，", ""))
                value = raw * 10000 if match.group("wan") else raw
                at = match.start()
                head = sentence[:at]
                clause = head[max((m.end() for m in _CLAUSE_END.finditer(head)), default=0) :]
                unit_class = UNIT_CLASS[unit]
                indicator, alias = _nearest_alias(catalog, clause, unit_class)
                if indicator is None and unit_class != "percent":
                    tail = sentence[match.end() : match.end() + 12]  # 59个部门 / 7名法律顾问
                    indicator, alias = _alias_at_start(catalog, tail[: _end_of_clause(tail)], unit_class)
                qualifiers = _qualifiers(sentence, at, match, year)
                scope, code, scope_name = _scope(sentence, at, place_code, year)
                notes = [f"范围 / scope: {scope_name}"] if scope == "named" else []
                own_year = figure_year(head) or year
                figures.append(
                    Figure(
                        value=value,
                        unit=unit,
                        indicator=indicator,
                        alias=alias,
                        qualifiers=qualifiers,
                        sentence=sentence.strip(),
                        paragraph=number,
                        offset=sentence_match.start() + at,
                        text=match.group(0),
                        scope=scope,
                        scope_code=code,
                        year=own_year,
                        notes=notes,
                    )
                )
    return figures


def _end_of_clause(text: str) -> int:
    match = _CLAUSE_END.search(text)
    return match.start() if match else len(text)
