"""Shared fixtures: the real catalog, temporary databases, and small submission files written on the fly."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from rolgov import catalog as catalog_mod

ROOT = Path(__file__).resolve().parent.parent

# scripts/screenshots.py starts the app and drives Chromium; the browser tests reuse it
_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)


@pytest.fixture(scope="session")
def catalog():
    return catalog_mod.load()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.duckdb"


def write_csv(
    path: Path, rows: list[list], header=("region", "year", "indicator", "value", "note"), encoding: str = "utf-8-sig"
) -> Path:
    """Write a long-format submission CSV; cells are written as given (strings stay strings)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(list(row) + [""] * (len(header) - len(row)))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The sample set built once per test session into a temporary file; copy it before changing it."""
    from etl.build import build_from_folder

    path = tmp_path_factory.mktemp("sample") / "rolgov.duckdb"
    build_from_folder(path, quiet=True)
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for all browser tests (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = screenshots.launch(playwright)
        yield chromium
        chromium.close()
