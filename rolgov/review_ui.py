"""The 从报告导入 section of the data page: a report (upload or pasted text) in; reviewed values loaded as one batch.

Steps on screen: read the report (etl.extract), confirm region and year, accept / correct / reject
each candidate beside its sentence, then the reviewed rows become a long file (rolgov.review) that is
checked and committed through rolgov.intake exactly like an uploaded workbook. Nothing is written
before the person presses the commit button.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from etl.extract import ExtractError, extract
from etl.extract import candidates as K
from rolgov import intake, review
from rolgov import regions as R
from rolgov.catalog import Catalog
from rolgov.i18n import t

REPORT_TYPES = ["html", "htm", "txt", "docx", "pdf"]
EDITABLE = ["状态", "指标", "数值", "限定", "地区", "年份"]


def _status_labels(lang: str) -> dict[str, str]:
    return {s: t(f"ri_status_{s}", lang) for s in K.STATUSES}


@st.cache_data(show_spinner=False, max_entries=8)
def _extract(name: str, data: bytes, region: str | None, year: int | None, _catalog: Catalog):
    """Candidates of one report (cached by its bytes, region and year): (table, place, problems) or an error."""
    try:
        result = extract(name, _catalog, region=region or None, year=year, display_name=name, data=data)
    except ExtractError as exc:
        return None, None, [str(exc)]
    place = {
        "code": result.place.code,
        "name": result.place.name,
        "year": result.place.year,
        "kind": result.place.kind,
        "issuer": result.place.issuer,
        "issuer_name": result.place.issuer_name,
        "format": result.tables.format,
        "basis": result.place.basis,
    }
    return K.frame(result, _catalog), place, result.problems


def _report_input(lang: str) -> tuple[str, bytes] | None:
    source = st.radio(
        t("ri_source", lang), ["upload", "paste"], horizontal=True, key="ri_source",
        format_func=lambda s: t(f"ri_source_{s}", lang),
    )  # fmt: skip
    if source == "upload":
        upload = st.file_uploader(t("ri_upload", lang), type=REPORT_TYPES, key="ri_upload")
        return (intake.display_name(upload.name), upload.getvalue()) if upload else None
    text = st.text_area(t("ri_paste", lang), height=220, key="ri_paste")
    name = st.text_input(t("ri_paste_name", lang), value=t("ri_paste_default", lang), key="ri_paste_name")
    if not text.strip():
        return None
    return intake.display_name(name if name.endswith(".txt") else name + ".txt"), text.encode("utf-8")


def report_import_tab(catalog: Catalog, db_path, user, allowed: set[str] | None, lang: str) -> None:
    """Draw the whole section; `allowed` limits the regions an editor may load (None: every region)."""
    st.caption(t("ri_intro", lang))
    got = _report_input(lang)
    if got is None:
        return
    name, data = got
    digest = hashlib.sha256(data).hexdigest()[:16]
    left, right = st.columns(2)
    region = left.text_input(t("ri_region", lang), key=f"ri_region_{digest}", help=t("ri_region_help", lang))
    year_text = right.text_input(t("ri_year", lang), key=f"ri_year_{digest}", help=t("ri_region_help", lang))
    year = int(year_text) if year_text.strip().isdigit() else None
    table, place, problems = _extract(name, data, region.strip() or None, year, catalog)
    if table is None:
        st.error(problems[0] + "\n\n" + t("ri_nothing", lang), icon="🚫")
        return
    kind = t(f"ri_kind_{place['kind']}", lang)
    st.markdown(
        t("ri_found", lang).format(
            kind=kind,
            region=f"{R.name_of(place['code'], place['year'], lang)}（{place['code']}）" if place["code"] else "？",
            year=place["year"] or "？",
            issuer=place["issuer_name"] or "—",
            format=place["format"] or "—",
        )
    )
    st.caption(" · ".join(place["basis"]))
    for line in problems:
        st.warning(line, icon="⚠️")
    key = f"ri_table_{digest}_{region}_{year}"
    if key not in st.session_state:
        table = table.copy()
        table["名称"] = [catalog[i].name(lang) if i else "" for i in table["指标"]]  # shown only; 指标 is the id
        st.session_state[key] = table
    mapped = st.session_state[key]["指标"] != ""
    labels = _status_labels(lang)
    config = {
        "状态": st.column_config.SelectboxColumn(t("ri_col_status", lang), options=list(K.STATUSES), required=True),
        "指标": st.column_config.SelectboxColumn(t("ri_col_indicator", lang), options=["", *[i.id for i in catalog]]),
        "数值": st.column_config.TextColumn(t("ri_col_value", lang)),
        "限定": st.column_config.TextColumn(t("ri_col_qualifier", lang), help=t("ri_qualifier_help", lang)),
        "地区": st.column_config.TextColumn(t("ri_col_region", lang)),
        "年份": st.column_config.TextColumn(t("ri_col_year", lang)),
        "名称": st.column_config.TextColumn(t("ri_col_name", lang), disabled=True),
        "备注": st.column_config.TextColumn(t("ri_col_sentence", lang), disabled=True, width="large"),
        "核对": st.column_config.TextColumn(t("ri_col_check", lang), disabled=True),
    }
    shown = ["状态", "名称", "数值", "限定", "地区", "年份", "核对", "备注", "指标"]
    st.caption(t("ri_review_help", lang).format(**labels))
    if st.button(t("ri_accept_exact", lang), key=f"ri_accept_{digest}"):
        frame = st.session_state[key]
        ready = (frame["指标"] != "") & (frame["限定"] == "exact") & (frame["状态"] == "proposed")
        frame.loc[ready, "状态"] = "accepted"
        st.session_state[key] = frame
    edited_mapped = st.data_editor(
        st.session_state[key][mapped][shown], column_config=config, hide_index=True, width="stretch",
        disabled=["名称", "备注", "核对"], key=f"{key}_mapped",
    )  # fmt: skip
    with st.expander(t("ri_unmapped", lang).format(n=int((~mapped).sum()))):
        edited_rest = st.data_editor(
            st.session_state[key][~mapped][shown], column_config=config, hide_index=True, width="stretch",
            disabled=["名称", "备注", "核对"], key=f"{key}_rest",
        )  # fmt: skip
    reviewed = st.session_state[key].copy()
    for part in (edited_mapped, edited_rest):
        reviewed.loc[part.index, EDITABLE] = part[EDITABLE]
    st.download_button(
        t("ri_download_candidates", lang), K.to_csv_bytes(reviewed), f"{name.rsplit('.', 1)[0]}_候选.csv",
        mime="text/csv", on_click="ignore", key=f"ri_dl_{digest}",
    )  # fmt: skip
    if not user.can_load:
        st.info(t("ri_viewer", lang), icon="👁️")
        return
    if not st.button(t("ri_prepare", lang), type="primary", key=f"ri_prepare_{digest}"):
        staged = st.session_state.get("ri_staged")
        if staged is None or staged[0] != digest:
            return
    else:
        try:
            final = review.finalize(reviewed, catalog)
        except review.ReviewRefused as exc:
            st.error(str(exc), icon="🚫")
            return
        body = final.table.to_csv(index=False).encode("utf-8-sig")
        staged_item = intake.stage(final.file_name, body, catalog, db_path, allowed)
        st.session_state["ri_staged"] = (digest, staged_item, final.skipped, body)
    _, item, skipped, body = st.session_state["ri_staged"]
    for line in skipped:
        st.caption("· " + line)
    if not item.ok:
        st.error(t("ri_check_failed", lang), icon="🚫")
        st.dataframe(intake.problem_table(item.problems, lang), hide_index=True, width="stretch")
        return
    counts = item.counts
    st.success(t("ri_ready", lang).format(file=item.name, n=item.values, **counts), icon="✅")
    st.download_button(
        t("ri_download_long", lang), body, item.name, mime="text/csv", on_click="ignore", key=f"ri_long_{digest}"
    )
    if st.button(t("ri_commit", lang), type="primary", key=f"ri_commit_{digest}"):
        try:
            results = intake.commit([item], catalog, db_path, user.name, allowed, lang=lang)
        except intake.StalePreview as exc:
            st.warning(str(exc), icon="⚠️")
            st.session_state.pop("ri_staged", None)
            return
        result = results[0]
        st.session_state.pop("ri_staged", None)
        if result.status == "loaded":
            st.success(
                t("ri_loaded", lang).format(batch=result.batch_id, new=result.rows_new, changed=result.rows_changed)
            )
        elif result.status == "unchanged":
            st.info(t("ri_unchanged", lang).format(batch=result.batch_id))
        else:
            st.error(f"{result.problems['message'].iloc[0]}")
