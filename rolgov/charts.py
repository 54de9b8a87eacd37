"""Build every plotly figure of the app from tidy frames; frames in, go.Figure out, one visual theme.

Calm blues and greys for data; red, amber and green are kept for attainment only.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from rolgov.catalog import Indicator
from rolgov.i18n import t

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei", sans-serif'
NAVY = "#1F3A5F"
SERIES = ["#1F3A5F", "#4A7FB0", "#8FB3D9", "#5C6B7A", "#7A9E9F", "#B08D57", "#6C5B7B", "#3E7C8C",
          "#A3A3A3", "#2F5D62", "#94618E"]
STATUS_COLORS = {
    "met": "#2E7D32", "near": "#E0A526", "below": "#C62828",
    "monitor": "#9AA5B1", "no_target": "#C9D1DA", "missing": "#EEEEEE",
}
TEMPLATE = "rolgov"


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
        return f"{ind.name(lang)}（{unit}/{t('per_10k', lang)}）" if lang == "zh" else \
            f"{ind.name(lang)} ({unit} {t('per_10k', lang).lower()})"
    return f"{ind.name(lang)}（{unit}）" if lang == "zh" else f"{ind.name(lang)} ({unit})"


def _hover_number(ind: Indicator, per_10k: bool) -> str:
    if ind.kind == "percent" or per_10k:
        return "%{y:,.2f}" if per_10k else "%{y:.1f}"
    return "%{y:,.0f}" if ind.kind == "count" else "%{y:,.1f}"


def trend(frame: pd.DataFrame, ind: Indicator, lang: str, target: float | None = None,
          target_is_estimate: bool = False, per_10k: bool = False, highlight: str | None = None) -> go.Figure:
    """Lines by year; frame: label, year, value. The highlighted label (the city) is drawn bold."""
    fig = go.Figure()
    unit = ind.unit_label(lang)
    for i, (label, group) in enumerate(frame.groupby("label", sort=False)):
        group = group.sort_values("year")
        bold = label == highlight
        fig.add_trace(go.Scatter(
            x=group["year"], y=group["value"], name=label, mode="lines+markers",
            line=dict(width=4 if bold else 2, color=NAVY if bold else SERIES[(i + 1) % len(SERIES)]),
            hovertemplate=f"{label}<br>%{{x}}年: {_hover_number(ind, per_10k)} {unit}<extra></extra>",
        ))
    if target is not None and not per_10k:
        mark = "*" if target_is_estimate else ""
        fig.add_hline(y=target, line=dict(color=STATUS_COLORS["below"], dash="dash", width=1.5),
                      annotation_text=f"{t('target', lang)}{mark} {target:g}{unit}", annotation_position="top left")
    fig.update_layout(template=TEMPLATE, title=ind.name(lang), height=420,
                      xaxis=dict(title=t("year", lang), dtick=1), yaxis=dict(title=_axis_title(ind, lang, per_10k)))
    return fig


def ranking(frame: pd.DataFrame, ind: Indicator, lang: str, target: float | None, average: float | None,
            target_is_estimate: bool = False) -> go.Figure:
    """Horizontal bars sorted best first; frame: label, value, status (colours by attainment)."""
    ascending = ind.direction == "lower"
    frame = frame.sort_values("value", ascending=not ascending)
    colors = [STATUS_COLORS.get(s, NAVY) if s in ("met", "near", "below") else "#4A7FB0" for s in frame["status"]]
    unit = ind.unit_label(lang)
    fig = go.Figure(go.Bar(
        x=frame["value"], y=frame["label"], orientation="h", marker_color=colors,
        text=frame["text"], textposition="outside", cliponaxis=False,
        hovertemplate=f"%{{y}}: %{{x:,.1f}} {unit}<extra></extra>",
    ))
    if target is not None:
        fig.add_vline(x=target, line=dict(color=STATUS_COLORS["below"], dash="dash"),
                      annotation_text=f"{t('target', lang)}{'*' if target_is_estimate else ''} {target:g}")
    if average is not None:
        fig.add_vline(x=average, line=dict(color="#5C6B7A", dash="dot"),
                      annotation_text=f"{t('city_average', lang)} {average:,.1f}", annotation_position="bottom right")
    fig.update_layout(template=TEMPLATE, title=ind.name(lang), height=60 + 34 * len(frame),
                      xaxis=dict(title=_axis_title(ind, lang)), yaxis=dict(autorange="reversed"),
                      margin=dict(l=10, r=60, t=60, b=10))
    return fig


def status_heatmap(matrix: pd.DataFrame, texts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Regions (rows) by indicators (columns), coloured by attainment status; cells show the value."""
    order = ["below", "near", "met", "monitor", "no_target", "missing"]
    codes = matrix.map(lambda s: order.index(s) if s in order else order.index("missing"))
    scale = []
    for i, status in enumerate(order):
        scale += [(i / len(order), STATUS_COLORS[status]), ((i + 1) / len(order), STATUS_COLORS[status])]
    labels = matrix.map(lambda s: t(s, lang) if s in order else "")
    crowded = matrix.shape[1] > 16  # values in cells only while they fit; hover always has them
    fig = go.Figure(go.Heatmap(
        z=codes.to_numpy(), x=list(matrix.columns), y=list(matrix.index), zmin=0, zmax=len(order),
        colorscale=scale, showscale=False, text=texts.to_numpy(), texttemplate="" if crowded else "%{text}",
        textfont=dict(size=11), customdata=labels.to_numpy(), xgap=2, ygap=2,
        hovertemplate="%{y} · %{x}<br>%{text} · %{customdata}<extra></extra>",
    ))
    for status in order[:5]:  # a legend for the discrete colours
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t(status, lang),
                                 marker=dict(size=12, color=STATUS_COLORS[status], symbol="square")))
    longest = max((len(str(c)) for c in matrix.columns), default=4)
    fig.update_layout(template=TEMPLATE, title=title, height=160 + 36 * len(matrix) + 13 * min(longest, 22),
                      xaxis=dict(side="bottom", tickangle=-55, tickfont=dict(size=11)),
                      yaxis=dict(autorange="reversed"), legend=dict(y=1.0, yanchor="bottom", x=0.35),
                      margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white")
    return fig


def radar(scores: pd.DataFrame, areas: list[tuple[str, str]], lang: str, title: str) -> go.Figure:
    """scores: label plus one column per area id (0-100); areas: (id, label) pairs."""
    fig = go.Figure()
    theta = [label for _, label in areas] + [areas[0][1]]
    for i, row in enumerate(scores.itertuples(index=False)):
        r = [getattr(row, a) for a, _ in areas]
        dashed = row.label == t("city_average", lang)
        fig.add_trace(go.Scatterpolar(
            r=r + [r[0]], theta=theta, name=row.label, fill="none" if dashed else "toself", opacity=0.85,
            line=dict(color="#5C6B7A" if dashed else SERIES[(i + 1) % len(SERIES)], dash="dash" if dashed else "solid"),
            hovertemplate="%{theta}: %{r:.0f}<extra>" + row.label + "</extra>",
        ))
    fig.update_layout(template=TEMPLATE, title=title, height=460,
                      polar=dict(radialaxis=dict(range=[0, 100], tickfont=dict(size=10))))
    return fig


def bullets(rows: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One bullet per indicator: actual bar against a target marker, each on its own scale.

    rows: label, value, target, status, value_text, target_text.
    """
    n = len(rows)
    fig = make_subplots(rows=n, cols=1, vertical_spacing=min(0.5 / max(n, 1), 0.04))
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        top = max(row.value, row.target) * 1.25 or 1
        fig.add_trace(go.Bar(x=[top], y=[row.label], orientation="h", marker_color="#EEF1F5", hoverinfo="skip",
                             showlegend=False, width=0.8), row=i, col=1)
        fig.add_trace(go.Bar(x=[row.value], y=[row.label], orientation="h", width=0.4,
                             marker_color=STATUS_COLORS.get(row.status, NAVY), showlegend=False,
                             text=[row.value_text], textposition="outside", cliponaxis=False,
                             hovertemplate=f"{row.label}<br>{row.value_text} / {t('target', lang)} "
                                           f"{row.target_text}<extra></extra>"), row=i, col=1)
        fig.add_trace(go.Scatter(x=[row.target], y=[row.label], mode="markers", showlegend=False,
                                 marker=dict(symbol="line-ns", size=22, line=dict(width=3, color="#2B2B2B")),
                                 hovertemplate=f"{t('target', lang)} {row.target_text}<extra></extra>"), row=i, col=1)
        fig.update_xaxes(range=[0, top], showticklabels=False, showgrid=False, row=i, col=1)
    fig.update_layout(template=TEMPLATE, title=title, height=70 + 46 * n, barmode="overlay",
                      margin=dict(l=10, r=80, t=50, b=10))
    return fig


def area_attainment(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars per area: how many indicators met, near, below; counts: area_label, status, n."""
    fig = go.Figure()
    for status in ("met", "near", "below"):
        part = counts[counts["status"] == status]
        fig.add_trace(go.Bar(x=part["n"], y=part["area_label"], orientation="h", name=t(status, lang),
                             marker_color=STATUS_COLORS[status], text=part["n"], textposition="inside",
                             hovertemplate="%{y}: %{x}<extra>" + t(status, lang) + "</extra>"))
    fig.update_layout(template=TEMPLATE, title=title, barmode="stack", height=80 + 34 * counts["area_label"].nunique(),
                      yaxis=dict(autorange="reversed"), xaxis=dict(title="指标个数" if lang == "zh" else "indicators"))
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
