"""Charts of a draft: per area the trend and the county comparison, styled for print; PNG bytes via kaleido.

The figures come from rolgov/charts.py (one visual theme); here they lose the on-screen title (the
Word caption names them), get larger type for an A4 page, value labels in the dashboard's number
format (fmt.value: 14.66万条), zero-based axes for counts, and a trend only with three years
or more (two points are not a trend). Every value drawn is a traced figure, so verify re-checks the
charts too. Rendered through one kaleido server started on first use (about 2 s, then about 0.2 s each).
"""

from __future__ import annotations

import re
import threading
import warnings

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from rolgov import charts
from rolgov import regions as R
from rolgov.catalog import Indicator
from rolgov.report.figures import TracedFigure, chart_text, evaluate

MIN_TREND_YEARS = 3

# Two charts stand side by side in the .docx, each 7.6 cm wide: 600 px with 20 px type prints at about 7 pt.
WIDTH_PX, HEIGHT_PX = 600, 440
PRINT_FONT = 20
SCALE = 1.5  # 900 px across 7.6 cm is 300 dpi, and renders about 40 % faster than scale 2
_server_lock = threading.Lock()
_server_started = False


def _label(builder, region: str) -> str:
    if R.is_own_level(region):
        return f"{builder.char}级"
    if region == builder.root:
        return f"全{builder.char}"
    return R.name_of(region, builder.period.year)


def _unit(ind: Indicator) -> str:
    return f"单位：{ind.unit_label('zh')}"


def caption_name(ind: Indicator) -> str:
    """The catalog name without a bracketed list: 精简（取消、下放、调整）行政审批事项数 -> 精简行政审批事项数."""
    return re.sub(r"（[^）]*、[^）]*）", "", ind.name_zh)


def _for_print(fig: go.Figure, top: int = 30, right: int = 30) -> go.Figure:
    """No on-screen title (the Word caption names the chart), print-size type, white ground."""
    fig.update_layout(
        title=None,
        height=HEIGHT_PX,
        width=WIDTH_PX,
        font={"size": PRINT_FONT},
        margin={"l": 10, "r": right, "t": top, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    fig.update_xaxes(tickfont={"size": PRINT_FONT})
    fig.update_yaxes(tickfont={"size": PRINT_FONT})
    fig.update_traces(textfont={"size": PRINT_FONT - 2}, selector={"type": "bar"})
    return fig


def _point(builder, ind: Indicator, region: str, measure: str, start: int, end: int) -> TracedFigure | None:
    spec = TracedFigure(ind.id, region, start, end, measure, True, style="chart")
    return evaluate(spec, builder.facts, builder.catalog)


def _series(builder, region: str, ind: Indicator) -> tuple[pd.DataFrame, list[TracedFigure]]:
    years = sorted(y for (r, y, i) in builder.facts.cells if r == region and i == ind.id and y <= builder.period.year)
    points = [p for y in years if (p := _point(builder, ind, region, "value", y, y)) is not None]
    frame = pd.DataFrame([(p.end, p.value) for p in points], columns=["year", "value"])
    return frame, points


def trend(builder, ind: Indicator) -> tuple[go.Figure, str, list[TracedFigure]] | None:
    region = R.own_level_code(builder.root) if builder.is_city and ind.draft_level == "own_level" else builder.scope
    regions = [region] + ([builder.root] if not builder.is_city and ind.kind == "percent" else [])
    made = [_series(builder, r, ind) for r in regions]
    frames = [f.assign(label=_label(builder, r)) for r, (f, _) in zip(regions, made, strict=True) if not f.empty]
    points = [p for _, pts in made for p in pts]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty or frame.loc[frame["label"] == _label(builder, region), "year"].nunique() < MIN_TREND_YEARS:
        return None
    target = ind.target_for(R.target_level(region), builder.period.year)
    shown = target if target is not None and not target.is_estimate else None
    fig = charts.trend(
        frame[["label", "year", "value"]], ind, "zh", shown.value if shown else None, highlight=_label(builder, region)
    )
    fig.update_layout(
        showlegend=len(regions) > 1,
        legend={"y": -0.12, "x": 0},
        xaxis={"title": None},
        yaxis={
            "title": {"text": _unit(ind), "font": {"size": PRINT_FONT - 2}},
            "rangemode": "tozero" if ind.kind == "count" else "normal",
        },
    )
    if ind.kind == "count":  # a count is read against zero: the axis starts there, room above for the labels
        top = max([float(frame["value"].max()), shown.value if shown else 0.0]) or 1.0
        fig.update_yaxes(range=[0, top * 1.18], autorange=False)
    main = next(tr for tr in fig.data if tr.name == _label(builder, region))  # label the drafted series
    main.update(
        mode="lines+markers+text",
        textposition="top center",
        textfont={"size": PRINT_FONT - 3},
        # every point labelled while they fit; over five years only the first and the last
        text=[
            chart_text(ind, v) if len(main.y) <= 5 or k in (0, len(main.y) - 1) else "" for k, v in enumerate(main.y)
        ],
        cliponaxis=False,
    )
    first, last = int(frame["year"].min()), int(frame["year"].max())
    who = "与".join(_label(builder, r) for r in regions)
    return _for_print(fig), f"{who}{caption_name(ind)}变化情况（{first}—{last}年）", points


def counties(builder, ind: Indicator) -> tuple[go.Figure, str, list[TracedFigure]] | None:
    measure, start, _ = builder.how(ind)
    period_words = {"value": f"{builder.period.year}年", "sum": f"{start}—{builder.period.year}年合计"}.get(
        measure, f"{start}—{builder.period.year}年"
    )
    rows, points = [], []
    for code in builder.counties:
        fig = _point(builder, ind, code, measure, start, builder.period.year)
        if fig is None:
            continue
        points.append(fig)
        # one calm colour: a material presents, it does not grade (the 目标达成 page does that)
        rows.append(
            {
                "label": R.name_of(code, builder.period.year),
                "value": fig.value,
                "status": "no_target",
                "text": fig.text,
                "code": code,
            }
        )
    if len(rows) < 2:
        return None
    table = pd.DataFrame(rows)
    fig = charts.ranking(table, ind, "zh", None, None)  # best at the top
    # on paper the value stands right of its bar, in ink, whatever the bar's colour
    fig.update_traces(textposition="outside", textfont={"color": "#2B2B2B"}, selector={"type": "bar"})
    top = float(table["value"].max()) or 1.0
    fig.update_layout(
        xaxis={"title": {"text": _unit(ind), "font": {"size": PRINT_FONT - 2}}, "range": [0, top * 1.22]}
    )  # room for the value labels outside the bars
    if ind.kind == "percent" and top > 50:  # the axis stops at 100 %; the extra room is for the labels only
        fig.update_xaxes(tickmode="array", tickvals=list(range(0, 101, 20)))
    codes = {R.name_of(c, builder.period.year): c for c in table["code"]}
    if not builder.is_city:  # the county the draft is about stands out
        fig.data[0].marker.color = [charts.NAVY if codes[y] == builder.scope else "#9DB7D5" for y in fig.data[0].y]
    # the reference line is the whole area's own rate (recomputed from its summed parts), never a mean of rates
    whole = _point(builder, ind, builder.root, measure, start, builder.period.year) if ind.kind == "percent" else None
    if whole is not None:
        fig.add_vline(x=whole.value, line={"color": "#5C6B7A", "dash": "dot"}, layer="below")
        fig.add_annotation(
            x=whole.value,
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=f"全{builder.char} {whole.text}",
            font={"size": PRINT_FONT - 2, "color": "#5C6B7A"},
        )
        points.append(whole)
    return _for_print(fig, top=34, right=80), f"各{builder.unit_noun}{caption_name(ind)}（{period_words}）", points


def for_screen(fig: go.Figure) -> go.Figure:
    """A copy sized for the page: the print type (20 px for a 7.6 cm image) is too large on a screen."""
    screen = go.Figure(fig)
    screen.update_layout(width=None, height=380, font={"size": 13})
    screen.update_xaxes(tickfont={"size": 12}, title_font={"size": 12})
    screen.update_yaxes(tickfont={"size": 12}, title_font={"size": 12})
    screen.update_traces(textfont={"size": 11})
    screen.update_annotations(font={"size": 11})
    return screen


def make(kind: str, builder, ind: Indicator) -> tuple[go.Figure, str, list[TracedFigure]] | None:
    """(figure, caption without its number, the values drawn) or None when there is too little to draw."""
    return trend(builder, ind) if kind == "trend" else counties(builder, ind)


def warm_up() -> threading.Thread:
    """Start the headless browser in the background (about 2 s) while the caller builds the draft."""
    thread = threading.Thread(target=lambda: png(go.Figure(layout={"width": 50, "height": 50})), daemon=True)
    thread.start()
    return thread


def png(fig: go.Figure) -> bytes:
    """PNG bytes at 1.5 times the drawn size (300 dpi in the .docx); starts the kaleido server on first use.

    One image at a time: two threads rendering at once through kaleido's sync server were seen to get
    each other's image back, so the lock covers the whole call.
    """
    global _server_started
    from rolgov.geo import use_local_topojson_for_kaleido

    with _server_lock:
        if not _server_started:
            import kaleido

            use_local_topojson_for_kaleido()
            kaleido.start_sync_server(silence_warnings=True)
            _server_started = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts is ignored if using a server": expected
            width, height = fig.layout.width or WIDTH_PX, fig.layout.height or HEIGHT_PX
            return pio.to_image(fig, format="png", width=width, height=height, scale=SCALE)


def stop() -> None:
    """Close the headless browser (a command line calls this before it exits, so the browser's pipe
    is not torn down mid-message at interpreter shutdown)."""
    global _server_started
    with _server_lock:
        if _server_started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False
