"""What the browser tests share (a pytest plugin, loaded by tests/conftest.py): one headless Debian Chromium and
one tab per test process, the dashboard served on a copy of the sample database, and the readers of a drawn
page (drawn, main_text, sidebar_selects).

Why one tab, reused by test after test: a new tab (or context) costs Chromium about 3 CPU-seconds before the
page even draws (a renderer process started, Streamlit's and plotly's scripts compiled again), a navigation
in the same tab about a third of that, measured on the 2-core CI machine. Each test still starts from a
fresh page and a fresh Streamlit session: it navigates (goto) first, and the URL carries the whole view.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import screenshots

NEEDS_CHROMIUM = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's /usr/bin/chromium")
WIDTHS = {"desk": 1440, "phone": 390}
HEIGHT = 900  # a laptop's first screen: what is above the fold on a desk
MAIN = '[data-testid="stMain"]'
MENU = "div[class*='st-key-app_menu']"  # the app's own menu (rolgov/navigation.py)
MENU_LINK = f'{MENU} [data-testid="stPageLink-NavLink"]'


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for all browser tests of this process (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = screenshots.launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shared_tab(browser):
    """The one tab the browser tests of this process take turns on (see the module's docstring)."""
    context = browser.new_context(viewport={"width": WIDTHS["desk"], "height": HEIGHT}, device_scale_factor=1)
    page = screenshots.track_runs(context.new_page())
    yield page
    context.close()


def _quiet_page(url: str) -> str:
    """The health answer of the server `url` is on, while that server answers; else about:blank."""
    origin = re.match(r"https?://[^/]+", url)
    if origin:
        health = f"{origin.group(0)}/_stcore/health"
        with contextlib.suppress(OSError):  # that server has been stopped
            urllib.request.urlopen(health, timeout=5).close()
            return health
    return "about:blank"


def at_width(page, width: int):
    """The shared tab, as a new visitor's, at `width` px (page.width says which) and a first screen's height.

    What earlier tests left in the tab's local storage is forgotten first: Streamlit keeps there, per
    page, whether the sidebar was opened, and a phone test must start with it folded away. The tab leaves
    the last test's page before, so that page cannot write there again while the window is resized: for
    the server's health answer (a page of the same origin with no script, so Chromium keeps the tab's
    renderer and its compiled scripts: 0.19 CPU-seconds a call against 0.39 through about:blank).
    """
    page.goto(_quiet_page(page.url))
    origins = [origin["origin"] for origin in page.context.storage_state()["origins"]]
    if origins:
        devtools = page.context.new_cdp_session(page)
        for origin in origins:
            devtools.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage"})
        devtools.detach()
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.width = width
    return page


@pytest.fixture(params=list(WIDTHS))
def tab(request, shared_tab):
    """The shared tab at a desk's and at a phone's width, one test each."""
    return at_width(shared_tab, WIDTHS[request.param])


@pytest.fixture(scope="session")
def server_db(sample_db, tmp_path_factory) -> Path:
    """The sample database, copied: the servers of the browser tests read it, nothing writes it."""
    path = tmp_path_factory.mktemp("browser") / "rolgov.duckdb"
    shutil.copy(sample_db, path)
    return path


def start(server_db: Path, tmp_path_factory, name: str):
    """A dashboard server (app.py) on a free port reading `server_db`: (process, base URL)."""
    port = screenshots.free_port()
    log = tmp_path_factory.mktemp("server") / f"{name}.log"
    proc = screenshots.start_server(port, env={"ROLGOV_DB": str(server_db)}, log=log)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def server(server_db, tmp_path_factory):
    """One dashboard on the sample for all browser tests of this process (each test opens its own session)."""
    proc, base = start(server_db, tmp_path_factory, "shared")
    yield base
    screenshots.stop_server(proc)


def drawn(page, name: str) -> None:
    """The page `name` has drawn its heading and charts, shows no error element, and is still."""
    screenshots.wait_until_drawn(page, name)
    assert screenshots.errors_on(page) == []
    assert page.locator("h1").first.inner_text().strip() != ""


def main_text(page) -> str:
    return page.locator(MAIN).inner_text()


def sidebar_selects(page) -> list:
    """The sidebar's language, scope and year pickers (the sidebar opened first on a phone)."""
    screenshots.open_sidebar(page)
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').all()


def tables_scrolling_sideways(page) -> list[str]:
    """The first header of each Markdown table (ui.static_table) wider than its place on the page."""
    return page.locator("[data-testid='stMarkdownContainer'] table").evaluate_all(
        "tables => tables.filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.querySelector('th').innerText)"
    )


def broken_names(page) -> tuple[int, list[str]]:
    """In the columns static_table was told hold names (its container's class st-key-names<N>_): how many
    names there are, and those with no space in them that still wrap onto a second line (旬阳 / 市)."""
    return tuple(
        page.evaluate(
            """() => {
                const lines = el => { const range = document.createRange(); range.selectNodeContents(el);
                                      return range.getClientRects().length; };
                const cells = [...document.querySelectorAll("div[class*='st-key-names']")].flatMap(box => {
                    const n = Number(box.className.match(/st-key-names(\\d+)_/)[1]);
                    return [...box.querySelectorAll('tbody tr')].map(row => row.cells[n - 1]);
                });
                return [cells.length, cells.filter(c => !/\\s/.test(c.innerText.trim()) && lines(c) > 1)
                                           .map(c => c.innerText)];
            }"""
        )
    )


def broken_row_names(page) -> list[str]:
    """Row names (a table's first column) that wrap onto a second line: taller than the row's next cell."""
    return page.locator("[data-testid='stMarkdownContainer'] table tbody tr").evaluate_all(
        """rows => rows.filter(r => r.cells.length > 1).map(r => [r.cells[0], r.cells[1]])
            .filter(([name, next]) => {
                const lines = el => { const range = document.createRange(); range.selectNodeContents(el);
                                      return range.getClientRects().length; };
                return lines(name) > 1 && lines(next) === 1; })
            .map(([name]) => name.innerText)"""
    )
