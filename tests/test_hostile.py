"""Hostile and careless files through the command line (python -m etl's main; a real process where a test
says so): every one gets a whole, clear message and the right exit code, the database stays byte for byte
as it was, and what does load is exactly what the cells say (mixed line endings, inf, split numbers,
percent cells, -0)."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl.load import history
from rolgov import db
from tests.conftest import built_once, cli


def etl(*args, env: dict | None = None, real: bool = False) -> subprocess.CompletedProcess:
    """python -m etl ARGS (conftest.cli: in this process unless `real`; the file is read in the checking
    child either way)."""
    return cli("etl", *args, env=env, real=real)


def value(db_path: Path, region: str, year: int, indicator: str) -> float | None:
    with db.read(db_path) as con:
        rows = con.execute(
            "SELECT value FROM indicator_values WHERE region_code = ? AND year = ? AND indicator_id = ?",
            [region, year, indicator],
        ).fetchall()
    return rows[0][0] if rows else None


def _load_seed(path: Path) -> None:
    seed = path.with_name("seed.csv")
    seed.write_text("region,year,indicator,value\n610902,2017,hearings_held,3\n", encoding="utf-8")
    assert etl("load", "--db", path, seed).returncode == 0


@pytest.fixture
def loaded(tmp_path, tmp_path_factory) -> Path:
    """A database with one batch, so 'unchanged' can be checked byte for byte: loaded once per run, copied."""
    path = tmp_path / "hostile.duckdb"
    shutil.copy(built_once(tmp_path_factory, "hostile.duckdb", _load_seed), path)
    return path


def test_a_real_process_refuses_mixed_line_endings_with_exit_1(tmp_path, loaded):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"value,region,year,indicator\r\n74,610902,2017,hearings_held\r28,610922,2017,hearings_held\n")
    before = loaded.read_bytes()
    done = etl("load", "--db", loaded, path, real=True)
    assert done.returncode == 1 and "[规则 line_endings]" in done.stdout
    assert loaded.read_bytes() == before


FIX_LINE_ENDINGS = (
    "    修改 / Fix: 用 Excel 或文本编辑器重新另存为「CSV UTF-8（逗号分隔）」 / save it again as 'CSV UTF-8 (comma "
    "delimited)' from Excel or a text editor"
)
CASES = {
    # name: (bytes, the whole message lines after the header line)
    "mixed_line_endings.csv": (
        b"hearings_held,region,year,indicator,value\r\n74,610902,2017,hearings_held,74\r"
        b"28,610922,2017,hearings_held,28\n",
        [
            "mixed_line_endings.csv › 第2行: 换行符混用：此行以单独的回车符（CR）结束，其余各行以换行符（LF）结束，无法可靠地区分"
            "各行 / mixed line endings: this line ends with a lone carriage return (CR) while others end with a line "
            "feed (LF), so rows cannot be told apart reliably [规则 line_endings]",
            FIX_LINE_ENDINGS,
        ],
    ),
    "value_then_region.csv": (
        b"value,region,year,indicator\r\n74,610902,2017,hearings_held\r28,610922,2017,hearings_held\n",
        [
            "value_then_region.csv › 第2行: 换行符混用：此行以单独的回车符（CR）结束，其余各行以换行符（LF）结束，无法可靠地区分"
            "各行 / mixed line endings: this line ends with a lone carriage return (CR) while others end with a line "
            "feed (LF), so rows cannot be told apart reliably [规则 line_endings]",
            FIX_LINE_ENDINGS,
        ],
    ),
    "inf.csv": (
        b"region,year,indicator,value\n610902,2017,hearings_held,1e309\n610921,2017,hearings_held,1e308\n",
        [
            "inf.csv › 第2行 › D（value）列 值「1e309」: 数值 1e309 超出任何合理数值（绝对值不超过 1e+10） / value 1e309 is "
            "beyond any plausible figure (at most 1e+10 in absolute value) [规则 implausible]",
            "    修改 / Fix: 请核对数值和单位：是否多打了数字，或误填了科学计数法 / check the figure and its unit: extra "
            "digits, or a number in scientific notation by mistake",
            "inf.csv › 第3行 › D（value）列 值「1e308」: 数值 1e308 超出任何合理数值（绝对值不超过 1e+10） / value 1e308 is "
            "beyond any plausible figure (at most 1e+10 in absolute value) [规则 implausible]",
            "    修改 / Fix: 请核对数值和单位：是否多打了数字，或误填了科学计数法 / check the figure and its unit: extra "
            "digits, or a number in scientific notation by mistake",
        ],
    ),
    "split_number.csv": (
        b"region,year,indicator,value,note\n610902,2017,hearings_held,1,234\n",
        [
            "split_number.csv › 第2行 › D（value）列 值「1」: 数值「1」后一列是「234」，像是未加引号的千位分隔数 1,234 / value '1' is "
            "followed by '234', which looks like 1,234 split at its unquoted comma [规则 value_split]",
            '    修改 / Fix: 写成 "1,234"（加引号）或 1234 / write "1,234" (quoted) or 1234',
        ],
    ),
    "too_many_fields.csv": (
        b"region,year,indicator,value,note\n610902,2017,hearings_held,1,234,checked\n",
        [
            "too_many_fields.csv › 第2行 值「6」: 此行有 6 个字段，表头有 5 个 / this row has 6 fields; the header has 5 "
            "[规则 field_count]",
            '    修改 / Fix: 含逗号的数值或备注请加英文双引号（如 "1,234"），或去掉千位分隔符；每行字段数须与表头一致 / quote a '
            'value or note that contains a comma ("1,234"), or drop the thousands separator; every row needs as many '
            "fields as the header",
        ],
    ),
    "shift_jis.csv": (
        "region,year,indicator,value,note\n610902,2017,hearings_held,3,会議のメモ\n".encode("shift_jis"),
        [
            "shift_jis.csv: 无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK） [cp932] / unknown text encoding (neither "
            "UTF-8 nor GB18030/GBK) [cp932] [规则 encoding_unknown]",
            "    修改 / Fix: 请在 Excel 中另存为「CSV UTF-8（逗号分隔）」 / in Excel, save as 'CSV UTF-8 (comma delimited)'",
        ],
    ),
    "header_only.csv": (
        b"region,year,indicator,value\n",
        [
            "header_only.csv: 文件中没有可导入的数值（只有表头，或数值列全部为空） / the file holds no values to load (a header "
            "only, or the value column is empty) [规则 no_values]",
            "    修改 / Fix: 在数值列填入数据后重新提交 / fill in the value column and submit again",
        ],
    ),
    "one_long_line.csv": (
        b"region,year,indicator,value\n" + b"610902," * 300_000,
        [
            "one_long_line.csv › 第2行 值「2,100,000」: 该行长 2,100,000 个字符，超过上限 40,000 / the line is 2,100,000 "
            "characters long, over the limit of 40,000 [规则 line_too_long]",
            "    修改 / Fix: 检查是否缺少换行符，或是否粘贴了大段文字；备注请控制在 40,000 字以内 / look for missing line breaks or "
            "pasted text; keep notes under 40,000 characters",
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_check_and_load_refuse_with_the_whole_message_and_change_nothing(tmp_path, loaded, name):
    data, lines = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    checked = etl("check", "--db", loaded, path)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.splitlines()[2:] == [line if line.startswith("    修改") else "  " + line for line in lines]
    before = loaded.read_bytes()
    refused = etl("load", "--db", loaded, path)
    assert refused.returncode == 1 and "未导入任何数据 / nothing was loaded from this file" in refused.stdout
    assert loaded.read_bytes() == before
    assert len(history(loaded)) == 1  # no empty batch either


def test_lone_cr_everywhere_is_unambiguous_and_loads_every_digit(tmp_path, loaded):
    path = tmp_path / "old_mac.csv"
    path.write_bytes(b"value,region,year,indicator\r74,610902,2018,hearings_held\r28,610922,2018,hearings_held\r")
    assert etl("load", "--db", loaded, path).returncode == 0
    assert (value(loaded, "610902", 2018, "hearings_held"), value(loaded, "610922", 2018, "hearings_held")) == (74, 28)


def test_minus_zero_is_stored_as_zero_and_quotes_are_not_doubled(tmp_path, loaded):
    path = tmp_path / "zero.csv"
    path.write_bytes(b'region,year,indicator,value,note\n610921,2018,hearings_held,-0.0,"say ""hi"""\n')
    assert etl("load", "--db", loaded, path).returncode == 0
    stored = value(loaded, "610921", 2018, "hearings_held")
    assert stored == 0 and math.copysign(1, stored) == 1
    with db.read(loaded) as con:
        assert con.execute("SELECT note FROM observations WHERE year = 2018").fetchall() == [('say "hi"',)]


def test_a_percent_formatted_cell_is_read_as_shown(tmp_path, loaded):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["地区", "年份", "指标", "数值"])
    sheet.append(["610900", 2018, "public_satisfaction", 0.912])
    sheet["D2"].number_format = "0.0%"  # the cell shows 91.2%
    path = tmp_path / "percent.xlsx"
    book.save(path)
    done = etl("load", "--db", loaded, path)
    assert done.returncode == 0, done.stdout
    assert value(loaded, "610900", 2018, "public_satisfaction") == pytest.approx(91.2)


def test_history_after_a_rollback(tmp_path, loaded):
    assert etl("rollback", "--db", loaded, "1").returncode == 0
    listed = etl("history", "--db", loaded)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"#1 .* seed\.csv .*已回滚 \d{4}-\d\d-\d\d \d\d:\d\d by \S+", listed.stdout)
    assert history(loaded).iloc[0]["rolled_back_by"]  # the OS user, as load records it


def bomb_workbook(path: Path, cell: str = "XFD1048576", keep_dimension: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "year", "indicator", "value"])
    sheet.append(["610902", 2017, "hearings_held", 3])
    sheet[cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if not keep_dimension and info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            target.writestr(info, data)
    return path


@pytest.mark.parametrize(
    ("keep_dimension", "where"), [(True, "A1:XFD1048576"), (False, "XFD1048576")], ids=["declared", "cells"]
)
def test_a_tiny_workbook_with_a_far_cell_is_refused_before_the_reader_sees_it(tmp_path, loaded, keep_dimension, where):
    path = bomb_workbook(tmp_path / "bomb.xlsx", keep_dimension=keep_dimension)
    assert path.stat().st_size < 8_000
    before = loaded.read_bytes()
    checked = etl("check", "--db", loaded, path, real=True)
    assert checked.returncode == 1  # not 134: nothing aborted
    assert checked.stdout.splitlines()[2] == (
        f"  bomb.xlsx › 工作表「Sheet」 值「{where}」: 工作表的范围 {where}（1,048,576 × 16,384）超出可读取的上限 / the sheet's "
        f"range {where} (1,048,576 × 16,384) is beyond what can be read [规则 sheet_too_large]"
    )
    assert etl("load", "--db", loaded, path).returncode == 1
    assert loaded.read_bytes() == before


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    path = bomb_workbook(tmp_path / "zeros.xlsx", cell="A3")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (30 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    checked = etl("check", path, env={"ROLGOV_MAX_UNZIPPED_MB": "20"})
    assert checked.returncode == 1
    assert (
        "工作簿解压后为 30.0 MB，超过上限 20.0 MB / the workbook unpacks to 30.0 MB, over the 20.0 MB limit"
        in checked.stdout
    )


def test_a_child_over_its_memory_ceiling_ends_with_a_message_not_a_crash(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text("region,year,indicator,value\n610902,2017,hearings_held,3\n", encoding="utf-8")
    checked = etl("check", path, env={"ROLGOV_CHECK_MEMORY_MB": "200"})
    assert checked.returncode == 1
    assert (
        "校验此文件所需内存超过上限 200 MB，已停止，文件未导入 / checking this file needs more memory than the 200 MB limit"
        in (checked.stdout)
    )


def test_the_annotated_copy_drops_links_to_other_workbooks(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "year", "indicator", "value"])
    sheet.append(["610902", 2017, "hearings_held", "50余"])
    plain = io.BytesIO()
    book.save(plain)
    path = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(
                    b"</sheets>",
                    b'</sheets><externalReferences><externalReference xmlns:r="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships" r:id="rIdX"/></externalReferences>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    b'externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
                )
            target.writestr(info, data)
        target.writestr(
            "xl/externalLinks/externalLink1.xml",
            '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName '
            'val="S"/></sheetNames></externalBook></externalLink>',
        )
        target.writestr(
            "xl/externalLinks/_rels/externalLink1.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            'Target="http://evil.example/book.xlsx" TargetMode="External"/></Relationships>',
        )
    assert openpyxl.load_workbook(path)._external_links  # the source really links out
    out = tmp_path / "marked.xlsx"
    checked = etl("check", path, "--annotate", out)
    assert checked.returncode == 1 and out.exists()
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if "externalLink" in n]
        assert all(b"evil.example" not in archive.read(n) for n in archive.namelist())
    assert openpyxl.load_workbook(out)["Sheet"]["D2"].comment.text.startswith("「50余」不是可识别的数字")


def test_long_lines_are_found_wherever_they_are_and_named_by_their_line():
    """The block search (etl.read._long_lines) against counting every line: random files of short lines with
    long ones (ASCII, or Chinese: more bytes than characters) anywhere, the last one without a line feed."""
    import random

    from etl.read import _long_lines

    limit = 40
    for seed in range(300):
        rng = random.Random(seed)
        lines = []
        for _ in range(rng.randint(1, 60)):
            length = rng.choice([0, 3, 19, 20, 21, 39, 40, 41, 60, 79, 80, 81, 200])
            lines.append(rng.choice(["a", "汉", "a汉"]) * (length // (2 if rng.random() < 0.2 else 1)))
        start = rng.choice([0, 3])
        data = b"\xef\xbb\xbf"[:start] + "\n".join(lines).encode() + rng.choice([b"", b"\n"])
        expected = [(number, f"{len(line):,}") for number, line in enumerate(lines, start=1) if len(line) > limit]
        listed = rng.choice([1, 3, 100])
        found = [(f["row"], f["value"]) for f in _long_lines("f.csv", data, start, limit, listed)]
        assert found == expected[:listed], seed
