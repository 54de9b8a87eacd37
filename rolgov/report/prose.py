"""Sentence patterns of a draft and the choice among them: a kind of statement in, one of its patterns out.

Every kind of statement (the period and subject that open a sentence, a change on a year, a rank, a rate
with its whole and part) has several patterns. Rotation picks the least-used pattern of the kind, ties
broken by a stable hash of what is being said, so a draft is the same every time it is built and no
pattern recurs in paragraph after paragraph (the seed never writes "2017年，全市各级行政机关" twice in a row).
Patterns hold no digits of their own: every number in a sentence is a traced figure.
"""

from __future__ import annotations

import zlib
from collections import Counter

# ── opening a sentence: period and subject ({Y} end year, {A} start year, {S} subject) ─────────
FRAMES = {
    "flow": ("{Y}年，{S}", "{Y}年{S}", "{S}{Y}年", "{Y}年全年，{S}", "{Y}年度，{S}", "一年来，{S}"),
    "stock": ("截至{Y}年底，{S}", "{Y}年，{S}", "到{Y}年底，{S}", "{S}截至{Y}年底", "{Y}年末，{S}"),
    "latest": ("{Y}年，{S}", "{Y}年{S}", "{S}{Y}年", "{Y}年度，{S}"),
    "since": (
        "{A}年以来，{S}",
        "{A}年以来{S}",
        "{A}—{Y}年，{S}",
        "{S}{A}年以来",
        "{A}年至{Y}年，{S}",
        "{A}—{Y}年间，{S}",
    ),
}
# 一年来 speaks of the draft's own year only; 全年 of flows only
FRAME_ONLY_FOR_DRAFT_YEAR = {"一年来，{S}"}

# The plain subjects of metrics.yml are varied; any other subject (市政府, 全市各级政府) stays as written.
SUBJECT_SYNONYMS = {
    "全{c}各级行政机关": (
        "全{c}各级行政机关",
        "全{c}各级各部门",
        "全{c}",
        "全{c}各级政府及其部门",
        "各地各部门",
        "全{c}各县（市、区）和{c}级各部门",
        "全{c}各级政府部门",
        "全{c}各单位",
    ),
    "{name}": ("{name}", "我{k}", "全{k}", "全{k}各级各部门", "全{k}各级行政机关", "全{k}各单位"),
}
# what a city's total is (its counties and its own departments) and a province's is not: 全省各县（市、区）和
# 省级各部门 would leave out every city's own level
CITY_ONLY_SUBJECTS = {"全{c}各县（市、区）和{c}级各部门"}

# ── change on a year ({t} is the traced change text: 增长4.8%, 增加3名, 提高9.0个百分点, 持平) ──────
CHANGE_PREVIOUS = ("，同比{t}", "，比上年{t}", "，较上年{t}", "，与上年相比{t}")
CHANGE_PREVIOUS_SAME = ("，与上年持平", "，同比持平", "，与上年相比持平")
CHANGE_EARLIER = (
    "，较{A}年{t}",
    "，比{A}年{t}",
    "，与{A}年相比{t}",
    "，相比{A}年{t}",
    "，{t}（与{A}年相比）",
    "，对比{A}年{t}",
    "，较{A}年水平{t}",
)
CHANGE_EARLIER_SAME = ("，与{A}年持平", "，与{A}年相比持平")
# the latest year inside a since-period total: 2017年以来……50余次，其中2018年31次
SINCE_LATEST = ("，其中{Y}年{v}", "，其中{Y}年为{v}", "，{Y}年当年{v}", "（{Y}年{v}）", "，仅{Y}年就有{v}")

# ── rates against their requirement ({req}: 法定要求 / 示范创建指标要求) ────────────────────────────
ATTAINED = {
    "statutory": ("，符合法定要求", "，达到法定要求"),
    "indicator_text": ("，达到示范创建指标要求", "，达到指标体系要求"),
    "local_plan": ("，完成规划目标", "，达到规划目标"),
}
REQUIREMENT = {"statutory": "法定要求", "indicator_text": "示范创建指标要求", "local_plan": "规划目标"}

# ── a rate said with its whole and part (wording.RATIOS supplies W, P, PV, done, noun) ──────────
RATIO_FULL = ("{W}，均已{done}", "{W}，全部{done}", "{W}，{noun}达{R}")
RATIO_PARTIAL = (
    "{W}，其中{P}，{noun}{verb}{R}{C}",
    "{W}，{PV}，{noun}{verb}{R}{C}",
    "{W}，{noun}{verb}{R}{C}",  # the part left out: never when the part is a headline figure
    "{W}，{PV}，占{R}{C}",
)
RATIO_SHORT = (
    "{W}，{PV}，{noun}为{R}{C}，尚有{G}未{done}",
    "{W}，其中{P}，{noun}为{R}{C}，尚有{G}未{done}",
    "{W}，{noun}为{R}{C}，距{req}尚有差距",
)
# the whole was already said in this draft (制发行政规范性文件155件 before the filing rate)
RATIO_PART_ONLY = ("{PT}，{noun}{verb}{R}{C}", "{PT}，占总数的{R}{C}")
RATIO_PART_ONLY_SHORT = ("{PT}，{noun}为{R}{C}，尚有{G}未{done}", "{PT}，{noun}为{R}{C}，距{req}尚有差距")
RATIO_PART_ONLY_FULL = ("{Wn}均已{done}", "{Wn}全部{done}")  # 制发的行政规范性文件均已按时报送备案

# ── the best county: a city draft names it ({who} county names, {pred} what it did, {r} rank words; {u} the
# units compared: 县（市、区） under a city, 市 under a province, whose draft names its best city) ─
# Each pattern says which words it needs for the rank (figures.RANK_WORDS): top 首位, high 最高, first 第一.
HIGHLIGHT_UNDER_PARENT = (  # the figure before is the whole city's: the county is part of it
    ("其中，{who}{pred}，居全{c}各{u}{r}。", "top"),
    ("其中，{who}{pred}，在各{u}中{r}。", "high"),
    ("其中，{who}{pred}，位列全{c}{r}。", "first"),
)
HIGHLIGHT = (
    ("各{u}中，{who}{pred}，位居{r}。", "top"),
    ("从各{u}看，{who}{pred}，为全{c}{r}。", "high"),
    ("{who}{pred}，在全{c}各{u}中排名{r}。", "first"),
    ("{u}层面，{who}{pred}，居全{c}{r}。", "top"),
)
HIGHLIGHT_TIED = (
    ("{lead}{who}{pred}，在全{c}各{u}中{r}。", "first"),
    ("各{u}中，{who}{pred}，{r}。", "high"),
)
HIGHLIGHT_LOWEST = (("{who}{pred}，为全{c}各{u}{r}。", "top"), ("各{u}中，{who}{pred}，{r}。", "top"))
HIGHLIGHT_ALL = ("全{c}各{u}{noun}均达{v}。", "各{u}{noun}均为{v}。")
# a county's own rank, said after its figure
RANK_SOLE = (
    ("，居全{c}各{u}{r}", "top"),
    ("，为全{c}各{u}{r}", "high"),
    ("，位列全{c}各{u}{r}", "first"),
)
RANK_LOWEST = (("，为全{c}各{u}{r}", "top"), ("，在全{c}各{u}中{r}", "top"))
RANK_TIED = (("，与{others}{r}", "first"), ("，与{others}在全{c}各{u}中{r}", "high"))

# verbs a following clause may share with the one before it (作出行政许可决定…，行政处罚决定…)
SHARED_PREFIXES = ("编发", "作出", "召开", "收到", "审结", "组织", "受理", "办结", "建设", "政府")
MAX_SAME_PHRASE = 3  # a connective such as 其中， at most this often in a draft
MAX_CLAUSES = 3  # single-figure clauses in one sentence, as the seed chains them
MAX_FIGURES = 4  # figures in one sentence: never the seven-figure chains a reader cannot follow


class Rotation:
    """Least-used choice among a kind's patterns; the count per pattern is the draft's variety record."""

    def __init__(self):
        self.used: Counter = Counter()

    def pick(self, kind: str, options: dict | tuple, key: str):
        choices = dict(enumerate(options)) if isinstance(options, tuple) else options
        counts = {i: self.used[f"{kind}:{i}"] for i in choices}
        low = min(counts.values())
        candidates = sorted(i for i, c in counts.items() if c == low)
        chosen = candidates[zlib.crc32(key.encode("utf-8")) % len(candidates)]
        self.used[f"{kind}:{chosen}"] += 1
        return choices[chosen]

    def record(self) -> dict[str, int]:
        return dict(self.used)


# subjects that are the first half of a word the predicate completes: 市 + 政府常务会议, 自治区 + 政府…
BOUND_SUBJECTS = {"{c}", "{k}"}


def frame_options(period_key: str, draft_year: bool, has_subject: bool, bound: bool = False) -> dict[int, str]:
    """The frames a sentence may open with: 一年来 only in the draft's own year; a frame that puts the
    subject first only when there is a subject to put there, and not when the predicate completes it
    (bound: 2024年，市政府常务会议…, never 市2024年政府常务会议…)."""
    options = {}
    for i, pattern in enumerate(FRAMES[period_key]):
        if pattern in FRAME_ONLY_FOR_DRAFT_YEAR and not draft_year:
            continue
        if pattern.startswith("{S}") and (not has_subject or bound):
            continue
        options[i] = pattern
    return options


def shared_prefix(previous: str, body: str) -> str:
    """The verb a clause shares with the one before it, or '' (only verbs that read well when dropped)."""
    for prefix in SHARED_PREFIXES:
        if previous.startswith(prefix) and body.startswith(prefix) and len(body) > len(prefix):
            return prefix
    return ""
