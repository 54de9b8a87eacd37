"""Experience-summary drafts: structure, every figure against the database (computed here in SQL), the seed's
figures, scopes never mixed, internal indicators hidden, the .docx fonts and page, no number without a
source row, edits, verify before and after a correction, the CLI and the page."""

from __future__ import annotations

import io
import re
import shutil

import pytest
import streamlit as st
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from etl.load import load_file
from rolgov import db, queries, report, report_cli, report_docx, report_md
from rolgov import report_text as W
from rolgov.catalog import formula_sql
from rolgov.report_figures import occurrences, rank_text, untraced_numbers, value_text
from tests.conftest import ROOT, write_csv

CITY = "610900"
SHIQUAN = "610922"
SINCE_2017 = report.Period.since(2017, 2018)


@pytest.fixture(scope="module")
def con(sample_db):
    connection = db.read(sample_db)
    yield connection
    connection.close()


def draft_of(con, catalog, scope=CITY, period=SINCE_2017, areas=("A3", "A7"), **options) -> report.Draft:
    options.setdefault("with_charts", False)
    return report.build_draft(con, catalog, scope, period, list(areas), **options)


@pytest.fixture(scope="module")
def city_draft(con, catalog) -> report.Draft:
    return draft_of(con, catalog, areas=list(W.AREAS), with_charts=True)


# ── structure ──────────────────────────────────────────────────────────────────────────────────
def test_a_draft_has_title_note_opening_then_one_numbered_heading_per_area(con, catalog):
    draft = draft_of(con, catalog, areas=("A7", "A3"))  # given out of order: the catalog order wins
    kinds = [b.kind for b in draft.blocks]
    assert kinds[:3] == ["title", "note", "opening"]
    assert draft.blocks[0].text == "安康市创建法治政府建设示范市经验材料"
    assert draft.blocks[1].text == "（本稿数据为示例数据，非官方统计）"
    assert draft.blocks[2].text.startswith("我市自开展法治政府建设示范创建工作以来")
    assert draft.blocks[2].text.endswith("现将2017年以来主要做法和成效总结如下。")
    headings = [b.text for b in draft.blocks if b.kind == "heading"]
    assert headings == [f"一、{W.AREAS['A3'].heading}", f"二、{W.AREAS['A7'].heading}"]
    for area in ("A3", "A7"):
        paragraphs = [b.text for b in draft.blocks if b.kind == "paragraph" and b.area == area]
        numbers = [re.match(r"（([一二三四五六七八九十]+)）", p).group(1) for p in paragraphs]
        assert numbers == list("一二三四五六七八九十"[: len(paragraphs)]) and len(paragraphs) >= 3
        assert all(re.match(r"（[一二三四五六七八九十]+）[^。]+。", p) for p in paragraphs)
        lead = next(b for b in draft.blocks if b.kind == "lead" and b.area == area)
        assert lead.text == W.AREAS[area].lead


def test_a_county_draft_speaks_of_the_county(con, catalog):
    draft = draft_of(con, catalog, scope=SHIQUAN, period=report.Period.compare(2018, 2017), areas=("A3",))
    assert draft.blocks[0].text == "石泉县创建法治政府建设示范县经验材料"
    assert draft.blocks[2].text.startswith("我县自开展")
    assert draft.blocks[2].text.endswith("现将2018年主要做法和成效总结如下，并与2017年作对比。")
    assert {f.region_code for f in draft.figures} == {SHIQUAN}
    assert "2018年，石泉县共聘请法律顾问" in draft.blocks[5].text + draft.blocks[6].text


def test_the_outline_names_real_indicators_of_its_area_and_misses_none(catalog):
    for area_id, text in W.AREAS.items():
        named = [i for s in text.subsections for i in s.indicators]
        assert len(named) == len(set(named)), area_id
        assert all(catalog[i].area == area_id for i in named), area_id
        assert all(catalog[i].area == area_id for i in text.charts), area_id
        in_area = [i.id for i in catalog.in_area(area_id)]
        assert set(in_area) <= {i for s in W.outline(area_id, in_area) for i in s.indicators}
    assert set(catalog.by_id) >= W.STOCKS | W.OWN_LEVEL_ONLY | W.BOTH_LEVELS


def test_period_rules_are_stated_in_the_error():
    with pytest.raises(ValueError) as err:
        report.Period.compare(2018, 2018)
    assert str(err.value) == "对比年 2018 须早于 2018 / the compared year must be earlier"
    with pytest.raises(ValueError) as err:
        report.Period.since(2019, 2018)
    assert str(err.value) == "起始年 2019 晚于截止年 2018 / start year after end year"


# ── figures ────────────────────────────────────────────────────────────────────────────────────
def db_value(con, catalog, region: str, indicator: str, start: int, end: int, how: str) -> float | None:
    """A figure computed straight from the indicator_values view, independently of rolgov.report."""
    if how == "rate":
        ind = catalog[indicator]
        sums = ", ".join(f"sum(value) FILTER (WHERE indicator_id = '{n}') AS \"{n}\"" for n in ind.formula_ids)
        sql = (
            f"SELECT {formula_sql(ind.formula)} FROM (SELECT {sums} FROM indicator_values "
            f"WHERE region_code = ? AND year BETWEEN ? AND ?)"
        )
        return con.execute(sql, [region, start, end]).fetchone()[0]
    rows = con.execute(
        "SELECT count(*), sum(value) FROM indicator_values WHERE region_code = ? AND "
        "indicator_id = ? AND year BETWEEN ? AND ?",
        [region, indicator, start, end],
    ).fetchone()
    return rows[1] if rows[0] == end - start + 1 else None


def expected(con, catalog, f) -> tuple[float, str]:
    ind = catalog[f.indicator_id]
    if f.measure in ("value", "sum", "rate"):
        start = f.end if f.measure == "value" else f.start
        v = db_value(con, catalog, f.region_code, f.indicator_id, start, f.end, f.measure)
        return v, value_text(ind, v, f.exact)
    if f.measure == "change":
        new = db_value(con, catalog, f.region_code, f.indicator_id, f.end, f.end, "value")
        old = db_value(con, catalog, f.region_code, f.indicator_id, f.start, f.start, "value")
        if ind.kind == "percent":
            diff, up, unit = new - old, "提高", "个百分点"
        else:
            diff, up, unit = (new - old) / old * 100, "增长", "%"
        return diff, "持平" if abs(diff) < 0.05 else f"{up if diff > 0 else '下降'}{abs(diff):.1f}{unit}"
    start = f.start if f.basis in ("sum", "rate") else f.end
    counties = queries.county_codes(f.among, f.end)
    values = {c: db_value(con, catalog, c, f.indicator_id, start, f.end, f.basis) for c in counties}
    mine = values[f.region_code]
    better = [v for v in values.values() if v is not None and (v < mine if ind.direction == "lower" else v > mine)]
    return len(better) + 1, rank_text(ind, len(better) + 1)


def test_every_traced_figure_equals_the_database(con, catalog, city_draft):
    drafts = [
        city_draft,
        draft_of(con, catalog, period=report.Period.single(2017), exact=True),
        draft_of(con, catalog, scope=SHIQUAN, period=report.Period.compare(2018, 2016), areas=list(W.AREAS)),
    ]
    checked = 0
    for draft in drafts:
        assert draft.figures
        for f in draft.figures:
            value, text = expected(con, catalog, f)
            assert f.value == pytest.approx(value, rel=1e-9), f
            assert f.text == text, f
            checked += 1
    assert {f.measure for d in drafts for f in d.figures} == {"value", "sum", "rate", "change", "rank"}
    assert checked > 200


def test_since_2017_says_50_odd_hearings_and_1000_odd_comments_adopted(con, catalog):
    draft = draft_of(con, catalog, areas=("A3",))
    text = "".join(b.text for b in draft.blocks)
    assert "2017年以来，全市各级行政机关共召开各类听证会50余次" in text
    assert "吸纳合理意见1000余条" in text
    by_id = {(f.indicator_id, f.region_code): f for f in draft.figures if f.measure == "sum"}
    assert by_id[("hearings_held", CITY)].value == 57
    assert by_id[("public_comments_adopted", CITY)].value == 1093
    first_file = con.execute("SELECT batch_id FROM batches WHERE file_name = 'sample_ankang_2016-2020.csv'").fetchall()[
        0
    ][0]
    assert by_id[("hearings_held", CITY)].batch_ids == (first_file,)  # 2017 and 2018 come from that file


def test_2017_information_published_exact_and_rounded(con, catalog):
    exact = draft_of(con, catalog, period=report.Period.single(2017), areas=("A7",), exact=True)
    rounded = draft_of(con, catalog, period=report.Period.single(2017), areas=("A7",))
    assert "2017年，全市各级行政机关通过政府网站等渠道主动公开政府信息91037条" in exact.blocks[5].text
    assert "2017年，全市各级行政机关通过政府网站等渠道主动公开政府信息9万余条" in rounded.blocks[5].text


def test_city_and_city_level_figures_never_mix(con, catalog):
    draft = draft_of(con, catalog, period=report.Period.single(2017), areas=("A1", "A3", "A9"), exact=True)
    text = "".join(b.text for b in draft.blocks)
    # the seed: 市政府聘请7名法律顾问，全市各级行政机关共聘请法律顾问349名; 精简市级行政审批事项216项
    assert "2017年，市政府共聘请法律顾问7名，同比增长75.0%，全市各级行政机关共聘请法律顾问349名" in text
    assert "2017年，市级改革前共有行政审批事项514项，精简行政审批事项216项" in text
    assert "2017年，市政府常务会议集体学法5次，政府全体会议集体学法3次" in text
    for f in draft.figures:
        if f.indicator_id in W.OWN_LEVEL_ONLY and f.measure != "rank":
            assert f.region_code in ("610900BJ", *queries.county_codes(CITY, 2017)), f
        elif f.region_code.endswith("BJ"):
            assert f.indicator_id in W.BOTH_LEVELS, f


def test_internal_indicators_only_for_signed_in_users(con, catalog):
    internal = {i.id for i in catalog if i.publication == "internal"}
    public = draft_of(con, catalog, areas=list(W.AREAS))
    assert not internal & {f.indicator_id for f in public.figures}
    signed_in = draft_of(con, catalog, areas=list(W.AREAS), include_internal=True)
    assert internal <= {f.indicator_id for f in signed_in.figures}
    assert "行政诉讼案件败诉" not in "".join(b.text for b in public.blocks)


def test_no_number_in_the_text_lacks_a_source_row(city_draft, catalog):
    for block in city_draft.blocks:
        if block.kind != "chart":
            assert untraced_numbers(block.text, block.figures) == [], block.text
            assert all(occurrences(block.text, f.text) for f in block.figures), block.text
    assert len(report_md.source_rows(city_draft, catalog)) == len(city_draft.figures) > 100


# ── the .docx ──────────────────────────────────────────────────────────────────────────────────
@pytest.fixture(scope="module")
def city_docx(city_draft, catalog, con) -> bytes:
    from rolgov import report_charts

    report_charts.warm_up()  # as the CLI does: the browser starts in the background, then every chart in turn
    images = {i: report_charts.png(b.chart) for i, b in enumerate(city_draft.blocks) if b.kind == "chart"}
    report_charts.stop()
    labels = queries.batch_labels(con, sorted({b for f in city_draft.figures for b in f.batch_ids}))
    return report_docx.to_docx(city_draft, catalog, images, labels)


def east_asia(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_the_docx_page_follows_gb_t_9704(city_docx):
    section = Document(io.BytesIO(city_docx)).sections[0]  # stored in twips: compare to a tenth of a mm
    mm = [
        round(x.mm, 1)
        for x in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]


def test_the_docx_sets_east_asian_fonts_and_sizes_on_styles_and_runs(city_docx):
    doc = Document(io.BytesIO(city_docx))
    expect = {
        "Doc Title": ("方正小标宋简体", 22),
        "Doc Body": ("仿宋_GB2312", 16),
        "Heading 1": ("黑体", 16),
        "Normal": ("仿宋_GB2312", 16),
    }
    for name, (font, size) in expect.items():
        style = doc.styles[name]
        assert east_asia(style.element) == font, name
        assert style.font.size == Pt(size), name
    body = doc.styles["Doc Body"].paragraph_format
    assert body.line_spacing == Pt(28.95) and body.first_line_indent == Pt(32)
    assert doc.styles["Doc Body"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    for part in (doc.styles.element, doc.element):
        xml = part.xml
        assert "eastAsiaTheme" not in xml and "asciiTheme" not in xml and "hAnsiTheme" not in xml
    paragraphs = [p for p in doc.paragraphs if p.style.name in ("Doc Title", "Doc Body", "Heading 1")]
    assert paragraphs
    for p in paragraphs:
        for run in p.runs:
            if run.text:
                assert east_asia(run._r) in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"), run.text
    title = next(p for p in doc.paragraphs if p.style.name == "Doc Title")
    assert east_asia(title.runs[0]._r) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    lead = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert east_asia(lead.runs[0]._r) == "楷体_GB2312" and lead.runs[0].text == "（一）精简审批事项，推动简政放权。"
    assert east_asia(lead.runs[1]._r) == "仿宋_GB2312" and lead.runs[1].font.size == Pt(16)


def test_the_docx_charts_appendix_and_trace(city_docx, city_draft):
    doc = Document(io.BytesIO(city_docx))
    charts = [b for b in city_draft.blocks if b.kind == "chart"]
    assert len(doc.inline_shapes) == len(charts) == 18
    pictures = [rel.target_part.blob for rel in doc.part.rels.values() if rel.reltype.endswith("/image")]
    # every picture is its own chart at print size (never another thread's image)
    assert [Image.open(io.BytesIO(b)).size for b in pictures] == [(900, 660)] * 18
    appendix = doc.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == report_md.SOURCE_HEADER
    assert len(appendix.rows) - 1 == len(city_draft.figures)
    trace = report_docx.read_trace(io.BytesIO(city_docx))
    assert trace["scope"] == CITY and trace["period"] == {"mode": "since", "year": 2018, "start": 2017}
    assert len(trace["figures"]) == len(city_draft.figures)
    texts = report_docx.checked_texts(io.BytesIO(city_docx))
    figures = city_draft.figures
    assert [n for t in texts for n in untraced_numbers(t, figures)] == []


# ── edits, verify, CLI ─────────────────────────────────────────────────────────────────────────
def test_an_edit_keeps_the_figures_left_drops_the_deleted_and_flags_a_changed_one(con, catalog):
    draft = draft_of(con, catalog, areas=("A3",))
    index = next(i for i, b in enumerate(draft.blocks) if "听证会50余次" in b.text)
    old = draft.blocks[index]
    edited, flags = report.apply_edits(
        draft, {index: old.text.replace("50余次", "60余次").replace("吸纳合理意见1000余条，", "")}
    )
    assert [f.text for f in flags[0]["dropped"]] == ["50余次", "1000余条"]
    assert flags[0]["untraced"] == ["60余次"]
    assert len(edited.figures) == len(draft.figures) - 2
    out = io.BytesIO(report_docx.to_docx(edited, catalog))
    highlighted = [
        r.text for p in Document(out).paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert highlighted == ["60"]


def run_cli(capsys, *argv) -> tuple[int, list[str]]:
    code = report_cli.main([str(a) for a in argv])
    return code, capsys.readouterr().out.splitlines()


def test_verify_passes_on_a_fresh_draft_and_lists_a_figure_a_correction_changed(tmp_path, sample_db, catalog, capsys):
    db_copy = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_copy)
    out = tmp_path / "draft.docx"
    argv = f"draft --scope {CITY} --year 2018 --since 2017 --areas A3 --no-charts --out {out} --db {db_copy}"
    code, lines = run_cli(capsys, *argv.split())
    assert code == 0
    assert re.fullmatch(
        rf"已生成 {re.escape(str(out))}：1 个领域、(\d+) 个数字、0 幅图，用时 [\d.]+ 秒 / "
        rf"wrote {re.escape(str(out))}: 1 areas, \1 figures, 0 charts",
        lines[-1],
    )
    n = len(report_docx.read_trace(out)["figures"])
    assert run_cli(capsys, "verify", out, "--db", db_copy) == (
        0,
        [f"✓ {n} 个数字与当前数据库一致 / all {n} figures match the current database"],
    )

    with db.read(db_copy) as c:  # a correction: 汉滨区 held ten more hearings in 2017 than reported
        hanbin = c.execute(
            "SELECT value FROM indicator_values WHERE region_code = '610902' AND year = 2017 "
            "AND indicator_id = 'hearings_held'"
        ).fetchone()[0]
    result = load_file(
        write_csv(tmp_path / "correction.csv", [["610902", 2017, "hearings_held", int(hanbin) + 10]]), db_copy, catalog
    )
    assert result.status == "loaded"
    code, lines = run_cli(capsys, "verify", out, "--db", db_copy)
    assert code == 1
    assert (
        "✗ 召开听证会次数 hearings_held · 安康市（全市） 610900 · 2017—2018年合计 · 文中 50余次（57）/ in the "
        "document 50余次 · 现为 60余次（67）/ now 60余次"
    ) in lines
    assert lines[-1].endswith(f"共 {n} 个数字 / {n} figures traced")


def test_verify_flags_a_number_typed_into_the_document(tmp_path, sample_db, con, catalog, capsys):
    draft = draft_of(con, catalog, areas=("A3",))
    index = next(i for i, b in enumerate(draft.blocks) if "听证会50余次" in b.text)
    edited, _ = report.apply_edits(draft, {index: draft.blocks[index].text.replace("50余次", "60余次")})
    path = tmp_path / "edited.docx"
    path.write_bytes(report_docx.to_docx(edited, catalog))
    code, lines = run_cli(capsys, "verify", path, "--db", sample_db)
    assert code == 1
    assert "✗ 文中数字“60余次”没有数据来源 / number without a source row: 60余次" in lines


def test_verify_refuses_a_file_without_a_trace(tmp_path, sample_db, capsys):
    path = tmp_path / "plain.docx"
    Document().save(path)
    assert report_cli.main(["verify", str(path), "--db", str(sample_db)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{path} 中没有数字溯源信息，无法复核；请用 python -m rolgov.report draft 或「材料生成」页导出 / "
        f"{path} carries no figure trace: export it with python -m rolgov.report draft or the report page"
    )


def test_markdown_has_the_draft_and_the_source_table(con, catalog):
    draft = draft_of(con, catalog, areas=("A3",))
    text = report_md.to_markdown(draft, catalog)
    lines = text.splitlines()
    assert lines[0] == "# 安康市创建法治政府建设示范市经验材料"
    assert f"## 一、{W.AREAS['A3'].heading}" in lines
    assert "**（一）严格行政决策法律审查。**" in text
    assert sum(1 for line in lines if re.match(r"\| \d+ \|", line)) == len(draft.figures)


# ── the page ───────────────────────────────────────────────────────────────────────────────────
@pytest.fixture
def page(sample_db, tmp_path, monkeypatch) -> AppTest:
    db_file = tmp_path / "rolgov.duckdb"
    shutil.copy(sample_db, db_file)
    monkeypatch.setenv("ROLGOV_DB", str(db_file))
    monkeypatch.setattr(db, "DEFAULT_DB", db_file)
    st.cache_data.clear()
    st.cache_resource.clear()
    original = PagesManager.__init__

    def steady_state(self, *args, **kwargs):  # as in test_data_page: keep dashboard.py in every rerun
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", steady_state)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/report.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_drafts_edits_and_flags_a_changed_figure(page):
    at = page
    at.selectbox(key="r_year").set_value(2018)
    at.radio(key="r_mode").set_value("since").run()
    at.selectbox(key="r_since").set_value(2017).run()
    assert not at.exception
    assert at.text_input[0].value == "安康市创建法治政府建设示范市经验材料"
    assert len(at.get("plotly_chart")) == 4
    area = next(a for a in at.text_area if "听证会50余次" in a.value)
    area.set_value(area.value.replace("50余次", "60余次")).run()
    assert [e.value for e in at.error] == ["没有数据来源的数字（导出时以黄色标出）：60余次"]
    assert [w.value for w in at.warning if "删去" in w.value] == ["已删去的数字（将从附件中移除）：50余次"]
