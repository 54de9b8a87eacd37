"""The dashboard in a real browser (Playwright driving Debian's Chromium), at 1440 and 390 px, in Chinese and
English: every page draws with no Streamlit error element; the overview's first screen answers "how are we
doing and who lags"; a language switch redraws everything and keeps the view; the link to the material
generator carries the view there and back; odd links are answered in the main area and echoed as text; a
fresh server shows the app's own navigation from the first paint. Screenshots go to artifacts/screenshots/.

AppTest never renders the front end, so a chart that fails in the browser (an offline map fetching its
base layer from a CDN, say) or a part hidden on phones would pass there: this file is the check for that.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from rolgov.i18n import page_title
from tests.conftest import ROOT, screenshots

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's /usr/bin/chromium")

ARTIFACTS = ROOT / "artifacts" / "screenshots"
PAGES = screenshots.pages()
FIGURE_PAGES = ["overview", "trends", "compare", "targets", "profile", "catalog", "completeness"]
WIDTHS = {"desk": 1440, "phone": 390}
MAIN = '[data-testid="stMain"]'
MENU = "div[class*='st-key-app_menu']"  # the app's own menu (rolgov/navigation.py)
MENU_LINK = f'{MENU} [data-testid="stPageLink-NavLink"]'
RAW_FILE_NAMES = re.compile(r"\b(dashboard|overview|trends|compare|targets|profile|catalog|completeness|report)\b")


def test_the_browser_visits_every_page():
    assert set(FIGURE_PAGES) <= set(PAGES)


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


def new_tab(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    return context, context.new_page()


@pytest.fixture(params=list(WIDTHS))
def tab(request, browser):
    context, page = new_tab(browser, WIDTHS[request.param])
    page.width = WIDTHS[request.param]
    yield page
    context.close()


def drawn(page, name: str) -> None:
    screenshots.wait_until_drawn(page, name)
    assert screenshots.errors_on(page) == []
    assert page.locator("h1").first.inner_text().strip() != ""


def main_text(page) -> str:
    return page.locator(MAIN).inner_text()


def sidebar_selects(page) -> list:
    """The sidebar's language, scope and year pickers (the sidebar opened first on a phone)."""
    screenshots.open_sidebar(page)
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').all()


# ── every page: in Chinese on a desk and in English on a phone (the other pairings are covered below) ─
@pytest.mark.parametrize(("width", "lang"), [("desk", "zh"), ("phone", "en")])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_draws_in_chromium(server, browser, name, width, lang):
    context, tab = new_tab(browser, WIDTHS[width])
    tab.width = WIDTHS[width]
    try:
        every_page_draws(server, tab, name, lang)
    finally:
        context.close()


def every_page_draws(server, tab, name: str, lang: str) -> None:
    tab.goto(f"{server}/{name}" + ("?lang=en" if lang == "en" else ""))
    drawn(tab, name)
    assert tab.locator("h1").first.inner_text().strip() == page_title(name, lang)
    assert "示例数据" in main_text(tab)
    assert not tab.locator('[role="dialog"]').count()  # no "Page not found" box
    assert tab.locator(".js-plotly-plot").count() >= screenshots.MIN_CHARTS.get(name, 0)
    # the chart toolbar holds one button (the PNG download), so it never covers a title (the report page
    # draws its own charts)
    for chart in tab.locator(".js-plotly-plot").all() if name in FIGURE_PAGES else []:
        assert chart.locator(".modebar-btn").count() <= 1
    screenshots.full_screenshot(tab, ARTIFACTS / f"{name}_{lang}_{tab.width}.png", tab.width)


# ── the overview's first screen ─────────────────────────────────────────────────────────────
SENTENCE = {"zh": "有目标的17项指标中", "en": "of 17 indicators with a target"}
LAGGARDS = {"zh": "综合得分靠后：镇坪县 第10名", "en": "Lagging on the composite score: Zhenping County, rank 10"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_screen_says_how_we_are_doing_and_who_lags(server, tab, lang):
    tab.goto(f"{server}/overview?lang={lang}")
    drawn(tab, "overview")
    for text in (SENTENCE[lang], LAGGARDS[lang]):
        where = tab.get_by_text(text, exact=False).first
        assert where.is_visible()
        if tab.width == 1440:  # on a desk, above the fold: no scrolling to learn who lags
            assert where.bounding_box()["y"] < 900
    areas = tab.locator(".js-plotly-plot").first.inner_text()
    assert ("监督公开" if lang == "zh" else "Oversight & transparency") in areas


def test_phones_see_the_tiles_in_the_desks_order(server, browser):
    orders = []
    for width in WIDTHS.values():
        context, page = new_tab(browser, width)
        page.goto(f"{server}/overview")
        drawn(page, "overview")
        labels = page.locator('[data-testid="stMetric"]').all()
        boxes = [(box["y"], box["x"]) for box in (label.bounding_box() for label in labels)]
        texts = [label.inner_text().split("\n")[0] for label in labels]
        orders.append([text for _, text in sorted(zip(boxes, texts, strict=True))])  # reading order on screen
        context.close()
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
    # the bullets of 目标达成 likewise: their labels leave a phone no room for the chart
    tab.goto(f"{server}/targets")
    drawn(tab, "targets")
    assert tab.locator("div[class*='st-key-wide_bullets']").is_visible() is not phone
    assert tab.locator("div[class*='st-key-narrow_bullets']").is_visible() is phone


# ── a language switch redraws everything and keeps the view, on this page and the next ──────
@pytest.mark.parametrize(("start", "switch_to"), [("zh", "en"), ("en", "zh")])
def test_a_language_switch_redraws_everything_and_keeps_the_view(server, tab, start, switch_to):
    tab.goto(f"{server}/trends?year=2018&counties=610902&lang={start}")
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
    assert "year=2018" in tab.url
    assert screenshots.selected(sidebar_selects(tab)[2]) == ("2018年" if switch_to == "zh" else "2018")
    tab.locator(MENU_LINK).nth(1).click()
    screenshots.wait_idle(tab)
    drawn(tab, "trends")
    assert "counties=610902" in tab.url and "year=2018" in tab.url


# ── the link to the material generator carries the view there and back ─────────────────────
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_link_round_trip(server, tab, lang):
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
def test_odd_links_are_answered_in_the_main_area(server, tab, link, message):
    tab.goto(f"{server}/{link}")
    drawn(tab, link.split("?")[0])
    alert = tab.locator(f'{MAIN} [data-testid="stAlert"]').filter(has_text=message.split(" ")[0])
    assert alert.first.is_visible()  # in the main area: on a phone the sidebar is folded away
    assert message in " ".join(alert.all_inner_texts()).replace("\n", " ")


@pytest.mark.parametrize(
    "evil", ["[请点击此处重新登录](http://evil.example/login)", "![t](http://evil.example/track.png)"]
)
def test_a_links_markdown_is_shown_as_text_never_followed_or_fetched(server, tab, evil):
    fetched = []
    tab.on(
        "request",
        lambda request: fetched.append(request.url) if urlparse(request.url).hostname == "evil.example" else None,
    )
    tab.goto(f"{server}/trends?indicator={evil}")
    drawn(tab, "trends")
    assert evil in main_text(tab)  # shown exactly as typed
    assert tab.locator('a[href*="evil.example"], img[src*="evil.example"]').count() == 0
    assert fetched == []


def test_an_unknown_page_is_answered_in_the_users_language(server, tab):
    tab.goto(f"{server}/nosuchpage?lang=en")
    tab.wait_for_selector("h1")
    screenshots.wait_idle(tab)
    assert tab.locator("h1").first.inner_text() == "Page not found"
    assert "There is no page nosuchpage" in main_text(tab)
    assert not tab.locator('[role="dialog"]').count()


# ── start-up: our own navigation from the first paint, on a freshly started server ───────────
def test_a_fresh_server_shows_its_own_navigation_from_the_first_paint(server_db, tmp_path_factory, browser):
    """Straight to /trends?indicator=... before anyone opened the root: the navigation never lists raw file
    names, the page title and a loading note come first, then the page with its filter."""
    proc, base = start(server_db, tmp_path_factory, "fresh")
    context, page = new_tab(browser, 1440)
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
        assert links.count() == len(PAGES)
        assert "indicator=gov_info_published" in page.url and "year=2017" in page.url
        screenshots.full_screenshot(page, ARTIFACTS / "trends_deep-link.png")
    finally:
        context.close()
        screenshots.stop_server(proc)


# ── the overview's map at a province's scope: a click goes down a level, a button up again ──────
@pytest.fixture(scope="module")
def province_server(tmp_path_factory):
    """A server on every county-level unit of 陕西省 in 2024-2025 (bench_load.write_long_csv, etl load)."""
    import os
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_load import unit_years, write_long_csv

    folder = tmp_path_factory.mktemp("province")
    write_long_csv(folder / "shaanxi.csv", [u for u in unit_years(2024, 2025, True) if u[0].startswith("61")])
    env = dict(os.environ, ROLGOV_MAX_ROWS="6000000", ROLGOV_MAX_FILE_MB="400")
    database = folder / "rolgov.duckdb"
    subprocess.run(
        [sys.executable, "-m", "etl", "load", "--db", str(database), str(folder / "shaanxi.csv")],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    proc, base = start(database, tmp_path_factory, "province")
    yield base
    screenshots.stop_server(proc)


def test_a_click_on_a_city_opens_it_and_up_one_level_comes_back(browser, province_server):
    from rolgov import geo

    context, page = new_tab(browser, 1440)
    try:
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
    finally:
        context.close()
