"""数据管理 Data management: template, upload with inline problems, preview, commit or cancel; history
and rollback; completeness of the reporting year; the users (admins). Always behind sign-in.
Text that came from people (file names, cell values) is shown through account.plain: never Markdown."""

import functools

import streamlit as st

from etl import problems as P
from rolgov import account, auth, db, export, intake, review_ui, ui
from rolgov import regions as R
from rolgov.account import plain
from rolgov.i18n import t

ctx = ui.context()
catalog = ui.get_catalog()
ui.header("data", ctx)
lang = ctx.lang
user = account.session_user()  # checked again here: this page must never act for a stale session
if user is None:
    st.info(t("dp_signin", lang), icon="🔒")
    account.sign_in_form("signin_data", lang)
    st.stop()

db_path = db.DEFAULT_DB
allowed = auth.allowed_regions(user)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
for kind, text in st.session_state.pop("data_flash", []):
    getattr(st, kind)(text)


def flash(kind: str, text: str) -> None:
    """A message shown at the top after the rerun that follows a commit, cancel or rollback."""
    st.session_state.setdefault("data_flash", []).append((kind, text))


def start_over() -> None:
    """Forget the uploads and their previews: a new uploader key drops the files from the widget."""
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.session_state["staged"] = {}


def region_text(code: str) -> str:
    return t("dp_region_option", lang, name=R.name_of(code, None, lang), code=code)


def template_section() -> None:
    st.subheader(t("dp_template_heading", lang), anchor=False)
    default_year = intake.reporting_year()
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    codes = intake.template_codes(ctx.scope, default_year, allowed)
    region = left.selectbox(t("region", lang), codes, format_func=region_text, key="tpl_region")
    year = int(
        middle.number_input(t("year", lang), min_value=2000, max_value=2100, value=default_year, step=1, key="tpl_year")
    )
    right.download_button(
        t("dp_template_download", lang),
        functools.partial(intake.template_bytes, catalog, region, year),  # built on click
        intake.template_name(region, year, lang),
        mime=XLSX,
        icon="⬇️",
        on_click="ignore",
    )


def show_problems(item: intake.Staged, number: int) -> None:
    problems = item.problems.to_dict("records")
    total = item.total_problems
    head = t("dp_problems_head", lang, name=plain(item.name), total=total)
    if item.file_level:  # about the whole file: say it in the box
        lines = [t("dp_fix_line", lang, message=plain(p["message"]), fix=plain(p["fix"])) for p in problems[:5]]
        st.error(head + "\n\n" + "\n\n".join(lines), icon="🚫")
    else:
        table = intake.problem_table(item.problems, lang)
        st.error(head, icon="🚫")
        if total > len(problems):
            by_rule = t("by_rule", lang) + plain(P.count_parts(item.problem_counts))
            st.caption(t("problems_listed", lang).format(total=total, listed=len(problems), by_rule=by_rule))
        if len(table) <= 30:  # a static table wraps the long wording; it renders Markdown, so cells are escaped
            st.table(table.map(plain), hide_index=True)
        else:
            st.dataframe(export.neutralised(table), hide_index=True, width="stretch", height=420)
    if item.annotated:
        st.download_button(
            t("dp_annotated_download", lang),
            item.annotated,
            t("dp_annotated_file", lang, stem=item.name.rsplit(".", 1)[0]),
            mime=XLSX,
            icon="📝",
            on_click="ignore",
            key=f"annotated_{number}",
        )


def show_preview(item: intake.Staged) -> None:
    counts = item.counts
    st.success(t("dp_passed", lang, name=plain(item.name), values=item.values, blank=item.blank), icon="✅")
    if item.same_as_batch is not None:
        st.info(t("dp_same_file", lang, batch=item.same_as_batch))
    new, changed, unchanged = st.columns(3)
    new.metric(t("dp_new", lang), counts["new"])
    changed.metric(t("dp_changed", lang), counts["changed"])
    unchanged.metric(t("dp_unchanged", lang), counts["unchanged"])
    st.dataframe(intake.region_year_summary(item.summary, lang), hide_index=True, width="stretch")
    title = "**" + t("dp_changed_values", lang) + "**"
    lines = intake.change_lines(item.changes, catalog, lang)
    if 0 < len(lines) <= 12:  # a few changes read best as sentences
        st.markdown(title + "\n\n" + "\n".join(f"- {line}" for line in lines))
    elif lines:
        st.markdown(title)
        listed(counts["changed"], len(lines))
        st.dataframe(intake.change_table(item.changes, catalog, lang, "changed"), hide_index=True, width="stretch")
    if counts["new"]:
        with st.expander(t("dp_new_values", lang, n=counts["new"])):
            table = intake.change_table(item.changes, catalog, lang, "new")
            listed(counts["new"], len(table))
            st.dataframe(table, hide_index=True, width="stretch")


def listed(total: int, shown: int) -> None:
    if total > shown:
        st.caption(t("changes_listed", lang).format(total=total, listed=shown))


def commit_or_cancel(staged: list[intake.Staged], shown_version: str | None) -> None:
    ready = [item for item in staged if item.ok]
    if len(ready) < len(staged):
        st.caption(t("dp_skipped_files", lang))
    left, right = st.columns([1, 4])
    confirm = left.button(
        t("dp_commit", lang, n=len(ready)),
        type="primary",
        disabled=not ready,
        key="commit",
    )
    if right.button(t("dp_cancel", lang), key="cancel"):
        start_over()
        flash("info", t("dp_cancelled", lang))
        st.rerun()
    if not confirm:
        return
    try:
        results = intake.commit(ready, catalog, db_path, user.name, allowed, shown_version, lang)
    except intake.StalePreview as exc:
        st.warning(str(exc), icon="⚠️")  # the preview above is already the new one
        return
    for r in results:
        if r.status == "loaded":
            counts = {"new": r.rows_new, "changed": r.rows_changed, "unchanged": r.rows_unchanged}
            flash(
                "success", t("dp_loaded", lang, file=plain(r.file), batch=r.batch_id, user=plain(user.name), **counts)
            )
        elif r.status == "unchanged":
            flash("info", t("dp_unchanged_file", lang, file=plain(r.file), batch=r.batch_id))
        else:  # checked again inside the write and refused (e.g. a component check against new data)
            problem = plain(r.problems["message"].iloc[0])
            flash("error", t("dp_not_loaded", lang, file=plain(r.file), problem=problem))
    start_over()
    st.rerun()


def load_tab() -> None:
    if not user.can_load:
        st.info(t("dp_viewer", lang), icon="👁️")
        return
    regions = t("dp_list_sep", lang).join(region_text(c) for c in sorted(allowed or ()))
    st.caption(t("dp_may_load", lang, regions=t("dp_every_region", lang) if allowed is None else regions))
    intake.warm_up()  # the checking child's fork server starts while the user picks a file
    template_section()
    st.subheader(t("dp_upload_heading", lang), anchor=False)
    files = st.file_uploader(
        t("dp_upload_label", lang, mb=intake.MAX_UPLOAD_MB),
        type=["xlsx", "xls", "csv"],
        accept_multiple_files=True,
        key=f"upload_{st.session_state.get('upload_round', 0)}",
        help=t("dp_upload_help", lang),
    )
    # Each file is checked once per database version; a new version (someone loaded) checks it again.
    shown_version = st.session_state.get("preview_version")  # what the previews on screen were made against
    st.session_state["preview_version"] = ctx.version
    cache = st.session_state.get("staged", {})
    keys = [(upload.file_id, ctx.version) for upload in files or []]
    for key, upload in zip(keys, files or [], strict=True):
        if key not in cache:
            with st.spinner(t("checking", lang).format(name=intake.display_name(upload.name))):
                cache[key] = intake.stage(upload.name, upload.getvalue(), catalog, db_path, allowed)
    st.session_state["staged"] = {key: cache[key] for key in keys}
    staged = [cache[key] for key in keys]
    for number, item in enumerate(staged):
        with st.container(border=True):
            if item.ok:
                show_preview(item)
            else:
                show_problems(item, number)
    if staged:
        commit_or_cancel(staged, shown_version)


def history_tab() -> None:
    table = intake.cached_history_table(db_path, lang)
    if table.empty:
        st.info(t("dp_no_batches", lang))
    else:
        # neutralised: file and user names come from people, and Streamlit's own CSV download keeps formulas
        st.dataframe(
            export.neutralised(table), hide_index=True, width="stretch", height=min(38 * (len(table) + 1), 420)
        )
    st.subheader(t("dp_rollback_heading", lang), anchor=False)
    if not user.is_admin:
        st.info(t("dp_admins_only", lang))
        return
    live = intake.live_batches(db_path)
    labels = {
        int(r.batch_id): t(
            "dp_batch_option",
            lang,
            batch=r.batch_id,
            file=r.file_name,
            by=r.loaded_by,
            at=f"{r.loaded_at:%Y-%m-%d %H:%M}",
        )
        for r in live.itertuples()
    }
    choose = t("dp_choose", lang)
    pick = st.selectbox(
        t("dp_batch_label", lang),
        [None, *labels],
        format_func=lambda b: choose if b is None else labels[b],
        key=f"rollback_{st.session_state.get('rollback_round', 0)}",
    )
    if pick is None:
        return
    counts, effect = intake.rollback_preview(db_path, pick, catalog, lang)
    st.warning(t("dp_rollback_effect", lang, batch=pick, **counts), icon="⚠️")
    st.dataframe(effect, hide_index=True, width="stretch", height=min(38 * (len(effect) + 1), 420))
    if not st.button(t("dp_rollback_confirm", lang, batch=pick), type="primary", key="rollback_confirm"):
        return
    try:
        intake.rollback(db_path, pick, catalog, user=user.name)
    except ValueError as exc:
        st.error(str(exc))
        return
    st.session_state["rollback_round"] = st.session_state.get("rollback_round", 0) + 1
    flash("success", t("dp_rolled_back", lang, batch=pick, user=plain(user.name), **counts))
    st.rerun()


def completeness_tab() -> None:
    this_year = intake.reporting_year()
    years = sorted(set(ctx.years) | {this_year}, reverse=True)
    year = st.selectbox(
        t("year", lang),
        years,
        index=years.index(this_year),
        key="status_year",
        format_func=lambda y: t("year_option", lang, year=y),
    )
    status = intake.cached_submission_status(db_path, catalog, ctx.scope, year, lang)
    done = int((status.iloc[:, 1] == t("dp_yes", lang)).sum())
    st.markdown(t("dp_submitted", lang, year=year, done=done, total=len(status)))
    st.dataframe(status, hide_index=True, width="stretch")
    st.caption(t("dp_expected_note", lang))


def users_tab() -> None:
    rows = [
        {
            t("dp_col_user", lang): name,
            t("dp_col_role", lang): auth.ROLE_LABELS[e["role"]][0 if lang == "zh" else 1],
            t("dp_col_regions", lang): t("dp_list_sep", lang).join(region_text(c) for c in e.get("regions", ()))
            or (t("dp_all", lang) if e["role"] == "admin" else "—"),
            t("dp_col_state", lang): t("dp_disabled" if e.get("disabled") else "dp_active", lang),
            t("dp_col_email", lang): e.get("email") or "",
        }
        for name, e in sorted(auth.store().entries().items())
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    commands = (
        "`python -m rolgov.users add NAME --role editor --regions 610902` · `disable` · `enable` · "
        "`set-role` · `reset-password` · `list`"
    )
    st.caption(t("dp_users_help", lang, commands=commands))


sections = [
    ("dp_tab_load", load_tab),
    # report import: a published report in, reviewed values loaded as one batch
    ("ri_tab", lambda: review_ui.report_import_tab(catalog, db_path, user, allowed, lang)),
    ("dp_tab_history", history_tab),
    ("dp_tab_completeness", completeness_tab),
]
if user.is_admin:
    sections.append(("dp_tab_users", users_tab))
# tracked, so a rerun stays on its tab and only that tab runs
tabs = st.tabs([t(key, lang) for key, _ in sections], key="data_tab", on_change="rerun")
for tab, (_, draw) in zip(tabs, sections, strict=True):
    if tab.open:
        with tab:
            draw()
