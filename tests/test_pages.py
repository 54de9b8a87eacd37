"""Every page of dashboard.py through AppTest on the sample data: defaults, a county, a past year, English,
links with no data, an empty database, and filters kept in the URL (defaults kept out of it).

AppTest resets Streamlit's legacy "pages/ directory" flag before every run, so after its first run it
would rerun a page file without dashboard.py (no sidebar, a stale context). The running server clears
that flag for good at the first st.navigation call; the `server_like_reruns` fixture does the same,
except in the deep-link test, which checks the workaround for a first request straight to a page.
"""

from __future__ import annotations

import base64
import json
import re
import shutil

import numpy as np
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from rolgov import db
from rolgov.i18n import page_title
from tests.conftest import ROOT

PAGES = re.findall(r'\("(\w+)", "(pages/\w+\.py)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))
PAGE_IDS = [key for key, _ in PAGES]
# Pages that chart the figures (the report and data pages have their own tests and flows).
FIGURE_PAGES = ["overview", "trends", "compare", "targets", "profile", "catalog", "completeness"]
NO_DATA = "所选范围和年度没有数据。 请换一个年度或地区，或到「数据管理」导入数据（命令行：python -m etl load 文件）。"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
_ORIGINAL_INIT = PagesManager.__init__


def test_the_page_list_is_read_from_dashboard_py():
    assert len(PAGES) >= len(FIGURE_PAGES)
    assert set(FIGURE_PAGES) <= set(PAGE_IDS)
    for _, path in PAGES:
        assert (ROOT / path).is_file(), path


@pytest.fixture(scope="module")
def app_db(sample_db, tmp_path_factory):
    """The dashboard reads a private copy of the sample database for this module."""
    path = tmp_path_factory.mktemp("pages") / "rolgov.duckdb"
    shutil.copy(sample_db, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "DEFAULT_DB", path)
        patch.setenv("ROLGOV_DB", str(path))
        st.cache_data.clear()
        st.cache_resource.clear()
        yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def server_like_reruns(app_db, monkeypatch):
    def init(self, *args, **kwargs):
        _ORIGINAL_INIT(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def open_page(page: str, **query: str) -> AppTest:
    """Run dashboard.py on one page, as a first request with these URL parameters would."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def visible_texts(at: AppTest) -> list[str]:
    """What a reader sees: headings, text, messages, tiles, widget labels and options, tables, chart text."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [m.label, m.value, m.delta or "", m.help or ""]
    for widget in [*at.selectbox, *at.multiselect]:
        out += [widget.label, *map(str, widget.options)]
    out += [w.label for w in [*at.text_input, *at.toggle]]
    for frame in at.dataframe:
        # sources are Chinese document titles, English definitions quote the Chinese form headings, and
        # file names are what the counties called their files
        table = frame.value.drop(columns=["来源", "Source", "Definition", "File"], errors="ignore")
        out += [str(c) for c in table.columns] + table.astype(str).to_numpy().ravel().tolist()
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec.get("layout", {})
        out.append(
            json.dumps(
                [
                    layout.get("title"),
                    layout.get("xaxis", {}).get("title"),
                    layout.get("yaxis", {}).get("title"),
                    [a.get("text") for a in layout.get("annotations", [])],
                ],
                ensure_ascii=False,
            )
        )
        out += [
            json.dumps({k: trace.get(k) for k in ("name", "text", "hovertemplate", "x", "y")}, ensure_ascii=False)
            for trace in spec["data"]
        ]
    return out


def plotly_array(data) -> list:
    """A trace's array as a list: plotly sends numbers as base64 typed arrays ({"dtype", "bdata"})."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# ── every page ───────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("key", PAGE_IDS)
def test_every_page_runs_with_the_defaults_says_sample_data_and_keeps_the_url_empty(key):
    at = open_page(key)
    assert at.title[0].value == page_title(key, "zh")
    banners = [w.value for w in at.warning]
    sample = "**示例数据**：本看板当前显示的是程序生成的示例数据，不是官方统计。"
    assert any(b.startswith(sample) for b in banners), banners
    assert dict(at.query_params) == {}, "defaults stay out of the URL"


@pytest.mark.parametrize("key", PAGE_IDS)
def test_every_page_in_english(key):
    at = open_page(key, lang="en")
    assert at.title[0].value == page_title(key, "en")
    assert any(
        w.value.startswith("**Sample data (示例数据)**: the figures shown are generated sample data")
        for w in at.warning
    )
    assert at.selectbox(key="w_lang").value == "en"
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize("key", FIGURE_PAGES)
def test_figure_pages_in_english_show_no_chinese_label(key):
    at = open_page(key, lang="en")
    allowed = {"中文", "示例数据", "语言"}  # the language picker, and 示例数据 kept in the banner on purpose
    chinese = sorted({part for text in visible_texts(at) for part in CJK.findall(text)} - allowed)
    assert chinese == [], f"untranslated on {key}: {chinese[:20]}"


@pytest.mark.parametrize("key", PAGE_IDS)
def test_every_page_for_a_past_year(key):
    at = open_page(key, year="2017")
    assert at.selectbox(key="w_year").value == 2017
    assert at.query_params["year"] == "2017"


@pytest.mark.parametrize("key", PAGE_IDS)
def test_a_link_to_a_year_without_data_explains_and_shows_the_latest(key):
    at = open_page(key, year="2005")
    assert "链接中的年度「2005」没有数据，已改为显示「2025年」。" in [i.value for i in at.info]
    assert at.selectbox(key="w_year").value == 2025
    assert "year" not in at.query_params  # the bad value leaves the URL; the default is not written


def test_a_link_to_an_unknown_indicator_explains_in_english():
    at = open_page("trends", lang="en", indicator="no_such_indicator")
    assert (
        "The link asks for choose an indicator “no_such_indicator”, which has no data; "
        "showing “[Decisions] Public hearings held” instead."
    ) in [i.value for i in at.info]


# ── real content ─────────────────────────────────────────────────────────────────────────────
def test_overview_2017_shows_the_seed_documents_city_wide_figures(catalog):
    at = open_page("overview", year="2017")
    tiles = metrics(at)
    assert tiles[catalog["gov_info_published"].name_zh] == "91,037条"
    assert tiles[catalog["gov_legal_advisors"].name_zh] == "349名"
    assert tiles[catalog["press_conferences"].name_zh] == "124场"
    assert at.subheader[0].value == "安康市 · 2017年 · 全市合计（市本级＋各区县）"
    assert "数据来源：示例数据（非官方统计）" in " ".join(c.value for c in at.caption)


def test_overview_2017_in_english(catalog):
    tiles = metrics(open_page("overview", year="2017", lang="en"))
    assert tiles[catalog["gov_info_published"].name_en] == "91,037 items"
    assert tiles[catalog["gov_legal_advisors"].name_en] == "349 persons"


def test_overview_tiles_colour_a_fall_red_and_point_it_down(catalog):
    at = open_page("overview")
    tile = next(m for m in at.metric if m.label == catalog["public_comments_adopted"].name_zh)
    assert tile.delta == "同比下降2.2%"
    assert tile.proto.color == tile.proto.MetricColor.RED
    assert tile.proto.direction == tile.proto.MetricDirection.DOWN


def test_overview_map_draws_every_county_with_names_in_the_pages_language():
    at = open_page("overview", lang="en")
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    shapes = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert sum(len(t["locations"]) for t in shapes) == 10
    names = next(t for t in spec["data"] if t["type"] == "scattergeo")["text"]
    assert "Hanbin" in names and "Shiquan" in names


def test_profile_of_a_county_in_a_past_year_shows_its_seed_figure(catalog):
    at = open_page("profile", county="610922", year="2017")
    assert at.selectbox(key="w_county").value == "610922"
    assert at.subheader[0].value == "石泉县 · 2017"
    # the seed document: 124 of 147 villages in 石泉县 had a legal adviser in 2017
    assert metrics(at)[catalog["village_legal_advisor_coverage"].name_zh] == "84.4%"
    assert at.query_params["county"] == "610922"


def test_compare_ranks_best_first_and_scores_every_county():
    at = open_page("compare")
    ranking = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    values = plotly_array(ranking["x"])
    assert len(values) == 10 and values == sorted(values, reverse=True)  # case-file pass rate: higher is better
    scores = at.dataframe[0].value
    assert len(scores) == 10 and sorted(scores["排名"]) == list(range(1, 11))


def test_targets_for_the_city_lists_gaps_and_counties_at_risk():
    at = open_page("targets", year="2017")
    assert at.markdown[0].value.startswith("**全市 · 2017年**：有目标的指标")
    gaps, at_risk = at.dataframe[0].value, at.dataframe[1].value
    assert {"指标", "数值", "目标", "目标依据", "状态", "差距", "预计达标年份"} <= set(gaps.columns)
    assert set(gaps["状态"]) <= {"达标", "接近", "未达标"}
    assert list(at_risk.columns) == ["指标", "区县", "数值", "目标", "趋势判断"]


def test_completeness_lists_missing_items_first():
    at = open_page("completeness", region="610900BJ")
    detail = at.dataframe[0].value
    statuses = detail["状态"].tolist()
    assert statuses == sorted(statuses, key=lambda s: s != "缺报")
    assert at.caption[1].value.startswith("市本级 · 2025年：缺报")


def test_catalog_search_is_kept_in_the_url():
    at = open_page("catalog", q="听证")
    table = at.dataframe[0].value
    assert 0 < len(table) < 70 and table["指标"].str.contains("听证").any()
    assert at.query_params["q"] == "听证"


# ── the URL keeps every filter, and no default ───────────────────────────────────────────────
def test_changing_widgets_writes_the_url_and_a_default_leaves_it():
    at = open_page("trends")
    at.selectbox(key="w_indicator").set_value("gov_info_published").run()
    at.selectbox(key="w_year").set_value(2017).run()
    at.multiselect(key="w_counties").select("610902").run()
    assert_clean(at)
    assert at.query_params["indicator"] == "gov_info_published"
    assert at.query_params["year"] == "2017"
    assert at.query_params["counties"] == "610902"
    at.selectbox(key="w_indicator").set_value("hearings_held").run()  # the page's default indicator
    at.selectbox(key="w_year").set_value(2025).run()  # the latest year, the default
    assert "indicator" not in at.query_params and "year" not in at.query_params
    assert at.query_params["counties"] == "610902"


def test_a_copied_link_opens_the_same_view():
    link = {"indicator": "gov_legal_advisors", "counties": "610922", "view": "per_10k", "year": "2020", "lang": "en"}
    at = open_page("trends", **link)
    assert at.selectbox(key="w_indicator").value == "gov_legal_advisors"
    assert at.multiselect(key="w_counties").value == ["610922"]
    assert at.selectbox(key="w_view").value == "per_10k"
    assert at.selectbox(key="w_year").value == 2020
    assert {k: at.query_params[k] for k in link} == link
    table = at.dataframe[0].value
    assert list(table.columns) == ["Year", "Whole city", "Whole city YoY", "Shiquan County", "Shiquan County YoY"]


def test_compare_toggle_and_area_are_kept_in_the_url():
    at = open_page("compare")
    at.toggle(key="w_all").set_value(True).run()
    at.selectbox(key="w_area").set_value("A3").run()
    assert_clean(at)
    assert at.query_params["all"] == "1" and at.query_params["area"] == "A3"
    at.toggle(key="w_all").set_value(False).run()
    assert "all" not in at.query_params


def test_a_first_request_straight_to_a_page_runs_through_dashboard_py(monkeypatch):
    """A shared link opened right after a server start: Streamlit's legacy pages/ mode would run the
    page without dashboard.py; ui.context() reruns it through dashboard.py on the same page."""
    monkeypatch.setattr(PagesManager, "__init__", _ORIGINAL_INIT)  # AppTest's own behaviour: the legacy flag set
    at = open_page("trends", indicator="gov_info_published")
    assert at.title[0].value == "趋势"
    assert at.selectbox(key="w_indicator").value == "gov_info_published"
    assert [s.key for s in at.sidebar.selectbox] == ["w_lang", "w_scope", "w_year"]


# ── no data at all ───────────────────────────────────────────────────────────────────────────
@pytest.fixture
def empty_db(tmp_path, monkeypatch, catalog):
    """A database with the schema and the reference tables but no submission loaded yet."""
    path = tmp_path / "empty.duckdb"
    with db.write(path, catalog):
        pass
    monkeypatch.setattr(db, "DEFAULT_DB", path)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("key", PAGE_IDS)
def test_an_empty_database_gets_an_explanation_not_a_traceback(empty_db, key):
    at = open_page(key)
    if key in FIGURE_PAGES and key != "catalog":  # the catalog describes indicators, data or not
        assert NO_DATA in [i.value for i in at.info]
    assert not [w.value for w in at.warning if "示例数据" in w.value]  # no sample data, so no sample banner
