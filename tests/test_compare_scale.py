"""The comparison pages at a province (陕西省: 10 cities, 107 county-level units), the whole country (2,846 units,
one year), a county and a scope without data, through AppTest on real databases loaded by `python -m etl load`;
drafts for 陕西省 and for a county of 汉中市 built from the province database; the small tables behind them.

The databases are written by scripts/bench_load.py's generator (seeded values for every unit and indicator) until
branch `national` brings `python -m etl sample --scope`. Until branch `scope` lets the sidebar reach the whole
country and single counties, `offer` adds them to the scopes it lists (and gives the country its units); where
the sidebar already does so, the stand-ins change nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from rolgov import catalog as catalog_mod
from rolgov import db, fmt, navigation, peers, queries, tables, ui
from rolgov import regions as R
from rolgov.geo import COUNTRY
from rolgov.i18n import t
from rolgov.report import build_draft
from rolgov.report.model import Period
from tests.conftest import ROOT, load_script, markdown_tables, value_of
from tests.conftest import open_page as conftest_open_page

HANTAI = "610702"  # 汉台区, a county of 汉中市 (not of 安康市, the default scope)


def generated_db(folder: Path, prefix: str, years: tuple[int, int], leave_out: tuple = ()) -> Path:
    """Every unit under `prefix` (all of China for "") with every reported indicator, loaded by the real CLI;
    leave_out: (code, year) pairs not reported."""
    bench = load_script("bench_load")
    units = [u for u in bench.unit_years(*years, own_levels=True) if u[0].startswith(prefix) and u not in leave_out]
    csv = folder / f"units_{prefix or 'china'}.csv"
    bench.write_long_csv(csv, units)
    database = folder / "rolgov.duckdb"
    env = {**os.environ, **bench.LIMITS_ENV}
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "--db", str(database), str(csv)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return database


@pytest.fixture(scope="module")
def province_db(tmp_path_factory) -> Path:
    return generated_db(tmp_path_factory.mktemp("shaanxi"), "61", (2023, 2024))


@pytest.fixture(scope="module")
def country_db(tmp_path_factory) -> Path:
    # 台湾省 has no county-level units in the reference: without its 本级 it has no figure at all
    return generated_db(
        tmp_path_factory.mktemp("china"), "", (2024, 2024), leave_out=((R.own_level_code("710000"), 2024),)
    )


def use(monkeypatch, database: Path, scope: str, extra_scopes: tuple[str, ...] = ()) -> None:
    """Point the app at `database` with `scope` as its default; the sidebar lists `extra_scopes` too."""
    monkeypatch.setattr(db, "DEFAULT_DB", database)
    monkeypatch.setenv("ROLGOV_DB", str(database))
    monkeypatch.setattr(R, "DEFAULT_SCOPE", scope)
    listed = ui.scopes_with_data
    monkeypatch.setattr(ui, "scopes_with_data", lambda ver: [*extra_scopes, *listed(ver)])
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def fresh_caches():
    with navigation.apptest_runs_dashboard():
        yield
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, **query):
    return conftest_open_page(page, timeout=180, **query)  # the country's pages, cold


def bar_labels(at: AppTest) -> list[str]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    bars = next(s for s in specs if s["data"][0]["type"] == "bar")
    return bars["data"][0]["y"]


SHAANXI_CITIES = ["西安市", "铜川市", "宝鸡市", "咸阳市", "渭南市", "延安市", "汉中市", "榆林市", "安康市", "商洛市"]


# ── 区县对比 ───────────────────────────────────────────────────────────────────────────────────────
def test_a_province_compares_its_cities_by_their_totals_with_the_units_missing_under_each(monkeypatch, province_db):
    use(monkeypatch, province_db, "610000")
    at = open_page("compare")
    heading = "**陕西省各市对比**"
    assert heading in [m.value for m in at.main.markdown]
    cities = next(tb for tb in markdown_tables(at) if "下辖单位缺报" in tb.columns)
    assert sorted(cities["地区"]) == sorted(SHAANXI_CITIES)
    assert set(cities["下辖单位缺报"]) == {
        f"0/{len(peers.county_units(c, 2024))}" for c in peers.children("610000", 2024)
    }
    assert len(bar_labels(at)) == 10  # ten cities, no county
    # the chart and the table list the cities in one order, ties included (延安市 and 西安市 were swapped)
    assert [re.sub("（.*）$", "", label) for label in bar_labels(at)] == cities["地区"].tolist()
    # the scores by area: the cities' average is the dark tick the caption speaks of, not a third bar
    by_area = next(
        spec
        for chart in at.get("plotly_chart")
        if "各领域得分" in (spec := json.loads(chart.proto.spec))["layout"]["title"]["text"]
    )
    average = [trace for trace in by_area["data"] if trace["name"] == "各市平均"]
    assert len(average) == 1 and average[0]["type"] == "scatter" and average[0]["marker"]["symbol"] == "line-ns"
    assert any("竖线为各市平均" in c.value for c in at.caption)


def test_every_county_of_a_province_shows_the_best_and_worst_ten_and_the_one_searched_for(monkeypatch, province_db):
    use(monkeypatch, province_db, "610000")
    at = open_page("compare", counties="1", find=HANTAI)
    labels = bar_labels(at)
    gaps = [label for label in labels if "略去" in label]
    assert 1 <= len(gaps) <= 2 and len(labels) == 21 + len(gaps)
    assert any(label.startswith("<b>汉台区（") for label in labels)  # the unit searched for, in bold
    # the percentile sentence, checked against the database by hand
    with db.read(province_db) as con:
        values = (
            con.execute(
                "SELECT region_code, value FROM indicator_values WHERE year = 2024 "
                "AND indicator_id = 'case_file_pass_rate' AND list_contains($r, region_code)",
                {"r": peers.county_units("610000", 2024)},
            )
            .df()
            .set_index("region_code")["value"]
            .round(1)
        )
    mine = values[HANTAI]
    others = values.drop(HANTAI)
    better, level = int((others < mine).sum()), int((others == mine).sum())
    rank = int((others > mine).sum()) + 1
    rank_text = f"并列{rank}" if level else str(rank)
    # with ties the share beaten and the percentile differ, and the sentence says why
    pct = f"第{100 * (better + level / 2) / 106:.0f}百分位"
    tie = f"，与{level}个并列（并列按一半计，{pct}）" if level else f"（{pct}）"
    expected = f"- 汉台区 {mine:.1f}%：在陕西省107个有数据的县（市、区）中排名{rank_text}，优于其中{100 * better / 106:.0f}%{tie}"
    assert expected in [m.value.replace("\\", "") for m in at.main.markdown]


def test_the_heatmap_of_a_province_shows_one_city_at_a_time_or_pages_of_twelve(monkeypatch, province_db):
    use(monkeypatch, province_db, "610000")

    def heatmap_columns(at: AppTest) -> list[str]:
        specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
        return next(s for s in specs if s["data"][0]["type"] == "heatmap")["data"][0]["x"]

    assert len(heatmap_columns(open_page("compare", counties="1"))) == tables.HEATMAP_PAGE
    hanzhong = heatmap_columns(open_page("compare", counties="1", city="610700", order="code"))
    assert hanzhong == [R.name_of(c, 2024) for c in peers.county_units("610700", 2024)]
    by_name = heatmap_columns(open_page("compare", counties="1", city="610700", order="name"))
    from pypinyin import lazy_pinyin

    assert by_name == sorted(hanzhong, key=lazy_pinyin) and by_name[0] == "城固县"
    last = open_page("compare", counties="1", heat_page="9")
    assert len(heatmap_columns(last)) == 107 - 8 * tables.HEATMAP_PAGE


def test_the_country_compares_its_provinces_and_lists_those_without_data_as_missing(monkeypatch, country_db):
    use(monkeypatch, country_db, "610000", (COUNTRY,))
    at = open_page("compare", scope=COUNTRY)
    provinces = next(tb for tb in markdown_tables(at) if "下辖单位缺报" in tb.columns)
    assert len(provinces) == len(peers.children(COUNTRY, 2024))
    taiwan = provinces[provinces["地区"] == "台湾省"].iloc[0]
    assert (taiwan["数值"], taiwan["排名"]) == ("缺数据", "—")
    assert len(bar_labels(at)) <= 21 + 2  # 34 provinces: the best and worst ten


def test_a_county_scope_compares_it_with_its_citys_counties_and_a_scope_without_data_says_so(monkeypatch, province_db):
    use(monkeypatch, province_db, "610000", (HANTAI, "620000"))
    at = open_page("compare", scope=HANTAI)  # a county: among its city's county-level units, itself marked
    hanzhong = peers.county_units("610700", 2024)
    assert len(bar_labels(at)) == len(hanzhong)
    assert at.caption[0].value == "汉台区与汉中市各县（市、区）对比，图表中以红色标出；它在全省的位置见「区县档案」。"
    standing = [m.value for m in at.main.markdown if m.value.startswith("- 汉台区 ")]
    assert len(standing) == 1 and f"在汉中市{len(hanzhong)}个有数据的县（市、区）中排名" in standing[0]
    for page in ("profile", "trends", "targets", "completeness", "report", "catalog"):
        open_page(page, scope=HANTAI)
    for page in ("compare", "profile", "trends", "targets", "completeness", "report"):
        empty = open_page(page, scope="620000")
        said = t("scope_no_data", "zh", name="甘肃省", level="省级", code="620000")
        assert said in [i.value for i in empty.main.info], page


# ── the other pages at a province and the country ─────────────────────────────────────────────────
def test_the_profile_of_a_county_of_another_city_says_where_it_stands_in_its_province_and_city(
    monkeypatch, province_db
):
    use(monkeypatch, province_db, "610000")
    at = open_page("profile", county=HANTAI)
    subheaders = [s.value for s in at.subheader]
    assert "汉台区 · 2024年" in subheaders and "在陕西省各县（市、区）中的位置" in subheaders
    standing = next(tb for tb in markdown_tables(at) if "百分位" in tb.columns)
    assert set(standing["排名"].str.split("/").str[1]) == {"107"}
    city = open_page("profile", county=HANTAI, among="city")
    assert "在汉中市各县（市、区）中的位置" in [s.value for s in city.subheader]
    standing = next(tb for tb in markdown_tables(city) if "百分位" in tb.columns)
    assert set(standing["排名"].str.split("/").str[1]) == {str(len(peers.county_units("610700", 2024)))}
    city_profile = open_page("profile", county="610700")
    assert "在陕西省各市中的位置" in [s.value for s in city_profile.subheader]


def test_with_one_citys_data_a_county_is_compared_with_its_citys_counties(monkeypatch, sample_db, tmp_path):
    copy = tmp_path / "sample.duckdb"
    copy.write_bytes(sample_db.read_bytes())
    use(monkeypatch, copy, "610900")
    at = open_page("profile", county="610922")
    assert "在安康市各县（市、区）中的位置" in [s.value for s in at.subheader]
    assert at.selectbox(key="w_among").value == "city"


@pytest.mark.parametrize("page", ["trends", "targets", "completeness", "catalog", "report", "profile"])
def test_every_page_runs_at_a_province(monkeypatch, province_db, page):
    use(monkeypatch, province_db, "610000")
    open_page(page)


def test_targets_at_a_province_sum_up_its_cities_and_completeness_counts_units_per_year(monkeypatch, province_db):
    use(monkeypatch, province_db, "610000")
    targets = open_page("targets")
    assert "各市达标情况" in [s.value for s in targets.subheader]
    summary = next(tb for tb in markdown_tables(targets) if "未达标" in tb.columns and "缺数据" in tb.columns)
    assert sorted(summary["地区"]) == sorted(SHAANXI_CITIES)
    # the units at risk are cities: their column is 地区, not 区县 (English: "Cities at risk…", capitalised)
    assert "可能无法按期达标的市" in [s.value for s in targets.subheader]
    at_risk = [tb for tb in markdown_tables(targets) if "趋势判断" in tb.columns]
    assert at_risk and "区县" not in at_risk[0].columns and "地区" in at_risk[0].columns
    english = open_page("targets", lang="en")
    assert any(s.value.startswith("Cities at risk") for s in english.subheader)
    complete = open_page("completeness")
    counts = markdown_tables(complete)[0]
    units = len(queries.scope_codes("610000", 2024)) - 1  # 107 counties and 11 own levels
    assert counts.to_dict("records")[0] == {
        "年度": "2024",
        "应报单位": str(units),
        "已报送": str(units),
        "报送齐全": str(units),
    }
    assert [s.label for s in complete.selectbox if s.label == "按地区查看"]


def test_trends_at_the_country_draw_the_national_total_else_ask_for_units(monkeypatch, country_db):
    use(monkeypatch, country_db, "610000", (COUNTRY,))
    with db.read(country_db) as con:
        provinces = con.execute(
            "SELECT count(*), sum(value) FROM indicator_values v JOIN regions r ON r.code = v.region_code "
            "WHERE r.level = 'province' AND v.year = 2024 AND v.indicator_id = 'hearings_held' AND r.code < '710000'"
        ).fetchall()[0]
    # every province with county-level units has its total, so the country has one: theirs summed (港澳台,
    # without county-level units in the reference, are not in it, as national statistics leave them out)
    assert provinces[0] == 31
    national = value_of(country_db, COUNTRY, 2024, "hearings_held")
    assert national == provinces[1]
    at = open_page("trends", scope=COUNTRY)  # 举行听证会 by default: the national total's line
    assert not at.main.info and len(at.get("plotly_chart")) == 1
    table = markdown_tables(at)[0]
    assert list(table.columns[:2]) == ["年度", "全国"] and table.iloc[-1, 1] == fmt.value(
        catalog_mod.load()["hearings_held"], national, "zh"
    )
    # public satisfaction is a survey's figure, never summed: no national total, so the units are asked for
    at = open_page("trends", scope=COUNTRY, indicator="public_satisfaction")
    assert [i.value for i in at.main.info] == [t("ts_country_pick", "zh")]
    chosen = open_page("trends", scope=COUNTRY, indicator="public_satisfaction", counties=["610902", "420102"])
    assert len(chosen.get("plotly_chart")) == 1
    for page in ("compare", "profile", "targets", "completeness"):
        open_page(page, scope=COUNTRY)


# ── drafts from a province database ───────────────────────────────────────────────────────────────
def draft_text(database: Path, scope: str) -> tuple[str, object]:
    catalog = catalog_mod.load()
    with db.read(database) as con:
        draft = build_draft(con, catalog, scope, Period.since(2023, 2024), ["A1", "A3", "A4"])
    return "".join(b.text for b in draft.blocks), draft


def test_a_provinces_draft_speaks_for_the_province_and_names_its_best_cities(province_db):
    text, draft = draft_text(province_db, "610000")
    assert draft.blocks[0].text == "陕西省推进法治政府建设示范创建工作经验材料"
    assert "我省自开展法治政府建设示范创建工作以来" in text
    for words in ("全市", "市政府", "市级", "我市", "各县（市、区）中排名", "居全省各县"):
        assert words not in text, words
    ranks = [f for b in draft.blocks for f in b.figures if f.measure == "rank"]
    assert ranks and {f.among for f in ranks} == {"610000"}
    assert {R.level(f.region_code) for f in ranks} == {"prefecture"}
    for sentence in re.split("[。]", text):  # a city is named only as one of the province's best
        if "安康" in sentence:
            assert "各市" in sentence or "全省" in sentence, sentence


def test_a_county_of_another_city_ranks_among_that_citys_counties(province_db):
    text, draft = draft_text(province_db, HANTAI)
    assert draft.blocks[0].text == "汉台区创建法治政府建设示范区经验材料"
    assert "安康" not in text
    ranks = [f for b in draft.blocks for f in b.figures if f.measure == "rank"]
    assert ranks and {f.among for f in ranks} == {"610700"} and {f.region_code for f in ranks} == {HANTAI}


# ── the small tables ───────────────────────────────────────────────────────────────────────────────
def test_top_bottom_keeps_the_ends_and_the_units_found_and_says_how_many_it_left_out(catalog):
    ind = catalog["case_file_pass_rate"]
    ranked = pd.DataFrame(
        {
            "region_code": [f"u{k:02d}" for k in range(30)],
            "value": [100.0 - k for k in range(30)],
            "label": [f"u{k:02d}" for k in range(30)],
            "text": "",
            "status": "met",
            "rank": range(1, 31),
            "tied": False,
        }
    )
    cut = tables.top_bottom(ranked, ind, 5, ["u15"], "zh")
    assert cut["region_code"].tolist() == [
        *[f"u{k:02d}" for k in range(5)],
        "",
        "u15",
        "",
        *[f"u{k:02d}" for k in range(25, 30)],
    ]
    gaps = cut.loc[cut["region_code"] == "", "label"].str.replace("\u200b", "").tolist()
    assert gaps == ["… 略去10个 …", "… 略去9个 …"]
    assert (
        tables.top_bottom(ranked.head(8), ind, 5, [], "zh")["region_code"].tolist()
        == ranked.head(8)["region_code"].tolist()
    )


def test_missing_under_counts_units_without_a_value_never_as_zero():
    values = pd.Series({"a1": 3.0, "a2": float("nan"), "b1": 0.0})
    units = {"A": ["a1", "a2", "a3"], "B": ["b1"]}
    assert tables.missing_under(["A", "B"], values, units.get) == {"A": (2, 3), "B": (0, 1)}


# ── the sentence a value was imported from ────────────────────────────────────────────────────────
SHA = "ab" * 32
NOTE = f"〔来源：石泉县2025年法治政府建设工作报告.txt sha256:{SHA} 第3段〕全年共召开听证会12次。"


@pytest.fixture
def quoted_db(sample_db, tmp_path) -> Path:
    """The sample set and one value of 石泉县 imported from a report, its sentence kept in the note."""
    from etl.load import load_file
    from tests.conftest import write_csv

    database = tmp_path / "quoted.duckdb"
    database.write_bytes(sample_db.read_bytes())
    rows = [["610922", 2025, "hearings_held", 12, NOTE]]
    result = load_file(write_csv(tmp_path / "shiquan_report.csv", rows), database, catalog_mod.load())
    assert result.status == "loaded", result.problems
    return database


def test_report_sources_read_the_sentence_of_imported_values_only(quoted_db):
    from rolgov import review

    with db.read(quoted_db) as con:
        found = review.report_sources(con, ["610922", "610900"], [2024, 2025])
    assert found.to_dict("records") == [
        {
            "region_code": "610922",
            "year": 2025,
            "indicator_id": "hearings_held",
            "report": "石泉县2025年法治政府建设工作报告.txt",
            "place": "第3段",
            "sentence": "全年共召开听证会12次。",
        }
    ]


def test_trends_and_the_profile_show_where_an_imported_figure_comes_from(monkeypatch, quoted_db):
    use(monkeypatch, quoted_db, "610900")
    line = "来源：石泉县2025年法治政府建设工作报告.txt · 第3段 · 原文：全年共召开听证会12次。"
    trends = open_page("trends", indicator="hearings_held", counties="610922")
    quoted = [m.value.replace("\\", "") for m in trends.main.markdown if "来源：" in m.value]
    assert quoted == [f"- 2025年 石泉县：{line}"]
    profile = open_page("profile", county="610922")
    quoted = [m.value.replace("\\", "") for m in profile.main.markdown if "来源：" in m.value]
    assert quoted == [f"- 召开听证会次数：{line}"]


def test_total_gaps_name_the_years_a_total_is_missing_and_how_many_units_had_not_reported():
    totals = pd.Series({2023: 10.0, 2024: float("nan")})
    unit_values = pd.DataFrame(
        {"region_code": ["a", "b", "a", "c"], "year": [2023, 2023, 2024, 2025], "value": [4.0, 6.0, 5.0, 1.0]}
    )
    units = {2023: ["a", "b"], 2024: ["a", "b"], 2025: ["a", "b"], 2022: ["a", "b"]}
    # 2024: a reported, b did not; 2025: neither of its units (c is not one); 2022: nothing at all
    assert tables.total_gaps(totals, unit_values, units.get, [2022, 2023, 2024, 2025]) == [(2024, 1, 2)]


def test_trends_say_which_years_lack_a_total_and_how_many_units_had_not_reported(monkeypatch, tmp_path):
    database = generated_db(tmp_path, "6107", (2023, 2024), leave_out=((HANTAI, 2023),))
    use(monkeypatch, database, "610700")
    at = open_page("trends", indicator="hearings_held")
    units = len(peers.county_units("610700", 2023))
    assert f"全市缺合计的年份（有单位未报时不给合计，以免少算）：2023年{units}个中1个未报" in [
        c.value for c in at.caption
    ]
