"""Build every plotly figure of the app from tidy frames; frames in, go.Figure out, one visual theme.

Honest at a glance: counts on zero-based axes, every series its own colour, figures written by the one
rule of rolgov/fmt.py (hover and labels alike), value labels in a column of their own so no reference
line crosses them. Red, amber and green are kept for attainment only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

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
    base = go.layout.Template(pio.templates["plotly_white"])
    base.layout.font = dict(family=FONT_FAMILY, size=13, color=INK)
    base.layout.colorway = SERIES
    base.layout.title = dict(font=dict(size=16, color=NAVY), x=0, xanchor="left")
    base.layout.hoverlabel = dict(font=dict(family=FONT_FAMILY))
    base.layout.margin = dict(l=10, r=10, t=50, b=40)
    base.layout.legend = dict(orientation="h", yanchor="top", y=-0.18, x=0)
    pio.templates[TEMPLATE] = base


_register_template()


def _axis_title(ind: Indicator, lang: str, per_10k: bool = False) -> str:
    if per_10k:
        return t("axis_per_10k", lang, name=ind.name(lang))
    return t("axis_with_unit", lang, name=ind.name(lang), unit=ind.unit_label(lang))


def _value_ticks(values, lang: str) -> dict:
    """Tick labels by fmt's rule (15万 rather than 150,000 or plotly's 150k) when values reach 100,000."""
    top = float(pd.Series(values, dtype=float).max()) if len(values) else 0.0
    if top < fmt.WAN:
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
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1) if split else go.Figure()
    zero_based = ind.kind != "percent"
    colours = iter(SERIES)
    for label in labels:
        group = frame[frame["label"] == label].sort_values("year")
        bold = label == highlight
        shown = [_text(ind, v, lang, per_10k) for v in group["value"]]
        trace = go.Scatter(
            x=group["year"],
            y=group["value"],
            name=label,
            mode="lines+markers",
            line=dict(width=4 if bold else 2, color=NAVY if bold else next(colours)),
            customdata=shown,
            hovertemplate=f"{label}<br>%{{x}}: %{{customdata}}<extra></extra>",
        )
        if split:
            fig.add_trace(trace, row=1 if bold else 2, col=1)
        else:
            fig.add_trace(trace)
    lines = [(target, 1 if split else None), (unit_target if split else None, 2)]
    for value, row in lines:
        if value is None or per_10k:
            continue
        mark = "*" if target_is_estimate else ""
        fig.add_hline(
            y=value,
            line=dict(color=STATUS_COLORS["below"], dash="dash", width=1.5),
            annotation_text=f"{t('target', lang)}{mark} {fmt.value(ind, value, lang)}",
            annotation_position="top left",
            **({"row": row, "col": 1} if row else {}),
        )
    if mark_year is not None and mark_year in set(frame["year"]):
        fig.add_vrect(
            x0=mark_year - 0.4,
            x1=mark_year + 0.4,
            fillcolor="#E8EEF6",
            opacity=0.9,
            layer="below",
            line_width=0,
            annotation_text=t("chosen_year", lang, year=mark_year),
            annotation_position="top",
            annotation_font=dict(size=11, color=GREY),
        )
    axis_title = _axis_title(ind, lang, per_10k)
    fig.update_layout(template=TEMPLATE, title=ind.name(lang), height=560 if split else 420)
    fig.update_xaxes(dtick=1)
    fig.update_xaxes(title=t("year", lang), row=2 if split else None, col=1 if split else None)
    rows = [(1, frame[frame["label"] == highlight]["value"]), (2, frame[frame["label"] != highlight]["value"])]
    for row, values in rows if split else [(None, frame["value"])]:
        fig.update_yaxes(
            rangemode="tozero" if zero_based else "normal",
            title=axis_title if row in (None, 2) else None,
            **({} if ind.kind == "percent" or per_10k else _value_ticks(values, lang)),
            **({"row": row, "col": 1} if row else {}),
        )
    if split:
        fig.update_layout(
            annotations=[
                *fig.layout.annotations,
                dict(text=t("panel_total", lang, label=highlight), **_panel_label(1.0)),
                dict(text=t("panel_units", lang), **_panel_label(0.45)),
            ]
        )
    return fig


def _panel_label(y: float) -> dict:
    return dict(
        xref="paper",
        yref="paper",
        x=0,
        y=y,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=12, color=GREY),
    )


def text_width(text: str, size: int = 12) -> int:
    """Roughly how many pixels a label takes: a CJK character is about one em, a Latin one about half."""
    return int(sum(size if ord(c) > 0x2E7F else size * 0.58 for c in str(text))) + 4


def _label_column(fig: go.Figure, labels: list[str], texts: list[str], colors: list[str] | None = None) -> None:
    """Value labels in a column right of the plot, on each bar's row: no line or bar ever crosses them."""
    for number, (label, text) in enumerate(zip(labels, texts, strict=True)):
        fig.add_annotation(
            x=1.0,
            xref="paper",
            xanchor="left",
            xshift=6,
            y=label,
            yref="y",
            text=text,
            showarrow=False,
            font=dict(size=12, color=(colors[number] if colors else INK)),
        )


def ranking(
    frame: pd.DataFrame,
    ind: Indicator,
    lang: str,
    target: float | None,
    average: float | None,
    target_is_estimate: bool = False,
    label_column: bool = False,
    average_label: str | None = None,
) -> go.Figure:
    """Horizontal bars, best at the top; frame: label, value, status (colours by attainment), text.

    The target and average lines are labelled above the plot, on the sides facing away from each
    other. label_column: the value labels stand in a column right of the plot (the pages), so the
    lines never cross them; otherwise they sit inside the bars' ends (drafts restyle them for print).
    """
    frame = frame.sort_values("value", ascending=ind.direction == "lower")  # best first (report_charts relies on it)
    colors = [STATUS_COLORS.get(s, NAVY) if s in ("met", "near", "below") else "#4A7FB0" for s in frame["status"]]
    unit = ind.unit_label(lang)
    hover = [fmt.value(ind, v, lang) for v in frame["value"]]
    bar = go.Bar(
        x=frame["value"],
        y=frame["label"],
        orientation="h",
        marker_color=colors,
        customdata=hover,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    if not label_column:
        bar.update(
            text=frame["text"],
            textposition="auto",
            insidetextanchor="end",
            cliponaxis=False,
            insidetextfont={"color": "white"},
        )
    fig = go.Figure(bar)
    lines = []
    if target is not None:
        lines.append(
            (
                target,
                f"{t('target', lang)}{'*' if target_is_estimate else ''} {target:g}{unit}",
                dict(color=STATUS_COLORS["below"], dash="dash"),
            )
        )
    if average is not None:
        shown = f"{average:.1f}" if ind.kind == "percent" else fmt.axis_number(round(average, 1), lang)
        name = average_label or t("city_average", lang)
        lines.append((average, f"{name} {shown}{unit}", dict(color=GREY, dash="dot")))
    lines.sort(key=lambda line: line[0])
    for number, (x, text, style) in enumerate(lines):
        leftmost = number == 0 and len(lines) > 1
        fig.add_vline(x=x, line=style)
        fig.add_annotation(
            x=x,
            xref="x",
            y=1,
            yref="paper",
            yanchor="bottom",
            xanchor="right" if leftmost else "left",
            text=text,
            showarrow=False,
            font={"size": 11, "color": style["color"]},
        )
    if label_column:
        _label_column(fig, frame["label"].tolist(), frame["text"].tolist())
    right = 16 + max((text_width(s) for s in frame["text"]), default=0) if label_column else 70
    fig.update_layout(
        template=TEMPLATE,
        title=ind.name(lang),
        height=90 + 30 * len(frame),
        xaxis=dict(
            title=_axis_title(ind, lang),
            rangemode="tozero",
            **({"range": [0, 100]} if ind.kind == "percent" else _value_ticks(frame["value"], lang)),
        ),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=right, t=70, b=10),
    )
    return fig


def status_heatmap(
    matrix: pd.DataFrame, texts: pd.DataFrame, lang: str, title: str, hover: pd.DataFrame | None = None
) -> go.Figure:
    """Indicators (rows) by regions (columns), coloured by attainment status; cells show the value.

    matrix and texts: one row per indicator label, one column per region label; hover: the full
    figures for the tooltip, if the cells show them shortened. Indicators run down the page so
    their names stay readable, and ten counties fit across at desktop width (phones get a list).
    """
    order = ["below", "near", "met", "monitor", "no_target", "missing"]
    codes = matrix.map(lambda s: order.index(s) if s in order else order.index("missing"))
    scale = []
    for i, status in enumerate(order):
        scale += [(i / len(order), STATUS_COLORS[status]), ((i + 1) / len(order), STATUS_COLORS[status])]
    labels = matrix.map(lambda s: t(s, lang) if s in order else "")
    full = (hover if hover is not None else texts).astype(str) + " · " + labels
    # dark text on the light cells, white on the dark ones
    ink = matrix.map(lambda s: "white" if s in ("below", "met") else INK)
    fig = go.Figure(
        go.Heatmap(
            z=codes.to_numpy(),
            x=list(matrix.columns),
            y=list(matrix.index),
            zmin=0,
            zmax=len(order),
            colorscale=scale,
            showscale=False,
            customdata=full.to_numpy(),
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
            hoverongaps=False,
        )
    )
    # cell values as a text trace: a heatmap's texttemplate has one colour for every cell
    fig.add_trace(
        go.Scatter(
            x=[c for _ in matrix.index for c in matrix.columns],
            y=[r for r in matrix.index for _ in matrix.columns],
            text=texts.to_numpy().ravel().tolist(),
            mode="text",
            hoverinfo="skip",
            showlegend=False,
            textfont=dict(size=11, color=ink.to_numpy().ravel().tolist()),
        )
    )
    present = set(matrix.to_numpy().ravel())
    for status in order:  # a legend for the discrete colours that occur
        if status in present:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=t(status, lang),
                    marker=dict(size=12, color=STATUS_COLORS[status], symbol="square"),
                )
            )
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        height=140 + 28 * len(matrix),
        xaxis=dict(side="top", tickfont=dict(size=12), showgrid=False),
        yaxis=dict(autorange="reversed", tickfont=dict(size=12), showgrid=False),
        legend=dict(orientation="h", y=-0.02, yanchor="top", x=0),
        margin=dict(l=10, r=10, t=90, b=40),
        plot_bgcolor="white",
    )
    return fig


def area_bars(scores: pd.DataFrame, areas: list[tuple[str, str]], lang: str, title: str) -> go.Figure:
    """Small grouped bars per area instead of a radar: scores has label plus one column per area id
    (0-100); the row labelled county_average is drawn as a dark tick on each area, not as a bar."""
    average_label = t("county_average", lang)
    names = [label for _, label in areas]
    fig = go.Figure()
    colours = iter(SERIES)
    for row in scores.itertuples(index=False):
        values = [getattr(row, a) for a, _ in areas]
        if row.label == average_label:
            fig.add_trace(
                go.Scatter(
                    x=values,
                    y=names,
                    name=row.label,
                    mode="markers",
                    marker=dict(symbol="line-ns", size=22, line=dict(width=3, color=INK)),
                    hovertemplate="%{y}: %{x:.1f}<extra>" + row.label + "</extra>",
                )
            )
            continue
        fig.add_trace(
            go.Bar(
                x=values,
                y=names,
                name=row.label,
                orientation="h",
                marker_color=next(colours),
                hovertemplate="%{y}: %{x:.1f}<extra>" + row.label + "</extra>",
            )
        )
    bars = max(1, sum(1 for label in scores["label"] if label != average_label))
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        barmode="group",
        height=110 + len(areas) * (14 + 12 * bars),
        xaxis=dict(range=[0, 100], title=t("score_axis", lang), dtick=20),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", y=-0.22, yanchor="top", x=0),
        margin=dict(l=10, r=10, t=50, b=10),
    )
    return fig


def bullets(rows: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One bullet per indicator on a common scale: the actual as a share of its target, the target a mark
    at 100 %. 119次 against 2次 and 32次 against 10次 no longer look alike: the axis says how far.

    rows: label, value, target, status, value_text, target_text, and optionally direction ('lower':
    the target is a ceiling, and staying under 100 % meets it). Beyond 150 % a bar ends in an arrow
    and its label gives the multiple. Labels stand in a column right of the plot.
    """
    value = rows["value"].astype(float)
    target = rows["target"].astype(float)
    share = (value / target.where(target != 0)).where(target != 0, (value > 0).astype(float) + 1.0)
    share = share.where(~((target == 0) & (value == 0)), 1.0)  # 0 of a target of 0: exactly on target
    shown = share.clip(lower=0, upper=SHARE_CAP)
    labels = rows["label"].tolist()
    beyond = share > SHARE_CAP
    texts = [
        f"{v} / {t('target', lang)} {g}" + (f" · {t('times_target', lang, times=f'{s:.1f}')}" if b else "")
        for v, g, s, b in zip(rows["value_text"], rows["target_text"], share, beyond, strict=True)
    ]
    colors = [STATUS_COLORS.get(s, NAVY) for s in rows["status"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=shown,
            y=labels,
            orientation="h",
            width=0.5,
            showlegend=False,
            marker_color=colors,
            customdata=texts,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    )
    if beyond.any():
        fig.add_trace(
            go.Scatter(
                x=[SHARE_CAP] * int(beyond.sum()),
                y=[label for label, b in zip(labels, beyond, strict=True) if b],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker=dict(symbol="triangle-right", size=12, color=INK),
            )
        )
    fig.add_vline(x=1.0, line=dict(color=INK, width=2))
    fig.add_annotation(
        x=1.0,
        xref="x",
        y=1,
        yref="paper",
        yanchor="bottom",
        text=t("target_mark", lang),
        showarrow=False,
        font=dict(size=11, color=INK),
    )
    _label_column(fig, labels, texts)
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        height=110 + 30 * len(rows),
        xaxis=dict(
            range=[0, SHARE_CAP + 0.04],
            tickvals=[0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5],
            ticktext=["0", "25%", "50%", "75%", "100%", "125%", "≥150%"],
            title=t("share_of_target", lang),
            showgrid=True,
            zeroline=False,
        ),
        yaxis=dict(autorange="reversed", tickfont=dict(size=12)),
        margin=dict(l=10, r=16 + max((text_width(s) for s in texts), default=0), t=70, b=40),
    )
    return fig


def area_status(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars per area, every area shown: how many indicators are below, near, met, without a
    target, or missing; counts: area_label, status, n (zeros included). A count axis from zero."""
    fig = go.Figure()
    order = list(dict.fromkeys(counts["area_label"]))
    for status in ("below", "near", "met", "no_target", "missing"):
        part = counts[counts["status"] == status]
        if not part["n"].any():
            continue
        dark = status in ("below", "met")
        fig.add_trace(
            go.Bar(
                x=part["n"],
                y=part["area_label"],
                orientation="h",
                name=t(status, lang),
                marker_color=STATUS_COLORS[status],
                marker_line=dict(color="#B8C2CC", width=0.5) if status == "missing" else None,
                text=[str(n) if n else "" for n in part["n"]],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                constraintext="none",
                textfont=dict(color="white" if dark else INK),
                hovertemplate="%{y}: %{x}<extra>" + t(status, lang) + "</extra>",
            )
        )
    most = int(counts.groupby("area_label")["n"].sum().max()) if len(counts) else 0
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        barmode="stack",
        showlegend=True,
        height=110 + 30 * len(order),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=order),
        xaxis=dict(title=t("indicators_count", lang), rangemode="tozero", dtick=1 if most <= 12 else None),
        legend=dict(orientation="h", yanchor="top", y=-0.16, x=0, traceorder="normal"),
        margin=dict(l=10, r=10, t=50, b=10),
    )
    return fig


def completeness(
    share: pd.DataFrame, missing: pd.DataFrame, not_applicable: pd.DataFrame, lang: str, title: str
) -> go.Figure:
    """Regions (rows) by years (columns): complete is green, anything missing amber or red, never the
    same green; cells say how many are missing; hover adds what does not apply at that level."""
    # discrete bands: 100 % complete, 80-99 % (amber), under 80 % (red), nothing at all (grey)
    band = share.map(lambda s: 3 if s >= 1 - 1e-9 else (2 if s >= 0.8 else (1 if s > 0 else 0)))
    scale = [
        (0, "#D9D9D9"),
        (0.25, "#D9D9D9"),
        (0.25, "#C62828"),
        (0.5, "#C62828"),
        (0.5, "#E0A526"),
        (0.75, "#E0A526"),
        (0.75, STATUS_COLORS["met"]),
        (1, STATUS_COLORS["met"]),
    ]
    text = missing.map(lambda n: "" if pd.isna(n) or n == 0 else t("missing_n", lang, n=int(n)))
    hover = [
        [
            t("completeness_hover", lang, share=f"{s * 100:.0f}", missing=int(m), na=int(n))
            for s, m, n in zip(*r, strict=True)
        ]
        for r in zip(share.to_numpy(), missing.to_numpy(), not_applicable.to_numpy(), strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=band.to_numpy(),
            x=[str(y) for y in share.columns],
            y=list(share.index),
            zmin=0,
            zmax=3,
            colorscale=scale,
            showscale=False,
            text=text.to_numpy(),
            texttemplate="%{text}",
            textfont={"color": "white", "size": 12},
            customdata=hover,
            hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    legend = [
        ("complete", STATUS_COLORS["met"]),
        ("partly", "#E0A526"),
        ("mostly_missing", "#C62828"),
        ("nothing_reported", "#D9D9D9"),
    ]
    for key, colour in legend:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=t(key, lang),
                marker=dict(size=12, color=colour, symbol="square"),
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        height=150 + 36 * len(share),
        yaxis={"autorange": "reversed"},
        xaxis={"type": "category"},
        title=title,
        legend=dict(orientation="h", y=-0.06, yanchor="top", x=0),
        margin=dict(l=10, r=10, t=50, b=10),
        plot_bgcolor="white",
    )
    return fig


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
