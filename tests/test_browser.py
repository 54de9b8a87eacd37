"""The dashboard in a real browser (Playwright driving Debian's Chromium): every page draws its charts, the
county map included, with no Streamlit error element; English; and a shared link opened as the first
request to a freshly started server. Screenshots go to artifacts/screenshots/ (not committed).

AppTest never renders the front end, so a chart that fails in the browser (an offline map fetching
its base layer from a CDN, say) would pass there: this file is the check for that.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, screenshots

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's /usr/bin/chromium")


ARTIFACTS = ROOT / "artifacts" / "screenshots"
PAGES = screenshots.pages()
TITLES = {
    "overview": "总览",
    "trends": "趋势",
    "compare": "区县对比",
    "targets": "目标达成",
    "profile": "区县档案",
    "catalog": "指标说明",
    "completeness": "数据完整性",
}


def test_the_browser_visits_every_page_of_dashboard_py():
    assert len(PAGES) >= len(TITLES) and set(TITLES) <= set(PAGES)


@pytest.fixture(scope="module")
def server_db(sample_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "rolgov.duckdb"
    shutil.copy(sample_db, path)
    return path


def start(server_db: Path, tmp_path_factory, name: str):
    port = screenshots.free_port()
    log = tmp_path_factory.mktemp("server") / f"{name}.log"
    proc = screenshots.start_server(port, env={"ROLGOV_DB": str(server_db)}, log=log)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def server(server_db, tmp_path_factory):
    proc, base = start(server_db, tmp_path_factory, "shared")
    yield base
    screenshots.stop_server(proc)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    tab = context.new_page()
    yield tab
    context.close()


def assert_drawn_without_errors(tab, name: str) -> None:
    screenshots.wait_until_drawn(tab, name)
    assert screenshots.errors_on(tab) == []
    assert tab.locator("h1").first.inner_text().strip() != ""


@pytest.mark.parametrize("name", PAGES)
def test_every_page_draws_in_chromium(server, page, name):
    page.goto(f"{server}/{name}")
    assert_drawn_without_errors(page, name)
    if name in TITLES:
        assert page.locator("h1").first.inner_text().strip() == TITLES[name]
    assert "示例数据" in page.locator('[data-testid="stMain"]').inner_text()
    charts = page.locator(".js-plotly-plot").count()
    assert charts >= screenshots.MIN_CHARTS.get(name, 0)
    screenshots.full_screenshot(page, ARTIFACTS / f"{name}.png")


def test_the_overview_map_draws_all_ten_counties(server, page):
    page.goto(f"{server}/overview?year=2017")
    assert_drawn_without_errors(page, "overview")
    assert page.locator(".choroplethlayer path").count() >= 10
    assert "汉滨区" in page.locator(".js-plotly-plot").nth(1).inner_text()
    assert "91,037条" in " ".join(page.locator('[data-testid="stMetric"]').all_inner_texts())


def test_english(server, page):
    page.goto(f"{server}/compare?lang=en")
    assert_drawn_without_errors(page, "compare")
    assert page.locator("h1").first.inner_text().strip() == "County comparison"
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Overview" in nav and "Targets" in nav
    assert "Sample data (示例数据)" in page.locator('[data-testid="stMain"]').inner_text()
    screenshots.full_screenshot(page, ARTIFACTS / "compare_lang-en.png")


def test_a_shared_link_as_the_first_request_to_a_fresh_server(server_db, tmp_path_factory, browser):
    """Straight to /trends?indicator=... before anyone opened the root: the page, its filter and the real
    navigation must all be there (Streamlit's legacy pages/ mode would run the page without dashboard.py)."""
    proc, base = start(server_db, tmp_path_factory, "fresh")
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        tab = context.new_page()
        tab.goto(f"{base}/trends?indicator=gov_info_published&year=2017")
        assert_drawn_without_errors(tab, "trends")
        assert tab.locator("h1").first.inner_text().strip() == "趋势"
        assert "主动公开政府信息条数" in tab.locator(".js-plotly-plot").first.inner_text()  # the chart's title
        links = tab.locator('[data-testid="stSidebarNavLink"]')
        assert links.count() == len(PAGES)
        assert "区县对比" in tab.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "indicator=gov_info_published" in tab.url and "year=2017" in tab.url
        screenshots.full_screenshot(tab, ARTIFACTS / "trends_deep-link.png")
    finally:
        context.close()
        screenshots.stop_server(proc)
