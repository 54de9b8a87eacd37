"""Check raw rows against metrics.yml, the regions and the current data; return clean rows and every problem.

All checks run on whole columns in DuckDB; Python only touches the distinct region and indicator
spellings (a few hundred at most), never one row at a time.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import pandas as pd
import pyarrow as pa

from etl import problems as P
from etl.numbers import boolean_sql, cleaned_sql, parse_sql
from etl.read import RAW_COLUMNS
from rolgov import regions as R
from rolgov.catalog import Catalog, indicator_table

FIRST_YEAR = 2000
RAW_TYPES = {c: ("Int64" if c == "row" else "string[pyarrow]") for c in RAW_COLUMNS}
CLEAN_COLUMNS = ["region_code", "year", "indicator_id", "value", "note", "source_sheet", "source_row"]

# The largest absolute value any indicator of a unit can plausibly take, whatever its valid range in
# metrics.yml says: beyond it a figure is a typo or an attack (1e30, 1e308, 1e309 read as infinity),
# and one such value turns a city total into "inf次" in a draft. Counts: more than the population of
# China times ten; 万元: 10^14 yuan; 万人: 2 billion people. Every unit of catalog.UNITS has one.
UNIT_BOUNDS: dict[str, float] = {
    **dict.fromkeys(("次", "场", "条", "件", "项", "个", "名", "人", "人次"), 1e10),
    "%": 1e6,
    "万元": 1e10,
    "万人": 2e5,
    "是/否": 1.0,
}


@dataclass
class Validation:
    """What validate() found: the first problems (all when not capped), how many per rule, and the counts."""

    problems: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    blank: int = 0
    values: int = 0
    clean: pd.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return self.problems.empty


def last_year() -> int:
    return dt.date.today().year


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, list[tuple[str, float, float]]]:
    """alias -> [(canonical_code, valid_from, valid_to)], built once per process."""
    table = R.aliases(R.reference())
    index: dict[str, list[tuple[str, float, float]]] = {}
    for alias, code, start, end in zip(
        table["alias"],
        table["canonical_code"],
        table["valid_from"].astype("Float64").fillna(0),
        table["valid_to"].astype("Float64").fillna(9999),
        strict=True,
    ):
        index.setdefault(alias, []).append((code, float(start), float(end)))
    return index


@lru_cache(maxsize=8)
def _scope_codes(root: str) -> frozenset[str]:
    regions = R.reference()
    codes = set(R.descendants(regions, root)["canonical_code"])
    codes.add(root)
    return frozenset(codes)


def _pick(hits: list[tuple[str, float, float]], year, scope: frozenset[str]) -> list[str]:
    """Narrow candidate codes: first to those valid in the year, then to those inside the scope."""
    codes = list(dict.fromkeys(h[0] for h in hits))
    if len(codes) > 1 and pd.notna(year):
        valid = list(dict.fromkeys(h[0] for h in hits if h[1] <= year <= h[2]))
        codes = valid or codes
    if len(codes) > 1:
        codes = [c for c in codes if c in scope] or codes
    return codes


def resolve_regions(pairs: pd.DataFrame, scope_root: str) -> pd.DataFrame:
    """For distinct (region_text, year): canonical code or a status (unknown/ambiguous) with detail.

    Names are looked up once each; only a name that matches several units is resolved year by year.
    """
    regions = R.reference()
    index = _alias_index()
    scope = _scope_codes(scope_root)
    own_words = ("市本级", "本级", "市级", "县本级")
    columns = ["region_text", "year", "region_code", "status", "detail"]
    by_text: dict[str, tuple] = {}
    ambiguous: dict[str, list] = {}
    for text in pairs["region_text"].unique():  # distinct names, not rows
        norm = R.normalise_name(text)
        if norm in own_words:
            norm = R.own_level_code(scope_root).lower()
        hits = index.get(norm, [])
        codes = list(dict.fromkeys(h[0] for h in hits))
        if len(codes) == 1:
            by_text[text] = (codes[0], "ok", "")
        elif not codes:
            by_text[text] = (None, "region_unknown", _suggest_region(norm, scope))
        else:
            ambiguous[text] = hits
    plain = pairs[~pairs["region_text"].isin(list(ambiguous))]
    resolved = pd.DataFrame(
        {
            "region_text": plain["region_text"].to_numpy(),
            "year": plain["year"].to_numpy(),
            "region_code": plain["region_text"].map(lambda x: by_text[x][0]).to_numpy(),
            "status": plain["region_text"].map(lambda x: by_text[x][1]).to_numpy(),
            "detail": plain["region_text"].map(lambda x: by_text[x][2]).to_numpy(),
        },
        columns=columns,
    )
    rows = []
    for text, year in pairs.loc[pairs["region_text"].isin(list(ambiguous)), ["region_text", "year"]].itertuples(
        index=False
    ):
        picked = _pick(ambiguous[text], year, scope)  # a name matching several units: year by year
        if len(picked) == 1:
            rows.append((text, year, picked[0], "ok", ""))
        else:
            names = "；".join(f"{c} {R.name_of(c, None)}（{_parent_name(regions, c)}）" for c in picked[:6])
            rows.append((text, year, None, "region_ambiguous", names))
    return pd.concat([resolved, pd.DataFrame(rows, columns=columns)], ignore_index=True) if rows else resolved


def _parent_name(regions: pd.DataFrame, code: str) -> str:
    parent = regions.loc[regions["code"] == code, "parent_code"]
    return R.name_of(parent.iloc[-1]) if len(parent) and parent.iloc[-1] else ""


def _suggest_region(norm: str, scope: frozenset[str]) -> str:
    regions = R.reference()
    names = list(regions.loc[regions["code"].isin(scope), "name_zh"].unique())
    close = difflib.get_close_matches(norm, names, n=3, cutoff=0.4)
    if not close:
        close = difflib.get_close_matches(norm, list(regions["name_zh"].unique()), n=3, cutoff=0.6)
    return f"；是否指 / did you mean：{'、'.join(close)}" if close else ""


def resolve_indicators(texts: list[str], catalog: Catalog) -> pd.DataFrame:
    """For distinct indicator spellings: id, or status unknown/derived with detail."""
    lookup: dict[str, str] = {}
    for ind in catalog:
        for key in (ind.id, ind.name_zh, ind.name_en):
            lookup[R.normalise_name(key).lower()] = ind.id
    choices = [i.id for i in catalog] + [i.name_zh for i in catalog]
    out = []
    for text in texts:
        hit = lookup.get(R.normalise_name(text).lower())
        if hit is None:
            close = difflib.get_close_matches(str(text), choices, n=3, cutoff=0.5)
            detail = f"；是否指 / did you mean：{'、'.join(close)}" if close else ""
            out.append((text, None, "indicator_unknown", detail))
        elif catalog[hit].derived:
            parts = "、".join(catalog[hit].formula_ids)
            out.append((text, hit, "indicator_derived", f"{catalog[hit].formula}；分量 / components: {parts}"))
        else:
            out.append((text, hit, "ok", ""))
    return pd.DataFrame(out, columns=["indicator_text", "indicator_id", "status", "detail"])


def validate(
    raw: pd.DataFrame | str,
    catalog: Catalog,
    con: duckdb.DuckDBPyConnection | None = None,
    scope_root: str = R.DEFAULT_SCOPE,
    allowed_regions: set[str] | None = None,
    current_table: str | None = None,
    return_clean: bool = True,
    listed: int | None = None,
    file_name: str = "",
) -> Validation:
    """Check raw rows; return the problems (the first `listed` of each rule, all when None), their
    count per rule, the number of blank values skipped and of clean values, and the clean rows.

    raw is a frame of RAW_COLUMNS, or a SELECT producing them (the read file's rows).
    The temp tables raw_rows (the rows read) and, for a clean file, clean_rows stay on `con`;
    return_clean=False skips building the pandas frame of clean rows (a load does not need it).
    A file with no values at all is refused as no_values (named file_name): loading it would record
    an empty batch.

    current_table names a table or view with (region_code, year, indicator_id, value) holding the
    values already stored, so component checks see a file's figures beside earlier submissions.
    allowed_regions, when given, limits which regions the file may touch (editor roles).
    """
    own = con is None
    con = con or duckdb.connect()
    try:
        return _validate(raw, catalog, con, scope_root, allowed_regions, current_table, return_clean, listed, file_name)
    finally:
        if own:
            con.close()


def _validate(raw, catalog, con, scope_root, allowed_regions, current_table, return_clean, listed, file_name):
    if isinstance(raw, str):
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw_in AS {raw}")
    else:
        con.register("raw_in", pa.Table.from_pandas(raw.astype(RAW_TYPES), preserve_index=False))
    year_sql = cleaned_sql("year_text")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE raw_rows AS
        SELECT *, TRY_CAST(regexp_extract({year_sql}, '^(\\d{{4}})(年|年度|\\.0+)?$', 1) AS INTEGER) AS year,
               {cleaned_sql("value_text")} AS value_clean,
               value_text IS NULL OR value_clean = '' AS blank
        FROM raw_in
        """
    )
    if isinstance(raw, str):
        con.execute("DROP VIEW raw_in")
    else:
        con.unregister("raw_in")
    blank_count = con.execute("SELECT count(*) FROM raw_rows WHERE blank").fetchall()[0][0]
    found: list[pd.DataFrame] = []
    counts: dict[str, int] = {}

    def problem_rows(rule: str, sql: str, params: dict | None = None) -> None:
        """Only the first `listed` rows of a rule come to Python (800,000 duplicates must not), with the count."""
        limit = f"LIMIT {int(listed)}" if listed else ""
        frame = con.execute(
            f"SELECT *, count(*) OVER () AS found_count FROM ({sql}) ORDER BY sheet, row {limit}", params or {}
        ).df()
        if not frame.empty:
            counts[rule] = counts.get(rule, 0) + int(frame["found_count"].iloc[0])
            found.append(P.make(rule, frame.drop(columns="found_count")))

    # A formula in a value cell, even one with no stored result (which reads as blank).
    problem_rows(
        "formula_cell",
        "SELECT file, sheet, row, value_col AS column, coalesce(value_text, '') AS value, formula AS detail "
        "FROM raw_rows WHERE formula IS NOT NULL",
    )
    # Fields missing on rows that carry a value.
    for text_column, label in (
        ("region_text", "地区 / region"),
        ("year_text", "年份 / year"),
        ("indicator_text", "指标 / indicator"),
    ):
        col = text_column.replace("_text", "_col")
        problem_rows(
            "field_blank",
            f"SELECT file, sheet, row, {col} AS column, '' AS value, '{label}' AS detail FROM raw_rows "
            f"WHERE NOT blank AND ({text_column} IS NULL OR trim({text_column}) = '')",
        )
    problem_rows(
        "year_invalid",
        "SELECT file, sheet, row, year_col AS column, year_text AS value, $range AS detail FROM raw_rows "
        "WHERE NOT blank AND year_text IS NOT NULL AND trim(year_text) <> '' "
        "AND (year IS NULL OR year < $first OR year > $last)",
        {"range": f"{FIRST_YEAR}–{last_year()}", "first": FIRST_YEAR, "last": last_year()},
    )

    pairs = con.execute(
        "SELECT DISTINCT region_text, year FROM raw_rows WHERE NOT blank AND region_text IS NOT NULL"
    ).df()
    region_map = (
        resolve_regions(pairs, scope_root)
        if not pairs.empty
        else pd.DataFrame(columns=["region_text", "year", "region_code", "status", "detail"])
    )
    texts = [
        t
        for t in con.execute(
            "SELECT DISTINCT indicator_text FROM raw_rows WHERE NOT blank AND indicator_text IS NOT NULL"
        ).df()["indicator_text"]
    ]
    indicator_map = resolve_indicators(texts, catalog)
    con.register("region_map", region_map)
    con.register("indicator_map", indicator_map)
    info = indicator_table(catalog)
    con.register("indicator_info", info.assign(bound=info["unit"].map(UNIT_BOUNDS).fillna(1e10)))
    for rule in ("region_unknown", "region_ambiguous"):
        problem_rows(
            rule,
            "SELECT r.file, r.sheet, r.row, r.region_col AS column, r.region_text AS value, m.detail "
            "FROM raw_rows r JOIN region_map m ON m.region_text = r.region_text "
            "AND m.year IS NOT DISTINCT FROM r.year WHERE NOT r.blank AND m.status = $rule",
            {"rule": rule},
        )
    for rule in ("indicator_unknown", "indicator_derived"):
        problem_rows(
            rule,
            "SELECT r.file, r.sheet, r.row, r.indicator_col AS column, r.indicator_text AS value, m.detail "
            "FROM raw_rows r JOIN indicator_map m ON m.indicator_text = r.indicator_text "
            "WHERE NOT r.blank AND m.status = $rule",
            {"rule": rule},
        )

    number, has_pct = parse_sql("r.value_clean", cleaned=True)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT r.file, r.sheet, r.row, r.region_col, r.value_col, r.value_text, r.note, r.formula, r.year,
               rm.region_code, im.indicator_id, i.kind, i.unit, i.name_zh, i.range_low AS low, i.range_high AS high,
               CASE WHEN i.kind = 'boolean' THEN coalesce({boolean_sql("r.value_clean")}, {number})
                    ELSE {number} END AS number,
               {has_pct} AS has_pct, i.bound
        FROM raw_rows r
        JOIN region_map rm ON rm.region_text = r.region_text AND rm.year IS NOT DISTINCT FROM r.year
             AND rm.status = 'ok'
        JOIN indicator_map im ON im.indicator_text = r.indicator_text AND im.status = 'ok'
        JOIN indicator_info i ON i.indicator_id = im.indicator_id
        WHERE NOT r.blank AND r.year BETWEEN $first AND $last
        """,
        {"first": FIRST_YEAR, "last": last_year()},
    )
    problem_rows(
        "implausible",
        "SELECT file, sheet, row, value_col AS column, value_text AS value, printf('%g', bound) AS detail "
        "FROM parsed WHERE isinf(number) OR abs(number) > bound",
    )
    # past this point a number is either plausible or refused once, as implausible, and no other rule sees it
    con.execute("ALTER TABLE parsed ADD COLUMN implausible BOOLEAN DEFAULT false")
    con.execute(
        "UPDATE parsed SET number = NULL, has_pct = false, implausible = true "
        "WHERE isinf(number) OR abs(number) > bound"
    )
    cell = "SELECT file, sheet, row, value_col AS column, value_text AS value"
    unparsed = "number IS NULL AND NOT implausible"
    problem_rows("not_number", f"{cell}, '' AS detail FROM parsed WHERE {unparsed} AND kind <> 'boolean'")
    problem_rows("not_boolean", f"{cell}, '' AS detail FROM parsed WHERE {unparsed} AND kind = 'boolean'")
    problem_rows("percent_sign", f"{cell}, unit AS detail FROM parsed WHERE has_pct AND kind <> 'percent'")
    problem_rows(
        "fraction_percent",
        f"{cell}, '' AS detail FROM parsed WHERE kind = 'percent' AND NOT has_pct AND number > 0 AND number < 1",
    )
    problem_rows(
        "out_of_range",
        f"{cell}, '[' || coalesce(printf('%g', low), '-∞') || ', ' "
        "|| coalesce(printf('%g', high) || ']', '∞)') AS detail "
        "FROM parsed WHERE number IS NOT NULL AND (number < low OR number > high)",
    )
    problem_rows(
        "not_whole",
        f"{cell}, '' AS detail FROM parsed WHERE kind = 'count' AND number IS NOT NULL AND number <> round(number)",
    )
    problem_rows(
        "duplicate",
        """
        SELECT file, sheet, row, value_col AS column, value_text AS value,
               '首次出现于第' || first_row || '行 / first at row ' || first_row AS detail
        FROM (SELECT *, min(row) OVER (PARTITION BY region_code, year, indicator_id) AS first_row,
                     count(*) OVER (PARTITION BY region_code, year, indicator_id) AS n FROM parsed)
        WHERE n > 1 AND row <> first_row
        """,
    )
    if allowed_regions is not None:
        allowed = sorted(allowed_regions)
        refused = con.execute(
            "SELECT file, min(sheet) AS sheet, min(row) AS row, min(region_col) AS column, "
            "region_code AS value FROM parsed WHERE NOT list_contains($allowed, region_code) "
            "GROUP BY file, region_code ORDER BY row",
            {"allowed": allowed},
        ).df()
        refused["value"] = [f"{code} {R.name_of(code)}" for code in refused["value"]]
        refused["detail"] = "、".join(f"{c} {R.name_of(c)}" for c in allowed) or "（无 / none）"
        found.append(P.make("region_not_allowed", refused))
    _check_components(con, catalog, current_table, found)

    problems = P.combine(found)
    for rule in ("region_not_allowed", "inconsistent"):  # listed whole: one per region, or a handful
        n = int((problems["rule"] == rule).sum()) if not problems.empty else 0
        if n:
            counts[rule] = n
    if not problems.empty:
        return Validation(P.first(problems, listed), counts, int(blank_count))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE clean_rows AS
        SELECT region_code, year::SMALLINT AS year, indicator_id, number AS value, note,
               sheet AS source_sheet, row::INTEGER AS source_row
        FROM parsed
        """
    )
    values = con.execute("SELECT count(*) FROM clean_rows").fetchall()[0][0]
    if values == 0:
        return Validation(P.one("no_values", file_name), {"no_values": 1}, int(blank_count))
    # A load inserts straight from clean_rows; only callers that show the rows pull them into pandas.
    clean = con.execute("SELECT * FROM clean_rows ORDER BY source_sheet, source_row").df() if return_clean else None
    return Validation(P.empty(), {}, int(blank_count), int(values), clean)


def _check_components(con, catalog: Catalog, current_table: str | None, found: list) -> None:
    """at_most rules: a value may not exceed another (adopted <= received), using stored values too."""
    pairs = [(i.id, other) for i in catalog for other in i.at_most]
    if not pairs:
        return
    con.register("at_most_pairs", pd.DataFrame(pairs, columns=["small", "big"]))
    stored = (
        f"""UNION ALL
        SELECT NULL, NULL, NULL, NULL, c.region_code, c.year, c.indicator_id, c.value, 'stored' AS origin
        FROM {current_table} c
        WHERE list_contains($ids, c.indicator_id)
          AND (c.region_code, c.year) IN (SELECT region_code, year FROM parsed)
          AND NOT EXISTS (SELECT 1 FROM parsed p WHERE p.region_code = c.region_code
                          AND p.year = c.year AND p.indicator_id = c.indicator_id)"""
        if current_table
        else ""
    )
    frame = con.execute(
        f"""
        WITH v AS (
            SELECT file, sheet, row, value_col, region_code, year, indicator_id, number AS value,
                   'file' AS origin FROM parsed
            WHERE number IS NOT NULL AND list_contains($ids, indicator_id)
            {stored}
        )
        SELECT coalesce(s.file, b.file) AS file, coalesce(s.sheet, b.sheet) AS sheet,
               coalesce(s.row, b.row) AS row, coalesce(s.value_col, b.value_col) AS column,
               s.value AS small_value, b.value AS big_value, p.small, p.big,
               s.origin AS small_origin, b.origin AS big_origin
        FROM at_most_pairs p
        JOIN v s ON s.indicator_id = p.small
        JOIN v b ON b.indicator_id = p.big AND b.region_code = s.region_code AND b.year = s.year
        WHERE s.value > b.value AND (s.origin = 'file' OR b.origin = 'file')
        """,
        {"ids": sorted({i for pair in pairs for i in pair})},
    ).df()
    con.unregister("at_most_pairs")
    if frame.empty:
        return

    def describe(r) -> str:
        small, big = catalog[r.small], catalog[r.big]
        stored_note = "（库中已有值 / stored value）"
        return (
            f"「{small.name_zh}」{r.small_value:g}{stored_note if r.small_origin == 'stored' else ''} 大于"
            f"「{big.name_zh}」{r.big_value:g}{stored_note if r.big_origin == 'stored' else ''} / "
            f"{small.name_en} ({r.small_value:g}) exceeds {big.name_en} ({r.big_value:g})"
        )

    frame["detail"] = [describe(r) for r in frame.itertuples()]
    frame["value"] = frame["small_value"].map(lambda v: f"{v:g}")
    found.append(P.make("inconsistent", frame[["file", "sheet", "row", "column", "value", "detail"]]))


def changes_sql(incoming: str) -> str:
    """Each incoming value beside the stored reported one, with status new | changed | unchanged.

    The one diff: the upload preview (in the checking child) and the load's counts both run it.
    """
    return f"""
        SELECT i.region_code, i.year, i.indicator_id, c.value AS old_value, i.value AS new_value,
               c.batch_id AS old_batch,
               CASE WHEN c.value IS NULL THEN 'new' WHEN c.value = i.value THEN 'unchanged'
                    ELSE 'changed' END AS status
        FROM {incoming} i
        LEFT JOIN current_values c ON c.region_code = i.region_code AND c.year = i.year
             AND c.indicator_id = i.indicator_id AND c.value_kind = 'reported'
        """
