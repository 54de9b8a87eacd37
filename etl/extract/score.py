"""Hand-read expectations (tests/fixtures/reports/SOURCES.md) in; precision and recall of the extractor out.

Precision is measured where a wrong figure costs most: on the candidates the extractor proposes as
exact yearly values (mapped to an indicator, qualifier exact, not flagged), the share that a reader
also took, with the same region, year, indicator and value. Recall: of the figures a reader takes
(any qualifier, flagged or not), the share the extractor found with the same region, year, indicator
and value. Used by scripts/bench_extract.py and tests/test_extract_fixtures.py.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from etl.extract import ExtractError, extract
from rolgov.catalog import Catalog

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "reports"


@dataclass
class Expected:
    file: str
    expect: dict[str, str]
    args: dict[str, str]
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def keys(self) -> set[tuple]:
        return {(r["地区"], int(r["年份"]), r["指标"], float(r["数值"])) for r in self.rows}


def read_expected(path: Path = FIXTURES / "SOURCES.md") -> list[Expected]:
    out: list[Expected] = []
    header: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            out.append(Expected(line[3:].strip(), {}, {}))
        elif not out:
            continue
        elif line.startswith("expect:"):
            words = line[len("expect:") :].split()
            out[-1].expect = dict(w.split("=", 1) if "=" in w else (w, "yes") for w in words)
        elif line.startswith("args:"):
            words = shlex.split(line[len("args:") :])
            out[-1].args = {words[i].lstrip("-"): words[i + 1] for i in range(0, len(words), 2)}
        elif line.startswith("| 地区"):
            header = [c.strip() for c in line.strip("|").split("|")]
        elif line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line) and header:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out[-1].rows.append(dict(zip(header, cells, strict=True)))
    return out


@dataclass
class Score:
    proposed_exact: int = 0
    correct_exact: int = 0
    expected: int = 0
    found: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_exact / self.proposed_exact if self.proposed_exact else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def run(expected: Expected, catalog: Catalog):
    year = int(expected.args["year"]) if "year" in expected.args else None
    return extract(FIXTURES / expected.file, catalog, region=expected.args.get("region"), year=year)


def score(catalog: Catalog, items: list[Expected] | None = None) -> Score:
    total = Score()
    for item in items or read_expected():
        try:
            extraction = run(item, catalog)
        except ExtractError:
            continue
        exact_keys = {
            (r["地区"], int(r["年份"]), r["指标"], float(r["数值"]))
            for r in item.rows
            if r["限定"] == "exact" and r["状态"] == "proposed"
        }
        got = {(c.region, c.year, c.indicator, c.value) for c in extraction.mapped}
        for c in extraction.mapped:
            if c.exact and c.status == "proposed" and not catalog[c.indicator].derived:
                total.proposed_exact += 1
                if (c.region, c.year, c.indicator, c.value) in exact_keys:
                    total.correct_exact += 1
                else:
                    total.wrong.append(f"{item.file}: {c.region} {c.year} {c.indicator} {c.value:g} ← {c.note[:40]}")
        for key in sorted(item.keys):
            total.expected += 1
            if key in got:
                total.found += 1
            else:
                total.missed.append(f"{item.file}: {key[0]} {key[1]} {key[2]} {key[3]:g}")
    return total
