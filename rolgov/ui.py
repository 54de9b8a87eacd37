"""Streamlit plumbing every page shares: cached reads, URL-kept filters, the sidebar, notices, tiles, charts.

Caching follows the files: the catalog and the database are keyed on the fingerprint of metrics.yml
and data/regions.csv, data reads on the database file's identity (which changes when any write
lands), so an edited catalog or a new batch shows on the next rerun without a restart. A scope's
values are read once for all years; a year or an indicator chosen later is a slice of that frame.

Filters live in the URL (stable codes, whatever the language; defaults left out) and in the session,
so a page switch, which clears the URL, keeps the year, the scope and every selection. Whatever a
link says is echoed as plain text only (literal()), never as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from rolgov import analysis, auth, charts, db, export, fmt, navigation, queries
from rolgov import catalog as catalog_mod
from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.i18n import LANGS, page_title, t


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


# ── the catalog and the database, keyed on their files ───────────────────────────────────────
def files_fingerprint() -> str:
    """Changes when metrics.yml or the region reference is edited (modification time and size)."""
    stats = [path.stat() for path in (catalog_mod.DEFAULT_CATALOG, R.REGIONS_CSV)]
    return "|".join(f"{s.st_mtime_ns}-{s.st_size}" for s in stats)


@st.cache_resource(show_spinner=False, max_entries=1)
def _catalog(fingerprint: str) -> Catalog:
    # the region reference and the code lists derived from it are remembered in-process: forget them too
    for function in (R.reference, R.name_of, getattr(R, "_levels", None), queries._scope_codes, queries._county_codes):
        if hasattr(function, "cache_clear"):
            function.cache_clear()
    return catalog_mod.load(catalog_mod.DEFAULT_CATALOG)


def get_catalog() -> Catalog:
    return _catalog(files_fingerprint())


@st.cache_resource(show_spinner=False, max_entries=1)
def _ensure_database(fingerprint: str, path: str) -> str:
    db.ensure(path, get_catalog())
    return path


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(show_spinner=False, max_entries=2, on_release=_close)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    return db.read(db.DEFAULT_DB)


def version() -> str:
    _ensure_database(files_fingerprint(), str(db.DEFAULT_DB))
    return db.data_version(db.DEFAULT_DB)


def cursor(ver: str | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on the current database version (one per query: DuckDB connections are not thread-safe).
    The caller closes it (`with ui.cursor(ver) as con:`); cached readers below do."""
    return _connection(ver or version()).cursor()


# ── cached reads ─────────────────────────────────────────────────────────────────────────────
@st.cache_data(show_spinner=False, max_entries=256)
def values(
    ver: str, regions: tuple[str, ...] | None, years: tuple[int, ...] | None, ids: tuple[str, ...] | None
) -> pd.DataFrame:
    with cursor(ver) as con:
        return queries.values(
            con,
            list(regions) if regions is not None else None,
            list(years) if years is not None else None,
            list(ids) if ids is not None else None,
        )


# The three readers below return one shared frame to every session (st.cache_resource, not a copy per
# call as st.cache_data would make): pages and rolgov/analysis.py filter them into new frames and never
# write into them.
@st.cache_resource(show_spinner=False, max_entries=16)
def scope_values(ver: str, scope: str) -> pd.DataFrame:
    """Every current value of a scope (its total, own level and units), all years and indicators."""
    with cursor(ver) as con:
        return queries.values(con, queries.scope_codes(scope), None, None)


@st.cache_data(show_spinner=False)
def data_years(ver: str, regions: tuple[str, ...]) -> list[int]:
    with cursor(ver) as con:
        return queries.years(con, list(regions))


@st.cache_data(show_spinner=False)
def scopes_with_data(ver: str) -> list[str]:
    with cursor(ver) as con:
        rows = con.execute(
            "SELECT DISTINCT region_code FROM indicator_values WHERE scope = 'total' ORDER BY region_code"
        ).fetchall()
    return [r[0] for r in rows]


@st.cache_data(show_spinner=False)
def sample_share(ver: str) -> float:
    with cursor(ver) as con:
        return queries.sample_share(con)


@st.cache_data(show_spinner=False)
def batch_labels(ver: str, ids: tuple[int, ...]) -> dict[int, str]:
    with cursor(ver) as con:
        return queries.batch_labels(con, list(ids))


@st.cache_data(show_spinner=False, max_entries=16)
def reported_matrix(ver: str, regions: tuple[str, ...], ids: tuple[str, ...]) -> pd.DataFrame:
    with cursor(ver) as con:
        return queries.reported_matrix(con, list(regions), list(ids))


@st.cache_data(show_spinner=False, max_entries=16)
def latest_batches(ver: str, regions: tuple[str, ...]) -> pd.DataFrame:
    with cursor(ver) as con:
        return queries.latest_batch_per_region(con, list(regions))


@st.cache_resource(show_spinner=False, max_entries=64)
def statuses(ver: str, scope: str, year: int, signed_in: bool, lang: str) -> pd.DataFrame:
    """Attainment of every visible indicator for the scope's total and its counties in one year."""
    catalog = get_catalog()
    regions = [scope, *queries.county_codes(scope, year)]
    return analysis.statuses(scope_values(ver, scope), catalog, regions, year, catalog.visible(signed_in), lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def scores(ver: str, scope: str, signed_in: bool) -> pd.DataFrame:
    """Composite scores of the scope's counties in every year, with ranks and change of rank."""
    catalog = get_catalog()
    frame = scope_values(ver, scope)
    counties = sorted({c for y in frame["year"].unique() for c in queries.county_codes(scope, int(y))})
    return analysis.scores_by_year(frame, catalog, counties, catalog.visible(signed_in))


@st.cache_resource(show_spinner=False, max_entries=1024)
def _memo(key: tuple, _build: Callable):
    return _build()


def memo(ctx: Context, name: str, *inputs, build: Callable):
    """A page's derived table, text or figure, built once per data version and view and shared by every
    session: plotly validates every property of a figure as it is built (10-30 ms a chart), far more
    than sending it. `name` and `inputs` must name everything `build` depends on beyond the context
    (data version, scope, year, language, signed-in); the result is read-only for the caller.
    """
    return _memo((ctx.version, ctx.scope, ctx.year, ctx.lang, ctx.signed_in, name, *inputs), build)


# ── messages and plain text ──────────────────────────────────────────────────────────────────
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def literal(text: object, limit: int = 60) -> str:
    """Text from a link or a person, as a Markdown code span: shown exactly as typed, never a link, an
    image, a colour or a formula (`[登录](http://evil.example)` stays text). Long values are cut."""
    text = _INVISIBLE.sub(" ", str(text))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def say(text: str, icon: str = "ℹ️") -> None:
    """A message for the main area: before the page title is out, queued and shown under it (the
    sidebar is hidden on a phone, so a message there would go unseen)."""
    if st.session_state.get("_header_done"):
        st.info(text, icon=icon)
    else:
        st.session_state.setdefault("_notices", []).append((text, icon))


def _show_notices() -> None:
    for text, icon in st.session_state.pop("_notices", []):
        st.info(text, icon=icon)
    st.session_state["_header_done"] = True


# ── URL-kept filters ─────────────────────────────────────────────────────────────────────────
def _kept() -> dict:
    """Filters of this session that are not defaults, by URL key: a page switch clears the URL, not these."""
    return st.session_state.setdefault("_kept", {})


def url_get(key: str, default=None):
    if key in st.query_params:
        return st.query_params.get(key)
    return _kept().get(key, default)


def url_set(key: str, value, default) -> None:
    """Keep a filter in the URL and the session; a default value stays out of both."""
    if value is None or value == default or value == [] or str(value) == str(default):
        if key in st.query_params:
            del st.query_params[key]
        _kept().pop(key, None)
    elif isinstance(value, list | tuple):
        st.query_params[key] = [str(v) for v in value]
        _kept()[key] = [str(v) for v in value]
    else:
        st.query_params[key] = str(value)
        _kept()[key] = str(value)


def url_select(
    label: str,
    options: list,
    key: str,
    default,
    format_func=str,
    where=st,
    odd: str = "odd_link",
    noun: str | None = None,
    **kwargs,
):
    """A selectbox whose value lives in the URL as ?key=value (stable codes, whatever the language).

    A link's value wins over the session's; a value with no data here gets a message in the main area
    (the `odd` string naming `noun`, or the label, with the link's value as plain text) and the default
    is shown.
    """
    if not options:
        return None
    widget = f"w_{key}"
    valid = {str(o): o for o in options}
    fallback = default if default in options else options[0]
    wanted = st.query_params.get(key) if key in st.query_params else None
    current = st.session_state.get(widget)
    if wanted in valid and wanted != _kept().get(key):
        current = valid[wanted]  # a link asked for it
    elif current not in options:
        current = valid.get(str(_kept().get(key)), fallback)
    # set on every run: after a page switch Streamlit forgets the value of a widget it did not draw
    st.session_state[widget] = current
    choice = where.selectbox(label, options, format_func=format_func, key=widget, **kwargs)
    if wanted is not None and wanted not in valid:
        lang = current_lang()
        say(t(odd, lang, label=noun or label, value=literal(wanted), shown=md_escape(format_func(choice))))
    url_set(key, choice, default)
    return choice


def url_multiselect(label: str, options: list, key: str, default: list, format_func=str, where=st, **kwargs):
    """A multiselect kept in the URL as ?key=a&key=b; values with no data are named in a message."""
    widget = f"w_{key}"
    valid = {str(o): o for o in options}
    most = kwargs.get("max_selections")
    wanted = st.query_params.get_all(key) if key in st.query_params else None
    if wanted is not None:
        known = [valid[w] for w in wanted if w in valid]
        if known and [str(k) for k in known] != _kept().get(key):  # none known: the default, as for no link
            st.session_state[widget] = known[:most] if most else known  # a link asked for them
        lang = current_lang()
        unknown = [w for w in wanted if w not in valid]
        if unknown:
            say(t("odd_link_list", lang, label=label, values=" ".join(literal(u, 30) for u in unknown[:5])))
        if most and len(known) > most:
            say(t("too_many", lang, label=label, most=most))
    current = st.session_state.get(widget)
    if current is None or any(v not in options for v in current):
        kept = [valid[k] for k in _kept().get(key, []) if k in valid]
        current = kept or [d for d in default if d in options]
    st.session_state[widget] = current
    choice = where.multiselect(label, options, format_func=format_func, key=widget, **kwargs)
    url_set(key, choice if choice != default else None, None)
    return choice


def url_toggle(label: str, key: str) -> bool:
    """A toggle kept in the URL as ?key=1 (off is the default)."""
    widget = f"w_{key}"
    st.session_state[widget] = st.session_state.get(widget, url_get(key) == "1")
    on = st.toggle(label, key=widget)
    url_set(key, "1" if on else None, None)
    return on


def url_text(label: str, key: str, placeholder: str = "") -> str:
    """A text input kept in the URL as ?key=text (stripped; empty is the default)."""
    widget = f"w_{key}"
    st.session_state[widget] = st.session_state.get(widget, url_get(key, ""))
    text = st.text_input(label, key=widget, placeholder=placeholder).strip()
    url_set(key, text, "")
    return text


md_escape = analysis.escape_markdown


# ── the sidebar and the page frame ───────────────────────────────────────────────────────────
def current_lang() -> str:
    return navigation.url_lang()


def style() -> None:
    """Styles the pages share: parts for wide screens or phones only, tiles whose names wrap."""
    with st.sidebar:
        st.html(
            "<style>"
            "@media (max-width: 640px) { div[class*='st-key-wide_'] { display: none !important; } }"
            "@media (min-width: 641px) { div[class*='st-key-narrow_'] { display: none !important; } }"
            # a wide Markdown table scrolls sideways inside the page instead of running past its edge
            "[data-testid='stMarkdownContainer'] table { display: block; overflow-x: auto; max-width: 100%; }"
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
    user = session_user()
    shut = user is None and auth.require_login()
    with st.sidebar:
        lang = url_select(t("language", lang), list(LANGS), "lang", "zh", format_func=LANGS.get, odd="odd_lang")
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
                    format_func=lambda y: t("year_option", lang, year=y),
                )
                if years
                else None
            )
        account_box(user, lang, show_form=not shut)
    ctx = Context(lang=lang, scope=scope, year=year, years=years, signed_in=user is not None, version=ver)
    if shut:  # no context is stored, so no page can run on a stale one
        st.session_state.pop("ctx", None)
        navigation.title_slot().empty()
        sign_in_page(lang)
        st.stop()
    st.session_state["ctx"] = ctx
    return ctx


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
    _show_notices()


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


def view_params(ctx: Context, **extra) -> dict:
    """The global view as URL parameters for a link to another page: year always (a link names its year),
    scope and language when not the defaults, plus the page's own parameters."""
    params = {"year": str(ctx.year)} if ctx.year is not None else {}
    if ctx.scope != R.DEFAULT_SCOPE:
        params["scope"] = ctx.scope
    if ctx.lang != "zh":
        params["lang"] = ctx.lang
    return params | {k: v for k, v in extra.items() if v not in (None, "", [])}


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


def static_table(table: pd.DataFrame, numeric: tuple[str, ...] = ()) -> None:
    """A small table as Markdown: no sorting or scrolling, but none of the dozens of scripts st.dataframe
    makes a new visitor's browser fetch from the server (about 2 ms of server CPU each). Cells are escaped;
    `numeric` columns are right-aligned."""
    head = "| " + " | ".join(md_escape(c) for c in table.columns) + " |"
    rule = "| " + " | ".join("---:" if c in numeric else "---" for c in table.columns) + " |"
    rows = ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in table.astype(str).itertuples(index=False)]
    st.markdown("\n".join([head, rule, *rows]))


def chart(fig, filename: str, caption: str = "", key: str | None = None) -> None:
    """Draw a figure with the PNG-download button and a caption naming its source."""
    st.plotly_chart(fig, config=charts.plotly_config(filename), width="stretch", key=key)
    if caption:
        st.caption(caption)


def indicator_option(ind: Indicator, areas: dict[str, str], lang: str, name: str | None = None) -> str:
    """'【科学决策】召开听证会次数' / '[Decisions] Public hearings held': an indicator with its area, for pickers."""
    return t("indicator_option", lang, area=areas[ind.area], name=name or ind.name(lang))


def region_label(code: str, ctx: Context) -> str:
    if code == ctx.scope:
        return t("city_total", ctx.lang) if R.level(code) == "prefecture" else R.name_of(code, ctx.year, ctx.lang)
    if R.is_own_level(code):
        return t("own_level", ctx.lang)
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


# ── sign-in, sign-out and the signed-in user ────────────────────────────────────────────────
def session_user() -> auth.User | None:
    """The signed-in user, checked against the user store on every run: a new role or region applies
    at once; a disabled user, a reset password or an expired session ends the session."""
    user = st.session_state.get("user")
    if user is None:
        if auth.oidc_configured():
            user = auth.user_from_oidc()
            if user is not None:
                st.session_state["user"] = user
        return user
    fresh = auth.store().session_user(user) if isinstance(user, auth.User) else None
    if fresh is None:
        del st.session_state["user"]
        st.session_state["signed_out_note"] = True
        return None
    st.session_state["user"] = fresh
    return fresh


def _sign_out() -> None:
    """End the session: forget everything it held (uploads in progress included)."""
    via = getattr(st.session_state.get("user"), "via", "")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if via == "oidc":
        st.session_state["oidc_logout"] = True


def sign_in_form(key: str, lang: str) -> None:
    """User name and password (and the SSO button when OIDC is configured); signs in and reruns."""
    zh = lang == "zh"
    with st.form(key, clear_on_submit=True):
        name = st.text_input("用户名" if zh else "User name", key=f"{key}_name", autocomplete="username")
        password = st.text_input(
            "密码" if zh else "Password", type="password", key=f"{key}_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("登录" if zh else "Sign in", type="primary")
    if submitted:
        try:
            user = auth.store().authenticate(name, password)
        except auth.SignInError as exc:
            st.error(str(exc), icon="🔒")
        else:
            st.session_state["user"] = user
            st.session_state.pop("signed_out_note", None)
            st.rerun()
    if auth.oidc_configured() and st.button("单位统一身份认证登录" if zh else "Sign in with SSO", key=f"{key}_sso"):
        st.login(auth.oidc_provider())


def account_box(user: auth.User | None, lang: str, show_form: bool = True) -> None:
    """In the sidebar: who is signed in, with a sign-out button; or a folded sign-in form."""
    zh = lang == "zh"
    if st.session_state.pop("oidc_logout", False):
        st.logout()
    if user is not None or show_form:
        st.divider()
    if user is not None:
        regions = (
            ("、" if zh else ", ").join(R.name_of(c, None, lang) for c in user.regions) if user.role == "editor" else ""
        )
        role = user.role_label(lang) + (("，" if zh else ", ") + regions if regions else "")
        st.caption(f"已登录：**{user.name}**（{role}）" if zh else f"Signed in: **{user.name}** ({role})")
        st.button("退出登录" if zh else "Sign out", key="sign_out", on_click=_sign_out)
        return
    if st.session_state.pop("signed_out_note", False):
        st.info("会话已结束，请重新登录 / your session has ended: sign in again", icon="🔒")
    if show_form:
        with st.expander("登录" if zh else "Sign in", icon="🔑"):
            sign_in_form("signin_sidebar", lang)


def sign_in_page(lang: str) -> None:
    """The whole page when viewing requires sign-in (ROLGOV_REQUIRE_LOGIN=1) and nobody is signed in."""
    st.title(t("app_title", lang))
    st.info("本看板需登录后查看 / sign in to view this dashboard", icon="🔒")
    sign_in_form("signin_main", lang)
