"""Streamlit plumbing every page shares: the sidebar and the page frame, tiles, tables, charts, downloads.

Reads live in rolgov/reads.py and filters kept in the URL in rolgov/links.py; the names other pages use
(get_catalog, cursor, batch_labels, values, version, url_select ...) are imported here, so ui stays the one
entry point of a page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from rolgov import account, auth, charts, export, fmt, navigation, scopes
from rolgov import catalog as catalog_mod
from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.i18n import LANGS, page_title, t
from rolgov.links import (  # noqa: F401  the filters pages use, through ui
    current_lang,
    literal,
    md_escape,
    say,
    show_notices,
    url_get,
    url_multiselect,
    url_select,
    url_set,
    url_text,
    url_toggle,
    view_params,
)
from rolgov.reads import (  # noqa: F401  the reads pages use, through ui
    batch_labels,
    cursor,
    data_years,
    files_fingerprint,
    get_catalog,
    indicator_series,
    latest_batches,
    memo,
    reported_matrix,
    sample_share,
    scope_values,
    scopes_with_data,
    scores,
    statuses,
    unit_scores,
    unit_statuses,
    units_values,
    values,
    version,
    year_values,
)


@dataclass
class Context:
    lang: str
    scope: str  # root code, e.g. 610900
    year: int | None
    years: list[int]
    signed_in: bool
    version: str

    def scope_name(self) -> str:
        if self.scope == scopes.COUNTRY:
            return t("map_country", self.lang)
        return R.name_of(self.scope, self.year, self.lang)


# ── the sidebar and the page frame ───────────────────────────────────────────────────────────
def style() -> None:
    """Styles the pages share: parts for wide screens or phones only, tiles whose names wrap."""
    with st.sidebar:
        st.html(
            "<style>"
            "@media (max-width: 640px) { div[class*='st-key-wide_'] { display: none !important; } }"
            "@media (min-width: 641px) { div[class*='st-key-narrow_'] { display: none !important; } }"
            # a wide Markdown table scrolls sideways inside the page instead of running past its edge
            "[data-testid='stMarkdownContainer'] table { display: block; overflow-x: auto; max-width: 100%; }"
            # headers wrap only where static_table put a break point, two characters at a time; on a desk a
            # row's Chinese name stays whole (旬阳市, not 旬阳 / 市), an English one wraps between words
            "[data-testid='stMarkdownContainer'] table th { word-break: keep-all; }"
            # and in a column static_table was told holds names, at every width
            + "".join(
                f"div[class*='st-key-names{n}_'] table td:nth-child({n}) {{ word-break: keep-all; }}"
                for n in range(1, NAME_COLUMNS + 1)
            )
            + "@media (min-width: 641px) { [data-testid='stMarkdownContainer'] table td:first-child "
            "{ word-break: keep-all; }"
            # and a table of nine columns or more (区县对比's composite scores: 13) is set a size smaller, so
            # that in English too it fits a desk's page without scrolling sideways
            " [data-testid='stMarkdownContainer'] table:has(th:nth-child(9)) :is(th, td) "
            "{ padding: 0.35rem; font-size: 0.8rem; } }"
            # on a phone, Chinese would wrap a narrow column one character a line: keep columns readable
            "@media (max-width: 640px) { [data-testid='stMarkdownContainer'] table :is(td, th) { min-width: 4.5em; }"
            " [data-testid='stMarkdownContainer'] table :is(td, th):first-child { min-width: 8em; } }"
            # a tile's name wraps onto a second line instead of ending in "…"
            "div[class*='st-key-tile_'] [data-testid='stMetricLabel'] * { white-space: normal !important; "
            "overflow: visible !important; text-overflow: clip !important; }"
            "div[class*='st-key-tile_'] [data-testid='stMetricLabel'] { height: auto !important; min-height: 2.7em; "
            "font-weight: 600; }"
            "</style>"
        )


def sidebar() -> Context:
    """Global controls (scope, year, language), kept in the URL, and the account box; stores the context.

    With ROLGOV_REQUIRE_LOGIN=1 and nobody signed in, the page shows only the sign-in form.
    """
    st.session_state["_notices"], st.session_state["_header_done"] = [], False
    ver = version()
    lang = current_lang()
    user = account.session_user()
    shut = user is None and auth.require_login()
    with st.sidebar:
        lang = url_select(t("language", lang), list(LANGS), "lang", "zh", format_func=LANGS.get, odd="odd_lang")
        scope, years, year = R.DEFAULT_SCOPE, [], None
        if not shut:
            scope = scope_select(ver, lang)
            years = data_years(ver, (scope, *scopes.children(scope)))
            year = (
                url_select(
                    t("year", lang),
                    list(reversed(years)),
                    "year",
                    years[-1] if years else None,
                    format_func=lambda y: t("year_option", lang, year=y),
                )
                if years
                else None
            )
        account.account_box(user, lang, show_form=not shut)
    ctx = Context(lang=lang, scope=scope, year=year, years=years, signed_in=user is not None, version=ver)
    if shut:  # no context is stored, so no page can run on a stale one
        st.session_state.pop("ctx", None)
        navigation.title_slot().empty()
        account.sign_in_page(lang)
        st.stop()
    st.session_state["ctx"] = ctx
    return ctx


def scope_select(ver: str, lang: str) -> str:
    """The scope selectbox (?scope=code): the country and the provinces and cities with data, a province just
    above its cities; under it a search by name, pinyin or code that opens any other unit (a unit without
    data opens to the no-data state every page shows). The default is ROLGOV_SCOPE (安康市)."""
    offered = scopes.offered(scopes_with_data(ver))
    below_country = [c for c in offered if c != scopes.COUNTRY]
    default = R.DEFAULT_SCOPE if R.DEFAULT_SCOPE in offered or not below_country else below_country[0]
    # a unit from a link, the search or this session is offered too, with or without data
    asked = [st.query_params.get("scope"), st.session_state.get("w_scope"), url_get("scope"), default]
    extra = [c for c in dict.fromkeys(asked) if isinstance(c, str) and c not in offered and scopes.known(c)]
    options = offered + extra
    # a county (found by search, or from a link) may have data without being a total: ask the database
    empty = {c for c in extra if not data_years(ver, (c, *scopes.children(c)))}

    def option(code: str) -> str:
        name = scopes.label(code, lang)
        return t("scope_no_data_option", lang, name=name) if code in empty else name

    scope = url_select(t("scope", lang), options, "scope", default, format_func=option)
    text = st.text_input(
        t("scope_search", lang),
        key="w_scope_search",
        placeholder=t("scope_search_placeholder", lang),
        help=t("scope_search_help", lang),
    ).strip()
    if text:
        hits = scopes.search(text, lang, limit=30)
        if hits:
            st.selectbox(
                t("scope_search_results", lang, n=len(hits)),
                hits,
                index=None,
                placeholder=t("scope_search_pick", lang),
                format_func=lambda c: scopes.label(c, lang),
                key="w_scope_found",
                on_change=_open_found,
            )
        else:
            st.caption(t("scope_search_none", lang, text=literal(text)))
    return scope


def _open_found() -> None:
    """A search result chosen: it becomes the scope (the selectbox above offers it on this rerun)."""
    code = st.session_state.get("w_scope_found")
    if code:
        st.session_state["w_scope"] = code
        st.session_state["w_scope_search"] = ""
        st.session_state["w_scope_found"] = None


def context() -> Context:
    """The context the sidebar set on this run (pages run after dashboard.py)."""
    ctx = st.session_state.get("ctx")
    if ctx is None:
        navigation.through_dashboard()  # a first request straight to a page: run it through dashboard.py
        return sidebar()
    return ctx


def header(page_key: str, ctx: Context) -> None:
    """The title (into the slot dashboard.py showed at once), the sample-data banner, queued messages."""
    navigation.title_slot().title(page_title(page_key, ctx.lang))
    share = sample_share(ctx.version)
    if share >= 0.999:
        st.warning(t("sample_banner", ctx.lang), icon="⚠️")
    elif share > 0:
        st.info(t("mixed_banner", ctx.lang), icon="ℹ️")
    show_notices()


def page(page_key: str, needs_data: bool = True) -> tuple[Context, Catalog]:
    """Every page starts here: the context, the catalog, the title and banners; with needs_data, a
    scope that has no data gets an explanation and the page stops there."""
    ctx = context()
    catalog = get_catalog()
    header(page_key, ctx)
    if needs_data and ctx.year is None:
        no_data(ctx)
        st.stop()
    return ctx, catalog


def areas(catalog: Catalog, lang: str) -> dict[str, str]:
    """Area id -> short name in the language ('科学决策' / 'Decisions')."""
    return {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in catalog.areas}


def indicator_picker(ctx: Context, catalog: Catalog, indicators: list[Indicator], default: str, where=st) -> Indicator:
    """The indicator selectbox, grouped by area in its labels, kept in the URL as ?indicator=id."""
    lang = ctx.lang
    names = areas(catalog, lang)
    ids = [i.id for i in indicators]
    chosen = url_select(
        t("choose_indicator", lang),
        ids,
        "indicator",
        default if default in ids else ids[0],
        format_func=lambda k: indicator_option(catalog[k], names, lang),
        where=where,
        noun=t("indicator", lang),
    )
    return catalog[chosen]


def no_data(ctx: Context, what: str = "") -> None:
    """What to do when a selection has no figures; for a scope with no data in any year, which unit it is
    and where to load a file for it (数据管理), with a link."""
    if not ctx.years:
        name = md_escape(scopes.label(ctx.scope, ctx.lang).strip())
        level = scopes.level_name(ctx.scope, ctx.lang)
        st.info(t("scope_no_data", ctx.lang, name=name, level=level, code=ctx.scope), icon="ℹ️")
        st.page_link("pages/data.py", label=t("open_data_page", ctx.lang), icon="📥", query_params=view_params(ctx))
        return
    st.info(f"{what}{t('no_data', ctx.lang)} {t('no_data_hint', ctx.lang)}", icon="ℹ️")


def visible_indicators(ctx: Context) -> list[Indicator]:
    return get_catalog().visible(ctx.signed_in)


def _source(ctx: Context, frame: pd.DataFrame, escape) -> str:
    if frame.empty:
        return ""
    lang = ctx.lang
    if "is_sample" in frame and frame["is_sample"].all():
        return t("source_line", lang, source=t("sample_source", lang))
    ids = tuple(sorted(int(b) for b in frame["batch_id"].dropna().unique()))
    names = batch_labels(ctx.version, ids)
    shown = t("list_separator", lang).join(escape(names[b]) for b in ids[:3] if b in names)
    more = t("more_batches", lang, n=len(ids)) if len(ids) > 3 else ""
    sample = t("including_sample", lang) if "is_sample" in frame and frame["is_sample"].any() else ""
    return t("source_line", lang, source=f"{t('batch', lang)} {shown}{more}{sample}")


def source_caption(ctx: Context, frame: pd.DataFrame) -> str:
    """'数据来源：示例数据（非官方统计）' or the batches behind the figures (file names escaped for Markdown)."""
    return _source(ctx, frame, md_escape)


def source_text(ctx: Context, frame: pd.DataFrame) -> str:
    """The same source line as plain text, for exports."""
    return _source(ctx, frame, str)


def about(ctx: Context, title: str, frame: pd.DataFrame, notes: tuple[str, ...] = ()) -> export.About:
    """What an export holds: title, scope (name and code), the years in it, its source, the sample flag."""
    years = sorted(int(y) for y in frame["year"].unique()) if "year" in frame and len(frame) else []
    period = "" if not years else (str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}")
    return export.About(
        title=title,
        scope=t("scope_with_code", ctx.lang, name=ctx.scope_name(), code=ctx.scope),
        period=period,
        source=source_text(ctx, frame),
        sample=bool("is_sample" in frame and frame["is_sample"].any()),
        lang=ctx.lang,
        notes=notes,
    )


def downloads(table: pd.DataFrame | Callable[[], pd.DataFrame], about: export.About, filename: str, key: str) -> None:
    """Excel and CSV buttons side by side; file names in the page's language. The files (and the table,
    when a function is given) are built only when a button is pressed: openpyxl alone takes tens of
    milliseconds, too much for every rerun."""
    lang = about.lang
    build = table if callable(table) else (lambda: table)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        t("download_xlsx", lang),
        lambda: export.to_xlsx(build(), t("x_data_sheet", lang), about),
        f"{filename}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )
    right.download_button(
        t("download_csv", lang),
        lambda: export.to_csv(build(), about),
        f"{filename}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )


def static_table(table: pd.DataFrame, numeric: tuple[str, ...] = (), names: str | None = None) -> None:
    """A small table as Markdown: no sorting or scrolling, but none of the dozens of scripts st.dataframe
    makes a new visitor's browser fetch from the server (and its Arrow encoding on every run). Cells are escaped;
    `numeric` columns are right-aligned. The column `names` holds the rows' Chinese names (a region's): they
    stay whole at every width (旬阳市, never 旬阳 / 市), through the class its container's key gives it."""
    head = "| " + " | ".join(md_escape(_header_breaks(str(c))) for c in table.columns) + " |"
    rule = "| " + " | ".join("---:" if c in numeric else "---" for c in table.columns) + " |"
    rows = ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in table.astype(str).itertuples(index=False)]
    text = "\n".join([head, rule, *rows])
    if names is None:
        st.markdown(text)
        return
    column = list(table.columns).index(names) + 1
    if column > NAME_COLUMNS:
        raise ValueError(f"static_table: names column {names!r} is column {column}; style() covers 1-{NAME_COLUMNS}")
    headers = hashlib.blake2s("\x1f".join(map(str, table.columns)).encode(), digest_size=4).hexdigest()
    with st.container(key=f"names{column}_{headers}"):
        st.markdown(text)


NAME_COLUMNS = 3  # static_table keeps names whole in any of a table's first three columns


_CJK_PAIRS = re.compile(r"([\u4e00-\u9fff]{2})(?=[\u4e00-\u9fff]{2})")


def _header_breaks(text: str) -> str:
    """A Chinese header with an invisible break point after every two characters that have two more after
    them: headers break only there (style's keep-all), so 综合得分 wraps as 综合 / 得分, never 综合得 / 分,
    and 未达标 stays whole."""
    return _CJK_PAIRS.sub("\\1\u200b", text)


def chart(fig, filename: str, caption: str = "", key: str | None = None, on_select=None):
    """Draw a figure with the PNG-download button and a caption naming its source. With `on_select` (a
    callback, or "rerun"), a click on a point (a map's unit) selects it; the selection event is returned."""
    if on_select is None:
        event = st.plotly_chart(fig, config=charts.plotly_config(filename), width="stretch", key=key)
    else:
        event = st.plotly_chart(
            fig,
            config=charts.plotly_config(filename),
            width="stretch",
            key=key,
            on_select=on_select,
            selection_mode="points",
        )
    if caption:
        st.caption(caption)
    return event


def open_scope(code: str) -> None:
    """Make `code` the scope from a callback (a map click, a select, 'up one level'): the sidebar's
    selectbox takes it on the rerun that follows; the map's level starts again at its default."""
    st.session_state["w_scope"] = code
    st.session_state["_scope_opened"] = True  # a fragment that sees this reruns the whole app
    st.session_state.pop("w_map_level", None)
    url_set("map_level", None, None)


def indicator_option(ind: Indicator, areas: dict[str, str], lang: str, name: str | None = None) -> str:
    """'【科学决策】召开听证会次数' / '[Decisions] Public hearings held': an indicator with its area, for pickers."""
    return t("indicator_option", lang, area=areas[ind.area], name=name or ind.name(lang))


def region_label(code: str, ctx: Context) -> str:
    if code == ctx.scope:
        return t("city_total", ctx.lang) if R.level(code) == "prefecture" else R.name_of(code, ctx.year, ctx.lang)
    if R.is_own_level(code):  # the scope's own government: 市本级 (省本级); another's by its name
        government = code.removesuffix(R.OWN_LEVEL_SUFFIX)
        if government != ctx.scope:
            return t("own_level_of", ctx.lang, name=R.name_of(government, ctx.year, ctx.lang))
        return t("own_level_province" if R.level(government) == "province" else "own_level", ctx.lang)
    return R.name_of(code, ctx.year, ctx.lang)


def short_name(code: str, ctx: Context) -> str:
    """A county's name where space is short: 'Hanbin' rather than 'Hanbin District' (Chinese as is)."""
    name = region_label(code, ctx)
    for suffix in (" County", " District", " City"):
        name = name.removesuffix(suffix)
    return name


def tiles(cells: list[dict], ctx: Context, per_row: int = 3) -> None:
    """Headline tiles, row by row, so a phone stacks them in the same order as a desk screen. The name
    wraps (style() lets a metric's label take two lines instead of ending in "…")."""
    lang = ctx.lang
    for start in range(0, len(cells), per_row):
        row = cells[start : start + per_row]
        for number, (column, tile) in enumerate(zip(st.columns(per_row), row, strict=False)):
            ind, target = tile["indicator"], tile["target"]
            help_text = ind.definition_zh if lang == "zh" else ind.definition_en
            if target is not None:
                help_text += "\n\n" + t(
                    "tile_target_help",
                    lang,
                    star="*" if target.is_estimate else "",
                    target=fmt.value(ind, target.value, lang),
                    basis=catalog_mod.BASIS_LABELS[target.basis][0 if lang == "zh" else 1],
                )
            with column.container(border=True, key=f"tile_{start + number}"):
                st.metric(
                    ind.name(lang),
                    tile["value_text"],
                    delta=tile["delta_text"] or None,
                    delta_color=tile["delta_color"],
                    delta_arrow=tile["delta_arrow"],
                    help=help_text,
                )
                st.markdown(status_line(tile, lang))


def status_line(tile: dict, lang: str) -> str:
    """':green-badge[达标*]', ':red-badge[未达标] 还差3次', or a grey note for what is not judged."""
    status, target = tile["status"], tile["target"]
    if status in ("met", "near", "below"):
        color = {"met": "green", "near": "orange", "below": "red"}[status]
        star = "*" if target is not None and target.is_estimate else ""
        gap = "" if status == "met" else tile["gap_text"]  # "达标 已达标" would say it twice
        return f":{color}-badge[{t(status, lang)}{star}] {gap}"
    if tile["value"] is None:
        return f":gray[{t('missing', lang)}]"
    return f":gray[{t('not_judged', lang, status=t(status, lang))}]"
