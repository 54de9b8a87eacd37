"""材料生成 Experience material: choose scope, period and areas; edit the draft paragraph by paragraph; download it.

Every choice lives in the URL (?unit=610922&period=since&start=2017&areas=A3&areas=A7), so a copied
link rebuilds the same draft; the end year is the sidebar's year (one year control). Every figure in
the draft is traced to its indicator, region, period and batch. An edited paragraph keeps the trace of
the figures still in it; a figure edited away leaves the appendix; a number typed in without a source
is flagged here and highlighted yellow in the .docx.
"""

import hashlib

import pandas as pd
import streamlit as st

from rolgov import peers, ui
from rolgov import regions as R
from rolgov.geo import COUNTRY
from rolgov.i18n import t
from rolgov.report import apply_edits, build_draft, markdown, package, sources, word
from rolgov.report import wording as W
from rolgov.report.figures import reconcile
from rolgov.report.model import Draft, Period

ctx, catalog = ui.page("report")
lang = ctx.lang
year = ctx.year
if lang != "zh":
    st.info(t("report_chinese_only", lang), icon="ℹ️")


def url_choice(label: str, options: list[str], key: str, default: str, format_func, where) -> str:
    """A horizontal radio kept in the URL as ?key=value (ui has selectboxes only)."""
    wanted = ui.url_get(key, default)
    index = options.index(wanted) if wanted in options else options.index(default)
    choice = where.radio(label, options, index=index, horizontal=True, key=f"w_{key}", format_func=format_func)
    ui.url_set(key, choice, default)
    return choice


def url_flag(label: str, key: str, where, toggle: bool = False) -> bool:
    """A checkbox (or toggle) kept in the URL as ?key=1."""
    widget = where.toggle if toggle else where.checkbox
    value = widget(label, value=ui.url_get(key) == "1", key=f"w_{key}")
    ui.url_set(key, "1" if value else None, None)
    return value


# ── choices ──────────────────────────────────────────────────────────────────────────────────
left, middle, right = st.columns([1.2, 1.6, 1.2])
# any unit of the scope: the scope itself, its cities (a province's), its county-level units
cities = [c for c in peers.children(ctx.scope, year) if R.is_total(c)]
units = [*([] if ctx.scope == COUNTRY else [ctx.scope]), *cities, *peers.county_units(ctx.scope, year)]
unit_names = peers.labels(units, year, lang)
scope = ui.url_select(
    t("report_scope", lang),
    units,
    "unit",
    units[0],
    format_func=lambda c: ui.region_label(c, ctx) if c == ctx.scope else unit_names[c],
    where=left,
)
exact = url_flag(t("report_exact", lang), "exact", left, toggle=True)
with_charts = url_flag(t("report_charts", lang), "charts", left)
modes = ["year", "since", "compare"]
mode = url_choice(t("report_period", lang), modes, "period", "year", lambda m: t(f"report_mode_{m}", lang), middle)
earlier = [y for y in ctx.years if y < year]
start = year
if mode != "year":
    if not earlier:
        middle.info(t("report_no_earlier", lang).format(year=year))
        st.stop()
    label = t("report_since" if mode == "since" else "report_compare", lang)
    start = ui.url_select(
        label,
        list(reversed(earlier)),
        "start",
        year - 1 if year - 1 in earlier else earlier[-1],
        format_func=lambda y: t("report_year_option", lang).format(year=y),
        where=middle,
    )
middle.caption(t("report_year_note", lang).format(year=year))
areas = ui.url_multiselect(
    t("area", lang),
    list(W.AREAS),
    "areas",
    ["A3", "A7"],
    format_func=lambda a: f"{a} {catalog.area(a).short_zh if lang == 'zh' else catalog.area(a).short_en}",
    where=right,
)
if not areas:
    st.info(t("report_choose_area", lang))
    st.stop()

period = {
    "year": Period.single,
    "since": lambda y: Period.since(start, y),
    "compare": lambda y: Period.compare(y, start),
}[mode](year)
settings = (ctx.version, scope, period, tuple(areas), exact, with_charts, ctx.signed_in)
draft_id = hashlib.sha1(repr(settings).encode()).hexdigest()[:10]
if st.session_state.get("report_id") != draft_id:
    with st.spinner(t("report_writing", lang)):
        draft = build_draft(
            ui.cursor(ctx.version),
            catalog,
            scope,
            period,
            areas,
            exact=exact,
            include_internal=ctx.signed_in,
            with_charts=with_charts,
        )
    st.session_state.update(report_id=draft_id, report_draft=draft, report_images={})
draft: Draft = st.session_state["report_draft"]
images: dict = st.session_state["report_images"]  # chart PNGs, rendered once on the first download
for warning in draft.warnings:
    st.warning(warning.split(" / ")[0 if lang == "zh" else -1], icon="⚠️")
st.caption(t("report_help", lang))

# ── the draft, editable ──────────────────────────────────────────────────────────────────────
texts: dict[int, str] = {}
blocks = draft.blocks
index = 0
with st.container(border=True):
    while index < len(blocks):
        block, key = blocks[index], f"r_{draft_id}_{index}"
        if block.kind == "note":
            st.caption(block.text)
        elif block.kind in ("title", "heading"):
            texts[index] = st.text_input(block.kind, block.text, key=key, label_visibility="collapsed")
        elif block.kind == "chart":
            from rolgov.report import charts

            pair = [index] + (
                [index + 1]
                if index + 1 < len(blocks)
                and blocks[index + 1].kind == "chart"
                and blocks[index + 1].area == block.area
                else []
            )
            for column, k in zip(st.columns(2), pair, strict=False):
                with column:
                    st.plotly_chart(
                        charts.for_screen(blocks[k].chart),
                        width="stretch",
                        key=f"{key}_{k}",
                        config={"displaylogo": False},
                    )
                    st.caption(blocks[k].text)
            index = pair[-1]
        else:  # a box as tall as its text, on a phone too: nothing is cut off behind a scroll bar
            texts[index] = st.text_area(block.kind, block.text, key=key, label_visibility="collapsed", height="content")
        if index in texts and texts[index] != block.text:
            kept, dropped, untraced = reconcile(texts[index], block.figures)
            if dropped:
                st.warning(t("report_dropped", lang).format(figures="、".join(f.text for f in dropped)), icon="✂️")
            if untraced:
                st.error(t("report_untraced", lang).format(figures="、".join(untraced)), icon="⚠️")
        index += 1

edited, flags = apply_edits(draft, texts)
traced = edited.figures
untraced_count = sum(len(f["untraced"]) for f in flags)
st.caption(
    t("report_traced", lang).format(n=len(traced))
    + (t("report_untraced_count", lang).format(n=untraced_count) if untraced_count else "")
)
all_figures = traced + [f for _, f in edited.chart_figures]
labels = ui.batch_labels(ctx.version, tuple(sorted({b for f in all_figures for b in f.batch_ids})))
author = package.DEFAULT_AUTHOR


def docx_bytes() -> bytes:
    """Rendered on click (charts take a few seconds the first time)."""
    if any(b.kind == "chart" for b in edited.blocks):
        from rolgov.report import charts

        for k, block in enumerate(edited.blocks):
            if block.kind == "chart" and k not in images:
                images[k] = charts.png(block.chart)
    return word.to_docx(edited, catalog, images, labels, author=author)


title = edited.title
one, two, three, _ = st.columns([1, 1, 1, 1.5])
one.download_button(
    t("report_download_docx", lang),
    docx_bytes,
    f"{title}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    on_click="ignore",
    type="primary",
    icon="📄",
)
two.download_button(
    t("report_download_sources", lang),
    lambda: word.appendix_docx(edited, catalog, labels, author=author),
    f"{title}_数据来源.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    on_click="ignore",
    icon="🧾",
)
three.download_button(
    t("report_download_md", lang),
    markdown.to_markdown(edited, catalog, None, labels, appendix=True),
    f"{title}.md",
    mime="text/markdown",
    on_click="ignore",
    icon="📝",
)

rows = sources.source_rows(edited, catalog)
with st.expander(t("report_appendix", lang).format(n=len(rows))):
    st.dataframe(pd.DataFrame(rows, columns=sources.SOURCE_HEADER), hide_index=True, width="stretch")
    st.caption(sources.batch_legend(edited, labels))
    st.caption(t("report_appendix_note", lang))
