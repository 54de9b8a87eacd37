"""What a draft is made of: its period (one year, since a year, two years compared), blocks and traced figures.

Plain data: nothing here reads the database or words a sentence, so every other module of the
draft package (build, charts, sources, markdown, word, cli) can import it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolgov.report.figures import TracedFigure

PERIOD_MODES = ("year", "since", "compare")
CN_NUMBERS = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二 (enough for headings)."""
    return CN_NUMBERS[n - 1] if n <= 10 else "十" + CN_NUMBERS[n - 11]


@dataclass(frozen=True)
class Period:
    """year: one year; since: start..year, flows summed and stocks at the end; compare: year against start."""

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

    @property
    def years(self) -> list[int]:
        """The years whose data the draft reads (compare: the two years; since: every year of the span)."""
        if self.mode == "compare":
            return [self.start, self.year]
        return list(range(self.start, self.year + 1))

    @property
    def multi_year(self) -> bool:
        return self.mode == "since" and self.start < self.year

    def label(self) -> str:
        return {
            "year": f"{self.year}年",
            "since": f"{self.start}年以来",
            "compare": f"{self.year}年（与{self.start}年对比）",
        }[self.mode]


@dataclass
class Block:
    """kind: title | note | opening | heading | lead | paragraph | chart. A chart's text is its caption and
    its figures are the values it draws (checked by verify, never looked for in the text)."""

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
    patterns: dict[str, int] = field(default_factory=dict)  # sentence pattern -> times used (variety check)

    @property
    def figures(self) -> list[TracedFigure]:
        """The figures the text states (title, opening, paragraphs): each must stand in its block's text."""
        return [f for b in self.blocks if b.kind != "chart" for f in b.figures]

    @property
    def chart_figures(self) -> list[tuple[str, TracedFigure]]:
        """(caption, figure) for every value a chart draws."""
        return [(b.text, f) for b in self.blocks if b.kind == "chart" for f in b.figures]

    @property
    def sample(self) -> str:
        return sample_of(self.figures)

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind == "title"), "经验材料")

    def trace(self) -> dict:
        """What verify needs, stored in the .docx: the draft's settings, every text figure and every chart value."""
        return {
            "format": "rolgov-report-trace",
            "version": 2,
            "scope": self.scope,
            "period": {"mode": self.period.mode, "year": self.period.year, "start": self.period.start},
            "areas": self.areas,
            "exact": self.exact,
            "generated_at": self.generated_at,
            "figures": [f.to_dict() for f in self.figures],
            "charts": [{"caption": caption, **f.to_dict()} for caption, f in self.chart_figures],
        }


def sample_of(figures: list[TracedFigure]) -> str:
    """all | some | none: whether the figures come from sample data."""
    flags = [f.is_sample for f in figures]
    return "all" if flags and all(flags) else ("some" if any(flags) else "none")


def sample_note(sample: str) -> str:
    notes = {"all": "（本稿数据为示例数据，非官方统计）", "some": "（本稿部分数据为示例数据，非官方统计）"}
    return notes.get(sample, "")
