"""Fuzzing the check path the CLI and the upload page share (etl.load.check, in the checking child).

Hypothesis mutates good CSVs and workbooks: byte flips, swapped cells, unicode junk, huge and
non-finite numbers, dates in value cells, huge declared dimensions, CR-only and mixed line endings.
Properties: the check never fails on its own (no check_failed: an uncaught exception in the child),
never changes a value silently (whatever it accepts agrees, row by row, with Python's strict csv
reader or openpyxl reading the same bytes) and ends within its deadline. Files that once broke
something are kept in tests/fixtures/hostile/ and run every time. The generated cases are few
(ROLGOV_FUZZ_EXAMPLES, default 8 per property) so CI spends seconds here; raise it to hunt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import check
from etl.validate import UNIT_BOUNDS
from rolgov.catalog import UNITS

CORPUS = Path(__file__).parent / "fixtures" / "hostile"
EXAMPLES = int(os.environ.get("ROLGOV_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=60),  # a check is a child process; the limit is the point, not the speed
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same cases in every CI run; the corpus keeps what once failed
)
ROWS = [
    ("610902", "2017", "hearings_held", "12", ""),
    ("汉滨区", "2018", "press_conferences", "1,234", "备注"),
    ("610921", "2017", "public_comments_received", "84", ""),
    ("610900", "2017", "public_satisfaction", "91.2%", ""),
]
NUMBERS = st.sampled_from(
    [
        "1e309",
        "-1e309",
        "inf",
        "nan",
        "1e308",
        "1e30",
        "1e18",
        "-0.0",
        "0",
        "1,234",
        "1,23",
        "１２",
        "12%",
        "2025-01-01",
    ]
)
JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=12)
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def assert_sound(checked, rows_by_line: dict[int, list[str]] | None = None) -> None:
    """No crash in the child, and anything accepted is finite, plausible and what the cells say."""
    assert "check_failed" not in checked.counts, checked.problems.to_dict("records")
    if not checked.ok:
        assert len(checked.problems) > 0 and checked.total_problems >= len(checked.problems)
        return
    clean = checked.clean
    assert clean is not None and len(clean) == checked.values > 0
    assert all(math.isfinite(v) and abs(v) <= max(UNIT_BOUNDS.values()) for v in clean["value"])
    if rows_by_line is None:
        return
    for row in clean.itertuples():
        cells = rows_by_line.get(int(row.source_row))
        assert cells is not None, f"row {row.source_row} accepted, but a strict CSV reader finds no such row"
        text = cells[3].strip()
        if PLAIN_NUMBER.match(text):
            assert row.value == float(text), (text, row.value)


def strict_rows(data: bytes) -> dict[int, list[str]] | None:
    """Records by row number (header = 1) as Python's strict csv reader sees them; None if it refuses the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\r" in text.replace("\r\n", "") and "\n" in text.replace("\r\n", ""):
        return None
    try:
        records = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")), strict=True))
    except csv.Error:
        return None
    if any(len(r) != len(records[0]) for r in records if r):
        return None
    return {number: record for number, record in enumerate(records[1:], start=2)}


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region", "year", "indicator", "value", "note"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def mutated_csv(draw) -> bytes:
    rows = [list(r) for r in draw(st.lists(st.sampled_from(ROWS), min_size=1, max_size=6))]
    for row in rows:
        if draw(st.booleans()):
            row[3] = draw(NUMBERS)
        if draw(st.integers(0, 4)) == 0:
            row[draw(st.integers(0, 4))] = draw(JUNK)
        if draw(st.integers(0, 5)) == 0:
            i, j = draw(st.integers(0, 4)), draw(st.integers(0, 4))
            row[i], row[j] = row[j], row[i]  # swapped cells
    data = bytearray(csv_bytes(rows))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        data = data.replace(b"\n", b"\r", 1)
    elif ending != "\n":
        data = data.replace(b"\n", ending.encode())
    for _ in range(draw(st.integers(0, 3))):  # byte flips
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    return bytes(data)


@FUZZ
@given(data=mutated_csv())
def test_mutated_csvs_never_crash_the_check_nor_change_a_value_silently(tmp_path_factory, catalog, data):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    path.write_bytes(data)
    assert_sound(check(path, catalog, want_clean=True), strict_rows(data))


@st.composite
def mutated_workbook(draw) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地区", "年份", "指标", "数值", "备注"])
    for row in draw(st.lists(st.sampled_from(ROWS), min_size=1, max_size=5)):
        cells: list = list(row)
        kind = draw(st.sampled_from(["text", "number", "huge", "date", "percent", "junk", "bool"]))
        cells[3] = {
            "text": cells[3],
            "number": draw(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)),
            "huge": draw(st.sampled_from([1e308, -1e300, 1e30, 1e18])),
            "date": dt.datetime(2025, 1, 1),
            "percent": 0.912,
            "junk": ILLEGAL_XML.sub("", draw(JUNK)),  # what a workbook can hold at all
            "bool": True,
        }[kind]
        sheet.append(cells)
        if kind == "percent":
            sheet.cell(sheet.max_row, 4).number_format = "0.0%"
    if draw(st.booleans()):
        far = draw(st.sampled_from(["XFD1048576", "Z1048576", "A1048576", "XFD1", "AA300"]))
        sheet[far] = "x"  # a far cell: the extent calamine would allocate
    out = io.BytesIO()
    book.save(out)
    data = bytearray(out.getvalue())
    if draw(st.integers(0, 3)) == 0:  # a flipped byte somewhere in the zip (openpyxl's output varies in length)
        data[int(draw(st.floats(0, 1)) * (len(data) - 1))] ^= draw(st.integers(1, 255))
    return bytes(data)


@FUZZ
@given(data=mutated_workbook())
def test_mutated_workbooks_never_crash_the_check(tmp_path_factory, catalog, data):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.xlsx"
    path.write_bytes(data)
    assert_sound(check(path, catalog, want_clean=True))


def test_every_unit_has_a_plausibility_bound():
    assert set(UNIT_BOUNDS) == set(UNITS)


CORPUS_FILES = sorted(p for p in CORPUS.glob("*") if p.suffix in (".csv", ".xlsx"))


def test_the_regression_corpus_is_there():
    assert len(CORPUS_FILES) >= 6  # the test below would check nothing otherwise


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_files_that_once_broke_something_are_refused_or_read_exactly(catalog, path):
    data = path.read_bytes()
    checked = check(path, catalog, want_clean=True)
    assert_sound(checked, strict_rows(data) if path.suffix == ".csv" else None)
    expected = (CORPUS / "expected.txt").read_text(encoding="utf-8")
    rules = dict(line.split(": ", 1) for line in expected.splitlines() if line and not line.startswith("#"))
    assert (",".join(sorted(checked.counts)) or "ok") == rules[path.name], (path.name, checked.counts)
