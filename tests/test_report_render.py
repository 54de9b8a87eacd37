"""The .docx of a draft to the letter of GB/T 9704-2012 (page, grid, page numbers, fonts, clean properties), its
charts, and both a city and a county draft rendered the way a person checks them: LibreOffice -> PDF -> PNG.

The rendered pages land in artifacts/report/ to be looked at; the tests check what a reader would: 28
characters to a line, 22 lines to a page, page numbers alternating right and left, every page drawn.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from rolgov import db
from rolgov.report import build_draft, package, word
from rolgov.report import wording as W
from rolgov.report.figures import untraced_numbers
from rolgov.report.model import Period
from rolgov.report.sources import SOURCE_HEADER
from tests.conftest import ROOT

CITY, SHIQUAN = "610900", "610922"


@pytest.fixture(scope="module")
def con(sample_db):
    connection = db.read(sample_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def city_docx(con, catalog) -> bytes:
    draft = build_draft(con, catalog, CITY, Period.single(2017), list(W.AREAS))
    return word.to_docx(draft, catalog)


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


# ── GB/T 9704-2012 ──────────────────────────────────────────────────────────────────────────────
def test_the_page_and_the_grid_of_22_lines_by_28_characters(city_docx):
    doc = Document(io.BytesIO(city_docx))
    section = doc.sections[0]
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
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # Word: each character advances by 16 pt + charSpace
    width = (section.page_width.twips - section.left_margin.twips - section.right_margin.twips) / 20
    assert int(width // pitch) == 28
    height = (section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips) / 20
    assert int(height // 28.95) == 22
    body = doc.styles["Doc Body"].paragraph_format
    assert body.line_spacing == Pt(28.95) and body.first_line_indent == Pt(32)


def test_page_numbers_odd_right_even_left_in_4hao_with_dashes(city_docx):
    doc = Document(io.BytesIO(city_docx))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, side, align in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        p = footer.paragraphs[0]
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert p._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}Chars")) == "100"  # one character in from the edge
        assert "".join(t.text for t in p._p.iter(qn("w:t"), qn("w:instrText"))) == "—  PAGE 1 —"
        for run in p.runs:
            assert run.font.size == Pt(14)
            assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and run._r.rPr.rFonts.get(qn("w:ascii")) == "宋体"


def test_document_properties_are_ours_and_new(city_docx):
    doc = Document(io.BytesIO(city_docx))
    core = doc.core_properties
    assert core.title == "安康市创建法治政府建设示范市经验材料" and core.author == package.DEFAULT_AUTHOR
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs(core.created.replace(tzinfo=None) - now) < dt.timedelta(minutes=10)
    assert core.modified == core.created and core.language == "zh-CN"
    app = part(city_docx, "docProps/app.xml")
    assert "<Application>法治政府建设指标看板（rolgov）</Application>" in app and "Macintosh" not in app
    with zipfile.ZipFile(io.BytesIO(city_docx)) as z:
        names = z.namelist()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml") or "stylesWithEffects" in n]
    fonts = re.findall(r'w:font w:name="([^"]+)"', part(city_docx, "word/fontTable.xml"))
    assert fonts == ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "仿宋", "楷体", "Times New Roman"]
    alt = dict(re.findall(r'w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"', part(city_docx, "word/fontTable.xml")))
    assert alt == {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
    settings = part(city_docx, "word/settings.xml")
    assert "ja-JP" not in settings and "savePreviewPicture" not in settings and "evenAndOddHeaders" in settings
    assert "ja-JP" not in part(city_docx, "word/styles.xml")


def test_fonts_and_sizes_on_styles_and_runs(city_docx):
    doc = Document(io.BytesIO(city_docx))
    expect = {
        "Doc Title": ("方正小标宋简体", 22),
        "Doc Body": ("仿宋_GB2312", 16),
        "Heading 1": ("黑体", 16),
        "Normal": ("仿宋_GB2312", 16),
    }
    for name, (font, size) in expect.items():
        style = doc.styles[name]
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == font and style.font.size == Pt(size), name
    for part_xml in (doc.styles.element.xml, doc.element.xml):
        assert "eastAsiaTheme" not in part_xml and "asciiTheme" not in part_xml
    lead = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert lead.runs[0].text == "（一）精简审批事项，推动简政放权。"
    assert lead.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert lead.runs[1]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_trace_is_inside_and_every_number_has_a_source(city_docx, con, catalog):
    trace = package.read_trace(io.BytesIO(city_docx))
    assert trace["scope"] == CITY and trace["period"] == {"mode": "year", "year": 2017, "start": 2017}
    texts = package.checked_texts(io.BytesIO(city_docx))
    from rolgov.report.figures import TracedFigure

    figures = [TracedFigure.from_dict(f) for f in trace["figures"]]
    assert figures and [n for t in texts for n in untraced_numbers(t, figures)] == []
    assert not Document(io.BytesIO(city_docx)).tables  # the appendix is a file of its own by default


def test_the_appendix_file_and_the_inline_option(con, catalog):
    draft = build_draft(con, catalog, CITY, Period.single(2017), ["A3"])
    appendix = Document(io.BytesIO(word.appendix_docx(draft, catalog)))
    table = appendix.tables[0]
    assert [c.text for c in table.rows[0].cells] == SOURCE_HEADER and len(table.rows) - 1 == len(draft.figures)
    text = "\n".join(p.text for p in appendix.paragraphs)
    assert text.startswith("附件\n数据来源\n《安康市创建法治政府建设示范市经验材料》（2017年）。")
    assert "python" not in text and "verify" not in text
    inline = Document(io.BytesIO(word.to_docx(draft, catalog, appendix=True)))
    assert [c.text for c in inline.tables[-1].rows[0].cells] == SOURCE_HEADER


def test_charts_are_optional_zero_based_and_never_a_two_point_trend(con, catalog):
    from rolgov.report import charts

    two_years = build_draft(con, catalog, CITY, Period.single(2017), ["A3"], with_charts=True)
    assert [b.text for b in two_years.blocks if b.kind == "chart"] == [
        "图1　各县（市、区）村（社区）法律顾问覆盖率（2017年）"
    ]  # 2016-2017 is two points: no trend
    draft = build_draft(con, catalog, CITY, Period.single(2019), list(W.AREAS), with_charts=True)
    blocks = [b for b in draft.blocks if b.kind == "chart"]
    assert len(blocks) == 18 and all(b.figures for b in blocks)
    trend = next(b for b in blocks if "变化情况" in b.text and b.figures[0].indicator_id == "hearings_held")
    assert trend.chart.layout.yaxis.rangemode == "tozero"
    labels = [t for t in trend.chart.data[0].text if t]
    assert all(re.fullmatch(r"[\d,.]+(万)?次", t) for t in labels)
    charts.warm_up()
    images = {i: charts.png(b.chart) for i, b in enumerate(draft.blocks) if b.kind == "chart"}
    charts.stop()
    doc = Document(io.BytesIO(word.to_docx(draft, catalog, images)))
    pictures = [rel.target_part.blob for rel in doc.part.rels.values() if rel.reltype.endswith("/image")]
    assert len(doc.inline_shapes) == 18 and [Image.open(io.BytesIO(b)).size for b in pictures] == [(900, 660)] * 18
    assert len(package.read_trace(io.BytesIO(word.to_docx(draft, catalog)))["charts"]) == len(draft.chart_figures)


# ── rendered as a person checks it ──────────────────────────────────────────────────────────────
needs_libreoffice = pytest.mark.skipif(
    shutil.which("libreoffice") is None or shutil.which("pdftoppm") is None,
    reason="needs libreoffice-writer and poppler-utils (.ci/run installs them)",
)


def render(tmp_path, sample_db, name: str, *argv) -> tuple[str, list[str]]:
    """CLI draft -> LibreOffice copy -> PDF -> PNG pages in artifacts/report/; (pdf text, page files)."""
    out = ROOT / "artifacts" / "report"
    out.mkdir(parents=True, exist_ok=True)
    docx = out / f"{name}.docx"
    made = subprocess.run(
        [sys.executable, "-m", "rolgov.report", "draft", *argv, "--out", str(docx), "--db", str(sample_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    preview = out / f"{name}_libreoffice.docx"
    preview.write_bytes(word.libreoffice_copy(docx.read_bytes()))
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(preview),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
        check=True,
    )
    pdf = preview.with_suffix(".pdf")
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(out / name)], check=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text, sorted(str(p) for p in out.glob(f"{name}-*.png"))


def body_lines(page: str) -> list[str]:
    return [re.sub(r"\s", "", line) for line in page.splitlines() if line.strip() and "—" not in line]


def width(line: str) -> float:
    """Characters of the grid a line takes: a Chinese character or full-width mark 1, a digit or Latin letter ½."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’" else 1 for ch in line)


@needs_libreoffice
@pytest.mark.parametrize(
    ("name", "argv", "sentence"),
    [
        ("city_2017", ["--scope", CITY, "--year", "2018", "--since", "2017"], "共召开各类听证会50余次"),
        ("shiquan_2023", ["--scope", "石泉县", "--year", "2023"], "均已配备法律顾问"),
    ],
)
def test_a_draft_renders_28_characters_to_a_line_and_page_numbers_alternate(tmp_path, sample_db, name, argv, sentence):
    text, pages = render(tmp_path, sample_db, name, *argv)
    flat = re.sub(r"\s", "", text)
    assert sentence in flat and "本稿数据为示例数据" in flat
    sheets = text.split("\f")[: len(pages)]
    assert len(pages) >= 4 and all(os.path.getsize(p) > 5_000 for p in pages)  # a blank page is a few hundred bytes
    full = [line for sheet in sheets[1:-1] for line in body_lines(sheet)]
    widths = [width(line) for line in full]  # a paragraph's first line starts two characters in
    assert max(widths) <= 28.5 and widths.count(28) >= 10  # never 29, and full lines of Chinese hold 28
    for number, sheet in enumerate(sheets[:-1], 1):
        footer = next(line for line in sheet.splitlines() if f"—{number}—" in line.replace(" ", ""))
        indent = len(footer) - len(footer.lstrip())
        assert (indent > 20) == (number % 2 == 1), (number, footer)  # odd pages right, even pages left
        assert len(body_lines(sheet)) <= 22 + 2  # 22 lines, a title page has its title and note above
