"""指标说明 Catalog: a searchable table of metrics.yml with definitions, formulas, targets and sources."""

from rolgov import navigation

navigation.through_dashboard()

import pandas as pd
import streamlit as st

from rolgov import ui
from rolgov.catalog import BASIS_LABELS, DIRECTION_LABELS, KIND_LABELS
from rolgov.i18n import t

ctx, catalog = ui.page("catalog", needs_data=False)
lang = ctx.lang
z = 0 if lang == "zh" else 1


@st.fragment  # the area and the search rerun the table only, not the frame
def catalog_section() -> None:
    area_ids = [a.id for a in catalog.areas]
    left, right = st.columns([1, 2])
    with left:
        area = ui.url_select(
            t("area", lang),
            ["all", *area_ids],
            "area",
            "all",
            format_func=lambda a: (
                t("all_areas", lang)
                if a == "all"
                else (catalog.area(a).name_zh if lang == "zh" else catalog.area(a).name_en)
            ),
        )
    with right:
        query = ui.url_text(t("search", lang), "q", placeholder=t("search_placeholder", lang))

    def target_text(ind) -> str:
        parts = []
        for target in ind.targets:
            if ind.kind == "boolean":
                value = t("yes" if target.value else "no", lang)
            else:
                value = t("number_with_unit", lang, number=f"{target.value:g}", unit=ind.unit_label(lang))
                if ind.kind == "percent":
                    value = f"{target.value:g}%"
            parts.append(
                t(
                    "catalog_target",
                    lang,
                    level=t(f"level_{target.level}", lang),
                    value=value,
                    star="*" if target.is_estimate else "",
                    basis=BASIS_LABELS[target.basis][z],
                )
            )
        return t("list_separator", lang).join(parts) or "—"

    visible = ui.visible_indicators(ctx)
    rows = []
    for ind in visible:
        if area != "all" and ind.area != area:
            continue
        rows.append(
            {
                t("id", lang): ind.id,
                t("indicator", lang): ind.name(lang),
                t("area", lang): ui.areas(catalog, lang)[ind.area],
                t("unit", lang): ind.unit_label(lang),
                t("kind", lang): KIND_LABELS[ind.kind][z],
                t("direction", lang): DIRECTION_LABELS[ind.direction][z],
                t("formula", lang): ind.formula or "",
                t("target", lang): target_text(ind),
                t("definition", lang): ind.definition_zh if lang == "zh" else ind.definition_en,
                t("source", lang): ind.source,
                t("weight", lang): ind.weight,
                t("publication", lang): t(f"publication_{ind.publication}", lang),
            }
        )
    table = pd.DataFrame(rows)
    if query and not table.empty:
        needle = query.lower()
        table = table[table.apply(lambda r: needle in " ".join(map(str, r.values)).lower(), axis=1)]
    st.caption(t("catalog_count", lang, shown=len(table), total=len(visible)) + " · " + t("estimate_note", lang))
    if table.empty:
        st.info(t("no_indicator_matches", lang))
    else:
        wide = {
            t("indicator", lang): 260,
            t("target", lang): 220,
            t("formula", lang): 240,
            t("definition", lang): 480,
            t("source", lang): 260,
        }
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=min(38 * (len(table) + 1), 760),
            column_config={name: st.column_config.TextColumn(width=px) for name, px in wide.items()},
        )


catalog_section()
