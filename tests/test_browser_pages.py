"""Every page of the dashboard in a real browser (Playwright driving Debian's Chromium): each draws with no
Streamlit error element, in Chinese at 1440 px and in English at 390 px, its chart toolbars hold one button, and
its screenshot goes to artifacts/screenshots/; an unknown page is answered in the user's language.

AppTest never renders the front end, so a chart that fails in the browser (an offline map fetching its
base layer from a CDN, say) or a part hidden on phones would pass there: the test_browser_* files are the
check for that (test_browser_views.py: the overview, the phone layouts, a language switch and the map;
test_browser_links.py: links in and out). Their shared parts are in tests/browser_kit.py.
"""

from __future__ import annotations

import pytest

from rolgov.i18n import page_title
from tests.browser_kit import NEEDS_CHROMIUM, WIDTHS, at_width, drawn, main_text
from tests.conftest import ROOT, screenshots

pytestmark = NEEDS_CHROMIUM

ARTIFACTS = ROOT / "artifacts" / "screenshots"
PAGES = screenshots.pages()
FIGURE_PAGES = ["overview", "trends", "compare", "targets", "profile", "catalog", "completeness"]


def test_the_browser_visits_every_page():
    assert set(FIGURE_PAGES) <= set(PAGES)


# ── every page: in Chinese on a desk and in English on a phone (the other pairings: test_browser_views.py) ─
@pytest.mark.parametrize(("width", "lang"), [("desk", "zh"), ("phone", "en")])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_draws_in_chromium(server, shared_tab, name, width, lang):
    tab = at_width(shared_tab, WIDTHS[width])
    tab.goto(f"{server}/{name}" + ("?lang=en" if lang == "en" else ""))
    drawn(tab, name)
    assert tab.locator("h1").first.inner_text().strip() == page_title(name, lang)
    assert ("示例数据" if lang == "zh" else "Sample data:") in main_text(tab)  # the banner, in the page's language
    assert not tab.locator('[role="dialog"]').count()  # no "Page not found" box
    assert tab.locator(".js-plotly-plot").count() >= screenshots.MIN_CHARTS.get(name, 0)
    # the chart toolbar holds one button (the PNG download), so it never covers a title (the report page
    # draws its own charts)
    for chart in tab.locator(".js-plotly-plot").all() if name in FIGURE_PAGES else []:
        assert chart.locator(".modebar-btn").count() <= 1
    screenshots.full_screenshot(tab, ARTIFACTS / f"{name}_{lang}_{tab.width}.png", tab.width)


def test_an_unknown_page_is_answered_in_the_users_language(server, shared_tab):
    tab = at_width(shared_tab, WIDTHS["phone"])
    tab.goto(f"{server}/nosuchpage?lang=en")
    tab.wait_for_selector("h1")
    screenshots.wait_idle(tab)
    assert tab.locator("h1").first.inner_text() == "Page not found"
    assert "There is no page nosuchpage" in main_text(tab)
    assert not tab.locator('[role="dialog"]').count()
