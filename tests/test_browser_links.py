"""Links in and out of the dashboard in a real browser (Playwright driving Debian's Chromium), at 1440 and 390 px:
the link to the material generator carries the view there and back; odd links are answered in the main area
and a link's text is echoed as text, never followed or fetched; a freshly started server shows the app's own
navigation from the first paint. Shared parts: tests/browser_kit.py.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest

from rolgov.i18n import page_title
from tests.browser_kit import (
    MAIN,
    MENU_LINK,
    NEEDS_CHROMIUM,
    WIDTHS,
    at_width,
    drawn,
    main_text,
    sidebar_selects,
    start,
)
from tests.conftest import ROOT, screenshots

pytestmark = NEEDS_CHROMIUM

ARTIFACTS = ROOT / "artifacts" / "screenshots"
RAW_FILE_NAMES = re.compile(r"\b(dashboard|overview|trends|compare|targets|profile|catalog|completeness|report)\b")


# ── the link to the material generator carries the view there and back ─────────────────────
@pytest.mark.parametrize(("width", "lang"), [("desk", "zh"), ("phone", "en")])
def test_the_report_link_round_trip(server, shared_tab, width, lang):
    tab = at_width(shared_tab, WIDTHS[width])
    tab.goto(f"{server}/overview?year=2018&lang={lang}")
    drawn(tab, "overview")
    link = tab.get_by_text("生成2018年经验材料草稿" if lang == "zh" else "Draft the experience material for 2018")
    link.click()
    screenshots.wait_idle(tab)
    tab.wait_for_selector("h1")
    assert tab.locator("h1").first.inner_text() == page_title("report", lang)
    assert "/report" in tab.url and "year=2018" in tab.url
    assert screenshots.selected(sidebar_selects(tab)[2]) == ("2018年" if lang == "zh" else "2018")
    # and back: the overview keeps the year the draft was for
    tab.locator(MENU_LINK).first.click()
    screenshots.wait_idle(tab)
    drawn(tab, "overview")
    assert "year=2018" in tab.url
    assert ("2018年" if lang == "zh" else "2018") in tab.locator(f"{MAIN} h3").first.inner_text()


# ── odd links: a message in the main area, and the link's text shown as text ─────────────────
ODD = [
    ("profile?county=999999", "链接中的区县 999999 在这里没有数据，已改为显示「汉滨区」。"),
    ("compare?radar=999999", "链接中的对比区县 999999 在这里没有数据，已略去。"),
    ("trends?counties=999999", "链接中的加选区县或市本级 999999 在这里没有数据，已略去。"),
    ("overview?lang=fr", "不支持链接中的语言 fr，已显示中文。/ Language fr is not available; showing Chinese."),
    ("trends?lang=en&year=1999", "The link asks for Year 1999, which has no data here; showing “2025” instead."),
]


@pytest.mark.parametrize(("link", "message"), ODD)
def test_odd_links_are_answered_in_the_main_area(server, shared_tab, link, message):
    """On a phone: there the sidebar is folded away, so a message anywhere but the main area goes unseen."""
    tab = at_width(shared_tab, WIDTHS["phone"])
    tab.goto(f"{server}/{link}")
    drawn(tab, link.split("?")[0])
    alert = tab.locator(f'{MAIN} [data-testid="stAlert"]').filter(has_text=message.split(" ")[0])
    assert alert.first.is_visible()  # in the main area: on a phone the sidebar is folded away
    assert message in " ".join(alert.all_inner_texts()).replace("\n", " ")


@pytest.mark.parametrize(
    "evil", ["[请点击此处重新登录](http://evil.example/login)", "![t](http://evil.example/track.png)"]
)
def test_a_links_markdown_is_shown_as_text_never_followed_or_fetched(server, shared_tab, evil):
    tab = at_width(shared_tab, WIDTHS["desk"])  # the text is the same at any width
    fetched = []

    def note(request) -> None:
        if urlparse(request.url).hostname == "evil.example":
            fetched.append(request.url)

    tab.on("request", note)
    try:
        tab.goto(f"{server}/trends?indicator={evil}")
        drawn(tab, "trends")
        assert evil in main_text(tab)  # shown exactly as typed
        assert tab.locator('a[href*="evil.example"], img[src*="evil.example"]').count() == 0
        assert fetched == []
    finally:
        tab.remove_listener("request", note)  # the tab goes on to the next test


# ── start-up: our own navigation from the first paint, on a freshly started server ───────────
def test_a_fresh_server_shows_its_own_navigation_from_the_first_paint(server_db, tmp_path_factory, shared_tab):
    """Straight to /trends?indicator=... before anyone opened the root: the navigation never lists raw file
    names, the page title and a loading note come first, then the page with its filter."""
    proc, base = start(server_db, tmp_path_factory, "fresh")
    page = at_width(shared_tab, WIDTHS["desk"])
    try:
        page.goto(f"{base}/trends?indicator=gov_info_published&year=2017", wait_until="commit")
        seen, started = [], time.monotonic()
        while time.monotonic() - started < 60 and not page.locator(".js-plotly-plot .main-svg").count():
            seen.append(page.locator('[data-testid="stSidebar"]').all_inner_texts())
            page.wait_for_timeout(50)
        assert not [text for text in seen if RAW_FILE_NAMES.search(" ".join(text))]
        drawn(page, "trends")
        assert page.locator("h1").first.inner_text().strip() == "趋势"
        assert "主动公开政府信息条数" in page.locator(".js-plotly-plot").first.inner_text()  # the chart's title
        links = page.locator(MENU_LINK)
        assert links.count() == len(screenshots.pages())
        assert "indicator=gov_info_published" in page.url and "year=2017" in page.url
        screenshots.full_screenshot(page, ARTIFACTS / "trends_deep-link.png")
    finally:
        screenshots.stop_server(proc)
