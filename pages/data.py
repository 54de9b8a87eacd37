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
zh = lang == "zh"
user = account.session_user()  # checked again here: this page must never act for a stale session
if user is None:
    st.info("数据管理需要登录。/ Sign in to manage data.", icon="🔒")
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
    return f"{R.name_of(code, None, lang)}（{code}）" if zh else f"{R.name_of(code, None, lang)} ({code})"


def template_section() -> None:
    st.subheader("① 下载填报模板" if zh else "① Submission template", anchor=False)
    default_year = intake.reporting_year()
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    codes = intake.template_codes(ctx.scope, default_year, allowed)
    region = left.selectbox("地区" if zh else "Region", codes, format_func=region_text, key="tpl_region")
    year = int(
        middle.number_input(
            "年度" if zh else "Year", min_value=2000, max_value=2100, value=default_year, step=1, key="tpl_year"
        )
    )
    right.download_button(
        "下载模板" if zh else "Download template",
        functools.partial(intake.template_bytes, catalog, region, year),  # built on click
        intake.template_name(region, year),
        mime=XLSX,
        icon="⬇️",
        on_click="ignore",
    )


def show_problems(item: intake.Staged, number: int) -> None:
    problems = item.problems.to_dict("records")
    total = item.total_problems
    head = (
        f"**{plain(item.name)}**：{total:,} 个问题，整个文件不会导入 / "
        f"{total:,} problem(s): nothing in this file will be loaded"
    )
    if item.file_level:  # about the whole file: say it in the box
        fix = "修改" if zh else "Fix"
        lines = [f"{plain(p['message'])}  \n{fix}：{plain(p['fix'])}" for p in problems[:5]]
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
            "下载标注了问题的工作簿（发回区县修改）" if zh else "Download the annotated workbook",
            item.annotated,
            f"{item.name.rsplit('.', 1)[0]}_问题标注.xlsx",
            mime=XLSX,
            icon="📝",
            on_click="ignore",
            key=f"annotated_{number}",
        )


def show_preview(item: intake.Staged) -> None:
    counts = item.counts
    st.success(
        f"**{plain(item.name)}**：{item.values:,} 个数值通过校验，{item.blank:,} 个空白（未填报）/ "
        f"{item.values:,} value(s) passed the checks, {item.blank:,} blank",
        icon="✅",
    )
    if item.same_as_batch is not None:
        st.info(
            f"与批次 {item.same_as_batch} 是同一文件，确认导入也不会有任何改动。/ "
            f"Same file as batch {item.same_as_batch}: committing it changes nothing."
        )
    new, changed, unchanged = st.columns(3)
    new.metric("新增" if zh else "New", counts["new"])
    changed.metric("修改（原值 → 新值）" if zh else "Changed (old → new)", counts["changed"])
    unchanged.metric("未变" if zh else "Unchanged", counts["unchanged"])
    st.dataframe(intake.region_year_summary(item.summary, lang), hide_index=True, width="stretch")
    title = "**" + ("修改的数值" if zh else "Changed values") + "**"
    lines = intake.change_lines(item.changes, catalog, lang)
    if 0 < len(lines) <= 12:  # a few changes read best as sentences
        st.markdown(title + "\n\n" + "\n".join(f"- {line}" for line in lines))
    elif lines:
        st.markdown(title)
        listed(counts["changed"], len(lines))
        st.dataframe(intake.change_table(item.changes, catalog, lang, "changed"), hide_index=True, width="stretch")
    if counts["new"]:
        with st.expander(f"新增的数值（{counts['new']}）" if zh else f"New values ({counts['new']})"):
            table = intake.change_table(item.changes, catalog, lang, "new")
            listed(counts["new"], len(table))
            st.dataframe(table, hide_index=True, width="stretch")


def listed(total: int, shown: int) -> None:
    if total > shown:
        st.caption(t("changes_listed", lang).format(total=total, listed=shown))


def commit_or_cancel(staged: list[intake.Staged], shown_version: str | None) -> None:
    ready = [item for item in staged if item.ok]
    if len(ready) < len(staged):
        st.caption(
            "有问题的文件不会导入；其余文件可以先导入。/ Files with problems are skipped; the others can be loaded."
        )
    left, right = st.columns([1, 4])
    confirm = left.button(
        f"确认导入（{len(ready)} 个文件）" if zh else f"Commit {len(ready)} file(s)",
        type="primary",
        disabled=not ready,
        key="commit",
    )
    if right.button("取消" if zh else "Cancel", key="cancel"):
        start_over()
        flash("info", "已取消，数据未做任何改动。/ Cancelled: nothing was changed.")
        st.rerun()
    if not confirm:
        return
    try:
        results = intake.commit(ready, catalog, db_path, user.name, allowed, shown_version)
    except intake.StalePreview as exc:
        st.warning(str(exc), icon="⚠️")  # the preview above is already the new one
        return
    for r in results:
        if r.status == "loaded":
            flash(
                "success",
                f"✓ {plain(r.file)} → 批次 {r.batch_id}：新增 {r.rows_new}，修改 {r.rows_changed}，"
                f"未变 {r.rows_unchanged}（导入人 {plain(user.name)}）/ batch {r.batch_id}: {r.rows_new} new, "
                f"{r.rows_changed} changed",
            )
        elif r.status == "unchanged":
            flash(
                "info",
                f"{plain(r.file)} 与批次 {r.batch_id} 是同一文件，未做改动。/ "
                f"same as batch {r.batch_id}; nothing changed.",
            )
        else:  # checked again inside the write and refused (e.g. a component check against new data)
            flash("error", f"{plain(r.file)} 未导入：{plain(r.problems['message'].iloc[0])} / not loaded")
    start_over()
    st.rerun()


def load_tab() -> None:
    if not user.can_load:
        st.info(
            "查看者可以查看导入历史和填报完整性，不能导入或回滚数据；如需导入，请联系管理员。/ "
            "Viewers can see the history and completeness, but cannot load or roll back data.",
            icon="👁️",
        )
        return
    everything = "全部地区" if zh else "every region"
    st.caption(
        ("可导入的地区：" if zh else "You may load: ")
        + (everything if allowed is None else "、".join(region_text(c) for c in sorted(allowed)))
    )
    intake.warm_up()  # the checking child's fork server starts while the user picks a file
    template_section()
    st.subheader("② 上传并核对" if zh else "② Upload and check", anchor=False)
    files = st.file_uploader(
        f"上传 .xlsx 或 .csv（可多选，每个不超过 {intake.MAX_UPLOAD_MB} MB）"
        if zh
        else f"Upload .xlsx or .csv files (several at once, {intake.MAX_UPLOAD_MB} MB each at most)",
        type=["xlsx", "xls", "csv"],
        accept_multiple_files=True,
        key=f"upload_{st.session_state.get('upload_round', 0)}",
        help="先核对，确认后才写入数据库；有任何问题的文件整体不导入。/ Nothing is written until you confirm; "
        "a file with any problem is not loaded at all.",
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
        st.info("尚无导入批次。/ No batches yet.")
    else:
        # neutralised: file and user names come from people, and Streamlit's own CSV download keeps formulas
        st.dataframe(
            export.neutralised(table), hide_index=True, width="stretch", height=min(38 * (len(table) + 1), 420)
        )
    st.subheader("回滚批次" if zh else "Roll back a batch", anchor=False)
    if not user.is_admin:
        st.info("只有管理员可以回滚批次。/ Only administrators can roll a batch back.")
        return
    live = intake.live_batches(db_path)
    labels = {
        int(r.batch_id): f"#{r.batch_id} {r.file_name}（{r.loaded_by}，{r.loaded_at:%Y-%m-%d %H:%M}）"
        for r in live.itertuples()
    }
    choose = "（请选择）" if zh else "(choose)"
    pick = st.selectbox(
        "选择批次" if zh else "Batch",
        [None, *labels],
        format_func=lambda b: choose if b is None else labels[b],
        key=f"rollback_{st.session_state.get('rollback_round', 0)}",
    )
    if pick is None:
        return
    counts, effect = intake.rollback_preview(db_path, pick, catalog, lang)
    st.warning(
        f"回滚批次 {pick} 将：{counts['restored']} 个数值恢复为旧值，{counts['removed']} 个数值移除，"
        f"{counts['unchanged']} 个不变；合计与计算指标随之重算。批次记录保留在历史中。/ "
        f"Rolling back batch {pick}: {counts['restored']} value(s) return to the old value, "
        f"{counts['removed']} removed, {counts['unchanged']} unchanged.",
        icon="⚠️",
    )
    st.dataframe(effect, hide_index=True, width="stretch", height=min(38 * (len(effect) + 1), 420))
    if not st.button(
        f"确认回滚批次 {pick}" if zh else f"Roll back batch {pick}", type="primary", key="rollback_confirm"
    ):
        return
    try:
        intake.rollback(db_path, pick, catalog, user=user.name)
    except ValueError as exc:
        st.error(str(exc))
        return
    st.session_state["rollback_round"] = st.session_state.get("rollback_round", 0) + 1
    flash(
        "success",
        f"✓ 已回滚批次 {pick}：{counts['restored']} 个数值恢复为旧值，{counts['removed']} 个移除"
        f"（操作人 {plain(user.name)}）/ batch {pick} rolled back",
    )
    st.rerun()


def completeness_tab() -> None:
    this_year = intake.reporting_year()
    years = sorted(set(ctx.years) | {this_year}, reverse=True)
    year = st.selectbox(
        "年度" if zh else "Year",
        years,
        index=years.index(this_year),
        key="status_year",
        format_func=lambda y: f"{y}年" if zh else str(y),
    )
    status = intake.cached_submission_status(db_path, catalog, ctx.scope, year, lang)
    done = int((status.iloc[:, 1] == ("是" if zh else "yes")).sum())
    st.markdown(
        f"**{year}{'年' if zh else ''}**：{done}/{len(status)} " + ("个地区已提交" if zh else "regions have submitted")
    )
    st.dataframe(status, hide_index=True, width="stretch")
    st.caption(
        "应填指标按各地区的填报模板计算：区县填全部基础指标，市本级填适用于本级的指标，"
        "全市只填不能加总的指标。/ Expected indicators follow each region's template."
    )


def users_tab() -> None:
    active, disabled = ("有效", "停用") if zh else ("active", "disabled")
    rows = [
        {
            "用户" if zh else "user": name,
            "角色" if zh else "role": auth.ROLE_LABELS[e["role"]][0 if zh else 1],
            "地区" if zh else "regions": "、".join(region_text(c) for c in e.get("regions", ()))
            or (("全部" if zh else "all") if e["role"] == "admin" else "—"),
            "状态" if zh else "state": disabled if e.get("disabled") else active,
            "邮箱（单点登录）" if zh else "e-mail (SSO)": e.get("email") or "",
        }
        for name, e in sorted(auth.store().entries().items())
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(
        "新增、停用、启用、改角色、重置密码请用命令行 / manage users on the command line: "
        "`python -m rolgov.users add NAME --role editor --regions 610902` · `disable` · `enable` · "
        "`set-role` · `reset-password` · `list`"
    )


sections = [
    ("导入数据", "Load data", load_tab),
    ("导入历史", "History", history_tab),
    ("填报完整性", "Completeness", completeness_tab),
]
sections.insert(  # report import: a published report in, reviewed values loaded as one batch
    1,
    (t("ri_tab", "zh"), t("ri_tab", "en"), lambda: review_ui.report_import_tab(catalog, db_path, user, allowed, lang)),
)
if user.is_admin:
    sections.append(("用户", "Users", users_tab))
tabs = st.tabs(
    [zh_name if zh else en_name for zh_name, en_name, _ in sections], key="data_tab", on_change="rerun"
)  # tracked, so a rerun stays on its tab and only that tab runs
for tab, (_, _, draw) in zip(tabs, sections, strict=True):
    if tab.open:
        with tab:
            draw()
