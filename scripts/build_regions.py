"""Build ``data/regions.csv``, the region reference table (province / prefecture / county).

Source: the CC0 dataset ``yescallop/areacodes`` (copied to ``shared/domain/areacodes/result.csv``),
plus ``shared/domain/divisions.csv`` whose hand-written English names win for Ankang codes.

Usage::

    python scripts/build_regions.py [--domain DIR] [--out FILE]

Conventions of the output (see ``data/README.md``):

- ``valid_from`` / ``valid_to`` are inclusive years; the source's change year is exclusive, so
  ``valid_to = 变更/弃用时间 - 1`` and is empty for codes still in use.
- ``successor_code`` lists the codes that took over the territory when the code was retired or changed
  (``;``-separated). Entries of the form ``CODE[YYYY]`` in the source are partial transfers of territory
  during the code's lifetime, not successors, and are left out.
- ``canonical_code`` follows one-to-one successions to their end (旬阳县 610928 -> 旬阳市 610981): a
  split (several successors) or a merge (the successor also took over other codes) stops the chain,
  because then the old unit's figures are not the new unit's figures.
"""

from __future__ import annotations

import argparse
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOMAIN = ROOT.parent / "shared" / "domain"
DEFAULT_OUT = ROOT / "data" / "regions.csv"

COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "level",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_code",
    "canonical_code",
]
LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
DIRECT = "直辖"  # 二级行政区 of counties directly under a province / municipality

# --------------------------------------------------------------------------------------------------
# English names
# --------------------------------------------------------------------------------------------------

# Whole-name overrides (checked first).
NAME_OVERRIDES = {
    "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "西藏自治区": "Xizang Autonomous Region",
    "香港特别行政区": "Hong Kong Special Administrative Region",
    "澳门特别行政区": "Macao Special Administrative Region",
    "海南行政区": "Hainan Administrative Region",
    "西沙群岛": "Xisha Islands",
    "南沙群岛": "Nansha Islands",
    "中沙群岛的岛礁及其海域": "Zhongsha Islands, Reefs and Waters",
    "西沙、南沙、中沙群岛": "Xisha, Nansha and Zhongsha Islands",
    "畹町镇": "Wanding Town",
    "矿区": "Mining District",
}

# Place-name stems with an official spelling that is not plain pinyin.
STEM_OVERRIDES = {
    "陕西": "Shaanxi",
    "内蒙古": "Inner Mongolia",
    "哈尔滨": "Harbin",
    "呼和浩特": "Hohhot",
    "乌鲁木齐": "Urumqi",
    "拉萨": "Lhasa",
}

# Readings of heteronyms as used in place names (pypinyin's general-language default is wrong here).
CHAR_READINGS = {
    "长": "chang",
    "都": "du",
    "乐": "le",
    "什": "shi",
    "朝": "chao",
    "勒": "le",
    "堡": "bao",
    "佛": "fo",
    "柏": "bai",
    "卡": "ka",
    "尾": "wei",
    "蚌": "beng",
    "泊": "bo",
    "漯": "luo",
    "圩": "xu",
    "伽": "jia",
    "曾": "zeng",
    "重": "chong",
}

# Place-name words whose reading differs from both pypinyin and CHAR_READINGS (one-character entries
# apply only when they are the whole stem, e.g. 单县).
PHRASE_READINGS = {
    "长子": "zhang zi",
    "乐清": "yue qing",
    "乐亭": "lao ting",
    "吴堡": "wu bu",
    "红寺堡": "hong si bu",
    "通什": "tong zha",
    "六安": "lu an",
    "六合": "lu he",
    "称多": "chen duo",
    "单": "shan",
    "蔚": "yu",
    "浚": "xun",
    "莘": "shen",
    "繁峙": "fan shi",
    "洪洞": "hong tong",
    "筠连": "jun lian",
    "涡阳": "guo yang",
    "荥经": "ying jing",
    "大埔": "da bu",
    "番禺": "pan yu",
    "铅山": "yan shan",
    "东阿": "dong e",
    "尉犁": "yu li",
}

# Administrative suffixes, longest first: (suffix, English for province / prefecture / county).
SUFFIXES = [
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("行政区", "Administrative Region"),
    ("林区", "Forestry District"),
    ("矿区", "Mining District"),
    ("特区", "Special District"),
    ("地区", "Prefecture"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("镇", "Town"),
]

# 林区 is a kind of division only in 神农架林区; elsewhere the 林 belongs to the name (碑林区 is Beilin District).
FORESTRY_DISTRICTS = {"神农架林区"}

# Ethnic groups in autonomous names (official English ethnonyms). Single-character ones only match
# with a following 族, multi-character ones with or without it.
ETHNIC = {
    "维吾尔": "Uygur",
    "哈萨克": "Kazak",
    "柯尔克孜": "Kirgiz",
    "塔吉克": "Tajik",
    "蒙古": "Mongol",
    "朝鲜": "Korean",
    "土家": "Tujia",
    "布依": "Bouyei",
    "哈尼": "Hani",
    "傈僳": "Lisu",
    "拉祜": "Lahu",
    "东乡": "Dongxiang",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "达斡尔": "Daur",
    "仫佬": "Mulao",
    "撒拉": "Salar",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "锡伯": "Xibe",
    "普米": "Pumi",
    "鄂温克": "Ewenki",
    "鄂伦春": "Oroqen",
    "保安": "Bonan",
    "裕固": "Yugur",
    "独龙": "Derung",
    "布朗": "Blang",
    "壮": "Zhuang",
    "回": "Hui",
    "藏": "Tibetan",
    "苗": "Miao",
    "彝": "Yi",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "傣": "Dai",
    "黎": "Li",
    "佤": "Va",
    "畲": "She",
    "水": "Sui",
    "土": "Tu",
    "羌": "Qiang",
    "怒": "Nu",
    "满": "Manchu",
    "各": "Various Ethnic Groups",
}


def pinyin_word(text: str) -> str:
    """Toneless pinyin of ``text`` as one capitalised word, with an apostrophe before a/e/o syllables."""
    if text in STEM_OVERRIDES:
        return STEM_OVERRIDES[text]
    syllables = lazy_pinyin(text, style=Style.NORMAL)
    if len(syllables) != len(text):  # non-Han characters: no per-character fixes possible
        syllables = [s.replace("v", "ü") for s in syllables]
    else:
        syllables = [CHAR_READINGS.get(ch, syl) for ch, syl in zip(text, syllables, strict=True)]
        for phrase, reading in PHRASE_READINGS.items():
            if len(phrase) == 1 and text != phrase:  # one-character names only as a whole stem
                continue
            start = text.find(phrase)
            while start >= 0:
                syllables[start : start + len(phrase)] = reading.split()
                start = text.find(phrase, start + len(phrase))
        syllables = [s.replace("v", "ü") for s in syllables]
    word = ""
    for i, syl in enumerate(syllables):
        if i and syl[:1] in "aeo":
            word += "'"
        word += syl
    return word[:1].upper() + word[1:]


# Trailing parts of Inner Mongolian banner names, e.g. 察哈尔右翼前旗 -> "Chaha'er Right Wing Front Banner".
BANNER_PARTS = {
    "联合": "United",
    "左翼": "Left Wing",
    "右翼": "Right Wing",
    "左": "Left",
    "右": "Right",
    "前": "Front",
    "中": "Middle",
    "后": "Rear",
}


def _strip_ethnic(stem: str) -> tuple[str, list[str]]:
    """Split ``延边朝鲜族`` into (``延边``, [``Korean``]); groups are returned in source order."""
    groups: list[str] = []
    while True:
        for zh, en in ETHNIC.items():
            if stem.endswith(zh + "族"):
                stem = stem[: -len(zh) - 1]
            elif len(zh) > 1 and stem.endswith(zh):
                stem = stem[: -len(zh)]
            else:
                continue
            groups.append(en)
            break
        else:
            return stem, groups[::-1]


def _strip_banner_parts(stem: str) -> tuple[str, list[str]]:
    parts: list[str] = []
    while True:
        for zh, en in BANNER_PARTS.items():
            if stem.endswith(zh) and len(stem) > len(zh) + 1:
                stem = stem[: -len(zh)]
                parts.append(en)
                break
        else:
            return stem, parts[::-1]


def _join_groups(groups: list[str]) -> str:
    if len(groups) <= 1:
        return "".join(groups)
    return ", ".join(groups[:-1]) + " and " + groups[-1]


def english_name(name: str, level: str) -> str:
    """English name of a division, e.g. ``汉滨区`` -> ``Hanbin District``."""
    if name in NAME_OVERRIDES:
        return NAME_OVERRIDES[name]
    match = next(
        (
            (suf, en)
            for suf, en in SUFFIXES
            if name.endswith(suf) and len(name) > len(suf) and (suf != "林区" or name in FORESTRY_DISTRICTS)
        ),
        None,
    )
    if match is None:
        return pinyin_word(name)
    suffix, suffix_en = match
    stem = name[: -len(suffix)]
    if suffix == "市" and level == "province":
        suffix_en = "Municipality"
    extra: list[str] = []
    if suffix.startswith("自治") or stem.endswith("族"):  # autonomous areas, ethnic districts (回族区)
        stem, groups = _strip_ethnic(stem)
        if not stem and groups:  # e.g. 东乡族自治县, 鄂伦春自治旗: the group name is the place name
            return " ".join(part for part in (groups[0], _join_groups(groups[1:]), suffix_en) if part)
        extra = [_join_groups(groups)] if groups else []
    elif suffix == "旗":
        stem, extra = _strip_banner_parts(stem)
    return " ".join([pinyin_word(stem), *extra, suffix_en])


# --------------------------------------------------------------------------------------------------
# Hierarchy and succession
# --------------------------------------------------------------------------------------------------

SUCC_RE = re.compile(r"^(\d{6})(?:\[(\d{4})\])?$")


@dataclass
class Row:
    code: str
    province: str
    prefecture: str
    name_zh: str
    level: str
    valid_from: int
    valid_to: int | None  # inclusive; None = still in use
    successors: list[str] = field(default_factory=list)
    parent_code: str = ""
    canonical_code: str = ""
    name_en: str = ""

    @property
    def end(self) -> int:
        return 9999 if self.valid_to is None else self.valid_to

    def overlap(self, other: Row) -> int:
        return min(self.end, other.end) - max(self.valid_from, other.valid_from) + 1

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= year <= self.end


def parse_successors(raw: str) -> list[str]:
    """Codes that took over at retirement; ``CODE[YYYY]`` partial transfers are dropped."""
    codes: list[str] = []
    for item in filter(None, raw.split(";")):
        m = SUCC_RE.match(item.strip())
        if not m:
            raise ValueError(f"unexpected successor entry {item!r}")
        if m.group(2) is None and m.group(1) not in codes:
            codes.append(m.group(1))
    return codes


def load_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            end = rec["变更/弃用时间"].strip()
            row = Row(
                code=rec["代码"].strip(),
                province=rec["一级行政区"].strip(),
                prefecture=rec["二级行政区"].strip(),
                name_zh=rec["名称"].strip(),
                level=LEVELS[rec["级别"].strip()],
                valid_from=int(rec["启用时间"]),
                valid_to=int(end) - 1 if end else None,
                successors=parse_successors(rec["新代码"]),
            )
            assert re.fullmatch(r"\d{6}", row.code), row
            assert row.valid_to is None or row.valid_to >= row.valid_from, row
            rows.append(row)
    return rows


def _best(candidates: list[Row], row: Row) -> Row | None:
    """The candidate overlapping ``row``'s validity the most (ties: the later one)."""
    scored = [(c.overlap(row), c.valid_from, c) for c in candidates if c.overlap(row) > 0]
    if not scored:
        return None
    return max(scored, key=lambda t: (t[0], t[1]))[2]


def assign_parents(rows: list[Row]) -> list[Row]:
    """Set ``parent_code``; returns the rows whose parent could only be found by a fallback."""
    provinces: dict[str, list[Row]] = {}
    prefectures: dict[tuple[str, str], list[Row]] = {}
    by_code: dict[str, list[Row]] = {}
    for r in rows:
        by_code.setdefault(r.code, []).append(r)
        if r.level == "province":
            provinces.setdefault(r.name_zh, []).append(r)
        elif r.level == "prefecture":
            prefectures.setdefault((r.province, r.name_zh), []).append(r)

    fallbacks = []
    for r in rows:
        if r.level == "province":
            continue
        parent = None
        if r.level == "county" and r.prefecture != DIRECT:
            parent = _best(prefectures.get((r.province, r.prefecture), []), r)
            if parent is None:  # fall back to the code prefix, then to the name regardless of years
                parent = _best(by_code.get(r.code[:4] + "00", []), r)
                cands = prefectures.get((r.province, r.prefecture), [])
                parent = parent or (max(cands, key=lambda c: c.valid_from) if cands else None)
                fallbacks.append(r)
        else:
            parent = _best(provinces.get(r.province, []), r)
            if parent is None:
                parent = _best(by_code.get(r.code[:2] + "0000", []), r)
                fallbacks.append(r)
        if parent is None:
            raise ValueError(f"no parent for {r}")
        r.parent_code = parent.code
    return fallbacks


def assign_canonical(rows: list[Row]) -> None:
    by_code: dict[str, list[Row]] = {}
    for r in rows:
        by_code.setdefault(r.code, []).append(r)

    def successor_row(r: Row) -> Row | None:
        # The successor is the row of that code in use in the first year after r's validity.
        year = r.end + 1
        cands = [c for c in by_code.get(r.successors[0], []) if c.valid_in(year) and c is not r]
        return cands[0] if len(cands) == 1 else None

    predecessors: dict[int, int] = {}
    for r in rows:
        if r.valid_to is not None and len(r.successors) == 1:
            nxt = successor_row(r)
            if nxt is not None:
                predecessors[id(nxt)] = predecessors.get(id(nxt), 0) + 1

    for r in rows:
        cur, seen = r, {id(r)}
        while cur.valid_to is not None and len(cur.successors) == 1:
            nxt = successor_row(cur)
            absorbed = nxt is not None and nxt.valid_from <= cur.end  # the successor already existed: a merge
            if nxt is None or id(nxt) in seen or predecessors.get(id(nxt), 0) > 1 or absorbed:
                break  # unresolved, a loop, or a merge: the chain ends here
            seen.add(id(nxt))
            cur = nxt
        nxt = successor_row(cur) if cur.valid_to is not None and len(cur.successors) == 1 else None
        if cur.valid_to is not None and len(cur.successors) == 1 and nxt is None:
            # successor could not be resolved to a row: still point at the named code
            r.canonical_code = cur.successors[0]
        else:
            r.canonical_code = cur.code


def assign_names(rows: list[Row], divisions: Path) -> None:
    overrides = {}
    with divisions.open(encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            overrides[rec["code"].strip()] = (rec["name_zh"].strip(), rec["name_en"].strip())
    for r in rows:
        if r.code in overrides and overrides[r.code][0] == r.name_zh:
            r.name_en = overrides[r.code][1]
        else:
            r.name_en = english_name(r.name_zh, r.level)
    used = {r.code for r in rows if r.code in overrides and r.name_en == overrides[r.code][1]}
    missing = set(overrides) - used
    assert not missing, f"divisions.csv codes not matched in areacodes: {sorted(missing)}"


def build(domain: Path) -> list[dict[str, str]]:
    rows = load_rows(domain / "areacodes" / "result.csv")
    keys = [(r.code, r.valid_from) for r in rows]
    assert len(keys) == len(set(keys)), "(code, valid_from) is not unique"
    fallbacks = assign_parents(rows)
    for r in fallbacks:
        print(f"note: parent of {r.code} {r.name_zh} ({r.prefecture}) found by fallback -> {r.parent_code}")
    assign_canonical(rows)
    assign_names(rows, domain / "divisions.csv")
    rows.sort(key=lambda r: (r.code, r.valid_from))
    return [
        {
            "code": r.code,
            "name_zh": r.name_zh,
            "name_en": r.name_en,
            "level": r.level,
            "parent_code": r.parent_code,
            "valid_from": str(r.valid_from),
            "valid_to": "" if r.valid_to is None else str(r.valid_to),
            "successor_code": ";".join(r.successors),
            "canonical_code": r.canonical_code,
        }
        for r in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", type=Path, default=DEFAULT_DOMAIN, help="shared/domain directory")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output CSV")
    args = parser.parse_args()
    records = build(args.domain)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    counties_2024 = sum(
        1
        for r in records
        if r["level"] == "county" and int(r["valid_from"]) <= 2024 and (not r["valid_to"] or int(r["valid_to"]) >= 2024)
    )
    print(f"wrote {len(records)} rows to {args.out} ({counties_2024} county-level units in 2024)")


if __name__ == "__main__":
    main()
