"""The overview and the phone layouts in a real browser (Playwright driving Debian's Chromium), at 1440 and
390 px, in Chinese and English: the first screen answers "how are we doing and who lags"; phones see the tiles
in the desk's order and lists where desks get the heatmap and the bullets; a language switch redraws
everything and keeps the view, on this page and the next; at a province's scope a click on the map opens a
city and a button goes back up. Shared parts: tests/browser_kit.py.
"""

from __future__ import annotations

import shutil

import pytest

from rolgov.i18n import page_title
from tests.browser_kit import (
    MENU,
    MENU_LINK,
    NEEDS_CHROMIUM,
    WIDTHS,
    at_width,
    broken_names,
    broken_row_names,
    drawn,
    sidebar_selects,
    start,
    tables_scrolling_sideways,
)
from tests.conftest import screenshots

pytestmark = NEEDS_CHROMIUM


# ── the overview's first screen ─────────────────────────────────────────────────────────────
SENTENCE = {"zh": "有目标的17项指标中", "en": "of 17 indicators with a target"}
LAGGARDS = {"zh": "综合得分靠后：镇坪县 第10名", "en": "Lagging on the composite score: Zhenping County, rank 10"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_screen_says_how_we_are_doing_and_who_lags_with_the_tiles_in_one_order(server, shared_tab, lang):
    """On a desk (above the fold) and on a phone alike; a phone reads the tiles in the desk's order."""
    orders = []
    for width in WIDTHS.values():
        tab = at_width(shared_tab, width)
        tab.goto(f"{server}/overview?lang={lang}")
        drawn(tab, "overview")
        for text in (SENTENCE[lang], LAGGARDS[lang]):
            where = tab.get_by_text(text, exact=False).first
            assert where.is_visible()
            if width == WIDTHS["desk"]:  # on a desk, above the fold: no scrolling to learn who lags
                assert where.bounding_box()["y"] < 900
        areas = tab.locator(".js-plotly-plot").first.inner_text()
        assert ("监督公开" if lang == "zh" else "Oversight & transparency") in areas
        labels = tab.locator('[data-testid="stMetric"]').all()
        boxes = [(box["y"], box["x"]) for box in (label.bounding_box() for label in labels)]
        texts = [label.inner_text().split("\n")[0] for label in labels]
        orders.append([text for _, text in sorted(zip(boxes, texts, strict=True))])  # reading order on screen
        if width == WIDTHS["phone"]:  # the ranking's county names stay whole in its narrow second column
            named, broken = broken_names(tab)
            assert named >= 5 and broken == []
    assert orders[0] == orders[1] and len(orders[0]) >= 6


def test_phones_get_lists_where_desks_get_the_heatmap_and_the_bullets(server, tab):
    tab.goto(f"{server}/compare")
    drawn(tab, "compare")
    heatmap = tab.locator("div[class*='st-key-wide_heatmap']")
    listing = tab.locator("div[class*='st-key-narrow_heatmap']")
    phone = tab.width < 640
    assert heatmap.is_visible() is not phone
    assert listing.is_visible() is phone
    if phone:
        assert "石泉县：未达标1 · 接近0 · 达标16" in listing.inner_text()
    else:  # the composite scores' 13 columns fit the page, and no county's name breaks (旬阳 / 市)
        assert tables_scrolling_sideways(tab) == [] and broken_row_names(tab) == []
    # the bullets of 目标达成 likewise: their labels leave a phone no room for the chart
    tab.goto(f"{server}/targets")
    drawn(tab, "targets")
    assert tab.locator("div[class*='st-key-wide_bullets']").is_visible() is not phone
    assert tab.locator("div[class*='st-key-narrow_bullets']").is_visible() is phone


# ── a language switch redraws everything and keeps the view, on this page and the next ──────
@pytest.mark.parametrize(("width", "start_in", "switch_to"), [("desk", "zh", "en"), ("phone", "en", "zh")])
def test_a_language_switch_redraws_everything_and_keeps_the_view(server, shared_tab, width, start_in, switch_to):
    tab = at_width(shared_tab, WIDTHS[width])  # on a phone the sidebar is opened first (sidebar_selects)
    tab.goto(f"{server}/trends?year=2018&counties=610902&lang={start_in}")
    drawn(tab, "trends")
    screenshots.open_sidebar(tab)
    language = tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    screenshots.choose(tab, language, "English" if switch_to == "en" else "中文")
    nav = tab.locator(MENU).inner_text()
    sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
    scope, year = (screenshots.selected(s) for s in sidebar_selects(tab)[1:])
    picked = tab.locator('[data-testid="stMultiSelect"]').inner_text()
    if switch_to == "en":
        assert "County comparison" in nav and "区县对比" not in nav
        assert "Rule-of-law government indicators" in sidebar
        assert (scope, year) == ("Ankang City", "2018")
        assert "Hanbin District" in picked
        assert tab.locator("h1").first.inner_text() == "Trends"
    else:
        assert "区县对比" in nav and "County comparison" not in nav
        assert "法治政府建设指标看板" in sidebar
        assert (scope, year) == ("安康市", "2018年")
        assert "汉滨区" in picked
    assert "year=2018" in tab.url and "counties=610902" in tab.url
    # the next page keeps the language, the year and the selections
    tab.locator(MENU_LINK).nth(2).click()
    screenshots.wait_idle(tab)
    drawn(tab, "compare")
    assert tab.locator("h1").first.inner_text() == page_title("compare", switch_to)
    if width == "desk":  # in English too, the composite scores' 13 columns fit without scrolling sideways
        assert tables_scrolling_sideways(tab) == []
    assert "year=2018" in tab.url
    assert screenshots.selected(sidebar_selects(tab)[2]) == ("2018年" if switch_to == "zh" else "2018")
    tab.locator(MENU_LINK).nth(1).click()
    screenshots.wait_idle(tab)
    drawn(tab, "trends")
    assert "counties=610902" in tab.url and "year=2018" in tab.url


# ── the overview's map at a province's scope: a click goes down a level, a button up again ──────
@pytest.fixture(scope="module")
def province_server(shaanxi_db, tmp_path_factory):
    """A server on every county-level unit of 陕西省 in 2024-2025 (conftest's shaanxi_db, copied)."""
    database = tmp_path_factory.mktemp("province") / "rolgov.duckdb"
    shutil.copy(shaanxi_db, database)
    proc, base = start(database, tmp_path_factory, "province")
    yield base
    screenshots.stop_server(proc)


def test_a_click_on_a_city_opens_it_and_up_one_level_comes_back(shared_tab, province_server):
    from rolgov import geo

    page = at_width(shared_tab, WIDTHS["desk"])
    page.goto(f"{province_server}/overview?scope=610000&year=2025")
    drawn(page, "overview")
    assert page.locator(".choroplethlocation").count() == 10  # 陕西's 10 cities
    label = next(f for f in geo.children("610000").geojson["features"] if f["id"] == "610800")["properties"]
    x, y = page.evaluate(
        """([lon, lat]) => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
                .find(g => g._fullLayout && g._fullLayout.geo); gd.scrollIntoView({block: 'center'});
            const [x, y] = gd._fullLayout.geo._subplot.projection([lon, lat]);
            const box = gd.getBoundingClientRect(); return [x + box.left, y + box.top]; }""",
        label["label"][:2],
    )
    page.mouse.click(x, y)  # 榆林市
    page.wait_for_url(lambda url: "scope=610800" in url, timeout=30_000)
    page.get_by_text("榆林市 · 2025年").wait_for(timeout=30_000)
    drawn(page, "overview")
    assert "year=2025" in page.url or "year" not in page.url
    page.get_by_role("button", name="返回上一级").click()
    page.wait_for_url(lambda url: "scope=610800" not in url, timeout=30_000)
    page.get_by_text("陕西省 · 2025年").wait_for(timeout=30_000)
    drawn(page, "overview")
