"""Build every plotly figure of the app from tidy frames; frames in, go.Figure out, one visual theme.

Calm blues and greys for data; red, amber and green are kept for attainment only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from rolgov.catalog import Indicator
from rolgov.i18n import t

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei", sans-serif'
NAVY = "#1F3A5F"
SERIES = [
    "#1F3A5F",
    "#4A7FB0",
    "#8FB3D9",
    "#5C6B7A",
    "#7A9E9F",
    "#B08D57",
    "#6C5B7B",
    "#3E7C8C",
    "#A3A3A3",
    "#2F5D62",
    "#94618E",
]
STATUS_COLORS = {
    "met": "#2E7D32",
    "near": "#E0A526",
    "below": "#C62828",
    "monitor": "#9AA5B1",
    "no_target": "#C9D1DA",
    "missing": "#EEEEEE",
}
TEMPLATE = "rolgov"
RADAR_COLORS = ["#1F3A5F", "#B08D57", "#3E7C8C"]  # up to three counties, told apart at a glance


def _with_alpha(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _register_template() -> None:
    base = go.layout.Template(pio.templates["plotly_white"])
    base.layout.font = dict(family=FONT_FAMILY, size=13, color="#2B2B2B")
    base.layout.colorway = SERIES
    base.layout.title = dict(font=dict(size=16, color=NAVY), x=0, xanchor="left")
    base.layout.hoverlabel = dict(font=dict(family=FONT_FAMILY))
    base.layout.margin = dict(l=10, r=10, t=50, b=40)
    base.layout.legend = dict(orientation="h", yanchor="top", y=-0.18, x=0)
    pio.templates[TEMPLATE] = base


_register_template()


def _axis_title(ind: Indicator, lang: str, per_10k: bool = False) -> str:
    unit = ind.unit_label(lang)
    if per_10k:
        return (
            f"{ind.name(lang)}（{unit}/{t('per_10k', lang)}）"
            if lang == "zh"
            else f"{ind.name(lang)} ({unit} {t('per_10k', lang).lower()})"
        )
    return f"{ind.name(lang)}（{unit}）" if lang == "zh" else f"{ind.name(lang)} ({unit})"


def _hover_number(ind: Indicator, per_10k: bool) -> str:
    if ind.kind == "percent" or per_10k:
        return "%{y:,.2f}" if per_10k else "%{y:.1f}"
    return "%{y:,.0f}" if ind.kind == "count" else "%{y:,.1f}"


def trend(
    frame: pd.DataFrame,
    ind: Indicator,
    lang: str,
    target: float | None = None,
    target_is_estimate: bool = False,
    per_10k: bool = False,
    highlight: str | None = None,
) -> go.Figure:
    """Lines by year; frame: label, year, value. The highlighted label (the city) is drawn bold."""
    fig = go.Figure()
    unit = ind.unit_label(lang)
    for i, (label, group) in enumerate(frame.groupby("label", sort=False)):
        group = group.sort_values("year")
        bold = label == highlight
        fig.add_trace(
            go.Scatter(
                x=group["year"],
                y=group["value"],
                name=label,
                mode="lines+markers",
                line=dict(width=4 if bold else 2, color=NAVY if bold else SERIES[(i + 1) % len(SERIES)]),
                hovertemplate=f"{label}<br>%{{x}}{'年' if lang == 'zh' else ''}: {_hover_number(ind, per_10k)} {unit}"
                "<extra></extra>",
            )
        )
    if target is not None and not per_10k:
        mark = "*" if target_is_estimate else ""
        fig.add_hline(
            y=target,
            line=dict(color=STATUS_COLORS["below"], dash="dash", width=1.5),
            annotation_text=f"{t('target', lang)}{mark} {target:g}{unit}",
            annotation_position="top left",
        )
    fig.update_layout(
        template=TEMPLATE,
        title=ind.name(lang),
        height=420,
        xaxis=dict(title=t("year", lang), dtick=1),
        # 150,000 rather than plotly's "150k", which reads oddly beside Chinese units
        yaxis=dict(title=_axis_title(ind, lang, per_10k), tickformat="," if ind.kind != "percent" else ""),
    )
    return fig


def ranking(
    frame: pd.DataFrame,
    ind: Indicator,
    lang: str,
    target: float | None,
    average: float | None,
    target_is_estimate: bool = False,
) -> go.Figure:
    """Horizontal bars, best at the top; frame: label, value, status (colours by attainment), text.

    The target and average lines are labelled above the plot, on the sides facing away from each
    other, so their labels never cover the bars' value labels or each other.
    """
    frame = frame.sort_values("value", ascending=ind.direction == "lower")  # best first (report_charts relies on it)
    colors = [STATUS_COLORS.get(s, NAVY) if s in ("met", "near", "below") else "#4A7FB0" for s in frame["status"]]
    unit = ind.unit_label(lang)
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=frame["label"],
            orientation="h",
            marker_color=colors,
            # inside the bar's end where it fits, so the labels stay clear of the target and average lines
            text=frame["text"],
            textposition="auto",
            insidetextanchor="end",
            cliponaxis=False,
            insidetextfont={"color": "white"},
            hovertemplate=f"%{{y}}: {_hover_number(ind, False).replace('y', 'x')} {unit}<extra></extra>",
        )
    )
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
        shown = f"{average:.1f}" if ind.kind == "percent" else f"{average:,.1f}"
        lines.append((average, f"{t('city_average', lang)} {shown}{unit}", dict(color="#5C6B7A", dash="dot")))
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
    fig.update_layout(
        template=TEMPLATE,
        title=ind.name(lang),
        height=90 + 30 * len(frame),
        xaxis=dict(title=_axis_title(ind, lang), tickformat="," if ind.kind != "percent" else ""),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=70, t=70, b=10),
    )
    return fig


def status_heatmap(
    matrix: pd.DataFrame, texts: pd.DataFrame, lang: str, title: str, hover: pd.DataFrame | None = None
) -> go.Figure:
    """Indicators (rows) by regions (columns), coloured by attainment status; cells show the value.

    matrix and texts: one row per indicator label, one column per region label; hover: the full
    figures for the tooltip, if the cells show them shortened. Indicators run down the page so
    their names stay readable, and ten counties fit across at any width.
    """
    order = ["below", "near", "met", "monitor", "no_target", "missing"]
    codes = matrix.map(lambda s: order.index(s) if s in order else order.index("missing"))
    scale = []
    for i, status in enumerate(order):
        scale += [(i / len(order), STATUS_COLORS[status]), ((i + 1) / len(order), STATUS_COLORS[status])]
    labels = matrix.map(lambda s: t(s, lang) if s in order else "")
    full = (hover if hover is not None else texts).astype(str) + " · " + labels
    # dark text on the light cells, white on the dark ones
    ink = matrix.map(lambda s: "white" if s in ("below", "met") else "#2B2B2B")
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
    # cell values as annotations: a heatmap's texttemplate has one colour for every cell
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


def radar(scores: pd.DataFrame, areas: list[tuple[str, str]], lang: str, title: str) -> go.Figure:
    """scores: label plus one column per area id (0-100); areas: (id, label) pairs."""
    fig = go.Figure()
    theta = [label for _, label in areas] + [areas[0][1]]
    for i, row in enumerate(scores.itertuples(index=False)):
        r = [getattr(row, a) for a, _ in areas]
        dashed = row.label == t("city_average", lang)
        fig.add_trace(
            go.Scatterpolar(
                r=r + [r[0]],
                theta=theta,
                name=row.label,
                fill="none" if dashed else "toself",
                fillcolor=None if dashed else _with_alpha(RADAR_COLORS[i % len(RADAR_COLORS)], 0.12),
                line=dict(
                    color="#5C6B7A" if dashed else RADAR_COLORS[i % len(RADAR_COLORS)],
                    width=2.5,
                    dash="dash" if dashed else "solid",
                ),
                hovertemplate="%{theta}: %{r:.0f}<extra>" + row.label + "</extra>",
            )
        )
    # the radial scale sits between two areas, where it covers no area name
    between = 90 - 180 / len(areas)
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        height=480,
        polar=dict(
            radialaxis=dict(
                range=[0, 100], tickfont=dict(size=10), angle=between, tickangle=between, tickvals=[25, 50, 75, 100]
            ),
            angularaxis=dict(rotation=90, direction="clockwise"),
        ),
    )
    return fig


def bullets(rows: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One bullet per indicator: actual bar against a target tick, each on its own scale.

    rows: label, value, target, status, value_text, target_text, and optionally kind. Percentages
    are drawn on 0-100 %; other units on 0 to 1.15 × the larger of actual and target. Each row is
    scaled to 0-1 so one axis carries them all (one figure of three traces, not one subplot each).
    """
    kinds = rows["kind"] if "kind" in rows else pd.Series("", index=rows.index)
    larger = rows[["value", "target"]].astype(float).max(axis=1)
    scale = larger.where(kinds != "percent", larger.clip(lower=100.0))
    scale = scale.where(kinds == "percent", larger * 1.15).where(lambda s: s > 0, 1.0)
    value_x = (rows["value"].astype(float) / scale).clip(lower=0).tolist()
    target_x = (rows["target"].astype(float) / scale).tolist()
    labels = rows["label"].tolist()
    hover = [f"{v} / {t('target', lang)} {g}" for v, g in zip(rows["value_text"], rows["target_text"], strict=True)]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[1.0] * len(rows),
            y=labels,
            orientation="h",
            marker_color="#EEF1F5",
            width=0.75,
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Bar(
            x=value_x,
            y=labels,
            orientation="h",
            width=0.38,
            showlegend=False,
            marker_color=[STATUS_COLORS.get(s, NAVY) for s in rows["status"]],
            text=rows["value_text"].tolist(),
            textposition="outside",
            cliponaxis=False,
            textfont=dict(size=12, color="#2B2B2B"),
            constraintext="none",
            customdata=hover,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=target_x,
            y=labels,
            mode="markers",
            showlegend=False,
            customdata=hover,
            marker=dict(symbol="line-ns", size=24, line=dict(width=3, color="#2B2B2B")),
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        height=80 + 34 * len(rows),
        barmode="overlay",
        xaxis=dict(range=[0, 1.2], showticklabels=False, showgrid=False, zeroline=False),
        yaxis=dict(autorange="reversed", tickfont=dict(size=12)),
        margin=dict(l=10, r=20, t=50, b=10),
    )
    return fig


def area_attainment(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars per area: how many indicators met, near, below; counts: area_label, status, n."""
    fig = go.Figure()
    for status in ("met", "near", "below"):
        part = counts[counts["status"] == status]
        fig.add_trace(
            go.Bar(
                x=part["n"],
                y=part["area_label"],
                orientation="h",
                name=t(status, lang),
                marker_color=STATUS_COLORS[status],
                text=part["n"],
                textposition="inside",
                hovertemplate="%{y}: %{x}<extra>" + t(status, lang) + "</extra>",
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        barmode="stack",
        showlegend=True,
        height=80 + 34 * counts["area_label"].nunique(),
        # areas in catalog order; otherwise plotly orders them by first appearance across traces
        yaxis=dict(
            autorange="reversed", categoryorder="array", categoryarray=list(dict.fromkeys(counts["area_label"]))
        ),
        xaxis=dict(title="指标个数" if lang == "zh" else "Indicators", dtick=1),
    )
    return fig


def plotly_config(filename: str) -> dict:
    """Chart toolbar: PNG download at 2x with a Chinese file name; offline map topology."""
    from rolgov.geo import TOPOJSON_URL

    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "topojsonURL": TOPOJSON_URL,
    }
