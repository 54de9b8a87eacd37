"""Parameterised queries over the indicator_values view; a read-only connection in, pandas frames out.

SQL here never contains user text: every filter is a bound parameter.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from rolgov import regions as R


def scope_codes(root: str, year: int | None = None) -> list[str]:
    """The root's total, its own level and its county-level units (canonical codes). The country
    (rolgov.geo.COUNTRY, 000000) is every province's; a county-level unit's is itself alone."""
    return list(_scope_codes(root, year))


def county_codes(root: str, year: int | None = None) -> list[str]:
    """The county-level units under a root (107 for 陕西省, 2,846 for the country; none under a county:
    the material generator tells a county's draft from a city's by that)."""
    return list(_county_codes(root, year))


@R.derived(maxsize=256)  # read-only: _scope_codes and _county_codes both read it, so a year is walked once
def _units(root: str, year: int | None) -> pd.DataFrame:
    from rolgov.geo.layers import COUNTRY  # here, so that the ETL importing this module does not load plotly

    if root == COUNTRY:
        ref = R.reference()
        provinces = ref.loc[ref["level"] == "province", "code"].unique()
        return pd.concat([R.scope_units(p, year) for p in provinces]).drop_duplicates("canonical_code")
    return R.scope_units(root, year)


# Walking the national code table takes tens of milliseconds and every page asks several times
# per rerun; regions.csv does not change while the app runs, so remember the answers.
@R.derived(maxsize=256)
def _scope_codes(root: str, year: int | None) -> tuple[str, ...]:
    units = _units(root, year)
    return tuple(dict.fromkeys([root, *units["canonical_code"].tolist()]))


@R.derived(maxsize=256)
def _county_codes(root: str, year: int | None) -> tuple[str, ...]:
    units = _units(root, year)
    return tuple(units.loc[units["level"] == "county", "canonical_code"].tolist())


def values(
    con: duckdb.DuckDBPyConnection,
    region_codes: list[str] | None = None,
    years: list[int] | None = None,
    indicator_ids: list[str] | None = None,
) -> pd.DataFrame:
    """Current values, filtered; columns as the indicator_values view."""
    # `x IN (SELECT unnest($list))` is a hash semi-join; list_contains($list, x) scans the list for every
    # row, which at the country's 3,000 units and millions of rows took seconds
    clauses, params = [], {}
    if region_codes is not None:
        clauses.append("region_code IN (SELECT unnest($regions))")
        params["regions"] = list(region_codes)
    if years is not None:
        clauses.append("year IN (SELECT unnest($years))")
        params["years"] = [int(y) for y in years]
    if indicator_ids is not None:
        clauses.append("indicator_id IN (SELECT unnest($ids))")
        params["ids"] = list(indicator_ids)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return con.execute(
        f"SELECT region_code, region_name, year, indicator_id, value, is_sample, batch_id, value_kind, scope "
        f"FROM indicator_values {where} ORDER BY region_code, year, indicator_id",
        params,
    ).df()


def years(con: duckdb.DuckDBPyConnection, region_codes: list[str] | None = None) -> list[int]:
    if region_codes is None:
        rows = con.execute("SELECT DISTINCT year FROM indicator_values ORDER BY year").fetchall()
    else:
        rows = con.execute(
            "SELECT DISTINCT year FROM indicator_values WHERE region_code IN (SELECT unnest($r)) ORDER BY year",
            {"r": list(region_codes)},
        ).fetchall()
    return [int(r[0]) for r in rows]


def totals_with_data(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Provinces and cities with at least one whole-area total in the database (the scopes to offer first)."""
    rows = con.execute(
        "SELECT DISTINCT region_code FROM indicator_values WHERE scope = 'total' ORDER BY region_code"
    ).fetchall()
    return [r[0] for r in rows]


def sample_share(con: duckdb.DuckDBPyConnection) -> float:
    """Share of current values that come from the sample set (1.0 = all sample)."""
    rows = con.execute("SELECT avg(is_sample::INTEGER) FROM indicator_values").fetchall()
    return float(rows[0][0] or 0.0)


def batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, oldest first: the one listing (etl history, the data page, rollback choices)."""
    return con.execute(
        "SELECT batch_id, file_name, loaded_at, loaded_by, rows_read, rows_new, rows_changed, rows_unchanged, "
        "rows_blank, regions, years, is_sample, rolled_back_at, rolled_back_by, sha256 FROM batches ORDER BY batch_id"
    ).df()


def batch_labels(con: duckdb.DuckDBPyConnection, batch_ids: list[int]) -> dict[int, str]:
    """batch id -> 'file (loaded YYYY-MM-DD)' for chart captions."""
    if not batch_ids:
        return {}
    rows = con.execute(
        "SELECT batch_id, file_name, loaded_at FROM batches WHERE list_contains($ids, batch_id)",
        {"ids": [int(b) for b in batch_ids]},
    ).fetchall()
    return {int(b): f"{f}（{t:%Y-%m-%d}）" for b, f, t in rows}


def latest_batch_per_region(
    con: duckdb.DuckDBPyConnection, region_codes: list[str], year: int | None = None
) -> pd.DataFrame:
    """For each region: its newest live batch that supplied a value (for that year, when given), with file,
    time and user."""
    return (
        con.execute(
            """
        SELECT o.region_code, max(o.batch_id) AS batch_id
        FROM observations o JOIN batches b USING (batch_id)
        WHERE b.rolled_back_at IS NULL AND o.region_code IN (SELECT unnest($r))
          AND ($year IS NULL OR o.year = $year)
        GROUP BY o.region_code
        """,
            {"r": list(region_codes), "year": int(year) if year is not None else None},
        )
        .df()
        .merge(
            con.execute("SELECT batch_id, file_name, loaded_at, loaded_by FROM batches").df(), on="batch_id", how="left"
        )
    )


def reported_matrix(con: duckdb.DuckDBPyConnection, region_codes: list[str], indicator_ids: list[str]) -> pd.DataFrame:
    """region_code, year, indicator_id for every reported base value in scope (for completeness)."""
    return con.execute(
        "SELECT region_code, year, indicator_id FROM indicator_values WHERE value_kind = 'reported' "
        "AND region_code IN (SELECT unnest($r)) AND indicator_id IN (SELECT unnest($i))",
        {"r": list(region_codes), "i": list(indicator_ids)},
    ).df()
