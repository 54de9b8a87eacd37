"""Experience-summary drafts (经验材料): scope, period and areas in; a list of blocks out, every figure traced.

A draft reads like the seed material: a title, a figure-free opening, then per area a heading 一、,
a lead, and subsections （一） whose sentences fill the metrics.yml templates with real figures
(totals, change on a year, attainment, the best county by name), then the area's two charts.
Two scopes never mix: 全市 sentences use the 610900 total (全市各级行政机关), 市级 sentences the
610900BJ values (see report_text.OWN_LEVEL_ONLY). Wording: report_text; figures: report_figures;
charts: report_charts; writers: report_docx (.docx) and report_md (Markdown); CLI: report_cli.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rolgov import regions as R
from rolgov import report_charts, scoring
from rolgov import report_text as W
from rolgov.catalog import Catalog, Indicator
from rolgov.report_figures import (
    Facts,
    TracedFigure,
    counties_of,
    evaluate,
    rank_text,
    reconcile,
)


@lru_cache(maxsize=512)
def name_of(code: str, year: int) -> str:
    return R.name_of(code, year)


PERIOD_MODES = ("year", "since", "compare")
CN_NUMBERS = "一二三四五六七八九十"
MAX_CLAUSES = 6  # clauses joined into one sentence before a new one starts
ATTAINED = {"statutory": "符合法定要求", "indicator_text": "达到示范创建指标要求", "local_plan": "完成规划目标"}


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二 (enough for headings)."""
    return CN_NUMBERS[n - 1] if n <= 10 else "十" + CN_NUMBERS[n - 11]


@dataclass(frozen=True)
class Period:
    """mode year: one year; since: start..year cumulative; compare: year against start."""

    mode: str
    year: int
    start: int

    def __post_init__(self):
        if self.mode not in PERIOD_MODES:
            raise ValueError(f"期间类型只能是 {PERIOD_MODES} / period mode must be one of {PERIOD_MODES}")
        if self.mode == "since" and self.start > self.year:
            raise ValueError(f"起始年 {self.start} 晚于截止年 {self.year} / start year after end year")
        if self.mode == "compare" and self.start >= self.year:
            raise ValueError(f"对比年 {self.start} 须早于 {self.year} / the compared year must be earlier")

    @classmethod
    def single(cls, year: int) -> Period:
        return cls("year", year, year)

    @classmethod
    def since(cls, start: int, year: int) -> Period:
        return cls("since", year, start)

    @classmethod
    def compare(cls, year: int, earlier: int) -> Period:
        return cls("compare", year, earlier)

    def label(self) -> str:
        return {
            "year": f"{self.year}年",
            "since": f"{self.start}年以来",
            "compare": f"{self.year}年（与{self.start}年对比）",
        }[self.mode]


@dataclass
class Block:
    """kind: title | note | opening | heading | lead | paragraph | chart. A chart's text is its caption."""

    kind: str
    text: str
    figures: list[TracedFigure] = field(default_factory=list)
    area: str | None = None
    chart: Any = None  # plotly figure of a chart block (never serialised)


@dataclass
class Draft:
    scope: str
    scope_name: str
    period: Period
    areas: list[str]
    exact: bool
    blocks: list[Block]
    generated_at: str
    warnings: list[str] = field(default_factory=list)

    @property
    def figures(self) -> list[TracedFigure]:
        return [f for b in self.blocks for f in b.figures]

    @property
    def sample(self) -> str:
        return sample_of(self.figures)

    def trace(self) -> dict:
        """What verify needs, stored in the .docx: the draft's settings and every figure."""
        return {
            "format": "rolgov-report-trace",
            "version": 1,
            "scope": self.scope,
            "period": {"mode": self.period.mode, "year": self.period.year, "start": self.period.start},
            "areas": self.areas,
            "exact": self.exact,
            "generated_at": self.generated_at,
            "figures": [f.to_dict() for f in self.figures],
        }


def sample_of(figures: list[TracedFigure]) -> str:
    """all | some | none: whether the figures come from sample data."""
    flags = [f.is_sample for f in figures]
    return "all" if flags and all(flags) else ("some" if any(flags) else "none")


def sample_note(sample: str) -> str:
    notes = {"all": "（本稿数据为示例数据，非官方统计）", "some": "（本稿部分数据为示例数据，非官方统计）"}
    return notes.get(sample, "")


# ── building ───────────────────────────────────────────────────────────────────────────────────
@dataclass
class _Clause:
    period_text: str
    scope_text: str
    body: str | None  # template without "{period}，{scope}", for joining; None if it cannot be joined
    full: str
    figures: list[TracedFigure]


class _Builder:
    def __init__(self, con, catalog: Catalog, scope: str, period: Period, exact: bool, include_internal: bool):
        self.catalog, self.scope, self.period, self.exact = catalog, scope, period, exact
        self.counties_here = list(counties_of(scope, period.year))
        self.is_city = bool(self.counties_here)
        self.root = scope if self.is_city else scope[:4] + "00"
        self.counties = self.counties_here or list(counties_of(self.root, period.year))
        self.char = name_of(self.root, period.year)[-1]  # 市 (or 省)
        self.visible = {i.id for i in catalog.visible(include_internal) if not i.context and i.kind != "boolean"}
        regions = sorted({scope, self.root, R.own_level_code(self.root), *self.counties})
        # every indicator is read: a public rate may be computed from an internal count
        self.facts = Facts.load(con, regions, list(range(2000, period.year + 1)), None)

    # which regions an indicator speaks of, and in which words
    def regions_for(self, ind: Indicator) -> list[str]:
        if not self.is_city:
            return [self.scope]
        own = R.own_level_code(self.scope)
        if ind.id in W.OWN_LEVEL_ONLY:
            return [own]
        return [own, self.scope] if ind.id in W.BOTH_LEVELS else [self.scope]

    def scope_text(self, ind: Indicator, region: str) -> str:
        if R.is_own_level(region):
            return W.OWN_LEVEL_SCOPE.get(ind.id, W.DEFAULT_OWN_LEVEL_SCOPE).format(c=self.char)
        if region == self.root and self.is_city:
            own_level = ind.own_level and all(self.catalog[i].own_level for i in ind.formula_ids)
            default = W.DEFAULT_TOTAL_SCOPE if own_level and ind.aggregate != "none" else W.TOTAL_SCOPE_NOT_OWN
            return W.TOTAL_SCOPE.get(ind.id, default).format(c=self.char)
        return name_of(region, self.period.year)

    def how(self, ind: Indicator) -> tuple[str, int, str]:
        """(measure, start year, period words) for an indicator under this draft's period.

        Since a year: flows are summed (2017年以来), levels are stated at the end (截至2018年底), a rate
        is recomputed over the period when its parts are flows, else stated at the end.
        """
        p = self.period
        if p.mode != "since":
            return "value", p.year, f"{p.year}年"
        if ind.kind == "count" and ind.aggregate == "sum":
            if ind.id in W.STOCKS:
                return "value", p.year, f"截至{p.year}年底"
            return "sum", p.start, f"{p.start}年以来"
        if ind.aggregate == "recompute":
            parts = [self.catalog[i] for i in ind.formula_ids]
            if all(not i.derived and i.id not in W.STOCKS for i in parts):
                return "rate", p.start, f"{p.start}年以来"
            return "value", p.year, f"截至{p.year}年底"
        return "value", p.year, f"{p.year}年"

    def figure(self, ind: Indicator, region: str, measure: str, start: int, **extra) -> TracedFigure | None:
        spec = TracedFigure(ind.id, region, start, self.period.year, measure, self.exact, **extra)
        return evaluate(spec, self.facts, self.catalog)

    def clause(self, ind: Indicator, region: str, county_words: str | None = None) -> _Clause | None:
        measure, start, period_text = self.how(ind)
        fig = self.figure(ind, region, measure, start)
        if fig is None or (fig.value == 0 and ind.direction != "lower"):
            return None
        figures, extra = [fig], ""
        p = self.period
        earlier = p.start if p.mode == "compare" else p.year - 1
        if (
            county_words is None
            and ind.direction != "monitor"
            and (p.mode == "compare" or (p.mode == "year" and ind.headline))
        ):
            change = self.figure(ind, region, "change", earlier)
            if change is not None:
                figures.append(change)
                when = "上年" if earlier == p.year - 1 else f"{earlier}年"
                extra += (
                    f"，与{when}持平"
                    if change.text == "持平"
                    else f"，{'同比' if earlier == p.year - 1 else f'较{earlier}年'}{change.text}"
                )
        target = ind.target_for(R.target_level(region), p.year)
        if (  # targets are annual: a sum over years is never held against one
            county_words is None
            and measure != "sum"
            and target
            and not target.is_estimate
            and target.basis in ATTAINED
            and scoring.attainment(ind, fig.value, target.value)[0] == "met"
        ):
            extra += "，" + ATTAINED[target.basis]
        scope_text = county_words or self.scope_text(ind, region)
        template, prefix = ind.template_zh, "{period}，{scope}"
        if template.startswith(prefix):
            body = template[len(prefix) :].format(value=fig.text) + extra
            return _Clause(period_text, scope_text, body, f"{period_text}，{scope_text}{body}", figures)
        full = template.format(period=period_text, scope=scope_text, value=fig.text) + extra
        return _Clause(period_text, scope_text, None, full, figures)

    def county_highlight(self, indicator_ids: tuple[str, ...]) -> tuple[str, list[TracedFigure]] | None:
        """The best county named with its figure (city draft), or the county's own top-three rank."""
        candidates = [self.catalog[i] for i in indicator_ids if i in self.visible]
        candidates = [i for i in candidates if i.direction in ("higher", "lower") and i.kind in ("count", "percent")]
        candidates.sort(key=lambda i: i.kind != "percent")
        for ind in candidates:
            measure, start, _ = self.how(ind)
            ranks = {c: self.figure(ind, c, "rank", start, basis=measure, among=self.root) for c in self.counties}
            if not self.is_city:
                mine = ranks.get(self.scope)
                if mine is not None:
                    verb = (
                        "为"
                        if ind.direction == "lower" and mine.text == "最低"
                        else ("处于" if ind.direction == "lower" else "居")
                    )
                    return f"其中，{ind.name_zh}{verb}全{self.char}各县（市、区）{mine.text}。", [mine]
                continue
            best = [c for c, f in ranks.items() if f is not None and f.value == 1]
            if not best or len(best) > 3:
                continue
            clauses = [
                self.clause(ind, c, county_words="、".join(name_of(b, self.period.year) for b in best)) for c in best
            ]
            if any(c is None for c in clauses):
                continue
            first = clauses[0]
            words = "、".join(name_of(b, self.period.year) for b in best)
            tie = "并列" if len(best) > 1 else ""
            head = f"其中，{words}{first.body}" if first.body is not None else first.full
            verb = tie or ("为" if ind.direction == "lower" else "居")
            place = f"{verb}全{self.char}各县（市、区）{rank_text(ind, 1)}"
            figures = [f for c in clauses for f in c.figures] + [ranks[b] for b in best]
            return f"{head}，{place}。", figures
        return None

    def paragraph(self, number: int, sub: W.Subsection) -> Block | None:
        clauses = [
            c
            for i in sub.indicators
            if i in self.visible
            for region in self.regions_for(self.catalog[i])
            if (c := self.clause(self.catalog[i], region)) is not None
        ]
        if not clauses:
            return None
        sentences, figures, current, count = [], [], None, 0
        for c in clauses:
            figures += c.figures
            same_scope = current is not None and c.scope_text == current.scope_text
            if (
                current is not None
                and c.body is not None
                and c.period_text == current.period_text
                and count < MAX_CLAUSES
            ):
                sentences[-1] += "，" + (c.body if same_scope else c.scope_text + c.body)
                count += 1
            else:  # a new sentence; the subject is not repeated when it stays the same
                sentences.append(f"{c.period_text}，{c.body}" if same_scope and c.body is not None else c.full)
                count = 1
            current = c
        text = f"（{cn(number)}）{sub.title}。{sub.opener}" + "".join(s + "。" for s in sentences)
        highlight = self.county_highlight(sub.indicators)
        if highlight:
            text += highlight[0]
            figures += highlight[1]
        return Block("paragraph", text, figures)


def build_draft(
    con,
    catalog: Catalog,
    scope: str,
    period: Period,
    areas: list[str],
    exact: bool = False,
    include_internal: bool = False,
    with_charts: bool = True,
) -> Draft:
    """The draft for a scope (610900 or a county code), a period and a list of area ids (A1 … A9)."""
    unknown = [a for a in areas if a not in W.AREAS]
    if unknown:
        raise ValueError(f"未知领域 {unknown}，可选 {list(W.AREAS)} / unknown areas; allowed: {list(W.AREAS)}")
    b = _Builder(con, catalog, scope, period, exact, include_internal)
    name = name_of(scope, period.year)
    blocks: list[Block] = [Block("title", W.title(name, b.is_city))]
    body: list[Block] = []
    used, warnings, chart_no = [], [], 0
    for area_id in [a.id for a in catalog.areas if a.id in areas]:
        text = W.AREAS[area_id]
        subs = W.outline(area_id, [i.id for i in catalog.in_area(area_id)])
        paragraphs = [p for p in (b.paragraph(k, s) for k, s in enumerate(subs, 1)) if p is not None]
        # renumber: a subsection without data is left out, and （一）（二） stay consecutive
        for k, p in enumerate(paragraphs, 1):
            p.text = f"（{cn(k)}）" + p.text.split("）", 1)[1]
            p.area = area_id
        if not paragraphs:
            warnings.append(
                f"{area_id} {catalog.area(area_id).name_zh}：所选期间没有可用数据，未写入 / "
                f"no data for the period, left out"
            )
            continue
        used.append(area_id)
        body.append(Block("heading", f"{cn(len(used))}、{text.heading}", area=area_id))
        body.append(Block("lead", text.lead, area=area_id))
        body += paragraphs
        if with_charts:
            for kind, ind_id in zip(("trend", "counties"), text.charts, strict=True):
                if ind_id not in b.visible:
                    continue
                made = report_charts.make(kind, b, catalog[ind_id])
                if made is not None:
                    chart_no += 1
                    body.append(Block("chart", f"图{chart_no}　{made[1]}", area=area_id, chart=made[0]))
    note = sample_note(sample_of([f for block in body for f in block.figures]))
    if note:
        blocks.append(Block("note", note))
    self_name = W.self_name(name, b.is_city)
    focus = "、".join(W.AREAS[a].focus for a in used[:4])  # the headings name the rest
    tail = (
        f"现将{period.year}年主要做法和成效总结如下，并与{period.start}年作对比。"
        if period.mode == "compare"
        else f"现将{period.label()}主要做法和成效总结如下。"
    )
    blocks.append(
        Block(
            "opening",
            f"{self_name}自开展法治政府建设示范创建工作以来，紧密围绕创建目标任务，"
            f"对照《市县法治政府建设示范指标体系》，着力从{focus}等方面入手，"
            f"推动法治政府建设各项工作落地见效。{tail}"
            if used
            else f"{self_name}所选期间没有可用数据。",
        )
    )
    return Draft(
        scope, name, period, used, exact, blocks + body, dt.datetime.now().isoformat(timespec="seconds"), warnings
    )


def apply_edits(draft: Draft, texts: dict[int, str]) -> tuple[Draft, list[dict]]:
    """Replace block texts by index; keep the figures still in the text, drop the others, flag stray numbers.

    Returns the edited draft and one flag per edited block with dropped figures or untraced numbers:
    {"block": index, "dropped": [TracedFigure], "untraced": ["60余场", ...]}.
    """
    blocks, flags = [], []
    for index, block in enumerate(draft.blocks):
        new = texts.get(index)
        if new is None or new == block.text or block.kind == "chart":
            blocks.append(block)
            continue
        kept, dropped, untraced = reconcile(new, block.figures)
        blocks.append(replace(block, text=new, figures=kept))
        if dropped or untraced:
            flags.append({"block": index, "dropped": dropped, "untraced": untraced})
    return replace(draft, blocks=blocks), flags


if __name__ == "__main__":
    from rolgov.report_cli import main

    sys.exit(main())
