"""The number parser: values as people type them, through the same DuckDB SQL the loader runs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.numbers import parse_number

FULL = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_with_or_without_thousands_separators(n):
    assert parse_number(str(n)) == (n, False)
    assert parse_number(f"{n:,}") == (n, False)
    assert parse_number(f"  {n:,}\u3000") == (n, False)
    assert parse_number(f"{n:,}".translate(FULL)) == (n, False)


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_percentages_with_sign(d):
    value, had_sign = parse_number(f"{d}%")
    assert had_sign is True
    assert value == pytest.approx(float(d))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="余约多近左右个条次万", min_size=1, max_size=3), st.integers(min_value=1, max_value=99999))
def test_words_around_numbers_are_refused_not_guessed(word, n):
    assert parse_number(f"{n}{word}")[0] is None
    assert parse_number(f"{word}{n}")[0] is None


@pytest.mark.parametrize(
    "text", ["1,23", "1.234,5", "12 345", "1,2345", ",", ".", "%", "1%%", "--1", "", "   ", "1e", "NaN"]
)
def test_ambiguous_or_empty_forms_are_refused(text):
    assert parse_number(text)[0] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1E+05", 100000.0),
        ("91037.0", 91037.0),
        ("-3", -3.0),
        ("+7", 7.0),
        (".5", 0.5),
        ("1,234.5", 1234.5),
        ("８４．４％", 84.4),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_number(text)[0] == expected
