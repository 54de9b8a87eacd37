"""Every page of the app through AppTest on the sample data: defaults, a county, a past year, English,
odd links (answered in the main area, echoed as plain text), an empty database, filters kept in the URL
and across pages, and what each page must say: the overview's first screen, honest charts, exports.

AppTest resets Streamlit's legacy "pages/ directory" flag before every run, so after its first run it
would rerun a page file without dashboard.py (no sidebar, a stale context). The running server clears
that flag for good at the first st.navigation call; navigation.apptest_runs_dashboard() does the same
for every run here, except in the deep-link test, which checks the detour a first request takes.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from rolgov import analysis, charts, charts_spread, charts_status, db, export, fmt, navigation, queries, tables
from rolgov import catalog as catalog_mod
from rolgov.i18n import STRINGS, page_title, t
from tests.conftest import ROOT, assert_clean, built_once, markdown_tables, open_page, serving

PAGE_IDS = list(navigation.PAGE_KEYS)
# Pages that chart the figures (the report and data pages have their own tests and flows).
FIGURE_PAGES = ["overview", "trends", "compare", "targets", "profile", "catalog", "completeness"]
NO_DATA = "所选范围和年度没有数据。 请换一个年度或地区，或到「数据管理」导入数据（命令行：python -m etl load 文件）。"
NO_DATA_SCOPE = (
    "**安康市**（市级，代码 610900）暂无数据。到「数据管理」导入该地区的数据文件（命令行：python -m etl load 文件）后，"
    "各页面即显示其数值；也可以在左侧「范围」选择已有数据的地区。"
)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
_ORIGINAL_INIT = PagesManager.__init__  # before any fixture patches it


def test_the_page_list_names_real_files():
    assert len(PAGE_IDS) >= len(FIGURE_PAGES)
    assert set(FIGURE_PAGES) <= set(PAGE_IDS)
    for _, path, _ in navigation.PAGES:
        assert (ROOT / path).is_file(), path


# ── the Streamlit internals the app leans on (rolgov/navigation.py): fail here when they change ──
def test_streamlits_legacy_pages_flag_is_still_there_and_cleared_by_our_helper(tmp_path, monkeypatch):
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    _ORIGINAL_INIT(PagesManager.__new__(PagesManager), str(tmp_path / "app.py"))  # Streamlit's own, unpatched
    assert PagesManager.uses_pages_directory is True  # a pages/ folder puts Streamlit in its legacy mode
    assert navigation.in_legacy_pages_mode()
    navigation.leave_legacy_pages_mode()
    assert PagesManager.uses_pages_directory is False


def test_the_helper_fails_loudly_if_streamlit_renames_the_flag(monkeypatch):
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with pytest.raises(RuntimeError, match="uses_pages_directory is gone"):
        navigation.leave_legacy_pages_mode()


@pytest.fixture(scope="module")
def app_db(sample_db, tmp_path_factory):
    """The dashboard reads a private copy of the sample database for this module."""
    path = tmp_path_factory.mktemp("pages") / "rolgov.duckdb"
    shutil.copy(sample_db, path)
    with serving(path):
        yield path


@pytest.fixture(autouse=True)
def server_like_reruns(app_db):
    with navigation.apptest_runs_dashboard():
        yield


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.main.info]


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


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
    for frame in [*at.dataframe, *at.table]:
        # sources are Chinese document titles, English definitions quote the Chinese form headings, and
        # file names are what the counties called their files
        table = frame.value.drop(columns=[t("source", "en"), "Definition", "File"], errors="ignore")
        out += [str(c) for c in table.columns] + table.astype(str).to_numpy().ravel().tolist()
    for spec in chart_specs(at):
        layout = spec.get("layout", {})
        out.append(
            json.dumps(
                [
                    layout.get("title"),
                    layout.get("xaxis", {}).get("title"),
                    layout.get("yaxis", {}).get("title"),
                    layout.get("xaxis", {}).get("ticktext"),
                    [a.get("text") for a in layout.get("annotations", [])],
                ],
                ensure_ascii=False,
            )
        )
        out += [
            json.dumps(
                {k: trace.get(k) for k in ("name", "text", "hovertemplate", "customdata", "x", "y")}, ensure_ascii=False
            )
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
    assert len(at.title) == 1  # the title dashboard.py shows at once is the one the page fills
    assert "正在加载数据…" not in [c.value for c in at.caption]  # the loading note is gone once the page is out
    banners = [w.value for w in at.warning]
    sample = "**示例数据**：本看板当前显示的是程序生成的示例数据，不是官方统计。"
    assert any(b.startswith(sample) for b in banners), banners
    assert dict(at.query_params) == {}, "defaults stay out of the URL"


@pytest.mark.parametrize("key", PAGE_IDS)
def test_every_page_in_english(key):
    at = open_page(key, lang="en")
    assert at.title[0].value == page_title(key, "en")
    assert any(w.value.startswith("**Sample data**: the figures shown are generated sample data") for w in at.warning)
    assert at.selectbox(key="w_lang").value == "en"
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize("key", FIGURE_PAGES)
@pytest.mark.parametrize("query", [{}, {"year": "2017"}, {"counties": ["610900BJ", "610902"], "view": "per_10k"}])
def test_figure_pages_in_english_show_no_chinese_label(key, query):
    at = open_page(key, lang="en", **query)
    allowed = {"中文", "示例数据", "语言", "复议", "不支持链接中的语言"}  # the language picker, the banner's 示例数据
    chinese = sorted({part for text in visible_texts(at) for part in CJK.findall(text)} - allowed)
    assert chinese == [], f"untranslated on {key}: {chinese[:20]}"


@pytest.mark.parametrize("key", PAGE_IDS)
def test_every_page_for_a_past_year(key):
    at = open_page(key, year="2017")
    assert at.selectbox(key="w_year").value == 2017
    assert at.query_params["year"] == "2017"


@pytest.mark.parametrize("key", PAGE_IDS)
def test_a_link_to_a_year_without_data_explains_in_the_main_area_and_shows_the_latest(key):
    at = open_page(key, year="2005")
    assert "链接中的年度 `2005` 在这里没有数据，已改为显示「2025年」。" in infos(at)
    assert at.selectbox(key="w_year").value == 2025
    assert "year" not in at.query_params  # the bad value leaves the URL; the default is not written


# ── odd links: a clear message in the main area, the link's text shown as text ─────────────────
@pytest.mark.parametrize(
    ("page", "query", "message"),
    [
        ("profile", {"county": "999999"}, "链接中的区县 `999999` 在这里没有数据，已改为显示「汉滨区」。"),
        ("compare", {"radar": "999999"}, "链接中的对比区县 `999999` 在这里没有数据，已略去。"),
        ("trends", {"counties": ["999999", "610902"]}, "链接中的加选区县或市本级 `999999` 在这里没有数据，已略去。"),
        (
            "overview",
            {"lang": "fr"},
            "不支持链接中的语言 `fr`，已显示中文。/ Language `fr` is not available; showing Chinese.",
        ),
        (
            "trends",
            {"indicator": "no_such_indicator", "lang": "en"},
            "The link asks for Indicator `no_such_indicator`, which has no data here; showing “\\[Decisions\\] Public "
            "hearings held” instead.",
        ),
        ("compare", {"radar": ["610902", "610921", "610922", "610923"]}, "对比区县最多可选3个，链接中多出的已略去。"),
    ],
)
def test_odd_links_get_a_clear_message_in_the_main_area(page, query, message):
    at = open_page(page, **query)
    assert message in infos(at)
    assert not [i.value for i in at.sidebar.info]  # on a phone the sidebar is hidden


def test_a_link_keeps_its_good_values_and_drops_the_bad_one():
    at = open_page("trends", counties=["999999", "610902"])
    assert at.multiselect(key="w_counties").value == ["610902"]
    assert at.query_params["counties"] == "610902"


@pytest.mark.parametrize(
    "evil",
    [
        "[请点击此处重新登录](http://evil.example/login)",
        "![t](http://evil.example/track.png)",
        "<img src=http://evil.example/x.png>",
        "`code` and :red[colour]",
    ],
)
def test_a_links_value_is_echoed_as_plain_text_never_as_markdown(evil):
    at = open_page("trends", indicator=evil)
    message = next(i for i in infos(at) if i.startswith("链接中的指标"))
    fence = "``" if "`" in evil else "`"
    pad = " " if evil.startswith("`") else ""
    assert (
        message
        == f"链接中的指标 {fence}{pad}{evil}{pad}{fence} 在这里没有数据，已改为显示「【科学决策】召开听证会次数」。"
    )


def test_a_first_request_straight_to_a_page_runs_through_dashboard_py(monkeypatch):
    """A shared link opened right after a server start: Streamlit's legacy pages/ mode runs the page
    without dashboard.py; navigation.through_dashboard() reruns it through dashboard.py, same page."""
    monkeypatch.setattr(PagesManager, "__init__", _ORIGINAL_INIT)  # AppTest's own behaviour: the legacy flag set
    at = open_page("trends", indicator="gov_info_published")
    assert at.title[0].value == "趋势"
    assert at.selectbox(key="w_indicator").value == "gov_info_published"
    assert [s.key for s in at.sidebar.selectbox] == ["w_lang", "w_scope", "w_year"]


# ── the overview's first screen: how are we doing, and who lags ─────────────────────────────────
def test_overview_first_screen_says_how_many_targets_are_met_and_names_the_lagging_counties():
    at = open_page("overview")
    text = [m.value for m in at.markdown]
    assert text[0] == "**全市**有目标的17项指标中，:green[**17项达标**]，:orange[**0项接近**]，:red[**0项未达标**]。"
    assert text[1] == "**各区县**按县级目标共170项次：达标164、接近0、未达标6（涉及5个区县）。"
    assert text[2] == (
        "**综合得分靠后**：镇坪县 第10名（与上年持平，未达标1项）；宁陕县 第9名（与上年持平，未达标1项）；"
        "石泉县 第8名（与上年持平，未达标1项）。"
    )
    # the laggards are the bottom of the county ranking shown further down, and agree with its columns
    ranking = markdown_tables(at)[0]
    assert list(ranking.columns) == ["排名", "区县", "综合得分", "名次变化", "未达标项"]
    assert ranking["区县"].tolist()[-3:] == ["石泉县", "宁陕县", "镇坪县"]
    assert ranking["未达标项"].astype(int).sum() == 6


def test_the_overview_sentence_agrees_with_the_compare_heatmap():
    at = open_page("overview", year="2017")
    counties = next(m.value for m in at.markdown if m.value.startswith("**各区县**"))
    below = int(re.search(r"未达标(\d+)", counties).group(1))
    heatmap = open_page("compare", year="2017", all="1")
    grid = next(spec for spec in chart_specs(heatmap) if spec["data"][0]["type"] == "heatmap")
    statuses = [cell for cell in plotly_array(grid["data"][0]["z"]) if cell == 0]  # 0 = below
    assert len(statuses) == below


def test_overview_shows_every_area_with_its_status_counts_zeros_included():
    at = open_page("overview")
    bars = [trace for trace in chart_specs(at)[0]["data"] if trace["type"] == "bar"]
    areas = {y for trace in bars for y in trace["y"]}
    assert "监督公开" in areas  # the lowest-scoring area was dropped silently before
    assert len(areas) == 9
    names = {trace["name"] for trace in bars}
    assert {"达标", "无目标"} <= names


def test_overview_tiles_with_a_target_come_first(catalog):
    at = open_page("overview")
    names = [m.label for m in at.metric]
    with_target = [catalog[i].name_zh for i in ("hearings_held", "village_legal_advisor_coverage")]
    without = catalog["gov_info_published"].name_zh
    assert all(names.index(n) < names.index(without) for n in with_target)


def test_overview_2017_shows_the_seed_documents_city_wide_figures(catalog):
    at = open_page("overview", year="2017")
    tiles = metrics(at)
    assert tiles[catalog["gov_info_published"].name_zh] == "91,037条"
    assert tiles[catalog["gov_legal_advisors"].name_zh] == "349名"
    assert tiles[catalog["press_conferences"].name_zh] == "124场"
    assert at.subheader[0].value == "安康市 · 2017年"
    assert "数据来源：示例数据（非官方统计）" in " ".join(c.value for c in at.caption)


def test_overview_2017_in_english(catalog):
    tiles = metrics(open_page("overview", year="2017", lang="en"))
    assert tiles[catalog["gov_info_published"].name_en] == "91,037 items"
    assert tiles[catalog["gov_legal_advisors"].name_en] == "349 persons"


def test_one_number_format_from_100000_on(catalog):
    tiles = metrics(open_page("overview"))
    assert tiles[catalog["gov_info_published"].name_zh] == "14.66万条"


def test_overview_tiles_colour_a_fall_red_and_point_it_down(catalog):
    at = open_page("overview")
    tile = next(m for m in at.metric if m.label == catalog["public_comments_adopted"].name_zh)
    assert tile.delta == "同比下降2.2%"
    assert tile.proto.color == tile.proto.MetricColor.RED
    assert tile.proto.direction == tile.proto.MetricDirection.DOWN


def test_an_unchanged_value_reads_unchanged(catalog):
    tile = next(m for m in open_page("overview").metric if m.label == catalog["hearings_held"].name_zh)
    assert tile.delta == "持平"


def test_overview_map_draws_every_county_with_names_in_the_pages_language():
    at = open_page("overview", lang="en")
    spec = chart_specs(at)[1]
    shapes = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert sum(len(t["locations"]) for t in shapes) == 10
    names = next(t for t in spec["data"] if t["type"] == "scattergeo")["text"]
    assert "Hanbin" in names and "Shiquan" in names


@pytest.mark.parametrize("colour", ["composite", "case_file_pass_rate"])
def test_the_maps_colour_scale_is_the_same_in_every_year(colour):
    ranges = set()
    for year in ("2018", "2024", "2025"):
        spec = chart_specs(open_page("overview", year=year, map=colour))[1]
        trace = next(t for t in spec["data"] if t["type"] == "choropleth")
        ranges.add((trace["zmin"], trace["zmax"]))
    assert len(ranges) == 1


def test_the_report_link_carries_the_view(catalog):
    at = open_page("overview", year="2018", lang="en")
    link = at.get("page_link")[0].proto
    assert link.page.endswith("report") or "report" in link.page
    assert link.query_string in ("year=2018&lang=en", "lang=en&year=2018")


# ── trends ───────────────────────────────────────────────────────────────────────────────────
def test_trends_mark_the_sidebar_year_and_start_counts_at_zero():
    spec = chart_specs(open_page("trends", year="2019"))[0]
    assert [s["x0"] + 0.4 for s in spec["layout"]["shapes"] if s["type"] == "rect"] == [2019]
    assert "2019年（侧栏所选）" in [a["text"] for a in spec["layout"]["annotations"]]
    assert spec["layout"]["yaxis"]["rangemode"] == "tozero"


def test_trends_give_the_city_total_its_own_panel_and_each_series_its_colour():
    spec = chart_specs(open_page("trends", counties=["610902", "610921"]))[0]
    lines = [trace for trace in spec["data"] if trace["type"] == "scatter"]
    assert {trace["yaxis"] for trace in lines} == {"y", "y2"}  # the total above, the counties below
    colours = [trace["line"]["color"] for trace in lines]
    assert len(set(colours)) == len(colours) == 3


def test_per_10000_keeps_decimals_says_per_10000_and_says_why_the_city_level_is_missing():
    at = open_page("trends", indicator="gov_legal_advisors", view="per_10k", counties=["610900BJ", "610902"])
    assert "市本级不单独统计常住人口（人口按区县和全市统计），无法按每万人计算，图中未画出。" in infos(at)
    table = markdown_tables(at)[0]
    assert list(table.columns) == ["年度", "全市", "全市 同比", "汉滨区", "汉滨区 同比"]
    assert all(re.fullmatch(r"\d+\.\d\d（每万人）", v) for v in table["汉滨区"])
    assert "名" not in "".join(table["全市"])
    axis = chart_specs(at)[0]["layout"]["yaxis"]["title"]["text"]
    assert axis == "政府及部门聘请法律顾问（含公职律师）人数（每万常住人口）"


def test_a_copied_link_opens_the_same_view():
    link = {"indicator": "gov_legal_advisors", "counties": "610922", "view": "per_10k", "year": "2020", "lang": "en"}
    at = open_page("trends", **link)
    assert at.selectbox(key="w_indicator").value == "gov_legal_advisors"
    assert at.multiselect(key="w_counties").value == ["610922"]
    assert at.selectbox(key="w_view").value == "per_10k"
    assert at.selectbox(key="w_year").value == 2020
    assert {k: at.query_params[k] for k in link} == link
    table = markdown_tables(at)[0]
    assert list(table.columns) == ["Year", "Whole city", "Whole city YoY", "Shiquan County", "Shiquan County YoY"]


# ── county comparison ────────────────────────────────────────────────────────────────────────
def test_compare_ranks_best_first_ties_share_a_rank_and_say_so():
    at = open_page("compare")
    ranking = chart_specs(at)[0]
    bars = ranking["data"][0]
    values = plotly_array(bars["x"])
    assert len(values) == 10 and values == sorted(values, reverse=True)  # case-file pass rate: higher is better
    assert bars["y"][-3:] == ["石泉县（并列8）", "宁陕县（并列8）", "镇坪县（并列8）"]  # all three read 96.3 %
    assert any("“并列”表示数值相同、名次相同。" in c.value for c in at.main.caption)
    # the value labels stand right of the plot, where no target or average line can cross them
    labels = [a for a in ranking["layout"]["annotations"] if a.get("xref") == "paper" and a.get("x") == 1.0]
    assert [a["text"] for a in labels][-1] == "96.3%" and len(labels) == 10
    assert "text" not in bars


def test_compare_scores_every_county_and_shows_bars_by_area_not_a_radar():
    at = open_page("compare")
    scores = markdown_tables(at)[0]
    assert len(scores) == 10 and scores["排名"].tolist() == [str(n) for n in range(1, 11)]
    assert list(scores.columns)[:4] == ["地区", "排名", "名次变化", "综合得分"] and "监督公开" in scores.columns
    kinds = {trace["type"] for spec in chart_specs(at) for trace in spec["data"]}
    assert "scatterpolar" not in kinds
    bars = chart_specs(at)[-1]
    assert [trace["name"] for trace in bars["data"]] == ["汉滨区", "汉阴县", "区县平均"]
    # the bars follow the order the units were picked in, as the chips read
    picked = chart_specs(open_page("compare", radar=["610921", "610902"]))[-1]
    assert [trace["name"] for trace in picked["data"]] == ["汉阴县", "汉滨区", "区县平均"]


def test_phones_get_a_list_per_county_beside_the_heatmap_for_desks():
    """Both are sent; the page's style shows the list below 640 px and the heatmap above (the browser
    tests check which one shows at 390 and 1440 px)."""
    at = open_page("compare")
    listing = next(m.value for m in at.markdown if m.value.startswith("**白河县**")).split("\n\n")
    assert len(listing) == 10  # every county, the worst first
    assert "**石泉县**：未达标1 · 接近0 · 达标16  \n召开听证会次数 0次（目标2次\\*）" in listing
    assert any(trace["type"] == "heatmap" for spec in chart_specs(at) for trace in spec["data"])


def test_compare_toggle_and_area_are_kept_in_the_url():
    at = open_page("compare")
    at.toggle(key="w_all").set_value(True).run()
    at.selectbox(key="w_area").set_value("A3").run()
    assert_clean(at)
    assert at.query_params["all"] == "1" and at.query_params["area"] == "A3"
    at.toggle(key="w_all").set_value(False).run()
    assert "all" not in at.query_params


# ── targets ──────────────────────────────────────────────────────────────────────────────────
def test_targets_draw_every_bullet_as_a_share_of_its_target_with_the_target_at_100_percent():
    at = open_page("targets")
    spec = chart_specs(at)[0]
    bars = spec["data"][0]
    shares = dict(zip(bars["y"], plotly_array(bars["x"]), strict=True))
    # 119 drills against 2*, 67 meetings against 4* and 32 hearings against 10*: no longer equal bars
    assert shares["应急预案演练次数*†"] == 1.5  # capped, with an arrow and the multiple in words
    assert shares["行政执法案卷评查合格率*"] == pytest.approx(97.1 / 90, abs=0.01)
    assert [s["x0"] for s in spec["layout"]["shapes"]] == [1.0]  # the target line
    assert spec["layout"]["xaxis"]["ticktext"][4] == "100%"
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert "119次 / 目标 2次* · 目标的59.5倍" in texts
    notes = " ".join(c.value for c in at.caption)
    assert "† 计数类的市级目标指市政府本级应达到的数量，全市合计含各区县" in notes


def test_targets_for_the_city_lists_gaps_and_counties_at_risk():
    at = open_page("targets", year="2017")
    assert at.markdown[0].value.startswith("**全市 · 2017年**：有目标的指标")
    gaps, counties, at_risk = markdown_tables(at)
    assert list(gaps.columns) == ["指标", "数值", "目标", "目标依据", "状态", "差距", "预计达标年份"]
    assert list(counties.columns) == ["地区", "达标", "接近", "未达标", "缺数据"] and len(counties) == 10
    assert set(gaps["状态"]) <= {"达标", "接近", "未达标"}
    assert list(at_risk.columns) == ["指标", "区县", "数值", "目标", "趋势判断"]
    # the draft link names the city, not the 全市 of the region list
    assert [link.proto.label for link in at.get("page_link") if "经验材料" in link.proto.label] == [
        "为安康市生成2017年经验材料草稿"
    ]
    english = open_page("targets", year="2017", lang="en", region="610900BJ")
    assert [link.proto.label for link in english.get("page_link") if "experience" in link.proto.label] == [
        "Draft the experience material for Ankang City (own level), 2017"
    ]


# ── profile, catalog, completeness ───────────────────────────────────────────────────────────
def test_profile_of_a_county_in_a_past_year_shows_its_seed_figure(catalog):
    at = open_page("profile", county="610922", year="2017")
    assert at.selectbox(key="w_county").value == "610922"
    assert at.subheader[0].value == "石泉县 · 2017年"
    # the seed document: 124 of 147 villages in 石泉县 had a legal adviser in 2017
    assert metrics(at)[catalog["village_legal_advisor_coverage"].name_zh] == "84.4%"
    assert at.query_params["county"] == "610922"


def test_catalog_search_is_kept_in_the_url():
    at = open_page("catalog", q="听证")
    table = at.dataframe[0].value
    assert 0 < len(table) < 70 and table["指标"].str.contains("听证").any()
    assert at.query_params["q"] == "听证"


def test_completeness_counts_what_the_city_level_does_not_report_as_not_applicable(catalog):
    at = open_page("completeness", region="610900BJ")
    detail = at.table[0].value
    states = dict(zip(detail.index, detail["状态"], strict=True))
    assert (
        states[catalog["village_legal_advisor_coverage_base"].name_zh] == "不适用"
        if ("village_legal_advisor_coverage_base" in catalog)
        else True
    )
    not_applicable = [i.name_zh for i in catalog.base if not i.own_level and i.aggregate != "none"]
    assert not_applicable and all(states[name] == "不适用" for name in not_applicable)
    detail_caption = next(c.value for c in at.caption if c.value.startswith("市本级 · "))
    assert detail_caption == f"市本级 · 2025年：缺报0项（排在前面），不适用{len(not_applicable)}项。"
    # and the grid counts them apart: a complete own level is green (band 3), not "缺3"
    grid = chart_specs(at)[0]["data"][0]
    assert grid["text"][0][-1] == ""
    assert set(plotly_array(grid["z"])) == {3}


def test_the_etls_own_loads_are_named_in_words_not_by_their_login():
    """`python -m etl build` loads as "build": 导入人 says 系统重建 (a person's login stays as it is)."""
    latest = [tb for tb in (x.value for x in open_page("completeness").table) if "导入人" in tb.columns]
    assert latest and set(latest[0]["导入人"]) == {"系统重建"}
    assert (fmt.loader("sample", "en"), fmt.loader("hanbin", "zh")) == ("sample generator", "hanbin")


def test_completeness_marks_a_gap_apart_from_complete(catalog):
    codes = ["610902", "610921"]
    reported = pd.DataFrame(
        [(c, 2025, i.id) for c in codes for i in catalog.base][:-3], columns=["region_code", "year", "indicator_id"]
    )
    table = analysis.completeness(reported, codes, [2025], list(catalog.base))
    assert table["missing"].tolist() == [0, 3]
    spec = charts_status.completeness(
        table.pivot(index="region_code", columns="year", values="share"),
        table.pivot(index="region_code", columns="year", values="missing"),
        table.pivot(index="region_code", columns="year", values="not_applicable"),
        "zh",
        "",
    )
    assert spec.data[0].z.ravel().tolist() == [3, 2]  # complete green, three missing amber: never the same
    assert spec.data[0].text.ravel().tolist() == ["", "缺3"]


# ── the URL keeps every filter, across pages too, and no default ───────────────────────────────
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


def test_switching_language_redraws_everything_at_once_and_keeps_the_view():
    at = open_page("trends", year="2018", counties="610902")
    at.selectbox(key="w_lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Trends"
    assert at.sidebar.markdown[0].value == "### ⚖️ Rule-of-law government indicators"
    assert at.selectbox(key="w_scope").options == ["Ankang City"]
    assert at.selectbox(key="w_year").value == 2018 and at.selectbox(key="w_year").options[0] == "2025"
    assert at.multiselect(key="w_counties").options[1] == "Hanbin District"
    assert dict(at.query_params) == {"year": "2018", "counties": "610902", "lang": "en"}


def test_a_page_switch_keeps_year_scope_and_selections():
    at = open_page("trends", year="2018", indicator="gov_info_published")
    at.query_params.clear()  # a page switch in the browser clears the URL
    at.switch_page("pages/compare.py").run()
    assert_clean(at)
    assert at.selectbox(key="w_year").value == 2018
    assert at.selectbox(key="w_indicator").value == "gov_info_published"
    assert at.query_params["year"] == "2018" and at.query_params["indicator"] == "gov_info_published"


def test_an_edited_catalog_shows_without_a_restart(tmp_path, monkeypatch):
    from rolgov import ui

    copy = tmp_path / "metrics.yml"
    copy.write_text(catalog_mod.DEFAULT_CATALOG.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(catalog_mod, "DEFAULT_CATALOG", copy)
    assert ui.get_catalog()["hearings_held"].name_zh == "召开听证会次数"
    copy.write_text(copy.read_text(encoding="utf-8").replace("召开听证会次数", "召开听证会场次"), encoding="utf-8")
    assert ui.get_catalog()["hearings_held"].name_zh == "召开听证会场次"


# ── exports carry year, scope, units, the sample flag and the source line ──────────────────────
def test_the_composite_export_carries_year_scope_units_sample_flag_source_and_values(app_db, catalog):
    with db.read(app_db) as con:
        values = queries.values(con, queries.scope_codes("610900"))
    counties = queries.county_codes("610900", 2025)
    scores = analysis.scores_by_year(values, catalog, counties, catalog.visible(False))
    now = scores[scores["year"] == 2025]
    areas = {a.id: a.short_zh for a in catalog.areas if a.id in now.columns}
    tidy = export.composite(
        now, values[values["year"] == 2025], catalog, dict.fromkeys(counties, "x"), areas, 2025, "zh"
    )
    about = export.About("综合得分_2025", "安康市（610900）", "2025", "数据来源：示例数据（非官方统计）", True)
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(tidy, "数据", about)))
    assert book.sheetnames == ["数据", "说明"]
    header = [c.value for c in book["数据"][1]]
    assert header == [
        "年度",
        "地区代码",
        "地区",
        "类别",
        "项目",
        "数值",
        "单位",
        "排名",
        "名次变化",
        "范围",
        "示例数据",
        "数据来源",
    ]
    rows = list(book["数据"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {2025} and {r[9] for r in rows} == {"安康市（610900）"}
    assert {r[10] for r in rows} == {"是（非官方统计）"} and {r[11] for r in rows} == {
        "数据来源：示例数据（非官方统计）"
    }
    assert {r[3] for r in rows} == {"综合得分", "领域得分", "指标数值"}
    hearing = next(r for r in rows if r[4] == catalog["hearings_held"].name_zh)
    assert hearing[6] == "次"
    about_sheet = dict(book["说明"].iter_rows(min_row=2, values_only=True))
    assert about_sheet["示例数据"] == "是（非官方统计）" and about_sheet["年度"] == "2025"
    csv = export.to_csv(tidy, about).decode("utf-8-sig").splitlines()
    assert csv[0] == "年度,地区代码,地区,类别,项目,数值,单位,排名,名次变化,范围,示例数据,数据来源"


def test_english_exports_have_english_headers_and_file_names():
    assert t("file_composite", "en", year=2025) == "composite_scores_2025"
    assert all(not CJK.search(STRINGS[k][1]) for k in STRINGS if k.startswith(("file_", "x_")))


# ── no data at all ───────────────────────────────────────────────────────────────────────────
def _write_empty(path: Path) -> None:
    with db.write(path, catalog_mod.load()):
        pass


@pytest.fixture
def empty_db(tmp_path, tmp_path_factory, monkeypatch):
    """A database with the schema and the reference tables but no submission loaded yet (written once, copied)."""
    path = tmp_path / "empty.duckdb"
    shutil.copy(built_once(tmp_path_factory, "empty.duckdb", _write_empty), path)
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
        assert NO_DATA_SCOPE in [i.value for i in at.info]  # nothing at all: which unit, and where to load it
        assert [link.proto.page for link in at.get("page_link")][-1:] == ["data"]
    assert not [w.value for w in at.warning if "示例数据" in w.value]  # no sample data, so no sample banner


def test_a_rates_spread_spans_its_values_and_target_not_0_to_100(catalog):
    """Rates of 86–98% on a 0–100 axis were a box a few pixels wide; the strip now spans them and the target."""
    rate = catalog["case_file_pass_rate"]
    frame = pd.DataFrame({"region_code": list("abcd"), "label": list("abcd"), "value": [86.0, 90.5, 95.0, 98.0]})
    fig = charts_spread.spread(frame, rate, "zh", "县（市、区）", 2024, [], rate.target_for("county", 2024))
    low, high = fig.layout.xaxis.range
    assert 80 < low < 86 and 98 < high <= 100 and fig.layout.xaxis.rangemode is None
    assert charts_spread.percent_range(pd.Series([100.0, 100.0]), 100.0) == {"range": [90.0, 100.0]}
    assert charts_spread.percent_range(pd.Series([5.0, 30.0]), None)["range"][0] < 5


def test_the_spread_note_speaks_of_red_dots_only_when_there_are_some():
    compare = [c.value for c in open_page("compare").caption if "中位数" in c.value]
    assert compare and not any("红点" in c for c in compare)
    profile = [c.value for c in open_page("profile", county="610922").caption if "中位数" in c.value]
    assert profile and all(c.endswith("；红点为石泉县") for c in profile)


def test_a_tie_is_listed_in_one_order_in_the_ranking_chart_and_the_tables(catalog):
    """96.34% and 96.31% both read 96.3% and share a place: the chart listed them by the hidden decimals,
    the table by code, so a reader saw two orders of the same tie."""
    rate = catalog["case_file_pass_rate"]
    rows = pd.DataFrame({"region_code": ["610902", "610921", "610922"], "value": [90.0, 96.31, 96.34]})
    labels = {"610902": "汉滨区", "610921": "汉阴县", "610922": "石泉县"}
    ranked = tables.indicator_ranking(rows, rate, labels, "zh").assign(status="met")
    table = tables.children_table(ranked, list(labels), {}, labels, "zh")
    fig = charts.ranking(ranked, rate, "zh", None, None)
    assert [y.split("（")[0] for y in fig.data[0].y] == table["地区"].tolist() == ["汉阴县", "石泉县", "汉滨区"]


def test_a_counts_spread_labels_its_target_in_words_of_the_language(catalog):
    """Target* 2times ran the English unit into the figure; 1 is singular there, as everywhere."""
    hearings = catalog["hearings_held"]
    frame = pd.DataFrame({"region_code": list("abc"), "label": list("abc"), "value": [1.0, 3.0, 5.0]})
    target = hearings.target_for("county", 2024)
    texts = {
        lang: [a.text for a in charts_spread.spread(frame, hearings, lang, "x", 2024, [], target).layout.annotations]
        for lang in ("zh", "en")
    }
    assert texts == {"zh": [f"目标* {target.value:g}次"], "en": [f"Target* {target.value:g} times"]}
