"""Report import, stage by stage: the same real table in every layout people paste, the report's own
arithmetic, qualifiers and scope in running text, region and issuer, bad input with its whole message,
the catalog's alias rule, and the command line (BOM, columns, the same file on a re-run)."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import docx
import pytest
from PIL import Image

from etl.extract import ExtractError, extract
from etl.extract import candidates as K
from etl.extract import figures as F
from etl.extract.document import ROW, read_document
from etl.extract.gia import parse
from rolgov import catalog as catalog_mod
from rolgov.catalog import CatalogError
from tests.conftest import ROOT

REPORTS = ROOT / "tests" / "fixtures" / "reports"
SHANGHAI = REPORTS / "shanghai_office_2019.html"


def cells_of(doc, year=2019) -> dict[tuple[str, str, str], float]:
    return {(c.table, c.row, c.column): c.value for c in parse(doc, year).cells}


def shanghai_rows() -> list[list[str]]:
    """The Shanghai report's table cells, row by row, as the HTML gives them."""
    rows, row = [], []
    for token in read_document(SHANGHAI).tokens:
        if token == ROW:
            rows.append(row)
            row = []
        else:
            row.append(token)
    return rows


def test_html_table_with_merged_cells_reads_every_figure_and_passes_its_arithmetic():
    doc = read_document(SHANGHAI)
    tables = parse(doc, 2019)
    cells = cells_of(doc)
    assert tables.format == "2019" and tables.failures == {} and tables.unread == []
    assert cells[("表三", "一、本年新收政府信息公开申请数量", "自然人")] == 821
    assert cells[("表三", "一、本年新收政府信息公开申请数量", "总计")] == 859
    assert cells[("表三", "（四）1.本机关不掌握相关政府信息", "总计")] == 265  # blank total, summed from 252+12+1
    assert cells[("表三", "（七）总计", "总计")] == 805
    assert cells[("表四", "行政复议", "总计")] == 7
    assert cells[("表四", "行政诉讼（未经复议直接起诉）", "尚未审结")] == 1
    assert cells[("表二", "政府集中采购", "采购总金额（万元）")] == 25.1  # 251000元 in 万元
    assert len(tables.cells) == 22 + 23 * 7 + 15  # 2019 format: 8 rows in table 2, one 其他处理 row


@pytest.mark.parametrize("layout", ["one_cell_per_line", "tab_separated", "markdown", "docx"])
def test_the_same_table_in_every_layout_gives_the_same_cells(layout, tmp_path):
    rows = shanghai_rows()
    head = "2019年上海市人民政府办公厅政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
    if layout == "docx":
        document = docx.Document()
        document.add_paragraph("2019年上海市人民政府办公厅政府信息公开工作年度报告")
        for row in rows:
            table = document.add_table(rows=1, cols=len(row))
            for cell, text in zip(table.rows[0].cells, row, strict=True):
                cell.text = text
        path = tmp_path / "report.docx"
        document.save(path)
    else:
        if layout == "one_cell_per_line":  # as the text of a page copied from a browser: blanks vanish
            body = "\n".join(f"{cell} |" for row in rows for cell in row if cell)
        elif layout == "tab_separated":
            body = "\n".join("\t".join(row) for row in rows)
        else:
            body = "\n".join("| " + " | ".join(row) + " |" for row in rows)
        path = tmp_path / "report.txt"
        path.write_text(head + body, encoding="utf-8")
    got = cells_of(read_document(path))
    expected = cells_of(read_document(SHANGHAI))
    if layout == "one_cell_per_line":
        # without blank cells the rows of table 3 cannot be placed column by column: they are reported unread,
        # never guessed; table 2 (no blanks) reads the same
        table2 = {k: v for k, v in expected.items() if k[0] == "表二"}
        assert {k: v for k, v in got.items() if k[0] == "表二"} == table2
        assert not any(k[0] == "表三" for k in got)
        assert (
            parse(read_document(path), 2019).unread[0]
            == "表三「一、本年新收政府信息公开申请数量」读到 5 个数，应为 7 个 / read 5 figures, expected 7"
        )
    else:
        assert got == expected


def test_a_table_that_breaks_its_own_arithmetic_is_flagged_and_named(catalog, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(SHANGHAI.read_text(encoding="utf-8").replace(">821<", ">812<", 1), encoding="utf-8")
    result = extract(broken, catalog)
    assert result.tables.failures == {
        "表三": [
            "「自然人」列：一+二 = 830，三(七)+四 = 839，不相等（第一项加第二项之和应等于第三项加第四项之和） / "
            "column 自然人: new + carried over = 830 but concluded + carried forward = 839",
            "「一、本年新收政府信息公开申请数量」行：各类申请人之和 850 ≠ 总计 859 / "
            "row 一、本年新收政府信息公开申请数量: applicants add up to 850, total says 859",
        ]
    }
    new = next(c for c in result.candidates if c.indicator == "disclosure_requests_new")
    assert (
        new.status == "flagged" and "表三自身数字不符，请核对 / 表三 breaks its own arithmetic: check it" in new.checks
    )
    assert next(c for c in result.candidates if c.indicator == "normative_docs_issued").status == "proposed"


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "qualifiers"),
    [
        ("2020年，全县共召开听证会12次。", "hearings_held", 12, ["exact"]),
        ("共收到意见建议1,000余条，采纳300余条。", "public_comments_received", 1000, ["approximate"]),
        ("共收到意见建议1,000余条，采纳300余条。", "public_comments_adopted", 300, ["approximate"]),
        ("全县行政机关负责人出庭应诉率达100%。", "head_appearance_rate", 100, ["exact"]),
        ("2015年以来，累计召开听证会45次。", "hearings_held", 45, ["cumulative"]),
        ("全年召开新闻发布会30场，同比增长20%。", "press_conferences", 30, ["exact"]),
        ("全年召开新闻发布会30场，同比增长20%。", None, 20, ["change"]),
        ("力争行政机关负责人出庭应诉率达到100%。", "head_appearance_rate", 100, ["target"]),
        ("主动公开政府信息6391条，其中概况类信息1105条。", None, 1105, ["part"]),
        ("共召开听证会近20次。", "hearings_held", 20, ["approximate"]),
    ],
)
def test_running_text_figures_with_their_qualifiers(catalog, sentence, indicator, value, qualifiers):
    found = [(f.indicator, f.value, f.qualifiers) for f in F.find([sentence], catalog, "610922", 2020)]
    assert (indicator, value, qualifiers) in found


def test_dates_and_document_numbers_are_not_figures(catalog):
    text = "根据《安康市人民政府关于印发方案的通知》（安政发〔2020〕12号），截至2020年12月31日，第3次会议召开。"
    assert F.find([text], catalog, "610900", 2020) == []


def test_a_county_named_in_the_sentence_owns_its_figure(catalog):
    figures = F.find(["石泉县推进一村一法律顾问，村（社区）法律顾问覆盖率84.4%。"], catalog, "610900", 2017)
    assert [(f.indicator, f.value, f.scope, f.scope_code) for f in figures] == [
        ("village_legal_advisor_coverage", 84.4, "named", "610922")
    ]


def test_the_city_government_and_the_whole_city_get_their_own_codes(catalog):
    figures = F.find(["市政府聘请7名法律顾问，全市各级行政机关共聘请法律顾问349名。"], catalog, "610900", 2018)
    assert [(f.value, f.scope_code) for f in figures] == [(7, "610900BJ"), (349, "610900")]


def test_traditional_characters_and_mirror_pinyin_are_read(catalog):
    result = extract(REPORTS / "meixian_2020_trad.txt", catalog)
    assert (result.place.code, result.place.name, result.place.year) == ("610326", "眉县", 2020)
    assert result.document.converted and "發" not in result.document.text and "(fā)" not in result.document.text


def test_a_department_and_a_township_report_are_told_from_the_government(catalog):
    township = extract(REPORTS / "dalong_2020.txt", catalog)
    assert township.problems == [
        "这是乡镇（街道）「大垅乡」的报告，数字只代表该单位，不代表湖口县全域或政府本级 / "
        "this is the report of a township (大垅乡): its figures cover that body only"
    ]
    assert {c.status for c in township.candidates} == {"flagged"}
    department = extract(REPORTS / "kaiping_agri_2020_trad.txt", catalog)
    assert (department.place.issuer, department.place.issuer_name) == ("department", "农业农村局")


def test_a_text_pdf_is_read_and_an_image_only_pdf_is_refused(catalog, tmp_path):
    result = extract(REPORTS / "shanyang_2020.pdf", catalog)
    assert [(c.indicator, c.value, c.region, c.year) for c in result.mapped] == [
        ("gov_info_published", 6391, "611024", 2020)
    ]
    image = tmp_path / "scan.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PDF")
    image.write_bytes(buffer.getvalue())
    with pytest.raises(ExtractError) as caught:
        extract(image, catalog)
    assert str(caught.value) == (
        "scan.pdf：这个 PDF 只有图片，没有可提取的文字（1 页）/ this PDF holds only images, no text to extract "
        "(1 page(s)). 请找到报告的网页版或 Word 版，或从网页复制文字粘贴进来 / use the report's web page or "
        "Word file, or paste its text"
    )


def test_an_unrelated_page_and_an_unknown_region_are_refused_with_a_message(catalog):
    with pytest.raises(ExtractError) as caught:
        extract(REPORTS / "unrelated_article.txt", catalog)
    assert str(caught.value) == (
        "unrelated_article.txt：不像政府信息公开工作年度报告、法治政府建设年度报告或经验材料，没有找到可对应指标的数字 / "
        "this does not look like a disclosure report, a rule-of-law report or an experience material: no figure "
        "maps to an indicator. 请检查是否选错了文件 / check that this is the right file"
    )
    with pytest.raises(ExtractError) as caught:
        extract(REPORTS / "shanyang_2020.txt", catalog, region="桃源乡")
    assert str(caught.value).startswith("--region「桃源乡」不是已知的行政区划")
    assert str(caught.value).endswith(
        "/ '桃源乡' is not a known region: 请填写6位区划代码或标准名称 / give the 6-digit code or the standard name"
    )


def test_a_report_without_a_known_region_flags_every_candidate(catalog, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("2020年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息320条。\n", encoding="utf-8")
    result = extract(path, catalog)
    assert result.problems[0] == (
        "未能从标题和正文识别地区 / no region found in the title or body: 请用 --region 指定区划代码或名称 / "
        "give it with --region CODE_OR_NAME"
    )
    assert [(c.indicator, c.status) for c in result.candidates] == [("gov_info_published", "flagged")]


def test_an_alias_may_name_one_indicator_only(tmp_path):
    text = (ROOT / "metrics.yml").read_text(encoding="utf-8")
    text = text.replace('aliases: ["新闻发布会"]', 'aliases: ["新闻发布会", "听证会"]', 1)
    (tmp_path / "metrics.yml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        catalog_mod.load(tmp_path / "metrics.yml")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"新闻发布会", "听证会"' in row)
    assert caught.value.problems == [
        f"第{line}行 / line {line} 指标 press_conferences: 别名 '听证会' 已属于指标 hearings_held"
        " / alias '听证会' already names hearings_held"
    ]


def test_command_line_writes_the_candidates_with_bom_and_the_same_file_on_a_rerun(tmp_path):
    out = tmp_path / "候选.csv"
    command = [sys.executable, "-m", "etl", "extract", str(SHANGHAI), str(REPORTS / "changwu_2021_fzzf.txt"), "-o"]
    first = subprocess.run([*command, str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = K.read(out)
    assert list(table.columns) == K.COLUMNS
    assert set(table["状态"]) == {"proposed", "flagged"} and set(table["限定"]) <= {"exact", "change", "part"}
    row = table[table["指标"] == "exec_meeting_law_studies"].iloc[0]
    assert (row["地区"], row["年份"], row["数值"], row["限定"]) == ("610428", "2021", "6", "exact")
    assert row["备注"] == "2021年,县委理论中心组学法5次,县政府常务会议学法6次,县政府聘请法律顾问6人。"
    again = tmp_path / "again.csv"
    subprocess.run([*command, str(again)], cwd=ROOT, capture_output=True, timeout=120, check=True)
    assert again.read_bytes() == data  # a re-run on the same reports proposes the same candidates
    assert (
        "✓ changwu_2021_fzzf.txt：法治政府建设年度报告 / rule-of-law report；地区 / region 610428 长武县；"
        in first.stdout
    )


def test_command_line_exit_status_for_an_unusable_file(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "etl", "extract", str(REPORTS / "unrelated_article.txt"), "-o", str(tmp_path / "c.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and not (tmp_path / "c.csv").exists()
    assert re.search(
        r"✗ unrelated_article\.txt：不像政府信息公开工作年度报告.*\n  未提取任何数值 / nothing extracted", done.stdout
    )
