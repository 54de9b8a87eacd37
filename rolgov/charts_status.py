"""Attainment and completeness charts: status frames in, go.Figure out (the theme of rolgov/charts.py).

The status heatmap of counties, bullets of actual against target on one scale, the status of every area,
small bars by area (instead of a radar) and the reporting grid. Each is built in one constructor call.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from rolgov.charts import INK, NAVY, SERIES, STATUS_COLORS, line_above, text_width, value_labels
from rolgov.i18n import t

SHARE_CAP = 1.5  # bullets stop at 150 % of the target; beyond, the bar ends in an arrow and the label says how far
ORDER = ["below", "near", "met", "monitor", "no_target", "missing"]


def two_lines(text: str, width: int) -> str:
    """A long label on two lines (broken at a space where there is one), the rest cut with "…": a heatmap's
    row names stay whole at desk width instead of being clipped."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width + 1)
    cut = cut if cut > width // 2 else width
    first, rest = text[:cut].rstrip(), text[cut:].lstrip()
    return first + "<br>" + (rest if len(rest) <= width else rest[: width - 1] + "…")


def _legend_swatch(name: str, color: str) -> go.Scatter:
    return go.Scatter(x=[None], y=[None], mode="markers", name=name, marker=dict(size=12, color=color, symbol="square"))


def status_heatmap(
    matrix: pd.DataFrame, texts: pd.DataFrame, lang: str, title: str, hover: pd.DataFrame | None = None
) -> go.Figure:
    """Indicators (rows) by regions (columns), coloured by attainment status; cells show the value.

    matrix and texts: one row per indicator label, one column per region label; hover: the full
    figures for the tooltip, if the cells show them shortened. Indicators run down the page so
    their names stay readable, and ten counties fit across at desktop width (phones get a list).
    """
    codes = matrix.map(lambda s: ORDER.index(s) if s in ORDER else ORDER.index("missing"))
    scale = []
    for i, status in enumerate(ORDER):
        scale += [(i / len(ORDER), STATUS_COLORS[status]), ((i + 1) / len(ORDER), STATUS_COLORS[status])]
    labels = matrix.map(lambda s: t(s, lang) if s in ORDER else "")
    full = (hover if hover is not None else texts).astype(str) + " · " + labels
    ink = matrix.map(lambda s: "white" if s in ("below", "met") else INK)  # white on the dark cells
    present = set(matrix.to_numpy().ravel())
    tall = any("<br>" in str(label) for label in matrix.index)
    data = [
        go.Heatmap(
            z=codes.to_numpy(),
            x=list(matrix.columns),
            y=list(matrix.index),
            zmin=0,
            zmax=len(ORDER),
            colorscale=scale,
            showscale=False,
            customdata=full.to_numpy(),
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
            hoverongaps=False,
        ),
        # cell values as a text trace: a heatmap's texttemplate has one colour for every cell
        go.Scatter(
            x=[c for _ in matrix.index for c in matrix.columns],
            y=[r for r in matrix.index for _ in matrix.columns],
            text=texts.to_numpy().ravel().tolist(),
            mode="text",
            hoverinfo="skip",
            showlegend=False,
            textfont=dict(size=11, color=ink.to_numpy().ravel().tolist()),
        ),
        *(_legend_swatch(t(s, lang), STATUS_COLORS[s]) for s in ORDER if s in present),
    ]
    return go.Figure(
        data=data,
        layout=dict(
            title=dict(text=title),
            height=140 + (36 if tall else 28) * len(matrix),
            xaxis=dict(side="top", tickfont=dict(size=12), showgrid=False),
            yaxis=dict(autorange="reversed", tickfont=dict(size=12), showgrid=False),
            legend=dict(orientation="h", y=-0.02, yanchor="top", x=0),
            margin=dict(l=10, r=10, t=90, b=40),
        ),
    )


def area_bars(
    scores: pd.DataFrame, areas: list[tuple[str, str]], lang: str, title: str, average_label: str | None = None
) -> go.Figure:
    """Small grouped bars per area instead of a radar: scores has label plus one column per area id
    (0-100); the row labelled average_label (区县平均, 各市平均) is drawn as a dark tick on each area, not as a bar."""
    average_label = average_label or t("county_average", lang)
    names = [label for _, label in areas]
    colours = iter(SERIES)
    data = []
    for row in scores.itertuples(index=False):
        values = [getattr(row, a) for a, _ in areas]
        hover = "%{y}: %{x:.1f}<extra>" + row.label + "</extra>"
        if row.label == average_label:
            marker = dict(symbol="line-ns", size=22, line=dict(width=3, color=INK))
            data.append(
                go.Scatter(x=values, y=names, name=row.label, mode="markers", marker=marker, hovertemplate=hover)
            )
        else:
            data.append(
                go.Bar(
                    x=values,
                    y=names,
                    name=row.label,
                    orientation="h",
                    marker=dict(color=next(colours)),
                    hovertemplate=hover,
                )
            )
    bars = max(1, sum(1 for label in scores["label"] if label != average_label))
    return go.Figure(
        data=data,
        layout=dict(
            title=dict(text=title),
            barmode="group",
            height=110 + len(areas) * (14 + 12 * bars),
            # a little room past 100, so a full bar does not run into the edge and the 100 tick shows
            xaxis=dict(range=[0, 104], title=dict(text=t("score_axis", lang)), tickvals=[0, 20, 40, 60, 80, 100]),
            yaxis=dict(autorange="reversed"),
            legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0),
            margin=dict(l=10, r=10, t=50, b=70),
        ),
    )


def bullets(rows: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """One bullet per indicator on a common scale: the actual as a share of its target, the target a line
    at 100 %. 119次 against 2次 and 32次 against 10次 no longer look alike: the axis says how far.

    rows: label, value, target, status, value_text, target_text. For a lower-is-better indicator the
    target is a ceiling, and staying under 100 % meets it. Beyond 150 % a bar ends in an arrow and its
    label gives the multiple. Labels stand in a column right of the plot.
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
    data = [
        go.Bar(
            x=shown.tolist(),
            y=labels,
            orientation="h",
            width=0.5,
            showlegend=False,
            marker=dict(color=[STATUS_COLORS.get(s, NAVY) for s in rows["status"]]),
            customdata=texts,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        ),
    ]
    if beyond.any():
        arrows = [label for label, b in zip(labels, beyond, strict=True) if b]
        data.append(
            go.Scatter(
                x=[SHARE_CAP] * len(arrows),
                y=arrows,
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker=dict(symbol="triangle-right", size=12, color=INK),
            )
        )
    return go.Figure(
        data=data,
        layout=dict(
            title=dict(text=title),
            height=110 + 30 * len(rows),
            xaxis=dict(
                range=[0, SHARE_CAP + 0.04],
                tickvals=[0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5],
                ticktext=["0", "25%", "50%", "75%", "100%", "125%", "≥150%"],
                title=dict(text=t("share_of_target", lang)),
                zeroline=False,
            ),
            yaxis=dict(autorange="reversed", tickfont=dict(size=12)),
            shapes=[
                dict(type="line", xref="x", x0=1.0, x1=1.0, yref="paper", y0=0, y1=1, line=dict(color=INK, width=2))
            ],
            annotations=[line_above(1.0, t("target_mark", lang), INK, "center"), *value_labels(labels, texts)],
            margin=dict(l=10, r=16 + max((text_width(s) for s in texts), default=0), t=70, b=40),
        ),
    )


def area_status(counts: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Stacked bars per area, every area shown: how many indicators are below, near, met, without a
    target, or missing; counts: area_label, status, n (zeros included). A count axis from zero."""
    order = list(dict.fromkeys(counts["area_label"]))
    data = []
    for status in ("below", "near", "met", "no_target", "missing"):
        part = counts[counts["status"] == status]
        if not part["n"].any():
            continue
        data.append(
            go.Bar(
                x=part["n"].tolist(),
                y=part["area_label"].tolist(),
                orientation="h",
                name=t(status, lang),
                marker=dict(
                    color=STATUS_COLORS[status], line=dict(color="#B8C2CC", width=0.5 if status == "missing" else 0)
                ),
                text=[str(n) if n else "" for n in part["n"]],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                constraintext="none",
                textfont=dict(color="white" if status in ("below", "met") else INK),
                hovertemplate="%{y}: %{x}<extra>" + t(status, lang) + "</extra>",
            )
        )
    most = int(counts.groupby("area_label")["n"].sum().max()) if len(counts) else 0
    return go.Figure(
        data=data,
        layout=dict(
            title=dict(text=title),
            barmode="stack",
            showlegend=True,
            height=110 + 30 * len(order),
            yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=order),
            # whole numbers only, and few enough to fit a phone
            xaxis=dict(
                title=dict(text=t("indicators_count", lang)),
                rangemode="tozero",
                dtick=1 if most <= 6 else (2 if most <= 14 else None),
            ),
            # the legend at the foot of the figure, clear of the axis title at any width
            legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, traceorder="normal"),
            margin=dict(l=10, r=10, t=50 + 20 * ("<br>" in title), b=70),
        ),
    )


def completeness(
    share: pd.DataFrame, missing: pd.DataFrame, not_applicable: pd.DataFrame, lang: str, title: str
) -> go.Figure:
    """Regions (rows) by years (columns): complete is green, anything missing amber or red, never the
    same green; cells say how many are missing; hover adds what does not apply at that level."""
    # discrete bands: 100 % complete, 80-99 % (amber), under 80 % (red), nothing at all (grey)
    band = share.map(lambda s: 3 if s >= 1 - 1e-9 else (2 if s >= 0.8 else (1 if s > 0 else 0)))
    colours = {0: "#D9D9D9", 1: STATUS_COLORS["below"], 2: STATUS_COLORS["near"], 3: STATUS_COLORS["met"]}
    scale = [(edge, colours[k]) for k in range(4) for edge in (k / 4, (k + 1) / 4)]
    text = missing.map(lambda n: "" if pd.isna(n) or n == 0 else t("missing_n", lang, n=int(n)))
    hover = [
        [
            t("completeness_hover", lang, share=f"{s * 100:.0f}", missing=int(m), na=int(n))
            for s, m, n in zip(*r, strict=True)
        ]
        for r in zip(share.to_numpy(), missing.to_numpy(), not_applicable.to_numpy(), strict=True)
    ]
    legend = [("complete", 3), ("partly", 2), ("mostly_missing", 1), ("nothing_reported", 0)]
    return go.Figure(
        data=[
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
                textfont=dict(color="white", size=12),
                customdata=hover,
                hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
                xgap=2,
                ygap=2,
            ),
            *(_legend_swatch(t(key, lang), colours[k]) for key, k in legend),
        ],
        layout=dict(
            title=dict(text=title),
            height=150 + 36 * len(share),
            yaxis=dict(autorange="reversed"),
            xaxis=dict(type="category"),
            legend=dict(orientation="h", y=0, yanchor="bottom", x=0, yref="container"),
            margin=dict(l=10, r=10, t=50, b=60),
        ),
    )
