"""Cached reads for the pages: the catalog and the database keyed on their files; a scope's values (all of
them, one year and its neighbour, one indicator over the years, or a few units'), statuses and scores, and a
memo for page tables and figures; a data version in, shared frames out.

Caching follows the files: the catalog and the database are keyed on the fingerprint of metrics.yml
and data/regions.csv, data reads on the database file's identity (which changes when any write
lands), so an edited catalog or a new batch shows on the next rerun without a restart. DuckDB reads what a
page shows: at the country's scope, all values are millions of rows, so a page reads one year and the
year before (year_values), one indicator (indicator_series) or its children's totals (units_values).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st
from plotly.basedatatypes import BaseFigure

from etl.build import ensure
from rolgov import analysis, db, queries
from rolgov import catalog as catalog_mod
from rolgov import regions as R
from rolgov.catalog import Catalog


# ── the catalog and the database, keyed on their files ───────────────────────────────────────
def files_fingerprint() -> str:
    """Changes when metrics.yml or the region reference is edited (modification time and size)."""
    stats = [path.stat() for path in (catalog_mod.DEFAULT_CATALOG, R.REGIONS_CSV)]
    return "|".join(f"{s.st_mtime_ns}-{s.st_size}" for s in stats)


@st.cache_resource(show_spinner=False, max_entries=1)
def _catalog(fingerprint: str) -> Catalog:
    # the region reference and the answers derived from it are remembered in-process: forget them too
    R.forget()
    return catalog_mod.load(catalog_mod.DEFAULT_CATALOG)


def get_catalog() -> Catalog:
    return _catalog(files_fingerprint())


@st.cache_resource(show_spinner=False, max_entries=1)
def _ensure_database(fingerprint: str, path: str) -> str:
    ensure(path, get_catalog())
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
        return queries.totals_with_data(con)


@st.cache_resource(show_spinner=False, max_entries=64)
def units_values(ver: str, codes: tuple[str, ...]) -> pd.DataFrame:
    """Every current value of a few units, all years: a scope and the children its pages compare (the
    country's 34 provinces, a province's cities, a city's counties), small at every level. Shared."""
    with cursor(ver) as con:
        return queries.values(con, list(codes), None, None)


@st.cache_resource(show_spinner=False, max_entries=32)
def year_values(ver: str, scope: str, year: int) -> pd.DataFrame:
    """A scope's values (total, own level, units) in one year and the year before: what tiles, statuses and
    rankings read, without pulling the scope's other years (a country's are millions of rows). Shared."""
    with cursor(ver) as con:
        return queries.values(con, queries.scope_codes(scope), [year - 1, year], None)


@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_series(ver: str, scope: str, indicator_id: str) -> pd.DataFrame:
    """One indicator of a scope (total, own level, units) over every year: what a trend draws. Shared."""
    with cursor(ver) as con:
        return queries.values(con, queries.scope_codes(scope), None, [indicator_id])


@st.cache_resource(show_spinner=False, max_entries=64)
def unit_statuses(ver: str, codes: tuple[str, ...], year: int, signed_in: bool, lang: str) -> pd.DataFrame:
    """Attainment of every visible indicator for the given units in one year (each against its level's
    targets)."""
    catalog = get_catalog()
    return analysis.statuses(units_values(ver, codes), catalog, list(codes), year, catalog.visible(signed_in), lang)


@st.cache_resource(show_spinner=False, max_entries=32)
def unit_scores(ver: str, codes: tuple[str, ...], signed_in: bool) -> pd.DataFrame:
    """Composite scores of the given units in every year, with ranks and change of rank."""
    catalog = get_catalog()
    return analysis.scores_by_year(units_values(ver, codes), catalog, list(codes), catalog.visible(signed_in))


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
    regions = list(dict.fromkeys([scope, *queries.county_codes(scope, year)]))  # a county's units: itself
    return analysis.statuses(year_values(ver, scope, year), catalog, regions, year, catalog.visible(signed_in), lang)


@st.cache_resource(show_spinner=False, max_entries=16)
def scores(ver: str, scope: str, signed_in: bool) -> pd.DataFrame:
    """Composite scores of the scope's counties in every year, with ranks and change of rank."""
    catalog = get_catalog()
    frame = scope_values(ver, scope)
    counties = sorted({c for y in frame["year"].unique() for c in queries.county_codes(scope, int(y))})
    return analysis.scores_by_year(frame, catalog, counties, catalog.visible(signed_in))


@st.cache_resource(show_spinner=False, max_entries=1024)
def _memo(key: tuple, _build: Callable):
    built = _build()
    if isinstance(built, BaseFigure):  # sent on every view and never changed: its dict is made once
        sent = built.to_dict()  # plotly deep-copies the whole figure on each to_dict (2-5 ms a chart)
        object.__setattr__(built, "to_dict", lambda: sent)
    return built


def memo(ctx, name: str, *inputs, build: Callable):
    """A page's derived table, text or figure, built once per data version and view and shared by every
    session: plotly validates every property of a figure as it is built (10-30 ms a chart), far more
    than sending it. `name` and `inputs` must name everything `build` depends on beyond the context
    (data version, scope, year, language, signed-in); the result is read-only for the caller.
    """
    return _memo((ctx.version, ctx.scope, ctx.year, ctx.lang, ctx.signed_in, name, *inputs), build)
