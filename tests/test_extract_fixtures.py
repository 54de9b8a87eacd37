"""Every real report in tests/fixtures/reports against what SOURCES.md says a reader takes from it:
region, year, kind, issuer and format, each expected figure with its qualifier and status, and the
precision and recall over all of them (printed; precision on proposed exact values at least 0.95,
recall at least 0.8)."""

from __future__ import annotations

import pytest

from etl.extract import ExtractError
from etl.extract import score as S

EXPECTED = S.read_expected()


def test_there_are_at_least_twelve_real_reports_with_hand_read_values():
    assert len(EXPECTED) >= 12
    assert sum(len(item.rows) for item in EXPECTED) >= 50
    for item in EXPECTED:
        assert (S.FIXTURES / item.file).is_file(), item.file


@pytest.mark.parametrize("item", EXPECTED, ids=[item.file for item in EXPECTED])
def test_report_is_read_as_a_person_reads_it(item, catalog):
    if "refused" in item.expect:
        with pytest.raises(ExtractError):
            S.run(item, catalog)
        return
    result = S.run(item, catalog)
    place = result.place
    assert (place.code, str(place.year), place.kind, place.issuer) == (
        item.expect["region"],
        item.expect["year"],
        item.expect["kind"],
        item.expect["issuer"],
    )
    if "format" in item.expect:
        assert result.tables.format == item.expect["format"]
    if item.expect.get("arithmetic") == "ok":
        assert result.tables.failures == {}
    found = {(c.region, c.year, c.indicator, c.value): c for c in result.mapped}
    for row in item.rows:
        key = (row["地区"], int(row["年份"]), row["指标"], float(row["数值"]))
        if key not in found:
            continue  # a miss counts against recall below, not here
        candidate = found[key]
        assert (candidate.qualifier, candidate.status) == (row["限定"], row["状态"]), row["原文"]


def test_precision_and_recall_over_all_fixtures(catalog, capsys):
    score = S.score(catalog, EXPECTED)
    with capsys.disabled():
        print(
            f"\nreport import on {len(EXPECTED)} real reports: precision on proposed exact values "
            f"{score.precision:.3f} ({score.correct_exact}/{score.proposed_exact}), recall "
            f"{score.recall:.3f} ({score.found}/{score.expected}); missed: {'; '.join(score.missed) or 'none'}"
        )
    assert score.precision >= 0.95, score.wrong
    assert score.recall >= 0.8, score.missed
