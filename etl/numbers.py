"""Turn values as people type them into numbers, as whole-column DuckDB SQL; text in, number or error code out.

Accepted: surrounding spaces (also full-width and no-break), full-width digits and punctuation,
thousands separators in groups of three (1,234,567), a trailing % (84.4%), scientific notation
as Excel writes it (1E+05), and for yes/no indicators 是/否, yes/no, true/false, 1/0, √/×.
Refused as ambiguous, never guessed: 50余, 约300, 1,23, 1.234,5, 12 345, a lone comma or dot.
A number too large for a double (1e309) parses as infinity here; etl.validate refuses it (implausible).
"""

from __future__ import annotations

import duckdb

FULL_WIDTH = "０１２３４５６７８９．，％－＋ｅＥ"
HALF_WIDTH = "0123456789.,%-+eE"
SPACES = " \t\r\n\u00a0\u3000"

# One pattern for every accepted form: plain or scientific, or grouped by thousands; at most one % at the end.
NUMBER = r"^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|\d{1,3}(,\d{3})+(\.\d+)?)%?$"
YES = ("是", "yes", "y", "true", "1", "√", "有", "已公开", "按时")
NO = ("否", "no", "n", "false", "0", "×", "无", "未公开")


def cleaned_sql(column: str) -> str:
    """SQL: the text with full-width characters made half-width and surrounding space trimmed.

    Plain ASCII figures (nearly all of them) skip the costly translate: on two million values the
    fast path saves about a second per column.
    """
    slow = f"trim(translate({column}, '{FULL_WIDTH}', '{HALF_WIDTH}'), '{SPACES}')"
    return f"CASE WHEN regexp_full_match({column}, '[0-9.,%+eE-]+') THEN {column} ELSE {slow} END"


def parse_sql(column: str, cleaned: bool = False) -> tuple[str, str]:
    """SQL expressions (number, has_percent_sign) for a text column; number is NULL unless accepted.

    cleaned=True says the column already went through cleaned_sql (the loader cleans once per row).
    """
    clean = column if cleaned else cleaned_sql(column)
    # -0 (typed as -0 or -0.0) is stored as 0: a sign on nothing must not show up in sums and charts
    number = (
        f"CASE WHEN regexp_full_match({clean}, '{NUMBER}') "
        f"THEN TRY_CAST(replace(rtrim({clean}, '%'), ',', '') AS DOUBLE) + 0.0 END"
    )
    return number, f"suffix({clean}, '%')"


def boolean_sql(column: str) -> str:
    """SQL: 1.0 for yes words, 0.0 for no words, NULL otherwise."""
    clean = f"lower({cleaned_sql(column)})"
    yes = ", ".join(f"'{w}'" for w in YES)
    no = ", ".join(f"'{w}'" for w in NO)
    return f"CASE WHEN {clean} IN ({yes}) THEN 1.0 WHEN {clean} IN ({no}) THEN 0.0 END"


def parse_number(text: str | None) -> tuple[float | None, bool]:
    """Parse one value with the same SQL the loader uses: (number or None, had a % sign)."""
    number, has_pct = parse_sql("t")
    row = duckdb.execute(f"SELECT {number}, {has_pct} FROM (SELECT $t::VARCHAR AS t)", {"t": text}).fetchall()[0]
    return row[0], bool(row[1])
