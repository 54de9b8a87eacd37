"""Turn values as people type them into numbers, as whole-column DuckDB SQL; text in, number or error code out.

Accepted: surrounding spaces (also full-width and no-break), full-width digits and punctuation,
thousands separators in groups of three (1,234,567), a trailing % (84.4%), scientific notation
as Excel writes it (1E+05), and for yes/no indicators 是/否, yes/no, true/false, 1/0, √/×.
Refused as ambiguous, never guessed: 50余, 约300, 1,23, 1.234,5, 12 345, a lone comma or dot.
"""

from __future__ import annotations

import duckdb

FULL_WIDTH = "０１２３４５６７８９．，％－＋ｅＥ"
HALF_WIDTH = "0123456789.,%-+eE"
SPACES = " \t\r\n\u00a0\u3000"

PLAIN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
GROUPED = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
YES = ("是", "yes", "y", "true", "1", "√", "有", "已公开", "按时")
NO = ("否", "no", "n", "false", "0", "×", "无", "未公开")


def cleaned_sql(column: str) -> str:
    """SQL: the text with full-width characters made half-width and surrounding space trimmed."""
    return f"trim(translate({column}, '{FULL_WIDTH}', '{HALF_WIDTH}'), '{SPACES}')"


def parse_sql(column: str) -> tuple[str, str, str]:
    """SQL expressions (number, has_percent_sign, is_number_like) for a text column.

    `number` is NULL when the text is not a number in an accepted form.
    """
    clean = cleaned_sql(column)
    body = f"rtrim({clean}, '%')"
    has_pct = f"({clean} LIKE '%\\%' ESCAPE '\\')"
    ok = f"(regexp_matches({body}, '{PLAIN}') OR regexp_matches({body}, '{GROUPED}'))"
    one_pct = f"(length({clean}) - length(replace({clean}, '%', '')) <= 1)"
    number = f"CASE WHEN {ok} AND {one_pct} THEN TRY_CAST(replace({body}, ',', '') AS DOUBLE) END"
    return number, has_pct, ok


def boolean_sql(column: str) -> str:
    """SQL: 1.0 for yes words, 0.0 for no words, NULL otherwise."""
    clean = f"lower({cleaned_sql(column)})"
    yes = ", ".join(f"'{w}'" for w in YES)
    no = ", ".join(f"'{w}'" for w in NO)
    return f"CASE WHEN {clean} IN ({yes}) THEN 1.0 WHEN {clean} IN ({no}) THEN 0.0 END"


def parse_number(text: str | None) -> tuple[float | None, bool]:
    """Parse one value with the same SQL the loader uses: (number or None, had a % sign)."""
    number, has_pct, _ = parse_sql("t")
    row = duckdb.execute(f"SELECT {number}, {has_pct} FROM (SELECT $t::VARCHAR AS t)", {"t": text}).fetchall()[0]
    return row[0], bool(row[1])
