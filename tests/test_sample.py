"""The sample data set: seed figures as the database shows them, coverage, realism, and that the committed
files are exactly what etl/sample.py produces."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl import sample
from etl.build import SAMPLE_DIR
from rolgov import catalog as catalog_mod

COUNTIES = ["610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610929", "610981"]
YEARS = list(range(2016, 2026))

SEED_2017 = [  # (region, indicator, value) in 2017
    ("610900", "gov_info_published", 91037),
    ("610900", "wechat_posts", 18379),
    ("610900", "weibo_posts", 7935),
    ("610900", "press_conferences", 124),
    ("610900", "info_access_points", 1075),
    ("610900", "gov_legal_advisors", 349),
    ("610900BJ", "gov_legal_advisors", 7),
    ("610900BJ", "approval_items_streamlined", 216),
    ("610900BJ", "approval_items_before", 514),
    ("610900BJ", "intermediary_services_before", 97),
    ("610900BJ", "intermediary_services_retained", 52),
    ("610900BJ", "public_commitment_tasks", 1340),
    ("610900BJ", "certification_items_reviewed", 136),
    ("610900BJ", "certification_items_cancelled", 11),
]
SEED_RANGES = [  # (region, indicator, years summed, low, high)
    ("610900", "disclosure_requests_new", (2017,), 200, 209),
    ("610900", "hearings_held", (2017, 2018), 50, 59),
    ("610900", "public_comments_adopted", (2017, 2018), 1000, 1099),
    ("610900", "meeting_observers", (2017, 2018), 2000, 2099),
    ("610900BJ", "exec_meeting_law_studies", (2017, 2018), 10, 10),
    ("610900BJ", "plenary_law_studies", (2017, 2018), 6, 6),
]


@pytest.fixture(scope="module")
def values(sample_db) -> pd.DataFrame:
    """Every current value of the sample set, as conftest's session build through the real loader gives it."""
    with duckdb.connect(str(sample_db), read_only=True) as con:
        return con.execute("SELECT * FROM indicator_values").df()


def value_in(values: pd.DataFrame, region: str, indicator: str, year: int) -> float:
    hit = values[(values.region_code == region) & (values.indicator_id == indicator) & (values.year == year)]
    assert len(hit) == 1, f"{region} {indicator} {year}: {len(hit)} values"
    return float(hit["value"].iloc[0])


@pytest.mark.parametrize(("region", "indicator", "expected"), SEED_2017)
def test_2017_seed_figures(values, region, indicator, expected):
    assert value_in(values, region, indicator, 2017) == expected


@pytest.mark.parametrize(("region", "indicator", "years", "low", "high"), SEED_RANGES)
def test_seed_ranges(values, region, indicator, years, low, high):
    assert low <= sum(value_in(values, region, indicator, y) for y in years) <= high


def test_seed_rates_and_satisfaction(values):
    assert round(value_in(values, "610922", "village_legal_advisor_coverage", 2017), 1) == 84.4
    assert round(value_in(values, "610900BJ", "approval_streamlining_rate", 2017), 2) == 42.02
    assert round(value_in(values, "610900BJ", "intermediary_cleanup_rate", 2017), 1) == 46.4
    assert value_in(values, "610900", "public_satisfaction", 2024) == 91.99


def test_every_value_is_sample(values):
    assert values["is_sample"].all()


def test_every_unit_reports_every_base_indicator_every_year(values):
    catalog = catalog_mod.load()
    reported = values[values.value_kind == "reported"]
    have = set(zip(reported.region_code, reported.year, reported.indicator_id, strict=True))
    for year in YEARS:
        for ind in catalog.base:
            for code in COUNTIES:
                assert (code, year, ind.id) in have, (code, year, ind.id)
            own_level = ("610900BJ", year, ind.id) in have
            assert own_level == (ind.id not in sample.NOT_FOR_OWN_LEVEL), (year, ind.id)
    assert not reported.region_code.isin(["610928"]).any()  # stored under the canonical code 610981


def test_values_are_plausible():
    frame = sample.generate()
    catalog = catalog_mod.load()
    kind = frame.indicator_id.map(lambda i: catalog[i].kind)
    counts = frame[kind == "count"]["value"]
    assert (counts >= 0).all() and (counts == counts.round()).all()
    satisfaction = frame[frame.indicator_id == "public_satisfaction"]["value"]
    assert satisfaction.between(85, 95).all() and (satisfaction == satisfaction.round(2)).all()
    population = frame[frame.indicator_id == "resident_population"]["value"]
    assert (population == population.round(1)).all()
    wide = frame.pivot_table(index=["region_code", "year"], columns="indicator_id", values="value")
    for ind in catalog.base:
        for bigger in ind.at_most:
            both = wide[[ind.id, bigger]].dropna()
            assert (both[ind.id] <= both[bigger]).all(), (ind.id, bigger)


def test_hanbin_publishes_far_more_than_zhenping(values):
    for year in YEARS:
        hanbin = value_in(values, "610902", "gov_info_published", year)
        assert hanbin > 5 * value_in(values, "610927", "gov_info_published", year), year


def test_some_county_misses_a_target(values):
    catalog = catalog_mod.load()
    misses = []
    for indicator in ("head_appearance_rate", "village_legal_advisor_coverage"):
        for row in values[(values.indicator_id == indicator) & values.region_code.isin(COUNTIES)].itertuples():
            target = catalog[indicator].target_for("county", row.year)
            if target is not None and row.value < target.value:
                misses.append((row.region_code, row.year, indicator))
    assert misses


def test_xunyang_keeps_one_code_under_both_names(values):
    rows = values[(values.region_code == "610981") & (values.indicator_id == "gov_info_published")]
    names = dict(zip(rows.year, rows.region_name, strict=True))
    assert names[2019] == "旬阳县" and names[2022] == "旬阳市"


def test_generate_is_deterministic():
    pd.testing.assert_frame_equal(sample.generate(), sample.generate())


def _sheet_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_committed_files_match_the_generator(tmp_path):
    written = sample.write_files(sample.generate(), tmp_path)
    committed = sorted(p.relative_to(SAMPLE_DIR) for p in SAMPLE_DIR.rglob("sample_*") if p.is_file())
    assert sorted(p.relative_to(tmp_path) for p in written) == committed
    for relative in committed:
        fresh, stored = tmp_path / relative, SAMPLE_DIR / relative
        if relative.suffix == ".csv":
            assert fresh.read_bytes() == stored.read_bytes(), relative
        else:  # workbooks carry a save time, so compare their cells
            assert _sheet_values(fresh) == _sheet_values(stored), relative
