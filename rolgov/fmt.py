"""Format figures the way Chinese government materials write them; numbers in, text out.

exact: 91,037条 · 84.4% · 是; compact for tiles (from 100,000): 14.66万条, 152.0万条; rounded like experience materials:
50余次, 1000余条, 9万余条 (never rounding up: "余" means "more than").
"""

from __future__ import annotations

import math

from rolgov.catalog import Indicator


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float, decimals: int | None = None) -> str:
    """1234567 -> '1,234,567'; 84.44 -> '84.4' (one decimal unless told); whole floats lose '.0'."""
    if _is_missing(value):
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return f"{value:,.{decimals}f}"


def value(ind: Indicator, v, lang: str = "zh", compact: bool = False) -> str:
    """A figure with its unit: 91,037条 / 9.10万条 (compact) / 84.4% / 是."""
    if _is_missing(v):
        return "—"
    if ind.kind == "boolean":
        return ("是" if v >= 0.5 else "否") if lang == "zh" else ("yes" if v >= 0.5 else "no")
    if ind.kind == "percent":
        return f"{v:.1f}%"
    unit = ind.unit_label(lang)
    sep = "" if lang == "zh" else " "
    if compact and abs(v) >= 100_000:
        if lang == "zh":  # three or four significant digits: 14.66万, 152.0万, 1.52亿
            if abs(v) >= 100_000_000:
                return f"{v / 100_000_000:.2f}亿{unit}"
            wan = v / 10_000
            return f"{wan:.2f}万{unit}" if abs(wan) < 100 else f"{wan:.1f}万{unit}"
        return f"{v / 1_000_000:.2f}M{sep}{unit}" if abs(v) >= 1_000_000 else f"{v / 1_000:.1f}k{sep}{unit}"
    decimals = 1 if ind.kind == "amount" and not float(v).is_integer() else 0
    return f"{number(v, decimals)}{sep}{unit}"


def change_words(ind: Indicator, new: float, old: float) -> tuple[float, str] | None:
    """(signed change, words) of new against old: counts in % (增长12.3%), rates in points (提高1.2个百分点),
    持平 when the change rounds to nothing at the one decimal shown; None when it has no meaning (from 0).

    The one wording of a change: pages (fmt.change) and drafts (report figures) both use it.
    """
    if ind.kind in ("percent", "boolean"):
        diff = new - old
        if abs(diff) < 0.05:
            return diff, "持平"
        return diff, f"{'提高' if diff > 0 else '下降'}{abs(diff):.1f}个百分点"
    if old == 0:
        return None
    pct = (new - old) / old * 100
    if abs(pct) < 0.05:
        return pct, "持平"
    return pct, f"{'增长' if pct > 0 else '下降'}{abs(pct):.1f}%"


def change(ind: Indicator, new, old, lang: str = "zh") -> str:
    """Change on last year for a tile or table: 同比增长12.3%, 提高1.2个百分点, 持平; '' when it has no meaning."""
    if _is_missing(new) or _is_missing(old):
        return ""
    words = change_words(ind, float(new), float(old))
    if words is None:
        return ""
    signed, text = words
    if lang == "zh":
        return "持平" if text == "持平" else (text if ind.kind in ("percent", "boolean") else f"同比{text}")
    if text == "持平":
        return "unchanged"
    return f"{signed:+.1f} pp" if ind.kind in ("percent", "boolean") else f"{signed:+.1f}% on last year"


def approx(v: float) -> tuple[float, str]:
    """Round down to two significant digits the way materials do: 57 -> (50, '余'), 187 -> (180, '余'),
    18379 -> (18000, '余'), 91037 -> (91000, '余').

    Two digits, never one: 18,379 as "1万余" would be 45% too low. Returns the rounded value and the
    qualifier ('' when nothing was dropped: under 20, not whole, or already round such as 50 or 2000).
    """
    if _is_missing(v):
        return v, ""
    v = float(v)
    if v < 20 or not v.is_integer():
        return v, ""
    step = 10 if v < 100 else 10 ** (int(math.floor(math.log10(v))) - 1)
    rounded = math.floor(v / step) * step
    if rounded == v:
        return v, ""
    return rounded, "余"


def _whole(v: float) -> str:
    """12.0 -> '12', 1.8 -> '1.8': a figure in words shows no empty decimal."""
    return f"{int(v)}" if float(v).is_integer() else f"{v:.1f}"


def approx_text(ind: Indicator, v) -> str:
    """'50余次', '1.8万余条', '9.1万余条', '84.4%': a figure as an experience material rounds it."""
    if _is_missing(v):
        return "—"
    if ind.kind in ("percent", "boolean"):
        return exact_text(ind, v)
    rounded, qualifier = approx(v)
    unit = ind.unit_label("zh")
    if qualifier and rounded >= 100_000_000:
        return f"{_whole(rounded / 100_000_000)}亿余{unit}"
    if qualifier and rounded >= 10_000:
        return f"{_whole(rounded / 10_000)}万余{unit}"
    return f"{_whole(rounded)}{qualifier}{unit}"


def exact_text(ind: Indicator, v) -> str:
    """Exact figure for the text of a material: 91037条 (no thousands separator), 84.4%, 42% (not 42.0%)."""
    if _is_missing(v):
        return "—"
    if ind.kind == "percent":
        text = value(ind, v)
        return text[:-3] + "%" if text.endswith(".0%") else text
    if ind.kind == "boolean":
        return value(ind, v)
    return f"{_whole(v)}{ind.unit_label('zh')}"
