"""Build every plotly figure of the app from tidy frames; frames in, go.Figure out, one visual theme.

Honest at a glance: counts on zero-based axes, every series its own colour, figures written by the one
rule of rolgov/fmt.py (hover and labels alike), value labels in a column of their own so no reference
line crosses them. Red, amber and green are kept for attainment only.

Each figure is built in one go.Figure(data, layout) call: plotly validates a figure on every
update_layout or add_* call, which made the pages' charts cost tens of milliseconds each. The theme is
plotly's default template for this process, so no figure pays for copying it in. The status charts
(heatmap, bullets, area bars, completeness) live in rolgov/charts_status.py.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from rolgov import fmt
from rolgov.catalog import Indicator
from rolgov.i18n import t

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei", sans-serif'
NAVY = "#1F3A5F"
INK = "#2B2B2B"
GREY = "#5C6B7A"
# distinct hues, told apart by readers with colour-blindness too (Tableau 10 without its red and green,
# which mean "below" and "met" here); the highlighted series (the whole city) is navy
SERIES = [
    "#4E79A7",
    "#F28E2B",
    "#76B7B2",
    "#B07AA1",
    "#9C755F",
    "#EDC948",
    "#FF9DA7",
    "#86BCB6",
    "#BAB0AC",
    "#D4A6C8",
    "#499894",
    "#A0CBE8",
]
STATUS_COLORS = {
    "met": "#2E7D32",
    "near": "#E0A526",
    "below": "#C62828",
    "monitor": "#9AA5B1",
    "no_target": "#C9D1DA",
    "missing": "#EEEEEE",
    "not_applicable": "#F7F7F7",
}
TEMPLATE = "rolgov"
SHARE_CAP = 1.5  # bullets stop at 150 % of the target; beyond, the bar ends in an arrow and the label says how far


def _register_template() -> None:
    """Layout defaults only: plotly_white's defaults for every trace type weigh 7 KB per chart and 10 ms of
    validation each time a figure takes them."""
    axis = dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", automargin=True)
    pio.templates[TEMPLATE] = go.layout.Template(
        layout=dict(
            font=dict(family=FONT_FAMILY, size=13, color=INK),
            colorway=SERIES,
            title=dict(font=dict(size=16, color=NAVY), x=0, xanchor="left"),
            hoverlabel=dict(font=dict(family=FONT_FAMILY)),
            margin=dict(l=10, r=10, t=50, b=40),
            legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=axis,
            yaxis=axis,
        )
    )


_register_template()
pio.templates.default = TEMPLATE  # every figure of the app (and of the drafts) takes the one theme


def _axis_title(ind: Indicator, lang: str, per_10k: bool = False) -> str:
    if per_10k:
        return t("axis_per_10k", lang, name=ind.name(lang))
    return t("axis_with_unit", lang, name=ind.name(lang), unit=ind.unit_label(lang))


def _value_ticks(values, lang: str) -> dict:
    """Tick labels by fmt's rule (15万 rather than 150,000 or plotly's 150k) when values reach 100,000."""
    top = float(pd.Series(values, dtype=float).max()) if len(values) else 0.0
    if not top >= fmt.WAN:
        return {"tickformat": ","}
    step = _nice_step(top / 4)
    ticks = [step * k for k in range(0, int(top // step) + 2)]
    return {"tickvals": ticks, "ticktext": [fmt.axis_number(v, lang) for v in ticks]}


def _nice_step(raw: float) -> float:
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _text(ind: Indicator, v, lang: str, per_10k: bool = False) -> str:
    return fmt.per_10k(v, lang) if per_10k else fmt.value(ind, v, lang)


def text_width(text: str, size: int = 12) -> int:
    """Roughly how many pixels a label takes: a CJK character is about one em, a Latin one about half."""
    return int(sum(size if ord(c) > 0x2E7F else size * 0.58 for c in str(text))) + 4


def value_labels(labels: list[str], texts: list[str], yref: str = "y") -> list[dict]:
    """Value labels in a column right of the plot, on each bar's row: no line or bar ever crosses them."""
    return [
        dict(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=6,
            y=label,
            yref=yref,
            text=text,
            showarrow=False,
            font=dict(size=12, color=INK),
        )
        for label, text in zip(labels, texts, strict=True)
    ]


def line_above(x: float, text: str, color: str, anchor: str = "left", size: int = 11) -> dict:
    """A reference line's label above the plot, where it covers no bar and no value."""
    return dict(
        x=x,
        xref="x",
        y=1,
        yref="paper",
        yanchor="bottom",
        xanchor=anchor,
        text=text,
        showarrow=False,
        font=dict(size=size, color=color),
    )


def trend(
    frame: pd.DataFrame,
    ind: Indicator,
    lang: str,
    target: float | None = None,
    target_is_estimate: bool = False,
    per_10k: bool = False,
    highlight: str | None = None,
    mark_year: int | None = None,
    split: bool = False,
    unit_target: float | None = None,
) -> go.Figure:
    """Lines by year; frame: label, year, value. The highlighted label (the whole city) is navy and bold.

    Counts start at zero. split: the highlighted series in its own upper panel, so a city total does
    not flatten the counties (each panel its own zero-based axis); target applies to the highlighted
    series, unit_target (the county target) to the others. mark_year: the year chosen in the sidebar.
    """
    labels = list(dict.fromkeys(frame["label"]))
    split = split and highlight in labels and len(labels) > 1
    colours = iter(SERIES)
    data = []
    for label in labels:
        group = frame[frame["label"] == label].sort_values("year")
        bold = label == highlight
        lower = split and not bold
        data.append(
            go.Scatter(
                x=group["year"].tolist(),
                y=group["value"].tolist(),
                name=label,
                mode="lines+markers",
                line=dict(width=4 if bold else 2, color=NAVY if bold else next(colours)),
                customdata=[_text(ind, v, lang, per_10k) for v in group["value"]],
                hovertemplate=f"{label}<br>%{{x}}: %{{customdata}}<extra></extra>",
                xaxis="x2" if lower else "x",
                yaxis="y2" if lower else "y",
            )
        )
    shapes, notes = [], []
    mark = "*" if target_is_estimate else ""
    for value, axis in ((target, "y"), (unit_target if split else None, "y2")):
        if value is None or per_10k:
            continue
        x = "x domain" if axis == "y" else "x2 domain"
        shapes.append(
            dict(
                type="line",
                xref=x,
                x0=0,
                x1=1,
                yref=axis,
                y0=value,
                y1=value,
                line=dict(color=STATUS_COLORS["below"], dash="dash", width=1.5),
            )
        )
        notes.append(
            dict(
                xref=x,
                x=0,
                yref=axis,
                y=value,
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                text=f"{t('target', lang)}{mark} {fmt.value(ind, value, lang)}",
                font=dict(size=11, color=STATUS_COLORS["below"]),
            )
        )
    if mark_year is not None and mark_year in set(frame["year"]):
        for x in ("x", "x2") if split else ("x",):
            shapes.append(
                dict(
                    type="rect",
                    xref=x,
                    x0=mark_year - 0.4,
                    x1=mark_year + 0.4,
                    yref="paper",
                    y0=0,
                    y1=1,
                    fillcolor="#E8EEF6",
                    opacity=0.9,
                    layer="below",
                    line=dict(width=0),
                )
            )
        notes.append(
            dict(
                xref="x",
                x=mark_year,
                yref="paper",
                y=1,
                yanchor="bottom",
                showarrow=False,
                text=t("chosen_year", lang, year=mark_year),
                font=dict(size=11, color=GREY),
            )
        )
    ticks = (lambda v: {}) if ind.kind == "percent" or per_10k else (lambda v: _value_ticks(v, lang))
    y = dict(
        rangemode="tozero" if ind.kind != "percent" else "normal", title=dict(text=_axis_title(ind, lang, per_10k))
    )
    layout = dict(title=dict(text=ind.name(lang)), height=420, shapes=shapes, annotations=notes)
    if not split:
        layout |= dict(xaxis=dict(dtick=1, title=dict(text=t("year", lang))), yaxis=y | ticks(frame["value"]))
        return go.Figure(data=data, layout=layout)
    top, bottom = frame[frame["label"] == highlight]["value"], frame[frame["label"] != highlight]["value"]
    panel = dict(
        xref="paper",
        yref="paper",
        x=0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=12, color=GREY),
    )
    layout |= dict(
        height=560,
        xaxis=dict(dtick=1, anchor="y", matches="x2", showticklabels=False),
        xaxis2=dict(dtick=1, anchor="y2", title=dict(text=t("year", lang))),
        yaxis=dict(domain=[0.58, 1.0], anchor="x", rangemode=y["rangemode"]) | ticks(top),
        yaxis2=dict(domain=[0.0, 0.45], anchor="x2") | y | ticks(bottom),
        annotations=[
            *notes,
            dict(text=t("panel_total", lang, label=highlight), y=1.0, **panel),
            dict(text=t("panel_units", lang), y=0.45, **panel),
        ],
    )
    return go.Figure(data=data, layout=layout)


def ranking(
    frame: pd.DataFrame,
    ind: Indicator,
    lang: str,
    target: float | None,
    average: float | None,
    target_is_estimate: bool = False,
    label_column: bool = False,
    average_label: str | None = None,
    ordered: bool = False,
) -> go.Figure:
    """Horizontal bars, best at the top; frame: label, value, status (colours by attainment), text.
    ordered: the frame is already best first and may hold gap rows (value NaN: '… 67个单位略 …', no bar).

    The target and average lines are labelled above the plot, on the sides facing away from each
    other. label_column: the value labels stand in a column right of the plot (the pages), so the
    lines never cross them; otherwise they sit inside the bars' ends (drafts restyle them for print).
    """
    if not ordered and {"rank", "region_code"} <= set(frame.columns):
        frame = frame.sort_values(["rank", "region_code"])  # best first, a tie in the tables' order
    elif not ordered:
        frame = frame.sort_values("value", ascending=ind.direction == "lower", kind="stable")  # best first (drafts)
    colors = [STATUS_COLORS.get(s, NAVY) if s in ("met", "near", "below") else "#4A7FB0" for s in frame["status"]]
    unit = ind.unit_label(lang)
    bar = dict(
        x=frame["value"].tolist(),
        y=frame["label"].tolist(),
        orientation="h",
        marker=dict(color=colors),
        customdata=[fmt.value(ind, v, lang) for v in frame["value"]],
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    if not label_column:
        bar |= dict(
            text=frame["text"].tolist(),
            textposition="auto",
            insidetextanchor="end",
            cliponaxis=False,
            insidetextfont=dict(color="white"),
        )
    lines = []
    if target is not None:
        text = f"{t('target', lang)}{'*' if target_is_estimate else ''} {target:g}{unit}"
        lines.append((target, text, dict(color=STATUS_COLORS["below"], dash="dash")))
    if average is not None:
        shown = f"{average:.1f}" if ind.kind == "percent" else fmt.axis_number(round(average, 1), lang)
        lines.append(
            (average, f"{average_label or t('city_average', lang)} {shown}{unit}", dict(color=GREY, dash="dot"))
        )
    lines.sort(key=lambda line: line[0])
    shapes = [dict(type="line", xref="x", x0=x, x1=x, yref="paper", y0=0, y1=1, line=style) for x, _, style in lines]
    # each line's label in its own row above the plot, turned inwards near an edge, so none is cut off
    top = 100.0 if ind.kind == "percent" else max([*frame["value"].dropna(), *(x for x, _, _ in lines), 1.0])
    notes = [
        line_above(x, text, style["color"], "right" if x / top > 0.75 else ("left" if x / top < 0.25 else "center"))
        | {"yshift": 15 * number}
        for number, (x, text, style) in enumerate(lines)
    ]
    if label_column:
        notes += value_labels(frame["label"].tolist(), frame["text"].tolist())
    right = 16 + max((text_width(s) for s in frame["text"]), default=0) if label_column else 70
    axis = {"range": [0, 100]} if ind.kind == "percent" else _value_ticks(frame["value"], lang)
    return go.Figure(
        data=[go.Bar(**bar)],
        layout=dict(
            title=dict(text=ind.name(lang)),
            height=90 + 30 * len(frame),
            xaxis=dict(title=dict(text=_axis_title(ind, lang)), rangemode="tozero", **axis),
            yaxis=dict(autorange="reversed"),
            margin=dict(l=10, r=right, t=50 + 16 * len(lines), b=10),
            shapes=shapes,
            annotations=notes,
        ),
    )


def plotly_config(filename: str) -> dict:
    """Chart toolbar: one button, the PNG download at 2x with a file name in the page's language (so the
    bar never covers a title, even on a phone); the offline map topology."""
    from rolgov.geo import TOPOJSON_URL

    return {
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "topojsonURL": TOPOJSON_URL,
    }
