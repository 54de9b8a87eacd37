"""Format figures the way Chinese government materials write them; numbers in, text out.

One rule for every page, export and chart label (drafts use the same fmt.value for their charts):
- percentages with one decimal (84.4%), yes/no as 是/否;
- counts and amounts below 100,000 in full with thousands separators (91,037条, 41,175条);
- from 100,000 in 万 or 亿 with three or four significant digits (14.66万条, 152.0万条, 1.52亿条);
  in English in k or M (146.6k items, 1.52M items);
- per 10,000 residents with two decimals below 10 and the words 每万人 (0.35（每万人）), never the
  unit of the count (名), because the figure is a rate, not a number of persons.
Rounded the way experience materials write: 50余次, 1000余条, 9万余条 (never rounding up: "余" means
"more than"), and exact for a material's text: 91037条.
"""

from __future__ import annotations

import math

from rolgov.catalog import Indicator

WAN = 100_000  # from here on a figure is written in 万 (亿 from 100,000,000)


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value)))


def number(value: float, decimals: int | None = None) -> str:
    """1234567 -> '1,234,567'; 84.44 -> '84.4' (one decimal unless told); whole floats lose '.0'."""
    if _is_missing(value):
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return f"{value:,.{decimals}f}"


def large(v: float, lang: str = "zh") -> str | None:
    """146614 -> '14.66万' ('146.6k'); None below 100,000, where a figure is written in full."""
    if abs(v) < WAN:
        return None
    if lang == "zh":  # three or four significant digits: 14.66万, 152.0万, 1.52亿
        if abs(v) >= 100_000_000:
            return f"{v / 100_000_000:.2f}亿"
        wan = v / 10_000
        return f"{wan:.2f}万" if abs(wan) < 100 else f"{wan:.1f}万"
    return f"{v / 1_000_000:.2f}M" if abs(v) >= 1_000_000 else f"{v / 1_000:.1f}k"


def value(ind: Indicator, v, lang: str = "zh") -> str:
    """A figure with its unit, by the one rule above: 91,037条 / 14.66万条 / 84.4% / 是."""
    if _is_missing(v):
        return "—"
    if ind.kind == "boolean":
        return ("是" if v >= 0.5 else "否") if lang == "zh" else ("yes" if v >= 0.5 else "no")
    if ind.kind == "percent":
        return f"{v:.1f}%"
    unit = ind.unit_label(lang, v)
    sep = "" if lang == "zh" else " "
    short = large(float(v), lang)
    if short is not None:
        return f"{short}{sep}{unit}"
    decimals = 1 if ind.kind == "amount" and not float(v).is_integer() else 0
    return f"{number(v, decimals)}{sep}{unit}"


def per_10k(v, lang: str = "zh") -> str:
    """A rate per 10,000 residents: '0.35（每万人）' / '0.35 per 10,000'; decimals kept, no count unit."""
    if _is_missing(v):
        return "—"
    shown = f"{v:,.2f}" if abs(v) < 10 else f"{v:,.1f}"
    return f"{shown}（每万人）" if lang == "zh" else f"{shown} per 10,000"


def axis_number(v: float, lang: str = "zh") -> str:
    """A tick label by the same rule as value(), without the unit or trailing zeros: 150,000 -> '15万'."""
    v = float(v)
    if abs(v) >= WAN:
        if lang == "zh":
            return f"{v / 100_000_000:.4g}亿" if abs(v) >= 100_000_000 else f"{v / 10_000:.4g}万"
        return f"{v / 1_000_000:.4g}M" if abs(v) >= 1_000_000 else f"{v / 1_000:.4g}k"
    return number(v, 0) if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


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


def unchanged(ind: Indicator, new, old) -> bool:
    """Whether the change is said as 持平 (it rounds to nothing at the one decimal shown)."""
    if _is_missing(new) or _is_missing(old):
        return False
    words = change_words(ind, float(new), float(old))
    return words is not None and words[1] == "持平"


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


# the names the ETL loads under itself (python -m etl build / sample), said in words on the pages
SYSTEM_LOADERS = {"build": ("系统重建", "rebuild"), "sample": ("示例数据生成", "sample generator")}


def loader(user, lang: str = "zh") -> str:
    """Who loaded a batch: a person's login as it is, the ETL's own names in words (sample -> 示例数据生成)."""
    names = SYSTEM_LOADERS.get(str(user))
    return str(user) if names is None else names[0 if lang == "zh" else 1]
