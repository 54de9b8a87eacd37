"""Traced figures of a draft: a figure's spec (indicator, region, period, measure) in, its value and text out.

The same evaluate() writes a figure into a draft and re-checks it later (verify), so a draft and its
check can never disagree about how a figure is computed or worded. Measures:
  value   the value in the end year;
  sum     the sum over start..end (flows in a "2017年以来" draft);
  rate    a derived rate recomputed from its components summed over start..end (采纳率 since 2017);
  change  end year against start year: % for counts (增长12.3%), points for rates (提高1.2个百分点);
  rank    the region's rank among the counties of `among` (首位 / 前列 / 最低), by value or by sum.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd

from rolgov import fmt, queries
from rolgov.catalog import Catalog, Indicator

MEASURES = ("value", "sum", "rate", "change", "rank")


@dataclass
class TracedFigure:
    """One figure of a draft and where it comes from; `text` is exactly what the draft shows."""

    indicator_id: str
    region_code: str
    start: int
    end: int
    measure: str = "value"
    exact: bool = False
    basis: str = ""  # rank only: "value" or "sum", what was ranked
    among: str = ""  # rank only: the root whose counties were ranked
    value: float = math.nan
    text: str = ""
    batch_ids: tuple[int, ...] = ()
    is_sample: bool = False

    def to_dict(self) -> dict:
        out = asdict(self)
        out["batch_ids"] = list(self.batch_ids)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> TracedFigure:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["batch_ids"] = tuple(int(b) for b in known.get("batch_ids", ()))
        return cls(**known)

    def spec(self) -> tuple:
        return (self.indicator_id, self.region_code, self.start, self.end, self.measure, self.basis, self.among)


@dataclass
class Facts:
    """Current values as a lookup: (region, year, indicator) -> (value, batch_id, is_sample)."""

    cells: dict = field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Facts:
        cells = {}
        for r, y, i, v, b, s in zip(
            frame["region_code"],
            frame["year"],
            frame["indicator_id"],
            frame["value"],
            frame["batch_id"],
            frame["is_sample"],
            strict=True,
        ):
            if v is None or pd.isna(v):
                continue
            cells[(r, int(y), i)] = (float(v), None if pd.isna(b) else int(b), bool(s))
        return cls(cells)

    @classmethod
    def load(cls, con, regions: list[str], years: list[int] | None, ids: list[str] | None) -> Facts:
        return cls.from_frame(queries.values(con, regions, years, ids))

    def get(self, region: str, year: int, indicator_id: str) -> float | None:
        cell = self.cells.get((region, year, indicator_id))
        return cell[0] if cell else None

    def cell(self, region: str, year: int, indicator_id: str):
        return self.cells.get((region, year, indicator_id))


# ── wording of single figures ──────────────────────────────────────────────────────────────────
def value_text(ind: Indicator, v: float, exact: bool) -> str:
    """91037条 (exact) or 9万余条 (rounded as materials do); rates 84.4%, a whole rate 42% when rounded."""
    if exact:
        return fmt.exact_text(ind, v)
    text = fmt.approx_text(ind, v)
    if ind.kind == "percent" and text.endswith(".0%"):
        text = text[:-3] + "%"  # 100.0% -> 100%: the figure itself is already rounded to one decimal
    return text


change_text = fmt.change_words  # drafts word a change exactly as the pages do


def rank_text(ind: Indicator, rank: int) -> str | None:
    """首位 / 前列 for higher-is-better, 最低 / 较低水平 for lower-is-better; None outside the first three."""
    if rank == 1:
        return "最低" if ind.direction == "lower" else "首位"
    if rank <= 3:
        return "较低水平" if ind.direction == "lower" else "前列"
    return None


# ── computing a figure ─────────────────────────────────────────────────────────────────────────
def _formula(formula: str, env: dict[str, float]) -> float | None:
    """Evaluate a checked metrics.yml formula (+ - * / numbers names); division by zero gives None."""

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return None if inner is None else -inner
        left, right = walk(node.left), walk(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            return None if right == 0 else left / right
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}[type(node.op)]

    return walk(ast.parse(formula, mode="eval"))


def _base(facts: Facts, catalog: Catalog, ind: Indicator, region: str, start: int, end: int, how: str):
    """(value, batch ids, is_sample) of a value, a sum or a rate over sums; None if any year is missing."""
    if how == "rate":
        parts = {name: _base(facts, catalog, catalog[name], region, start, end, "sum") for name in ind.formula_ids}
        if any(p is None for p in parts.values()):
            return None
        value = _formula(ind.formula, {k: p[0] for k, p in parts.items()})
        if value is None:
            return None
        return (value, tuple(sorted({b for p in parts.values() for b in p[1]})), any(p[2] for p in parts.values()))
    years = range(start, end + 1) if how == "sum" else [end]
    cells = [facts.cell(region, y, ind.id) for y in years]
    if any(c is None for c in cells):
        return None
    batches = tuple(sorted({c[1] for c in cells if c[1] is not None}))
    return sum(c[0] for c in cells), batches, any(c[2] for c in cells)


@lru_cache(maxsize=64)
def counties_of(root: str, year: int) -> tuple[str, ...]:
    return tuple(queries.county_codes(root, year))


def evaluate(fig: TracedFigure, facts: Facts, catalog: Catalog) -> TracedFigure | None:
    """The figure recomputed from `facts` (value, text, batches filled in), or None if it cannot be."""
    ind = catalog.by_id.get(fig.indicator_id)
    if ind is None:
        return None
    out = TracedFigure(
        **{
            k: getattr(fig, k)
            for k in ("indicator_id", "region_code", "start", "end", "measure", "exact", "basis", "among")
        }
    )
    if fig.measure in ("value", "sum", "rate"):
        base = _base(facts, catalog, ind, fig.region_code, fig.start, fig.end, fig.measure)
        if base is None:
            return None
        out.value, out.batch_ids, out.is_sample = base
        out.text = value_text(ind, out.value, fig.exact)
        return out
    if fig.measure == "change":
        new, old = facts.cell(fig.region_code, fig.end, ind.id), facts.cell(fig.region_code, fig.start, ind.id)
        if new is None or old is None:
            return None
        words = change_text(ind, new[0], old[0])
        if words is None:
            return None
        out.value, out.text = words
        out.batch_ids = tuple(sorted({b for b in (new[1], old[1]) if b is not None}))
        out.is_sample = new[2] or old[2]
        return out
    if fig.measure == "rank":
        ranked = {}
        for county in counties_of(fig.among, fig.end):
            base = _base(facts, catalog, ind, county, fig.start, fig.end, fig.basis or "value")
            if base is not None:
                ranked[county] = base
        if fig.region_code not in ranked:
            return None
        mine = ranked[fig.region_code][0]
        better = [c for c, b in ranked.items() if (b[0] < mine if ind.direction == "lower" else b[0] > mine)]
        out.value = float(len(better) + 1)
        out.text = rank_text(ind, len(better) + 1) or ""
        out.batch_ids = tuple(sorted({x for b in ranked.values() for x in b[1]}))
        out.is_sample = any(b[2] for b in ranked.values())
        return out if out.text else None
    raise ValueError(f"unknown measure {fig.measure!r}; allowed: {MEASURES}")


# ── figures in free text ───────────────────────────────────────────────────────────────────────
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d(?=年)")


def occurrences(text: str, figure_text: str) -> list[tuple[int, int]]:
    """Spans where figure_text stands on its own (6场 is not found inside 16场)."""
    if not figure_text:
        return []
    tail = r"(?![\d.])" if figure_text[-1].isdigit() else ""
    pattern = r"(?<![\d.])" + re.escape(figure_text) + tail
    return [m.span() for m in re.finditer(pattern, text)]


def untraced_spans(text: str, figures: list[TracedFigure]) -> list[tuple[int, int]]:
    """Spans of numbers in `text` that no figure accounts for (years such as 2017年 are not figures)."""
    covered = [False] * len(text)
    for fig in figures:
        for a, b in occurrences(text, fig.text):
            covered[a:b] = [True] * (b - a)
    years = {m.start() for m in _YEAR.finditer(text)}
    return [
        m.span() for m in _NUMBER.finditer(text) if m.start() not in years and not any(covered[m.start() : m.end()])
    ]


def untraced_numbers(text: str, figures: list[TracedFigure]) -> list[str]:
    """The untraced numbers with the unit or word after them, as a reader would quote them (60余场)."""
    return [text[a : b + 2].rstrip("，。；、") for a, b in untraced_spans(text, figures)]


def reconcile(text: str, figures: list[TracedFigure]) -> tuple[list[TracedFigure], list[TracedFigure], list[str]]:
    """After an edit: (figures still in the text, figures edited away, numbers without a source)."""
    kept = [f for f in figures if occurrences(text, f.text)]
    dropped = [f for f in figures if not occurrences(text, f.text)]
    return kept, dropped, untraced_numbers(text, kept)


# ── re-checking a stored trace ─────────────────────────────────────────────────────────────────
def verify(figures: list[TracedFigure], con, catalog: Catalog) -> list[dict]:
    """Recompute every figure from the current database.

    One row per figure: {"figure", "now" (TracedFigure or None), "status"} where status is
    ok (same value), changed (the value moved but the text shown still holds, e.g. 57 -> 58 is still
    50余场), mismatch (the text would now differ) or gone (the value can no longer be computed).
    """
    if not figures:
        return []
    regions = {f.region_code for f in figures}
    for f in figures:
        if f.measure == "rank":
            regions.update(counties_of(f.among, f.end))
    years = list(range(min(f.start for f in figures), max(f.end for f in figures) + 1))
    facts = Facts.load(con, sorted(regions), years, None)
    rows = []
    for f in figures:
        now = evaluate(f, facts, catalog)
        if now is None:
            status = "gone"
        elif now.text != f.text:
            status = "mismatch"
        elif not math.isclose(now.value, f.value, rel_tol=1e-9, abs_tol=1e-9):
            status = "changed"
        else:
            status = "ok"
        rows.append({"figure": f, "now": now, "status": status})
    return rows
