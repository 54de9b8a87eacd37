"""Each validation rule, asserted by the whole line a user reads (place, value, message, fix)."""

from __future__ import annotations

import pytest

from etl import problems as P
from etl.load import check_file
from tests.conftest import write_csv


def lines_for(tmp_path, catalog, rows, name="data.csv", **kwargs):
    path = write_csv(tmp_path / name, rows, **kwargs)
    _raw, clean, problems, _blank = check_file(path, catalog)
    return clean, P.format_lines(problems)


def test_clean_file_has_no_problems(tmp_path, catalog):
    clean, lines = lines_for(
        tmp_path,
        catalog,
        [
            ["610902", "2017", "hearings_held", "12"],
            ["汉滨区", "2017年", "征求意见收到意见建议条数", "1,200"],
            ["旬阳县", "2017", "public_comments_adopted", " ４０ "],
        ],
    )
    assert lines == []
    assert sorted(clean["region_code"]) == ["610902", "610902", "610981"]
    assert sorted(clean["value"]) == [12, 40, 1200]


def test_blank_value_is_missing_not_zero(tmp_path, catalog):
    clean, lines = lines_for(
        tmp_path, catalog, [["610902", "2017", "hearings_held", ""], ["610902", "2017", "press_conferences", "0"]]
    )
    assert lines == []
    assert clean["indicator_id"].tolist() == ["press_conferences"]


EXPECTED = {
    "unknown_region": (
        ["汉宾区", "2017", "hearings_held", "3"],
        "data.csv › 第2行 › A（region）列 值「汉宾区」: 「汉宾区」不是已知的行政区划 / '汉宾区' is not a known region "
        "[规则 region_unknown]\n    修改 / Fix: 请填写6位区划代码或标准名称；是否指 / did you mean：汉滨区 / "
        "use the 6-digit division code or the standard name",
    ),
    "ambiguous_region": (
        ["朝阳区", "2017", "hearings_held", "3"],
        "data.csv › 第2行 › A（region）列 值「朝阳区」: 「朝阳区」对应多个行政区划：110105 朝阳区（北京市）；220104 朝阳区（长春市） / "
        "'朝阳区' matches several regions: 110105 朝阳区（北京市）；220104 朝阳区（长春市） [规则 region_ambiguous]\n"
        "    修改 / Fix: 请改填6位区划代码 / use the 6-digit division code instead",
    ),
    "unknown_indicator": (
        ["610902", "2017", "听证会次数", "3"],
        "data.csv › 第2行 › C（indicator）列 值「听证会次数」: 「听证会次数」不是 metrics.yml 中的指标 / '听证会次数' is not an "
        "indicator in metrics.yml [规则 indicator_unknown]\n    修改 / Fix: 请使用指标编码或中文名称；是否指 / did you mean："
        "召开听证会次数 / use the indicator id or its Chinese name",
    ),
    "derived_indicator": (
        ["610902", "2017", "comment_adoption_rate", "30"],
        "data.csv › 第2行 › C（indicator）列 值「comment_adoption_rate」: 「comment_adoption_rate」由公式计算"
        "（public_comments_adopted / public_comments_received * 100；分量 / components: public_comments_adopted、"
        "public_comments_received），不能直接填报 / 'comment_adoption_rate' is computed (public_comments_adopted / "
        "public_comments_received * 100；分量 / components: public_comments_adopted、public_comments_received) and cannot "
        "be entered [规则 indicator_derived]\n    修改 / Fix: 请删除该行，改为填报公式中的各分量 / delete the row and enter "
        "the components of the formula",
    ),
    "year": (
        ["610902", "1890", "hearings_held", "3"],
        None,  # range depends on today's year; checked below
    ),
    "not_number": (
        ["610902", "2017", "hearings_held", "50余"],
        "data.csv › 第2行 › D（value）列 值「50余」: 「50余」不是可识别的数字 / '50余' is not a number [规则 not_number]\n"
        "    修改 / Fix: 只填阿拉伯数字，如 1234、1,234 或 84.4%；不要写「余」「约」「多」等字或单位 / write digits only, "
        "e.g. 1234, 1,234 or 84.4%, without words such as 余 or units",
    ),
    "fraction_percent": (
        ["610900", "2017", "public_satisfaction", "0.92"],
        "data.csv › 第2行 › D（value）列 值「0.92」: 「0.92」像是小数形式的百分比，含义不明确 / '0.92' looks like a fraction, "
        "which is ambiguous for a percentage [规则 fraction_percent]\n    修改 / Fix: 百分比请写成 0–100 之间的数，如 92 或 "
        "92%；确为不足1%时请写 0.92% / write percentages as 0-100, e.g. 92 or 92%; if it really is under 1%, write 0.92%",
    ),
    "out_of_range": (
        ["610900", "2017", "public_satisfaction", "120"],
        "data.csv › 第2行 › D（value）列 值「120」: 数值 120 超出有效范围 [0, 100] / value 120 is outside the valid range "
        "[0, 100] [规则 out_of_range]\n    修改 / Fix: 请核对数值；计数不能为负，百分比在 0–100 之间 / check the figure: "
        "counts are not negative, percentages lie in 0-100",
    ),
    "negative_count": (
        ["610902", "2017", "hearings_held", "-2"],
        "data.csv › 第2行 › D（value）列 值「-2」: 数值 -2 超出有效范围 [0, ∞) / value -2 is outside the valid range [0, ∞) "
        "[规则 out_of_range]\n    修改 / Fix: 请核对数值；计数不能为负，百分比在 0–100 之间 / check the figure: counts are "
        "not negative, percentages lie in 0-100",
    ),
    "not_whole": (
        ["610902", "2017", "press_conferences", "2.5"],
        "data.csv › 第2行 › D（value）列 值「2.5」: 计数指标须为整数，「2.5」不是整数 / a count must be a whole number; '2.5' "
        "is not [规则 not_whole]\n    修改 / Fix: 请填写整数 / enter a whole number",
    ),
    "percent_on_count": (
        ["610902", "2017", "wechat_posts", "12%"],
        "data.csv › 第2行 › D（value）列 值「12%」: 该指标单位为「条」，不能填百分数 / this indicator is counted in 条, not a "
        "percentage [规则 percent_sign]\n    修改 / Fix: 去掉 % 号，填写条数 / remove the % sign and give the count",
    ),
    "not_boolean": (
        ["610902", "2017", "rule_of_law_report_published", "也许"],
        "data.csv › 第2行 › D（value）列 值「也许」: 「也许」不是「是」或「否」 / '也许' is not yes or no [规则 not_boolean]\n"
        "    修改 / Fix: 请填写「是」或「否」 / enter 是 (yes) or 否 (no)",
    ),
}


@pytest.mark.parametrize("case", sorted(k for k, v in EXPECTED.items() if v[1]))
def test_rule_message(tmp_path, catalog, case):
    row, expected = EXPECTED[case]
    clean, lines = lines_for(tmp_path, catalog, [row])
    assert lines == [expected]
    assert clean.empty


def test_year_outside_plausible_range(tmp_path, catalog):
    from etl.validate import last_year

    _clean, lines = lines_for(tmp_path, catalog, [EXPECTED["year"][0]])
    assert lines == [
        f"data.csv › 第2行 › B（year）列 值「1890」: 年份「1890」无效 / year '1890' is not valid [规则 year_invalid]\n"
        f"    修改 / Fix: 请填写四位年份，范围 2000–{last_year()} / use a four-digit year in 2000–{last_year()}"
    ]


def test_duplicates_and_component_inconsistency_are_all_listed(tmp_path, catalog):
    _clean, lines = lines_for(
        tmp_path,
        catalog,
        [
            ["610902", "2018", "public_comments_received", "100"],
            ["610902", "2018", "public_comments_adopted", "120"],
            ["汉滨区", "2018", "采纳意见建议条数", "110"],
        ],
    )
    assert lines == [
        "data.csv › 第3行 › D（value）列 值「120」: 「采纳意见建议条数」120 大于「征求意见收到意见建议条数」100 / Public comments "
        "adopted (120) exceeds Public comments received on drafts (100) [规则 inconsistent]\n    修改 / Fix: 请核对这两项数值："
        "前者不能大于后者 / check both figures: the first cannot exceed the second",
        "data.csv › 第4行 › D（value）列 值「110」: 同一地区、年份、指标在本文件中重复出现（首次出现于第3行 / first at row 3） / "
        "the same region, year and indicator appears again (首次出现于第3行 / first at row 3) [规则 duplicate]\n"
        "    修改 / Fix: 只保留一行 / keep one row only",
        "data.csv › 第4行 › D（value）列 值「110」: 「采纳意见建议条数」110 大于「征求意见收到意见建议条数」100 / Public comments "
        "adopted (110) exceeds Public comments received on drafts (100) [规则 inconsistent]\n    修改 / Fix: 请核对这两项数值："
        "前者不能大于后者 / check both figures: the first cannot exceed the second",
    ]


def test_component_check_sees_values_already_stored(tmp_path, catalog, db_path):
    from etl.load import load_file

    first = write_csv(tmp_path / "received.csv", [["610902", "2018", "public_comments_received", "100"]])
    assert load_file(first, db_path, catalog).status == "loaded"
    second = write_csv(tmp_path / "adopted.csv", [["610902", "2018", "public_comments_adopted", "150"]])
    _raw, _clean, problems, _ = check_file(second, catalog, db_path)
    assert problems["detail"].tolist() == [
        "「采纳意见建议条数」150 大于「征求意见收到意见建议条数」100（库中已有值 / stored value） / Public comments adopted "
        "(150) exceeds Public comments received on drafts (100)"
    ]


def test_missing_columns_name_what_was_found(tmp_path, catalog):
    path = write_csv(tmp_path / "wrong.csv", [["610902", "2017", "3"]], header=("地区", "年", "值"))
    _raw, _clean, problems, _ = check_file(path, catalog)
    assert P.format_lines(problems) == [
        "wrong.csv › 第1行 值「地区、年、值」: 缺少必需的列：year, indicator / required column(s) missing: year, indicator "
        "[规则 columns_missing]\n    修改 / Fix: 表头须包含 地区、年份、指标、数值（或 region, year, indicator, value），或使用 "
        "python -m etl template 生成的填报模板 / the header row needs region, year, indicator, value (地区, 年份, 指标, 数值), "
        "or use the template"
    ]


def test_gb18030_csv_with_chinese_headers(tmp_path, catalog):
    path = write_csv(
        tmp_path / "gbk.csv",
        [["旬阳市", "2022", "召开听证会次数", "7", "𠀀 GB18030-only 字"]],
        header=("地区", "年份", "指标", "数值", "备注"),
        encoding="gb18030",
    )
    assert b"\xef\xbb\xbf" not in path.read_bytes()
    _raw, clean, problems, _ = check_file(path, catalog)
    assert problems.empty
    assert clean[["region_code", "year", "indicator_id", "value"]].values.tolist() == [
        ["610981", 2022, "hearings_held", 7.0]
    ]
    assert clean["note"].tolist() == ["𠀀 GB18030-only 字"]


def test_unknown_encoding_is_refused_not_garbled(tmp_path, catalog):
    path = tmp_path / "utf16.csv"
    path.write_bytes("region,year,indicator,value\n610902,2017,hearings_held,3\n".encode("utf-16-be"))
    _raw, _clean, problems, _ = check_file(path, catalog)
    assert problems["rule"].tolist() == ["encoding_unknown"]


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        (
            "random.xlsx",
            bytes(range(256)) * 4,
            "文件名是 Excel，但内容不是 Excel 工作簿 / named like a workbook but is not one",
        ),
        ("empty.csv", b"", "文件为空 / the file is empty"),
        ("corrupt.xlsx", b"PK\x03\x04" + b"\x00" * 200, None),
    ],
)
def test_unreadable_files(tmp_path, catalog, name, data, detail):
    path = tmp_path / name
    path.write_bytes(data)
    _raw, _clean, problems, _ = check_file(path, catalog)
    assert problems["rule"].tolist() == ["file_unreadable"]
    if detail:
        assert problems["detail"].tolist() == [detail]


def test_editor_scope_refuses_the_whole_file(tmp_path, catalog):
    path = write_csv(
        tmp_path / "two.csv", [["610902", "2017", "hearings_held", "3"], ["610925", "2017", "hearings_held", "2"]]
    )
    _raw, clean, problems, _ = check_file(path, catalog, allowed_regions={"610902"})
    assert clean.empty
    assert problems["rule"].tolist() == ["region_not_allowed"]
    assert problems["message"].tolist() == [
        "您无权导入「610925 岚皋县」的数据，整个文件未导入 / you may not load data for '610925 岚皋县'; nothing in this "
        "file was loaded"
    ]


def test_formula_in_a_value_cell_is_refused_even_without_a_cached_result(tmp_path, catalog):
    import openpyxl

    from etl.template import write_template

    path = write_template(catalog, "610925", 2025, tmp_path / "岚皋县.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["填报表"]
    row = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 2).value == "press_conferences")
    sheet.cell(row, 8, "=2+3")
    book.save(path)
    _raw, clean, problems, _ = check_file(path, catalog)
    assert clean.empty
    assert problems[["rule", "row", "column", "detail"]].values.tolist() == [
        ["formula_cell", row, f"H{row}（填报数值）", "=2+3"]
    ]


CANDIDATE_HEADER = ("地区", "年份", "指标", "数值", "备注", "限定", "状态", "来源", "位置")
SOURCE = "report.html sha256:" + "a" * 64


def test_a_candidates_file_loads_only_what_a_person_kept_and_exact_values(tmp_path, catalog):
    """Without an accepted row every row not rejected is kept; only exact values load; the rest is counted."""
    rows = [
        ["610902", "2021", "hearings_held", "12", "召开听证会12次。", "exact", "proposed", SOURCE, "第1段第3字"],
        ["610902", "2021", "press_conferences", "5", "", "exact", "rejected", SOURCE, ""],
        ["610902", "2021", "wechat_posts", "约300", "", "approximate", "proposed", SOURCE, ""],
        ["610902", "2021", "public_comments_received", "累计900", "", "cumulative", "拒绝", SOURCE, ""],
        ["610902", "2021", "", "26", "受理办结信件26件", "exact", "proposed", SOURCE, ""],
        ["610902", "2021", "comment_adoption_rate", "30%", "", "exact", "proposed", SOURCE, ""],
        ["610902", "2021", "weibo_posts", "约80", "", "exact", "proposed", SOURCE, ""],  # a person set exact
    ]
    path = write_csv(tmp_path / "候选.csv", rows, header=CANDIDATE_HEADER)
    checked, clean, problems, _blank = check_file(path, catalog)
    assert problems.empty
    assert clean[["indicator_id", "value"]].values.tolist() == [["hearings_held", 12.0], ["weibo_posts", 80.0]]
    assert clean["note"].tolist()[0] == f"〔来源：{SOURCE} 第1段第3字〕召开听证会12次。"
    assert checked.skipped == {"rejected": 2, "no_indicator": 1, "computed": 1, "not_exact": 1}


def test_once_a_row_is_accepted_only_accepted_rows_load_and_a_flagged_row_stops_the_file(tmp_path, catalog):
    rows = [
        ["610902", "2021", "hearings_held", "12", "", "exact", "accepted", SOURCE, ""],
        ["610902", "2021", "press_conferences", "5", "", "exact", "proposed", SOURCE, ""],
        ["610902", "2021", "wechat_posts", "300", "", "exact", "接受", SOURCE, ""],
    ]
    checked, clean, _problems, _ = check_file(write_csv(tmp_path / "a.csv", rows, header=CANDIDATE_HEADER), catalog)
    assert clean["indicator_id"].tolist() == ["hearings_held", "wechat_posts"]
    assert checked.skipped == {"not_accepted": 1}

    rows = [
        ["610902", "2021", "hearings_held", "12", "", "exact", "proposed", SOURCE, ""],
        ["610902", "2021", "press_conferences", "5", "", "exact", "flagged", SOURCE, ""],
        ["610902", "2021", "wechat_posts", "3余", "", "exact", "待核对", SOURCE, ""],
    ]
    _checked, clean, problems, _ = check_file(write_csv(tmp_path / "f.csv", rows, header=CANDIDATE_HEADER), catalog)
    assert clean.empty
    fix = (
        "    修改 / Fix: 核对该行后把状态改为 accepted（接受）或 rejected（拒绝），或删除该行 / check the row, then set "
        "its status to accepted or rejected, or delete the row"
    )
    assert P.format_lines(problems) == [
        f"f.csv › 第3行 › G（状态）列 值「flagged」: 该行尚待核对 / this row still needs a decision [规则 row_pending]\n{fix}",
        f"f.csv › 第4行 › G（状态）列 值「待核对」: 该行尚待核对 / this row still needs a decision [规则 row_pending]\n{fix}",
    ]


def test_a_large_file_that_turns_out_gb18030_after_its_first_megabytes_is_read_as_such(tmp_path, catalog):
    """A big file's UTF-8 is checked in part by DuckDB as it parses: bytes that are not UTF-8 further
    down send the file through the strict decoding, which reads GB18030 (and would refuse Big5)."""
    counties = ["610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927", "610981", "610929"]
    ids = [
        i.id
        for i in catalog.base
        if i.kind == "count" and not i.at_most and i.id not in {o for j in catalog.base for o in j.at_most}
    ][:25]
    keys = [(c, y, i) for c in counties for y in range(2001, 2021) for i in ids]
    lines = ["region,year,indicator,value,note", *(f"{c},{y},{i},{n},{'x' * 1500}" for n, (c, y, i) in enumerate(keys))]
    lines.append("610921,2000,hearings_held,3,石泉县备注")
    path = tmp_path / "big.csv"
    path.write_bytes("\n".join(lines).encode("gb18030"))
    assert path.stat().st_size > 5_000_000 and path.read_bytes()[:4_200_000].isascii()
    checked, clean, problems, _ = check_file(path, catalog)
    assert problems.empty and checked.encoding == "gb18030"
    assert len(clean) == len(keys) + 1 and clean["note"].iloc[-1] == "石泉县备注"


def test_a_file_of_many_row_groups_names_the_right_lines(tmp_path, catalog):
    """Every county of China in 2024–2025 (about 324,000 rows: DuckDB reads them as many row groups, on two
    threads): the lines a problem names are the file's own, also far down the file."""
    from tests.conftest import load_script

    bench = load_script("bench_load")
    path = tmp_path / "national.csv"
    rows = bench.write_long_csv(path, bench.unit_years(2024, 2025, own_levels=False))
    lines = path.read_bytes().split(b"\n")
    bad = [rows - 12_345, rows + 1]  # line numbers (the header is line 1): one far down, the last
    for number in bad:
        lines[number - 1] = b",".join(lines[number - 1].split(b",")[:3]) + b",12x"
    path.write_bytes(b"\n".join(lines))
    _raw, _clean, problems, _ = check_file(path, catalog)
    assert problems["rule"].tolist() == ["not_number", "not_number"]
    assert problems["row"].tolist() == bad and problems["value"].tolist() == ["12x", "12x"]
