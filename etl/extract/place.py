"""Who published a report, for where and which year (a Document in; a Place out), from its title and body.

The region is matched against the region reference (rolgov.regions: every county-level and higher
unit since 1981, old names too), so 旬阳县 in a 2019 report lands on 旬阳市's code. The issuer says
whose figures these are: a government's own report (人民政府, 政府办公室, 县政府机关), one of its
departments (…局, …委员会) or a township (…乡, …镇, …街道): only the first speaks for the government,
and the reviewer is told so. The person confirms or overrides all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from etl.extract.document import Document
from rolgov import regions as R

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_KINDS = {"gia": "政府信息公开工作年度报告", "rule_of_law": "法治政府建设年度报告", "experience": "经验材料"}
_TOWNSHIP = re.compile(r"^[\u4e00-\u9fff]{1,8}?(乡|镇|街道办事处|街道|苏木)(人民政府)?")
_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{1,16}?(局|委员会|委|中心|管委会|办公室|厅)")


@dataclass
class Place:
    code: str | None
    name: str
    year: int | None
    issuer: str  # government | department | township | unknown
    issuer_name: str
    kind: str  # gia | rule_of_law | experience | unknown
    basis: list[str] = field(default_factory=list)  # what decided, for the reviewer
    problems: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern, dict[str, list[tuple[str, str, int, int, str]]]]:
    """One regex over every unit name, and name -> [(canonical code, level, from, to, parent code)]."""
    regions = R.reference()
    regions = regions[regions["level"].isin(["province", "prefecture", "county"])]
    index: dict[str, list] = {}
    starts = regions["valid_from"].fillna(0).astype(int)
    ends = regions["valid_to"].fillna(9999).astype(int)
    for row, start, end in zip(regions.itertuples(), starts, ends, strict=True):
        index.setdefault(row.name_zh, []).append((row.canonical_code, row.level, start, end, row.parent_code))
    names = sorted((n for n in index if len(n) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), index


def heading(doc: Document) -> str:
    """The line that names the report (title tag, or the first line with a report word and a year)."""
    lines = [doc.title, *doc.paragraphs[:12]]
    for words in (r"年度报告|情况报告|工作报告|经验材料", r"报告|材料|年报"):  # a breadcrumb's 年报 last
        for line in lines:
            if re.search(words, line) and _YEAR.search(line) and len(line) < 80 and "->" not in line:
                return line
    joined = "".join(doc.paragraphs[:6])  # a title broken over lines: 眉县人民政府 / 2020年…年度报告
    for match in re.finditer(
        r"[\u4e00-\u9fff（）()]{2,30}?(19|20)\d{2}年度?[\u4e00-\u9fff]{0,6}?(法治政府建设|政府信息公开)[\u4e00-\u9fff]{0,16}报告",
        joined,
    ):
        cited = joined[max(0, match.start() - 1) : match.start()] == "《" or "关于" in match.group(0)
        if not cited:
            return match.group(0)  # not the title of a document the report cites
    return doc.title


def _kind(doc: Document, head: str) -> str:
    opening = head + "".join(doc.paragraphs[:4])
    if "法治政府建设" in head or ("法治政府建设" in opening and "情况" in opening and "报告" in opening):
        return "rule_of_law"
    tables = {"第二十条第（一）项", "第二十条第(一)项", "本年新收政府信息公开申请数量"}
    if "政府信息公开" in opening and (
        re.search(r"年度报告|年报|工作报告|情况报告如下", opening) or tables & set(doc.tokens)
    ):
        return "gia"
    if re.search(r"经验材料|经验做法|典型材料", head):
        return "experience"
    return "unknown"


def _year(doc: Document, head: str) -> tuple[int | None, str]:
    match = _YEAR.search(head)
    if match:
        return int(match.group(1)), f"标题 / title: {head}"
    opening = "".join(doc.paragraphs[:4])
    match = (
        re.search(r"((?:19|20)\d{2})年度?(法治政府建设|政府信息公开|推进法治政府)", opening)
        or re.search(r"统计期限自?((?:19|20)\d{2})年", opening)
        or _YEAR.search(opening)
    )
    if match:
        return int(match.group(1)), f"正文 / body: …{opening[max(0, match.start() - 10) : match.end() + 10]}…"
    return None, ""


def _resolve(name: str, year: int | None, context: str, scope: str) -> tuple[list[str], str]:
    _, index = _names()
    hits = index[name]
    if year is not None:
        hits = [h for h in hits if h[2] <= year <= h[3]] or hits
    else:  # no year: the units in use today (安康市 was also a county-level city until 2000)
        hits = [h for h in hits if h[3] == 9999] or hits
    codes = list(dict.fromkeys(h[0] for h in hits))
    if len(codes) > 1:  # 朝阳区: the parent's name in the text decides, then the configured scope
        by_parent = [h[0] for h in hits if R.name_of(h[4]) in context]
        codes = list(dict.fromkeys(by_parent)) or codes
    if len(codes) > 1:
        inside = set(R.descendants(R.reference(), scope)["canonical_code"])
        codes = [c for c in codes if c in inside] or codes
    level = next(h[1] for h in hits if h[0] == codes[0])
    return codes, level


def _issuer(after: str, opening: str) -> tuple[str, str]:
    """What follows the region name in the title (after is "" without one), else how the body speaks of itself."""
    if not after:
        return _issuer_in_body(opening)
    own = re.match(r"^(人民)?政府(办公室|办公厅|机关)?", after) or re.match(r"^(县|市|区)政府", after)
    if own:
        return "government", own.group(0)
    if (match := _TOWNSHIP.match(after)) and not after.startswith(("县", "市", "区")):
        return "township", match.group(0)
    match = _DEPARTMENT.match(after)
    if match and "政府" not in match.group(0) and not re.match(r"^(19|20)\d{2}", after):
        return "department", match.group(0)
    return _issuer_in_body(opening)


def _issuer_in_body(opening: str) -> tuple[str, str]:
    match = re.search(r"(县|市|区)([\u4e00-\u9fff]{1,10}?局)(严格|积极|以|高度|认真|在|通过|坚持)|我局|本局", opening)
    if match:
        return "department", (match.group(1) or "") + (match.group(2) or match.group(0))
    match = re.search(r"我(乡|镇)|本(乡|镇)", opening)
    if match:
        return "township", match.group(0)
    return "government", ""


def is_word(text: str, match: re.Match) -> bool:
    """A two-character name (开县, 眉县) counts only where a word can start: 召开县委 holds no 开县."""
    if len(match.group(0)) > 2 or match.start() == 0 or text.startswith("人民政府", match.end()):
        return True
    before = text[match.start() - 1]
    return not ("\u4e00" <= before <= "\u9fff") or before in "市省州盟"


def locate(doc: Document, scope: str = R.DEFAULT_SCOPE) -> Place:
    head = heading(doc)
    kind = _kind(doc, head)
    year, year_basis = _year(doc, head)
    pattern, _ = _names()
    opening = "".join(doc.paragraphs[:6])

    where, found = head, [m for m in pattern.finditer(head) if is_word(head, m)]
    if not found:
        where, found = opening, [m for m in pattern.finditer(opening) if is_word(opening, m)]
    place = Place(None, "", year, "unknown", "", kind, [year_basis] if year_basis else [])
    if not found:
        place.problems.append(
            "未能从标题和正文识别地区 / no region found in the title or body: 请用 --region 指定区划代码或名称 / "
            "give it with --region CODE_OR_NAME"
        )
        return place
    rank = {"county": 0, "prefecture": 1, "province": 2}
    choices = []
    for match in found:
        codes, level = _resolve(match.group(0), year, opening + head, scope)
        choices.append((rank[level], match.start(), match, codes, level))
    _, _, match, codes, level = min(choices, key=lambda c: (c[0], c[1]))
    if len(codes) > 1:
        listed = "、".join(f"{c} {R.name_of(c, year)}" for c in codes[:5])
        place.problems.append(
            f"「{match.group(0)}」对应多个地区：{listed} / matches several regions: 请用 --region 指定 / use --region"
        )
    issuer, issuer_name = _issuer(where[match.end() :] if where is head else "", opening)
    code = codes[0]
    if issuer == "government" and kind == "gia" and level in ("province", "prefecture"):
        code = R.own_level_code(code)  # a city government's disclosure report covers its own organs
    place.code, place.name, place.issuer = code, R.name_of(code, year), issuer
    place.issuer_name = (match.group(0) + issuer_name) if issuer == "government" else issuer_name
    place.basis.append(f"地区 / region: 「{match.group(0)}」→ {code} {place.name}")
    return place
