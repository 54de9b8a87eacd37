"""材料生成 Experience material: choose scope, period and areas; edit the draft paragraph by paragraph; download it.

Every figure in the draft is traced to its indicator, region, period and batch. An edited paragraph
keeps the trace of the figures still in it; a figure edited away leaves the appendix; a number typed
in without a source is flagged here and highlighted yellow in the .docx.
"""

import hashlib

import pandas as pd
import streamlit as st

from rolgov import queries, report, report_charts, report_docx, report_md, ui
from rolgov import report_text as W
from rolgov.i18n import t
from rolgov.report_figures import reconcile

ctx, catalog = ui.page("report")
zh = ctx.lang == "zh"
years = ctx.years

# ── choices ──────────────────────────────────────────────────────────────────────────────────
left, middle, right = st.columns([1.2, 1.6, 1.2])
with left:
    scopes = [ctx.scope, *queries.county_codes(ctx.scope, ctx.year)]
    scope = st.selectbox(t("scope", ctx.lang), scopes, format_func=lambda c: ui.region_label(c, ctx), key="r_scope")
    exact = st.toggle("精确数字（不写“50余次”）" if zh else "Exact figures (not rounded)", key="r_exact")
with middle:
    modes = {
        "year": ("单一年度", "One year"),
        "since": ("某年以来累计", "Cumulative since"),
        "compare": ("两年对比", "Two years compared"),
    }
    mode = st.radio(
        "期间" if zh else "Period",
        list(modes),
        horizontal=True,
        key="r_mode",
        format_func=lambda m: modes[m][0 if zh else 1],
    )
    a, b = st.columns(2)
    year = a.selectbox(
        "截止年度" if zh else "Year", list(reversed(years)), key="r_year", index=list(reversed(years)).index(ctx.year)
    )
    earlier = [y for y in years if y < year]
    start = year
    if mode == "since":
        choices = [y for y in years if y <= year]
        start = b.selectbox(
            "起始年度" if zh else "Since",
            choices,
            key="r_since",
            index=choices.index(year - 1) if year - 1 in choices else 0,
        )
    elif mode == "compare":
        if not earlier:
            st.info("没有更早的年度可对比。" if zh else "No earlier year to compare with.")
            st.stop()
        start = b.selectbox("对比年度" if zh else "Compared with", list(reversed(earlier)), key="r_compare")
with right:
    areas = st.multiselect(
        t("area", ctx.lang),
        list(W.AREAS),
        default=["A3", "A7"],
        key="r_areas",
        format_func=lambda a: f"{a} {catalog.area(a).short_zh if zh else catalog.area(a).short_en}",
    )
if not areas:
    st.info("请选择至少一个领域。" if zh else "Choose at least one area.")
    st.stop()

period = {
    "year": report.Period.single,
    "since": lambda y: report.Period.since(start, y),
    "compare": lambda y: report.Period.compare(y, start),
}[mode](year)
settings = (ctx.version, scope, period, tuple(areas), exact, ctx.signed_in)
draft_id = hashlib.sha1(repr(settings).encode()).hexdigest()[:10]
if st.session_state.get("report_id") != draft_id:
    with st.spinner("正在生成草稿…" if zh else "Writing the draft…"):
        draft = report.build_draft(
            ui.cursor(ctx.version), catalog, scope, period, areas, exact=exact, include_internal=ctx.signed_in
        )
    st.session_state.update(report_id=draft_id, report_draft=draft, report_images={})
draft: report.Draft = st.session_state["report_draft"]
images: dict = st.session_state["report_images"]  # chart PNGs, rendered once on the first download
for warning in draft.warnings:
    st.info(warning)
st.caption(
    "段首的定性表述是通用写法，请按实际工作修改；数字取自数据库。改动或新增的数字没有数据来源，导出时以黄色标出；"
    "删去的数字同时从附件「数据来源」中移除。"
    if zh
    else "Opening sentences are stock phrasing to adapt; every figure comes from the database. A number you change "
    "or add has no source and is highlighted yellow in the .docx; a figure you delete leaves the appendix."
)

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
                        report_charts.for_screen(blocks[k].chart),
                        width="stretch",
                        key=f"{key}_{k}",
                        config={"displaylogo": False},
                    )
                    st.caption(blocks[k].text)
            index = pair[-1]
        else:
            texts[index] = st.text_area(
                block.kind,
                block.text,
                key=key,
                label_visibility="collapsed",
                height=max(68, 26 * (len(block.text) // 52 + 1)),
            )
        if index in texts and texts[index] != block.text:
            kept, dropped, untraced = reconcile(texts[index], block.figures)
            if dropped:
                gone = "、".join(f.text for f in dropped)
                st.warning(
                    f"已删去的数字（将从附件中移除）：{gone}" if zh else f"Figures edited away: {gone}", icon="✂️"
                )
            if untraced:
                stray = "、".join(untraced)
                st.error(
                    f"没有数据来源的数字（导出时以黄色标出）：{stray}"
                    if zh
                    else f"Numbers without a source (highlighted in the .docx): {stray}",
                    icon="⚠️",
                )
        index += 1

edited, flags = report.apply_edits(draft, texts)
traced = edited.figures
st.caption(
    (f"正文共 {len(traced)} 个数字可溯源" if zh else f"{len(traced)} figures traced")
    + (f"，{sum(len(f['untraced']) for f in flags)} 个没有来源" if zh and flags else "")
)

labels = ui.batch_labels(ctx.version, tuple(sorted({b for f in traced for b in f.batch_ids})))


def docx_bytes() -> bytes:
    """Rendered on click (charts take a few seconds the first time)."""
    for k, block in enumerate(edited.blocks):
        if block.kind == "chart" and k not in images:
            images[k] = report_charts.png(block.chart)
    return report_docx.to_docx(edited, catalog, images, labels)


title = next((b.text for b in edited.blocks if b.kind == "title"), "经验材料")
one, two, _ = st.columns([1, 1, 3])
one.download_button(
    "下载 Word (.docx)" if zh else "Download Word (.docx)",
    docx_bytes,
    f"{title}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    on_click="ignore",
    type="primary",
    icon="📄",
)
markdown = report_md.to_markdown(edited, catalog, None, labels)
two.download_button(
    "下载 Markdown" if zh else "Download Markdown",
    markdown,
    f"{title}.md",
    mime="text/markdown",
    on_click="ignore",
    icon="📝",
)

with st.expander(f"附件：数据来源（{len(traced)} 行）" if zh else f"Appendix: sources ({len(traced)} rows)"):
    st.dataframe(
        pd.DataFrame(report_md.source_rows(edited, catalog), columns=report_md.SOURCE_HEADER),
        hide_index=True,
        width="stretch",
    )
    st.caption(report_md.batch_legend(edited, labels))
    st.caption(
        "导出的 Word 文件可用命令复核：python -m rolgov.report verify 文件.docx"
        if zh
        else "Re-check an exported file: python -m rolgov.report verify FILE.docx"
    )
