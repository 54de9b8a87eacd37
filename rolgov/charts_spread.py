"""A unit against its peers' spread on one indicator: every peer a dot over a box of the quartiles, the units
asked about in red and named; peers' values in, a go.Figure out (same theme as rolgov/charts.py).

A strip rather than a histogram: with ten cities or a hundred counties each unit stays a dot a reader can
hover, and the box says where the middle half lies without averaging anything.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from rolgov import fmt
from rolgov.catalog import Indicator
from rolgov.charts import GREY, NAVY, STATUS_COLORS, _axis_title, _value_ticks, line_above
from rolgov.charts_status import two_lines
from rolgov.i18n import t

HIGHLIGHT = STATUS_COLORS["below"]


def spread(
    frame: pd.DataFrame, ind: Indicator, lang: str, noun: str, year: int, highlight: list[str], target=None
) -> go.Figure:
    """The spread of units on one indicator in a year (区县对比 and 区县档案 draw the same chart).

    frame: region_code, label, value (one row per peer with a value). noun: what the units are ("县（市、区）").
    highlight: codes drawn red, named. target: the indicator's Target at the units' level, or None.
    The title is wrapped and the subtitle set under it, small: a phone shows about twenty characters a line."""
    title = t("cmp_spread_title", lang, name=ind.name(lang))
    subtitle = t("cmp_spread_sub", lang, noun=noun, year=year)
    target_is_estimate = bool(target and target.is_estimate)
    target = target.value if target else None
    frame = frame.dropna(subset=["value"])
    texts = [fmt.value(ind, v, lang) for v in frame["value"]]
    row = t("cmp_spread_row", lang, n=len(frame))
    others = frame[~frame["region_code"].isin(highlight)]
    data = [
        go.Box(
            x=frame["value"].tolist(),
            y=[row] * len(frame),
            orientation="h",
            boxpoints=False,
            fillcolor="rgba(31,58,95,0.08)",
            line=dict(color=GREY, width=1),
            hoverinfo="skip",
            showlegend=False,
        ),
        go.Scatter(
            x=others["value"].tolist(),
            y=[row] * len(others),
            mode="markers",
            marker=dict(color=NAVY, size=8, opacity=0.55, line=dict(width=0)),
            customdata=[
                [label, text] for label, text in zip(others["label"], texts_of(others, frame, texts), strict=True)
            ],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            showlegend=False,
            cliponaxis=False,  # a dot at 100% on the axis end is drawn whole
        ),
    ]
    mine = frame[frame["region_code"].isin(highlight)]
    if len(mine):
        data.append(
            go.Scatter(
                x=mine["value"].tolist(),
                y=[row] * len(mine),
                mode="markers+text",
                marker=dict(color=HIGHLIGHT, size=13, line=dict(color="white", width=1.5)),
                text=mine["label"].tolist(),
                # alternate above and below, so two units close together do not print over each other
                textposition=["top center" if k % 2 == 0 else "bottom center" for k in range(len(mine))],
                textfont=dict(color=HIGHLIGHT, size=13),
                customdata=[
                    [label, text] for label, text in zip(mine["label"], texts_of(mine, frame, texts), strict=True)
                ],
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
                showlegend=False,
                cliponaxis=False,
            )
        )
    shapes, notes = [], []
    if target is not None:
        shapes.append(
            dict(
                type="line",
                xref="x",
                x0=target,
                x1=target,
                yref="paper",
                y0=0,
                y1=1,
                line=dict(color=STATUS_COLORS["below"], dash="dash", width=1),
            )
        )
        # 目标 2次 / Target 2 times (an English unit word stands apart, and one of a thing is singular)
        sep = "" if lang == "zh" or ind.kind == "percent" else " "
        text = f"{t('target', lang)}{'*' if target_is_estimate else ''} {target:g}{sep}{ind.unit_label(lang, target)}"
        notes.append(line_above(target, text, STATUS_COLORS["below"], anchor="auto", size=12))
    axis = percent_range(frame["value"], target) if ind.kind == "percent" else _value_ticks(frame["value"], lang)
    wrapped = two_lines(title, 20 if lang == "zh" else 38)
    return go.Figure(
        data=data,
        layout=dict(
            title=dict(text=f"{wrapped}<br><span style='font-size:12px'>{subtitle}</span>"),
            height=250,
            xaxis=dict(title=dict(text=_axis_title(ind, lang)), **axis),
            yaxis=dict(showticklabels=False),
            # room for the target's label between the subtitle and the plot (on a phone they met)
            margin=dict(l=10, r=20, t=80 + (20 if "<br>" in wrapped else 0) + (16 if target is not None else 0), b=10),
            shapes=shapes,
            annotations=notes,
        ),
    )


def percent_range(values: pd.Series, target: float | None) -> dict:
    """The axis of a rate's strip: the values and the target with a margin, at least ten points wide, never
    past 0 or 100 (rates of 86–98% on 0–100 were a box a few pixels wide). Positions, not lengths, carry
    the values here, so the axis need not start at zero; its ticks say where it starts."""
    ends = [*values.dropna().tolist(), *([target] if target is not None else [])]
    if not ends:
        return {"range": [0, 100]}
    low, high = min(ends), max(ends)
    pad = max((high - low) * 0.08, 1.0)
    low = max(0.0, low - pad)
    high = min(100.0, high + pad) if high <= 100 else high + pad  # a rate over 100% keeps its room
    if high - low < 10:
        low = max(0.0, high - 10)
        high = max(high, low + 10)
    return {"range": [low, high]}


def texts_of(part: pd.DataFrame, whole: pd.DataFrame, texts: list[str]) -> list[str]:
    """The formatted figures of `part`'s rows, picked from those of `whole` by position."""
    where = {index: k for k, index in enumerate(whole.index)}
    return [texts[where[index]] for index in part.index]
