"""指标说明 Catalog: a searchable table of metrics.yml with definitions, formulas, targets and sources."""

import pandas as pd
import streamlit as st

from rolgov import ui
from rolgov.catalog import BASIS_LABELS, DIRECTION_LABELS, KIND_LABELS
from rolgov.i18n import t

ctx, catalog = ui.page("catalog", needs_data=False)
lang = ctx.lang
z = 0 if lang == "zh" else 1

areas = [a.id for a in catalog.areas]
left, right = st.columns([1, 2])
with left:
    area = ui.url_select(
        t("area", lang),
        ["all", *areas],
        "area",
        "all",
        format_func=lambda a: (
            t("all_areas", lang)
            if a == "all"
            else (catalog.area(a).name_zh if lang == "zh" else catalog.area(a).name_en)
        ),
    )
with right:
    query = st.text_input(
        t("search", lang),
        value=ui.url_get("q", ""),
        key="w_q",
        placeholder="如：听证、复议、hearing" if lang == "zh" else "e.g. hearing, 复议",
    )
    ui.url_set("q", query.strip(), "")


def target_text(ind) -> str:
    parts = []
    for target in ind.targets:
        level = ("市" if target.level == "city" else "县") if lang == "zh" else target.level
        if ind.kind == "boolean":
            value = ("是" if target.value else "否") if lang == "zh" else ("yes" if target.value else "no")
        else:
            value = (
                f"{target.value:g}{ind.unit_label(lang)}"
                if lang == "zh" or ind.kind == "percent"
                else f"{target.value:g} {ind.unit_label(lang)}"
            )
        star = "*" if target.is_estimate else ""
        basis = BASIS_LABELS[target.basis][z]
        parts.append(f"{level} {value}{star}（{basis}）" if lang == "zh" else f"{level} {value}{star} ({basis})")
    return ("；" if lang == "zh" else "; ").join(parts) or "—"


rows = []
for ind in ui.visible_indicators(ctx):
    if area != "all" and ind.area != area:
        continue
    rows.append(
        {
            "编码" if lang == "zh" else "Id": ind.id,
            t("indicator", lang): ind.name(lang),
            t("area", lang): catalog.area(ind.area).short_zh if lang == "zh" else catalog.area(ind.area).short_en,
            t("unit", lang): ind.unit_label(lang),
            "类型" if lang == "zh" else "Kind": KIND_LABELS[ind.kind][z],
            "方向" if lang == "zh" else "Direction": DIRECTION_LABELS[ind.direction][z],
            "公式" if lang == "zh" else "Formula": ind.formula or "",
            t("target", lang): target_text(ind),
            "口径" if lang == "zh" else "Definition": ind.definition_zh if lang == "zh" else ind.definition_en,
            "来源" if lang == "zh" else "Source": ind.source,
            "权重" if lang == "zh" else "Weight": ind.weight,
            "公开" if lang == "zh" else "Publication": ("公开" if ind.publication == "public" else "内部")
            if lang == "zh"
            else ind.publication,
        }
    )
table = pd.DataFrame(rows)
if query.strip() and not table.empty:
    needle = query.strip().lower()
    table = table[table.apply(lambda r: needle in " ".join(map(str, r.values)).lower(), axis=1)]
st.caption(
    f"{len(table)} / {len(ui.visible_indicators(ctx))} "
    + ("个指标" if lang == "zh" else "indicators")
    + " · "
    + t("estimate_note", lang)
)
if table.empty:
    st.info("没有符合条件的指标。" if lang == "zh" else "No indicator matches.")
else:
    wide = {
        t("indicator", lang): 260,
        t("target", lang): 220,
        "公式" if lang == "zh" else "Formula": 240,
        "口径" if lang == "zh" else "Definition": 480,
        "来源" if lang == "zh" else "Source": 260,
    }
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(38 * (len(table) + 1), 760),
        column_config={name: st.column_config.TextColumn(width=px) for name, px in wide.items()},
    )
