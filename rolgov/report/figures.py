"""Traced figures of a draft: a figure's spec (indicator, region, period, measure) in, its value and text out.

The same evaluate() writes a figure into a draft and re-checks it later (verify), so a draft and its
check can never disagree about how a figure is computed or worded. Measures:
  value   the value in the end year;
  sum     the sum over start..end (flows in a "2017年以来" draft);
  rate    a derived rate over a period, recomputed in DuckDB from its parts summed over start..end,
          with the one formula metrics.yml gives (catalog.formula_sql), never a second evaluator here;
  change  end year against start year: basis "relative" words it as the pages do (fmt.change_words:
          增长12.3%, 提高1.2个百分点, 持平), basis "absolute" gives a small count's difference (增加3名);
  gap     how many of a rate's whole its part misses (尚有19项未经合法性审查), by value or by sum;
  rank    the region's place among the counties of `among`, when a true claim exists: 首位 for a sole
          leader, 并列第一 for two or three, 第二位 / 第三位; none when every county is at its target or
          all are equal, and none when more than three tie;
  min     the lowest value among the counties of `among` (各县（市、区）均达100%).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import pandas as pd

from rolgov import fmt, peers, queries
from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator, formula_sql

MEASURES = ("value", "sum", "rate", "change", "rank", "gap", "min")
# a rank in words, by the style a sentence pattern asks for (居…首位 / 为…最高 / 位列…第一)
RANK_WORDS = {
    "top": {1: "首位", 2: "第二位", 3: "第三位", "tied": "并列第一"},
    "high": {1: "最高", 2: "第二高", 3: "第三高", "tied": "并列最高"},
    "first": {1: "第一", 2: "第二", 3: "第三", "tied": "并列第一"},
}
MAX_TIED = 3  # more counties tied for first and the claim is left out


@dataclass
class TracedFigure:
    """One figure of a draft and where it comes from; `text` is exactly what the draft shows."""

    indicator_id: str
    region_code: str
    start: int
    end: int
    measure: str = "value"
    exact: bool = True
    basis: str = ""  # rank/min/gap: how each value is taken (value, sum, rate); change: relative or absolute
    among: str = ""  # rank/min: the root whose counties are compared
    style: str = (
        "text"  # text: as a material writes it (91037条); chart: a chart label (9.10万条); rank: top|high|first
    )
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


# ── facts: current values, and rates over a period computed in DuckDB ──────────────────────────
@dataclass
class Facts:
    """Current values as lookups: (region, year, indicator) -> (value, batch_id, is_sample), and
    (region, start, end, indicator) -> (rate, batch ids, is_sample) for rates over a period."""

    cells: dict = field(default_factory=dict)
    rates: dict = field(default_factory=dict)

    @classmethod
    def load(cls, con, catalog: Catalog, regions: list[str], years: list[int], windows=()) -> Facts:
        frame = queries.values(con, regions, years, None)
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
            if pd.isna(v) or not math.isfinite(v):  # inf from a bad file is never a figure (a load refuses it)
                continue
            cells[(r, int(y), i)] = (float(v), None if pd.isna(b) else int(b), bool(s))
        facts = cls(cells)
        for start, end in sorted(set(windows)):
            facts.rates.update(period_rates(con, catalog, regions, start, end))
        return facts

    def cell(self, region: str, year: int, indicator_id: str):
        return self.cells.get((region, year, indicator_id))

    def get(self, region: str, year: int, indicator_id: str) -> float | None:
        cell = self.cell(region, year, indicator_id)
        return cell[0] if cell else None


def period_rates(con, catalog: Catalog, regions: list[str], start: int, end: int) -> dict:
    """Every rate whose parts are flows, over start..end: the parts summed (each year present), then the
    metrics.yml formula applied in SQL, as rolgov/db.py derives a year's rates."""
    rates = [i for i in catalog.derived if i.over_time == "flow"]
    parts = sorted({n for i in rates for n in i.formula_ids})
    if not rates or not regions:
        return {}
    pivot = ",\n".join(
        f"""max(value) FILTER (WHERE indicator_id = '{n}') AS "{n}",
            any_value(batches) FILTER (WHERE indicator_id = '{n}') AS "b__{n}",
            bool_or(is_sample) FILTER (WHERE indicator_id = '{n}') AS "s__{n}\""""
        for n in parts
    )
    selects = "\nUNION ALL\n".join(
        f"""SELECT region_code, '{i.id}' AS indicator_id, {formula_sql(i.formula)} AS value,
                   list_sort(list_distinct(flatten([{", ".join(f'"b__{n}"' for n in i.formula_ids)}]))) AS batches,
                   ({" OR ".join(f'coalesce("s__{n}", false)' for n in i.formula_ids)}) AS is_sample
            FROM wide WHERE {formula_sql(i.formula)} IS NOT NULL"""
        for i in rates
    )
    rows = con.execute(
        f"""
        WITH summed AS (
            SELECT region_code, indicator_id, sum(value) AS value,
                   list(DISTINCT batch_id) FILTER (WHERE batch_id IS NOT NULL) AS batches,
                   bool_or(is_sample) AS is_sample
            FROM indicator_values
            WHERE list_contains($regions, region_code) AND list_contains($parts, indicator_id)
              AND year BETWEEN $start AND $end AND isfinite(value)
            GROUP BY region_code, indicator_id
            HAVING count(DISTINCT year) = $years  -- a sum over a period needs every year of it
        ),
        wide AS (SELECT region_code, {pivot} FROM summed GROUP BY region_code)
        {selects}
        """,
        {"regions": list(regions), "parts": parts, "start": start, "end": end, "years": end - start + 1},
    ).fetchall()
    return {(r, start, end, i): (float(v), tuple(int(b) for b in (bs or [])), bool(s)) for r, i, v, bs, s in rows}


# ── wording of single figures ──────────────────────────────────────────────────────────────────
def value_text(ind: Indicator, v: float, exact: bool) -> str:
    """91037条 (exact) or 9.1万余条 (rounded as materials do); rates 84.4%, a whole rate 42%."""
    return fmt.exact_text(ind, v) if exact else fmt.approx_text(ind, v)


def chart_text(ind: Indicator, v: float) -> str:
    """A chart label in the dashboard's number format: 91,037条, 14.66万条, 84.4%."""
    return fmt.value(ind, v)


def absolute_change(ind: Indicator, new: float, old: float) -> tuple[float, str]:
    """A small count's change in its own unit: 增加3名, 减少2次; 持平 as fmt.change_words says it."""
    diff = new - old
    if diff == 0:
        return 0.0, "持平"
    return diff, f"{'增加' if diff > 0 else '减少'}{fmt.exact_text(ind, abs(diff))}"


def rank_words(direction: str, rank: int, tied: int, style: str = "top") -> str | None:
    """首位 / 并列第一 / 第二位 / 第三位 (or 最高…, 第一…) for higher-is-better; 最低 / 并列最低 for lower;
    None when there is no true claim (below third, tied below first, more than three tied)."""
    if direction == "lower":
        if rank == 1:
            return "最低" if tied == 1 else ("并列最低" if tied <= MAX_TIED else None)
        return None
    words = RANK_WORDS.get(style, RANK_WORDS["top"])
    if rank == 1 and tied > 1:
        return words["tied"] if tied <= MAX_TIED else None
    return words.get(rank) if tied == 1 else None


# ── computing a figure ─────────────────────────────────────────────────────────────────────────
def _base(facts: Facts, ind: Indicator, region: str, start: int, end: int, how: str):
    """(value, batch ids, is_sample) of a value, a sum or a rate over a period; None if any year is missing."""
    if how == "rate":
        return facts.rates.get((region, start, end, ind.id))
    years = range(start, end + 1) if how == "sum" else [end]
    cells = [facts.cell(region, y, ind.id) for y in years]
    if any(c is None for c in cells):
        return None
    batches = tuple(sorted({c[1] for c in cells if c[1] is not None}))
    return sum(c[0] for c in cells), batches, any(c[2] for c in cells)


def counties_of(root: str, year: int) -> tuple[str, ...]:
    """The units a draft of `root` compares: a city's county-level units; a province's cities (and the
    county-level units directly under it, 省直辖), whose totals stand beside each other; none for a county."""
    if R.level(root) == "province":
        return tuple(peers.children(root, year))
    return tuple(queries.county_codes(root, year))


def _among(facts: Facts, ind: Indicator, fig: TracedFigure) -> dict:
    start = fig.end if (fig.basis or "value") == "value" else fig.start
    found = {}
    for county in counties_of(fig.among, fig.end):
        base = _base(facts, ind, county, start, fig.end, fig.basis or "value")
        if base is not None:
            found[county] = base
    return found


def all_at_target(ind: Indicator, values: dict[str, float], year: int) -> bool:
    """Every county at its target, or all at the top of the range: no rank means anything then."""
    if not values:
        return False
    if len(set(values.values())) == 1:
        return True
    top = ind.range[1]
    if top is not None and all(v >= top for v in values.values()):
        return True
    targets = [ind.target_for(R.target_level(c), year) for c in values]
    if any(t is None for t in targets):
        return False
    if ind.direction == "lower":
        return all(v <= t.value for v, t in zip(values.values(), targets, strict=True))
    return all(v >= t.value for v, t in zip(values.values(), targets, strict=True))


def evaluate(fig: TracedFigure, facts: Facts, catalog: Catalog) -> TracedFigure | None:
    """The figure recomputed from `facts` (value, text, batches filled in), or None if it cannot be."""
    ind = catalog.by_id.get(fig.indicator_id)
    if ind is None:
        return None
    out = TracedFigure(
        **{
            k: getattr(fig, k)
            for k in ("indicator_id", "region_code", "start", "end", "measure", "exact", "basis", "among", "style")
        }
    )
    if fig.measure in ("value", "sum", "rate"):
        start = fig.end if fig.measure == "value" else fig.start
        base = _base(facts, ind, fig.region_code, start, fig.end, fig.measure)
        if base is None:
            return None
        out.value, out.batch_ids, out.is_sample = base
        out.text = chart_text(ind, out.value) if fig.style == "chart" else value_text(ind, out.value, fig.exact)
        return out
    if fig.measure == "change":
        new, old = facts.cell(fig.region_code, fig.end, ind.id), facts.cell(fig.region_code, fig.start, ind.id)
        if new is None or old is None:
            return None
        words = (
            absolute_change(ind, new[0], old[0]) if fig.basis == "absolute" else fmt.change_words(ind, new[0], old[0])
        )
        if words is None:
            return None
        out.value, out.text = words
        out.batch_ids = tuple(sorted({b for b in (new[1], old[1]) if b is not None}))
        out.is_sample = new[2] or old[2]
        return out
    if fig.measure == "gap":
        whole_id, part_id = ind.formula_ids[1], ind.formula_ids[0]  # formula: part / whole * 100
        start = fig.end if fig.basis == "value" else fig.start
        whole = _base(facts, catalog[whole_id], fig.region_code, start, fig.end, fig.basis or "value")
        part = _base(facts, catalog[part_id], fig.region_code, start, fig.end, fig.basis or "value")
        if whole is None or part is None:
            return None
        out.value = whole[0] - part[0]
        out.text = fmt.exact_text(catalog[whole_id], out.value)
        out.batch_ids = tuple(sorted(set(whole[1]) | set(part[1])))
        out.is_sample = whole[2] or part[2]
        return out
    if fig.measure in ("rank", "min"):
        ranked = _among(facts, ind, fig)
        if len(ranked) < 2:
            return None
        out.batch_ids = tuple(sorted({x for b in ranked.values() for x in b[1]}))
        out.is_sample = any(b[2] for b in ranked.values())
        values = {c: b[0] for c, b in ranked.items()}
        if fig.measure == "min":
            if len(ranked) < len(counties_of(fig.among, fig.end)):
                return None  # "every county" needs every county
            out.value = min(values.values())
            out.text = value_text(ind, out.value, True)
            return out
        if fig.region_code not in values or all_at_target(ind, values, fig.end):
            return None
        mine = values[fig.region_code]
        better = [v for v in values.values() if (v < mine if ind.direction == "lower" else v > mine)]
        tied = sum(1 for v in values.values() if v == mine)
        words = rank_words(ind.direction, len(better) + 1, tied, fig.style)
        if words is None:
            return None
        out.value, out.text = float(len(better) + 1), words
        return out
    raise ValueError(f"unknown measure {fig.measure!r}; allowed: {MEASURES}")


def tied_with(fig: TracedFigure, facts: Facts, catalog: Catalog) -> list[str]:
    """The other counties sharing a rank figure's value (for 与汉阴县并列第一)."""
    ind = catalog[fig.indicator_id]
    values = {c: b[0] for c, b in _among(facts, ind, fig).items()}
    mine = values.get(fig.region_code)
    return [c for c, v in values.items() if v == mine and c != fig.region_code]


# ── figures in free text ───────────────────────────────────────────────────────────────────────
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d(?=年|[—－-](?:19|20)\d\d年)")  # 2017年, 2017—2018年


def occurrences(text: str, figure_text: str) -> list[tuple[int, int]]:
    """Spans where figure_text stands on its own (6场 is not found inside 16场)."""
    if not figure_text:
        return []
    head = r"(?<![\d.])" if figure_text[0].isdigit() else ""
    tail = r"(?![\d.])" if figure_text[-1].isdigit() else ""
    return [m.span() for m in re.finditer(head + re.escape(figure_text) + tail, text)]


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
        if f.measure in ("rank", "min"):
            regions.update(counties_of(f.among, f.end))
    years = list(range(min(f.start for f in figures), max(f.end for f in figures) + 1))
    windows = {(f.start, f.end) for f in figures if "rate" in (f.measure, f.basis)}
    facts = Facts.load(con, catalog, sorted(regions), years, windows)
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
