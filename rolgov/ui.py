"""Streamlit plumbing every page shares: cached reads, URL-kept filters, the sidebar, banners, chart output.

Caching follows the data: the cache key includes the database file's identity, which changes
when any write lands, so a new batch shows on the next rerun without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from etl.build import ensure
from rolgov import account, auth, charts, db, queries
from rolgov import catalog as catalog_mod
from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.i18n import LANGS, t


@dataclass
class Context:
    lang: str
    scope: str  # root code, e.g. 610900
    year: int | None
    years: list[int]
    signed_in: bool
    version: str

    def scope_name(self) -> str:
        return R.name_of(self.scope, self.year, self.lang)


@st.cache_resource(show_spinner=False)
def get_catalog() -> Catalog:
    return catalog_mod.load()


@st.cache_resource(show_spinner=False)
def _ensure_database() -> str:
    ensure(db.DEFAULT_DB, get_catalog())
    return str(db.DEFAULT_DB)


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    return db.read(db.DEFAULT_DB)


def version() -> str:
    _ensure_database()
    return db.data_version(db.DEFAULT_DB)


def cursor(ver: str | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on the current database version (one per query: DuckDB connections are not thread-safe)."""
    return _connection(ver or version()).cursor()


@st.cache_data(show_spinner=False, max_entries=256)
def values(
    ver: str, regions: tuple[str, ...] | None, years: tuple[int, ...] | None, ids: tuple[str, ...] | None
) -> pd.DataFrame:
    return queries.values(
        cursor(ver),
        list(regions) if regions is not None else None,
        list(years) if years is not None else None,
        list(ids) if ids is not None else None,
    )


@st.cache_data(show_spinner=False)
def data_years(ver: str, regions: tuple[str, ...]) -> list[int]:
    return queries.years(cursor(ver), list(regions))


@st.cache_data(show_spinner=False)
def scopes_with_data(ver: str) -> list[str]:
    rows = (
        cursor(ver)
        .execute("SELECT DISTINCT region_code FROM indicator_values WHERE scope = 'total' ORDER BY region_code")
        .fetchall()
    )
    return [r[0] for r in rows]


@st.cache_data(show_spinner=False)
def sample_share(ver: str) -> float:
    return queries.sample_share(cursor(ver))


@st.cache_data(show_spinner=False)
def batch_labels(ver: str, ids: tuple[int, ...]) -> dict[int, str]:
    return queries.batch_labels(cursor(ver), list(ids))


# ── URL-kept filters ─────────────────────────────────────────────────────────────────────────
def url_get(key: str, default=None):
    return st.query_params.get(key, default)


def url_set(key: str, value, default) -> None:
    """Keep a filter in the URL; a default value stays out of it."""
    if value is None or value == default or value == [] or str(value) == str(default):
        if key in st.query_params:
            del st.query_params[key]
    elif isinstance(value, list | tuple):
        st.query_params[key] = [str(v) for v in value]
    else:
        st.query_params[key] = str(value)


def url_select(label: str, options: list, key: str, default, format_func=str, where=st, **kwargs):
    """A selectbox whose value lives in the URL as ?key=value (stable codes, whatever the language)."""
    if not options:
        return None
    wanted = url_get(key)
    by_text = {str(o): o for o in options}
    initial = by_text.get(wanted, default if default in options else options[0])
    choice = where.selectbox(
        label, options, index=options.index(initial), format_func=format_func, key=f"w_{key}", **kwargs
    )
    if wanted is not None and wanted not in by_text:
        # a shared link names something with no data here (a year not loaded, a mistyped code): say so
        shown = format_func(choice)
        where.info(
            f"链接中的{label}「{wanted}」没有数据，已改为显示「{shown}」。"
            if current_lang() == "zh"
            else f"The link asks for {label.lower()} “{wanted}”, which has no data; showing “{shown}” instead.",
            icon="ℹ️",
        )
    url_set(key, choice, default)
    return choice


def url_multiselect(label: str, options: list, key: str, default: list, format_func=str, where=st, **kwargs):
    wanted = st.query_params.get_all(key)
    by_text = {str(o): o for o in options}
    initial = [by_text[w] for w in wanted if w in by_text] if wanted else [d for d in default if d in options]
    choice = where.multiselect(label, options, default=initial, format_func=format_func, key=f"w_{key}", **kwargs)
    url_set(key, choice if choice != default else None, None)
    return choice


# ── the sidebar and the page frame ───────────────────────────────────────────────────────────
def current_lang() -> str:
    lang = url_get("lang", "zh")
    return lang if lang in LANGS else "zh"


def sidebar() -> Context:
    """Global controls (scope, year, language), kept in the URL, and the account box; stores the context.

    With ROLGOV_REQUIRE_LOGIN=1 and nobody signed in, the page shows only the sign-in form.
    """
    ver = version()
    lang = current_lang()
    user = account.session_user()
    shut = user is None and auth.require_login()
    with st.sidebar:
        lang = url_select(t("language", lang), list(LANGS), "lang", "zh", format_func=LANGS.get)
        scope, years, year = R.DEFAULT_SCOPE, [], None
        if not shut:
            scopes = scopes_with_data(ver) or [R.DEFAULT_SCOPE]
            default_scope = R.DEFAULT_SCOPE if R.DEFAULT_SCOPE in scopes else scopes[0]
            scope = url_select(
                t("scope", lang), scopes, "scope", default_scope, format_func=lambda c: R.name_of(c, None, lang)
            )
            years = data_years(ver, tuple(queries.scope_codes(scope)))
            year = (
                url_select(
                    t("year", lang),
                    list(reversed(years)),
                    "year",
                    years[-1] if years else None,
                    format_func=lambda y: f"{y}年" if lang == "zh" else str(y),
                )
                if years
                else None
            )
        account.account_box(user, lang, show_form=not shut)
    ctx = Context(lang=lang, scope=scope, year=year, years=years, signed_in=user is not None, version=ver)
    if shut:  # no context is stored, so no page can run on a stale one
        st.session_state.pop("ctx", None)
        account.sign_in_page(lang)
        st.stop()
    st.session_state["ctx"] = ctx
    return ctx


def context() -> Context:
    """The context the sidebar set on this run (pages run after dashboard.py)."""
    ctx = st.session_state.get("ctx")
    if ctx is None:
        # The first request after a server start may go straight to a page URL (a shared link).
        # Streamlit then runs the page in its legacy pages/ mode, without dashboard.py, because the
        # legacy flag is only cleared when dashboard.py calls st.navigation. Clear it (an internal
        # of Streamlit 1.67, hence the guard) and run again through dashboard.py, on the same page.
        st.session_state["ctx_retry"] = st.session_state.get("ctx_retry", 0) + 1
        if st.session_state["ctx_retry"] <= 2:
            try:
                from streamlit.runtime.pages_manager import PagesManager

                PagesManager.uses_pages_directory = False
            except ImportError:
                pass
            st.rerun()
        return sidebar()
    return ctx


def header(page_key: str, ctx: Context) -> None:
    from rolgov.i18n import page_title

    st.title(page_title(page_key, ctx.lang))
    share = sample_share(ctx.version)
    if share >= 0.999:
        st.warning(t("sample_banner", ctx.lang), icon="⚠️")
    elif share > 0:
        st.info(t("mixed_banner", ctx.lang), icon="ℹ️")


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


def indicator_picker(ctx: Context, catalog: Catalog, indicators: list[Indicator], default: str) -> Indicator:
    """The indicator selectbox, grouped by area in its labels, kept in the URL as ?indicator=id."""
    lang = ctx.lang
    areas = {a.id: (a.short_zh if lang == "zh" else a.short_en) for a in catalog.areas}
    ids = [i.id for i in indicators]
    chosen = url_select(
        t("choose_indicator", lang),
        ids,
        "indicator",
        default if default in ids else ids[0],
        format_func=lambda k: indicator_option(catalog[k], areas, lang),
    )
    return catalog[chosen]


def no_data(ctx: Context, what: str = "") -> None:
    st.info(f"{what}{t('no_data', ctx.lang)} {t('no_data_hint', ctx.lang)}", icon="ℹ️")


def visible_indicators(ctx: Context) -> list[Indicator]:
    return get_catalog().visible(ctx.signed_in)


def source_caption(ctx: Context, frame: pd.DataFrame) -> str:
    """'数据来源：示例数据（非官方统计）' or the batches behind the figures."""
    if frame.empty:
        return ""
    zh = ctx.lang == "zh"
    label = t("source", ctx.lang) + ("：" if zh else ": ")
    if "is_sample" in frame and frame["is_sample"].all():
        return f"{label}{t('sample_source', ctx.lang)}"
    ids = tuple(sorted(int(b) for b in frame["batch_id"].dropna().unique()))
    names = batch_labels(ctx.version, ids)
    shown = ("；" if zh else "; ").join(names[b] for b in ids[:3] if b in names)
    more = (f" 等{len(ids)}个批次" if zh else f" and others, {len(ids)} batches") if len(ids) > 3 else ""
    sample = ""
    if "is_sample" in frame and frame["is_sample"].any():
        sample = f"（含{t('sample_source', ctx.lang)}）" if zh else f" (including {t('sample_source', ctx.lang)})"
    return f"{label}{t('batch', ctx.lang)} {shown}{more}{sample}"


def chart(fig, filename: str, caption: str = "", key: str | None = None) -> None:
    """Draw a figure with the PNG-download toolbar and a caption naming its source."""
    st.plotly_chart(fig, config=charts.plotly_config(filename), width="stretch", key=key)
    if caption:
        st.caption(caption)


def indicator_option(ind: Indicator, areas: dict[str, str], lang: str, name: str | None = None) -> str:
    """'【科学决策】召开听证会次数' / '[Decisions] Public hearings held': an indicator with its area, for pickers."""
    name = name or ind.name(lang)
    return f"【{areas[ind.area]}】{name}" if lang == "zh" else f"[{areas[ind.area]}] {name}"


def region_label(code: str, ctx: Context) -> str:
    if code == ctx.scope:
        return t("city_total", ctx.lang) if R.level(code) == "prefecture" else R.name_of(code, ctx.year, ctx.lang)
    if R.is_own_level(code):
        return t("own_level", ctx.lang)
    return R.name_of(code, ctx.year, ctx.lang)
