"""Check raw rows against metrics.yml, the regions and the current data; return clean rows and every problem.

In: the raw rows of one file (a table or view of etl.raw.RAW_COLUMNS on a DuckDB connection), the
catalog and the values already stored. Out: a Validation (the first problems of each rule and how many
each rule found, the blank, skipped and clean values) and, on the connection, the view clean_rows.

How it stays fast on a national file (2.6 million rows): Python only sees distinct spellings (a few
thousand region names, the indicator names, the years), and each distinct value text is parsed once in
SQL; one pass joins every row to them into a compact table (checked: integer codes, the number,
flags); one more pass counts what each rule finds, and only a rule that found something runs the query
that names the place, value and detail of its first rows. Duplicates and the at_most rules are found
on integer keys, and their rows are looked up only when there are some.

A reviewed candidates file (`python -m etl extract`) loads what a person kept, as the review path does
(rolgov/review.py): with a 状态/status column, rejected (拒绝) rows are dropped, and once any row is
accepted (接受) only accepted rows are kept; a kept row still flagged (待核对) is refused (row_pending).
With a 限定/qualifier column, rows whose qualifier is not exact (a blank one counts as exact), rows
without an indicator and rows naming a computed indicator are skipped, and counted. The 来源 (and 位置)
of a kept row go in front of its note in the review path's form, so `python -m rolgov.review source`
finds the sentence behind the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from etl import problems as P
from etl.numbers import boolean_sql, cleaned_sql, parse_sql
from etl.resolve import region_names, regions_by_year, resolve_indicators, resolve_regions  # noqa: F401 - etl.extract imports resolve_regions from here
from rolgov import regions as R
from rolgov.catalog import Catalog, indicator_table

FIRST_YEAR = 2000
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

# A candidates file's words (python -m etl extract writes the English ones; people may type the Chinese)
ACCEPTED, REJECTED, FLAGGED = ("accepted", "接受"), ("rejected", "拒绝"), ("flagged", "待核对")
EXACT = ("", "exact")
# The words python -m etl extract writes before a figure that is not an exact yearly value (约1000, 累计374,
# 其中1105, 变化12.3%, 目标100%): a person who sets the qualifier to exact means the figure, as the review
# path (rolgov/review.py) reads it.
QUALIFIER_WORDS = "^(约|累计|其中|变化|目标)"
VALUE_KEY = (
    f"CASE WHEN r.qualifier_col IS NOT NULL THEN regexp_replace(r.value_text, '{QUALIFIER_WORDS}', '') "
    "ELSE r.value_text END"
)
SKIPPED = {1: "rejected", 2: "not_accepted", 3: "not_exact", 4: "no_indicator", 5: "computed"}
REGION_RULES = {1: "region_unknown", 2: "region_ambiguous"}
INDICATOR_RULES = {1: "indicator_unknown", 2: "indicator_derived"}


@dataclass
class Validation:
    """What validate() found: the first problems (all when not capped), how many per rule, and the counts."""

    problems: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    blank: int = 0
    values: int = 0
    clean: pd.DataFrame | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # rows of a candidates file not loaded, by reason

    @property
    def ok(self) -> bool:
        return self.problems.empty


def last_year() -> int:
    return dt.date.today().year


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


# The rules a row can break, each a bit of checked.fault: (rule, bit, condition on one joined row).
# `live`: a row that is neither skipped nor pending; `parsed`: live, with a value, a known region and
# indicator and a year in range (only those are numbers to judge); `number` is already NULL when implausible.
FAULTS = [
    ("formula_cell", 1 << 0, "live AND has_formula"),
    ("region_blank", 1 << 1, "live AND NOT blank AND region_empty"),
    ("year_blank", 1 << 2, "live AND NOT blank AND year_empty"),
    ("indicator_blank", 1 << 3, "live AND NOT blank AND indicator_empty"),
    ("year_invalid", 1 << 4, "live AND NOT blank AND NOT year_empty AND NOT in_years"),
    ("region_unknown", 1 << 5, "live AND NOT blank AND region_rule = 1"),
    ("region_ambiguous", 1 << 6, "live AND NOT blank AND region_rule = 2"),
    ("indicator_unknown", 1 << 7, "live AND NOT blank AND indicator_rule = 1"),
    ("indicator_derived", 1 << 8, "live AND NOT blank AND indicator_rule = 2"),
    ("row_pending", 1 << 9, "pending"),
    ("implausible", 1 << 10, "implausible"),
    ("not_number", 1 << 11, "parsed AND number IS NULL AND NOT implausible AND kind <> 'boolean'"),
    ("not_boolean", 1 << 12, "parsed AND number IS NULL AND NOT implausible AND kind = 'boolean'"),
    ("percent_sign", 1 << 13, "parsed AND has_pct AND kind <> 'percent'"),
    ("fraction_percent", 1 << 14, "parsed AND kind = 'percent' AND NOT has_pct AND number > 0 AND number < 1"),
    ("out_of_range", 1 << 15, "parsed AND number IS NOT NULL AND (number < range_low OR number > range_high)"),
    ("not_whole", 1 << 16, "parsed AND kind = 'count' AND number IS NOT NULL AND number <> round(number)"),
]
# What each rule's problems show: the column, the value and the detail (SQL over raw r, ids i, the map m)
_BLANK = "SELECT r.file, r.sheet, r.row, r.{0}_col AS column, '' AS value, '{1}' AS detail"
_CELL = "SELECT r.file, r.sheet, r.row, r.value_col AS column, r.value_text AS value, {0} AS detail"
_NAME = "SELECT r.file, r.sheet, r.row, r.{0}_col AS column, r.{0}_text AS value, m.detail"
SHOWN = {
    "formula_cell": "SELECT r.file, r.sheet, r.row, r.value_col AS column, coalesce(r.value_text, '') AS value, "
    "r.formula AS detail",
    "region_blank": _BLANK.format("region", "地区 / region"),
    "year_blank": _BLANK.format("year", "年份 / year"),
    "indicator_blank": _BLANK.format("indicator", "指标 / indicator"),
    "year_invalid": "SELECT r.file, r.sheet, r.row, r.year_col AS column, r.year_text AS value, $range AS detail",
    "region_unknown": _NAME.format("region"),
    "region_ambiguous": _NAME.format("region"),
    "indicator_unknown": _NAME.format("indicator"),
    "indicator_derived": _NAME.format("indicator"),
    "row_pending": "SELECT r.file, r.sheet, r.row, r.status_col AS column, r.status AS value, '' AS detail",
    "implausible": _CELL.format("printf('%g', i.bound)"),
    "not_number": _CELL.format("''"),
    "not_boolean": _CELL.format("''"),
    "percent_sign": _CELL.format("i.unit"),
    "fraction_percent": _CELL.format("''"),
    "out_of_range": _CELL.format(
        "'[' || coalesce(printf('%g', i.range_low), '-∞') || ', ' || coalesce(printf('%g', i.range_high) || ']', '∞)')"
    ),
    "not_whole": _CELL.format("''"),
}
MAPS = {  # the lookup a rule's detail comes from
    # a name read whatever the year is keyed -1 (region_map), one read year by year by its year
    "region_unknown": "JOIN region_detail m ON m.region_text = r.region_text AND m.year_key IN (-1, c.year)",
    "region_ambiguous": "JOIN region_detail m ON m.region_text = r.region_text AND m.year_key IN (-1, c.year)",
    "indicator_unknown": "JOIN indicator_map m ON m.indicator_text = r.indicator_text",
    "indicator_derived": "JOIN indicator_map m ON m.indicator_text = r.indicator_text",
}


def validate(
    raw: str,
    catalog: Catalog,
    con: duckdb.DuckDBPyConnection,
    scope_root: str = R.DEFAULT_SCOPE,
    allowed_regions: set[str] | None = None,
    current_table: str | None = None,
    return_clean: bool = True,
    listed: int | None = None,
    file_name: str = "",
) -> Validation:
    """Check the rows of `raw` (a table or view on `con`); return the problems (the first `listed` of each
    rule, all when None), their count per rule, the blank and skipped values, the clean ones.

    The view clean_rows (CLEAN_COLUMNS) stays on `con` for a clean file; return_clean=False skips
    building its pandas frame (a load hands the rows back as Parquet instead). A file with no values at
    all is refused as no_values (named file_name): loading it would record an empty batch.

    current_table names a table or view with (region_code, year, indicator_id, value) holding the
    values already stored, so component checks see a file's figures beside earlier submissions.
    allowed_regions, when given, limits which regions the file may touch (editor roles).
    """
    _spellings(raw, catalog, con, scope_root)
    _check_rows(raw, con)
    found: list[pd.DataFrame] = []
    counts: dict[str, int] = {}
    first, last = FIRST_YEAR, last_year()
    faults, parsed, blank, *skips = con.execute(
        "SELECT bit_or(fault), count(*) FILTER (parsed), count(*) FILTER (blank AND skip IS NULL "
        f"AND (fault & {1 << 9}) = 0), {', '.join(f'count(*) FILTER (skip = {k})' for k in SKIPPED)} FROM checked"
    ).fetchall()[0]
    skipped = {SKIPPED[k]: int(n) for k, n in zip(SKIPPED, skips, strict=True) if n}

    def problem_rows(rule: str, sql: str, params: dict | None = None) -> None:
        """Only the first `listed` rows of a rule come to Python (800,000 duplicates must not), with the count."""
        limit = f"LIMIT {int(listed)}" if listed else ""
        frame = con.execute(
            f"SELECT *, count(*) OVER () AS found_count FROM ({sql}) ORDER BY sheet, row {limit}", params or {}
        ).df()
        if not frame.empty:
            counts[rule] = counts.get(rule, 0) + int(frame["found_count"].iloc[0])
            found.append(P.make(rule, frame.drop(columns="found_count")))

    for name, bit, _ in FAULTS if faults else []:  # a clean file skips straight past the rules
        if faults & bit:
            rule = "field_blank" if name.endswith("_blank") else name
            problem_rows(
                rule,
                f"{SHOWN[name]} FROM checked c JOIN {raw} r USING (sheet, row) LEFT JOIN ids i USING (iid) "
                f"{MAPS.get(name, '')} WHERE (c.fault & {bit}) <> 0",
                {"range": f"{first}–{last}"} if name == "year_invalid" else None,
            )
    has_pairs = _region_years(con, catalog, current_table)
    _duplicates(con, raw, problem_rows)
    if allowed_regions is not None:
        found.append(_not_allowed(con, raw, allowed_regions))
    if has_pairs:
        _check_components(con, raw, catalog, found)

    problems = P.combine(found)
    for rule in ("region_not_allowed", "inconsistent"):  # listed whole: one per region, or a handful
        n = int((problems["rule"] == rule).sum()) if not problems.empty else 0
        if n:
            counts[rule] = n
    if not problems.empty:
        return Validation(P.first(problems, listed), counts, int(blank), skipped=skipped)
    con.execute(
        """
        CREATE OR REPLACE TEMP VIEW clean_rows AS
        SELECT k.region_code, c.year, i.indicator_id, c.number AS value, c.note,
               c.sheet AS source_sheet, c.row::INTEGER AS source_row
        FROM checked c JOIN codes k USING (cid) JOIN ids i USING (iid) WHERE c.parsed
        """
    )
    if parsed == 0:
        return Validation(P.one("no_values", file_name), {"no_values": 1}, int(blank), skipped=skipped)
    # A load hands the rows back as Parquet; only callers that show the rows pull them into pandas.
    clean = con.execute("SELECT * FROM clean_rows ORDER BY source_sheet, source_row").df() if return_clean else None
    return Validation(P.empty(), {}, int(blank), int(parsed), clean, skipped)


_tables: dict[int, tuple] = {}


def _catalog_tables(catalog: Catalog) -> tuple[pd.DataFrame, dict[str, int], pd.DataFrame]:
    """What validation needs of the catalog, built once per catalog (the checking server keeps it for its
    children): ids (one row per indicator, its number iid), iid by id, and pair_roles (for each at_most
    pair k: the small indicator's iid with role 0, the big one's with role 1)."""
    if id(catalog) not in _tables:
        info = indicator_table(catalog).reset_index(drop=True)
        iid = {name: n for n, name in enumerate(info["indicator_id"])}
        ids = info[["indicator_id", "kind", "unit", "name_zh", "range_low", "range_high"]].assign(
            iid=range(len(info)),
            bound=info["unit"].map(UNIT_BOUNDS).fillna(1e10),
            derived=[catalog[i].derived for i in info["indicator_id"]],
        )
        pairs = [(iid[i.id], iid[other]) for i in catalog for other in i.at_most]
        roles = [(s, k, 0) for k, (s, _) in enumerate(pairs)] + [(b, k, 1) for k, (_, b) in enumerate(pairs)]
        _tables[id(catalog)] = (ids, iid, pd.DataFrame(roles, columns=["iid", "k", "role"], dtype="int64"), catalog)
    ids, iid, roles, _catalog = _tables[id(catalog)]  # the catalog is kept, so its id is not reused
    return ids, iid, roles


def _register(con, name: str, frame: pd.DataFrame) -> None:
    con.register(f"{name}_df", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
    con.unregister(f"{name}_df")


def _spellings(raw: str, catalog: Catalog, con, scope_root: str) -> None:
    """Lookup tables on `con`, one row per distinct spelling: year_map, value_map (values parsed in SQL once
    per distinct text), region_map and region_by_year (+ codes), indicator_map (+ ids) resolved in Python."""
    year = f"regexp_extract({cleaned_sql('year_text')}, '^(\\d{{4}})(年|年度|\\.0+)?$', 1)"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE year_map AS
        SELECT year_text, trim(year_text) = '' AS empty, TRY_CAST({year} AS INTEGER) AS year
        FROM (SELECT DISTINCT year_text FROM {raw} WHERE year_text IS NOT NULL)
        """
    )
    number, has_pct = parse_sql("value_clean", cleaned=True)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE value_map AS
        SELECT value_text, value_clean = '' AS blank, {number} AS number, {has_pct} AS has_pct,
               coalesce({boolean_sql("value_clean")}, {number}) AS yes_no
        FROM (SELECT value_text, {cleaned_sql("value_text")} AS value_clean
              FROM (SELECT DISTINCT {VALUE_KEY} AS value_text FROM {raw} r WHERE r.value_text IS NOT NULL))
        """
    )
    texts = con.execute(f"SELECT DISTINCT region_text FROM {raw} WHERE region_text IS NOT NULL").df()["region_text"]
    plain, ambiguous = region_names(list(texts), scope_root)
    if ambiguous:  # names several units share: read in the year of each row
        con.register("ambiguous_df", pd.DataFrame({"region_text": list(ambiguous)}))
        pairs = con.execute(
            f"SELECT DISTINCT r.region_text, y.year FROM {raw} r JOIN ambiguous_df a USING (region_text) "
            "LEFT JOIN year_map y USING (year_text)"
        ).df()
        con.unregister("ambiguous_df")
        by_year = regions_by_year(pairs, ambiguous, scope_root)
    else:
        by_year = pd.DataFrame(columns=["region_text", "year", "region_code", "status", "detail"])
    codes = sorted(set(plain.loc[plain["status"] == "ok", "region_code"]) | set(by_year["region_code"].dropna()))
    cid = {code: n for n, code in enumerate(codes)}
    rules = {"ok": 0} | {v: k for k, v in REGION_RULES.items()}

    def region_frame(frame: pd.DataFrame, by_year: bool) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "region_text": frame["region_text"].astype(str),
                "year_key": pd.to_numeric(frame["year"]).fillna(-1).astype("int64") if by_year else -1,
                "cid": frame["region_code"].map(cid).astype("Int64"),
                "rule": frame["status"].map(rules).astype("int8"),
                "detail": frame["detail"].fillna("").astype(str),
            }
        )

    _register(con, "region_map", region_frame(plain, False))
    _register(con, "region_by_year", region_frame(by_year, True))
    _register(con, "codes", pd.DataFrame({"cid": range(len(codes)), "region_code": codes}))
    con.execute(
        "CREATE OR REPLACE TEMP VIEW region_detail AS SELECT region_text, year_key, detail FROM region_map "
        "UNION ALL SELECT region_text, year_key, detail FROM region_by_year"
    )
    texts = con.execute(f"SELECT DISTINCT indicator_text FROM {raw} WHERE indicator_text IS NOT NULL").df()
    indicators = resolve_indicators(list(texts["indicator_text"]), catalog)
    ids, iid, _ = _catalog_tables(catalog)
    indicator_map = pd.DataFrame(
        {
            "indicator_text": indicators["indicator_text"].astype(str),
            "iid": indicators["indicator_id"].map(iid).astype("Int64"),
            "rule": indicators["status"].map({"ok": 0} | {v: k for k, v in INDICATOR_RULES.items()}).astype("int8"),
            "detail": indicators["detail"].fillna("").astype(str),
        }
    ).merge(ids.drop(columns=["indicator_id", "name_zh"]), on="iid", how="left")
    _register(con, "ids", ids)
    _register(con, "indicator_map", indicator_map)
    for name, column in (("region_map", "region_text"), ("indicator_map", "indicator_text")):
        con.execute(f"ALTER TABLE {name} ADD COLUMN empty BOOLEAN; UPDATE {name} SET empty = trim({column}) = ''")


def _check_rows(raw: str, con) -> None:
    """checked: one compact row per raw row (integer codes, the number, a bit per rule it breaks), one pass."""
    accepted = con.execute(
        f"SELECT coalesce(bool_or(lower(trim(status)) IN ({_words(ACCEPTED)})), false) FROM {raw} "
        "WHERE status IS NOT NULL"
    ).fetchall()[0][0]
    fault = " | ".join(f"(CASE WHEN {condition} THEN {bit} ELSE 0 END)" for _, bit, condition in FAULTS)
    # names several units share are read in each row's year; a file without any (nearly every one) skips
    # that join, a tenth of this pass over a national file's 2.6 million rows
    by_year = con.execute("SELECT count(*) FROM region_by_year").fetchall()[0][0] > 0
    by_year_join = (
        "LEFT JOIN region_by_year a ON a.region_text = r.region_text AND a.year_key = coalesce(y.year, -1)"
        if by_year
        else ""
    )
    cid, region_rule = ("coalesce(m.cid, a.cid)", "coalesce(m.rule, a.rule)") if by_year else ("m.cid", "m.rule")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        WITH joined AS (
            SELECT r.sheet, r.row, r.formula IS NOT NULL AS has_formula, coalesce(v.blank, true) AS blank,
                   CASE WHEN i.kind = 'boolean' THEN v.yes_no ELSE v.number END AS number,
                   coalesce(v.has_pct, false) AS has_pct, y.year, coalesce(y.empty, true) AS year_empty,
                   {cid} AS cid, {region_rule} AS region_rule,
                   coalesce(m.empty, r.region_text IS NULL) AS region_empty,
                   i.iid, i.rule AS indicator_rule, coalesce(i.empty, true) AS indicator_empty,
                   i.kind, i.bound, i.range_low, i.range_high, coalesce(i.derived, false) AS derived,
                   lower(trim(r.status)) AS status, r.status_col IS NOT NULL AS has_status,
                   r.qualifier_col IS NOT NULL AS has_qualifier, lower(trim(coalesce(r.qualifier, ''))) AS qualifier,
                   CASE WHEN nullif(trim(r.source), '') IS NOT NULL
                        THEN '〔来源：' || trim(r.source) || ' ' || coalesce(trim(r.place), '') || '〕'
                             || coalesce(r.note, '')
                        ELSE r.note END AS note
            FROM {raw} r
            LEFT JOIN value_map v ON v.value_text = {VALUE_KEY}
            LEFT JOIN year_map y ON y.year_text = r.year_text
            LEFT JOIN region_map m ON m.region_text = r.region_text
            {by_year_join}
            LEFT JOIN indicator_map i ON i.indicator_text = r.indicator_text
        ),
        marked AS (
            SELECT *, CASE
                WHEN status IN ({_words(REJECTED)}) THEN 1
                WHEN has_status AND $accepted AND coalesce(status, '') NOT IN ({_words(ACCEPTED)}) THEN 2
                WHEN status IN ({_words(FLAGGED)}) THEN NULL
                WHEN has_qualifier AND indicator_empty THEN 4
                WHEN has_qualifier AND derived THEN 5
                WHEN has_qualifier AND qualifier NOT IN ({_words(EXACT)}) THEN 3
            END::TINYINT AS skip
            FROM joined
        ),
        staged AS (
            SELECT *, skip IS NULL AND coalesce(status IN ({_words(FLAGGED)}), false) AS pending FROM marked
        ),
        scoped AS (
            SELECT *, skip IS NULL AND NOT pending AS live,
                   skip IS NULL AND NOT pending AND NOT blank AND coalesce(region_rule = 0, false)
                       AND coalesce(indicator_rule = 0, false) AND in_years AS parsed
            FROM (SELECT *, coalesce(year BETWEEN $first AND $last, false) AS in_years FROM staged)
        ),
        judged AS (
            SELECT * REPLACE (CASE WHEN implausible THEN NULL ELSE number END AS number,
                              has_pct AND NOT implausible AS has_pct)
            FROM (SELECT *, parsed AND coalesce(isinf(number) OR abs(number) > bound, false) AS implausible
                  FROM scoped)
        )
        SELECT sheet, row, cid::INTEGER AS cid, year::SMALLINT AS year, iid::SMALLINT AS iid, number, note,
               ({fault})::INTEGER AS fault, skip, blank, parsed
        FROM judged
        """,
        {"accepted": bool(accepted), "first": FIRST_YEAR, "last": last_year()},
    )


def _region_years(con, catalog: Catalog, current_table: str | None) -> bool:
    """What needs more than one row, found on integer keys in two passes over the parsed rows.

    region_years: rows and distinct indicators per (region, year), a bit each (duplicates when they
    differ). pair_extremes: for each at_most pair (k) and region-year, the largest small and the smallest
    big value, from the file and, apart from it, from the stored values where the file does not give
    that indicator. Returns whether the catalog has at_most pairs.
    """
    _, number, roles = _catalog_tables(catalog)
    distinct = "bit_count(bit_or(1::HUGEINT << iid::HUGEINT))" if len(number) < 127 else "count(DISTINCT iid)"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE region_years AS SELECT cid, year, count(*) AS n, {distinct} AS distinct_ids "
        "FROM checked WHERE parsed GROUP BY cid, year"
    )
    _register(con, "pair_roles", roles)
    con.execute("CREATE OR REPLACE TEMP TABLE stored_values (cid INTEGER, year SMALLINT, iid SMALLINT, value DOUBLE)")
    if current_table and not roles.empty:  # a stored value counts where the file does not give that indicator
        con.execute(
            f"""
            INSERT INTO stored_values
            SELECT k.cid, s.year, i.iid, s.value
            FROM {current_table} s JOIN codes k USING (region_code) JOIN ids i USING (indicator_id)
            JOIN region_years y ON y.cid = k.cid AND y.year = s.year
            WHERE i.iid IN (SELECT iid FROM pair_roles)
              AND NOT EXISTS (SELECT 1 FROM checked c WHERE c.parsed AND c.cid = k.cid
                              AND c.year = s.year AND c.iid = i.iid)
            """
        )
    extremes = "max(value) FILTER (role = 0) AS s, min(value) FILTER (role = 1) AS b"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE pair_extremes AS
        SELECT cid, year, k, {extremes}
        FROM (SELECT cid, year, iid, number AS value FROM checked WHERE parsed AND number IS NOT NULL)
        JOIN pair_roles USING (iid) GROUP BY ALL;
        CREATE OR REPLACE TEMP TABLE stored_extremes AS
        SELECT cid, year, k, {extremes} FROM stored_values JOIN pair_roles USING (iid) GROUP BY ALL
        """
    )
    return not roles.empty


def _duplicates(con, raw: str, problem_rows) -> None:
    """The same region, year and indicator twice; rows are looked up only in the region-years that have some."""
    if not con.execute("SELECT count(*) FROM region_years WHERE n > distinct_ids").fetchall()[0][0]:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE duplicate_keys AS SELECT c.cid, c.year, c.iid FROM checked c "
        "JOIN (SELECT cid, year FROM region_years WHERE n > distinct_ids) USING (cid, year) WHERE c.parsed "
        "GROUP BY ALL HAVING count(*) > 1"
    )
    problem_rows(
        "duplicate",
        f"""
        SELECT r.file, r.sheet, r.row, r.value_col AS column, r.value_text AS value,
               '首次出现于第' || d.first_row || '行 / first at row ' || d.first_row AS detail
        FROM (SELECT c.sheet, c.row, min(c.row) OVER (PARTITION BY c.cid, c.year, c.iid) AS first_row
              FROM checked c JOIN duplicate_keys USING (cid, year, iid) WHERE c.parsed) d
        JOIN {raw} r USING (sheet, row)
        WHERE d.row <> d.first_row
        """,
    )


def _not_allowed(con, raw: str, allowed_regions: set[str]) -> pd.DataFrame:
    """An editor's file that touches a region outside their own: one problem per region, the whole file refused."""
    allowed = sorted(allowed_regions)
    refused = con.execute(
        f"SELECT r.file, min(r.sheet) AS sheet, min(r.row) AS row, min(r.region_col) AS column, "
        f"k.region_code AS value FROM checked c JOIN codes k USING (cid) JOIN {raw} r USING (sheet, row) "
        "WHERE c.parsed AND NOT list_contains($allowed, k.region_code) GROUP BY r.file, k.region_code ORDER BY row",
        {"allowed": allowed},
    ).df()
    refused["value"] = [f"{code} {R.name_of(code)}" for code in refused["value"]]
    refused["detail"] = "、".join(f"{c} {R.name_of(c)}" for c in allowed) or "（无 / none）"
    return P.make("region_not_allowed", refused)


def _check_components(con, raw: str, catalog: Catalog, found: list) -> None:
    """at_most rules: a value may not exceed another (adopted <= received), using stored values too.

    pair_extremes says which region-years may break a rule (the file's largest small value above the
    smallest big one, or either against a stored value); only their rows are compared pair by pair.
    """
    flagged = con.execute(
        """
        CREATE OR REPLACE TEMP TABLE broken_keys AS
        SELECT DISTINCT cid, year FROM pair_extremes f LEFT JOIN stored_extremes t USING (cid, year, k)
        WHERE coalesce(f.s > f.b OR f.s > t.b OR t.s > f.b, false);
        SELECT count(*) FROM broken_keys
        """
    ).fetchall()[0][0]
    if not flagged:
        return
    frame = con.execute(
        f"""
        WITH v AS (
            SELECT c.sheet, c.row, c.cid, c.year, c.iid, c.number AS value, 'file' AS origin
            FROM checked c JOIN broken_keys USING (cid, year) WHERE c.parsed AND c.number IS NOT NULL
            UNION ALL
            SELECT NULL, NULL, s.cid, s.year, s.iid, s.value, 'stored'
            FROM stored_values s JOIN broken_keys USING (cid, year)
        ),
        hits AS (
            SELECT coalesce(s.sheet, b.sheet) AS sheet, coalesce(s.row, b.row) AS row,
                   s.value AS small_value, b.value AS big_value, ss.indicator_id AS small, bb.indicator_id AS big,
                   s.origin AS small_origin, b.origin AS big_origin
            FROM (SELECT s.iid AS small, b.iid AS big FROM pair_roles s JOIN pair_roles b USING (k)
                  WHERE s.role = 0 AND b.role = 1) p
            JOIN v s ON s.iid = p.small
            JOIN v b ON b.iid = p.big AND b.cid = s.cid AND b.year = s.year
            JOIN ids ss ON ss.iid = p.small JOIN ids bb ON bb.iid = p.big
            WHERE s.value > b.value AND (s.origin = 'file' OR b.origin = 'file')
        )
        SELECT r.file, h.sheet, h.row, r.value_col AS column, h.* EXCLUDE (sheet, row)
        FROM hits h JOIN {raw} r USING (sheet, row)
        """
    ).df()
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

    The one diff: the upload preview and the load's counts both run it, in the checking child.
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
