"""The validation problem record and its bilingual wording; turn problem frames into lines people read."""

from __future__ import annotations

import pandas as pd

PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "value", "rule", "message", "fix"]

# rule -> (Chinese message, English message, Chinese fix, English fix); {placeholders} come from
# the columns of the problem frame and its `detail` column.
RULES: dict[str, tuple[str, str, str, str]] = {
    "file_unreadable": (
        "无法读取文件：{detail}",
        "the file cannot be read: {detail}",
        "请用 Excel 另存为 .xlsx 或 UTF-8 编码的 .csv 后重新提交",
        "save it again from Excel as .xlsx or as UTF-8 .csv",
    ),
    "encoding_unknown": (
        "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK）",
        "unknown text encoding (neither UTF-8 nor GB18030/GBK)",
        "请在 Excel 中另存为「CSV UTF-8（逗号分隔）」",
        "in Excel, save as 'CSV UTF-8 (comma delimited)'",
    ),
    "columns_missing": (
        "缺少必需的列：{detail}",
        "required column(s) missing: {detail}",
        "表头须包含 地区、年份、指标、数值（或 region, year, indicator, value），"
        "或使用 python -m etl template 生成的填报模板",
        "the header row needs region, year, indicator, value (地区, 年份, 指标, 数值), or use the template",
    ),
    "field_blank": (
        "{detail}为空，但该行填了数值",
        "{detail} is blank on a row that has a value",
        "补全{detail}，或删除该行",
        "fill in the {detail}, or delete the row",
    ),
    "region_unknown": (
        "「{value}」不是已知的行政区划",
        "'{value}' is not a known region",
        "请填写6位区划代码或标准名称{detail}",
        "use the 6-digit division code or the standard name",
    ),
    "region_ambiguous": (
        "「{value}」对应多个行政区划：{detail}",
        "'{value}' matches several regions: {detail}",
        "请改填6位区划代码",
        "use the 6-digit division code instead",
    ),
    "region_not_allowed": (
        "您无权导入「{value}」的数据，整个文件未导入",
        "you may not load data for '{value}'; nothing in this file was loaded",
        "请只提交您负责的地区：{detail}",
        "submit only the regions you are responsible for: {detail}",
    ),
    "indicator_unknown": (
        "「{value}」不是 metrics.yml 中的指标",
        "'{value}' is not an indicator in metrics.yml",
        "请使用指标编码或中文名称{detail}",
        "use the indicator id or its Chinese name",
    ),
    "indicator_derived": (
        "「{value}」由公式计算（{detail}），不能直接填报",
        "'{value}' is computed ({detail}) and cannot be entered",
        "请删除该行，改为填报公式中的各分量",
        "delete the row and enter the components of the formula",
    ),
    "year_invalid": (
        "年份「{value}」无效",
        "year '{value}' is not valid",
        "请填写四位年份，范围 {detail}",
        "use a four-digit year in {detail}",
    ),
    "not_number": (
        "「{value}」不是可识别的数字",
        "'{value}' is not a number",
        "只填阿拉伯数字，如 1234、1,234 或 84.4%；不要写「余」「约」「多」等字或单位",
        "write digits only, e.g. 1234, 1,234 or 84.4%, without words such as 余 or units",
    ),
    "percent_sign": (
        "该指标单位为「{detail}」，不能填百分数",
        "this indicator is counted in {detail}, not a percentage",
        "去掉 % 号，填写{detail}数",
        "remove the % sign and give the count",
    ),
    "fraction_percent": (
        "「{value}」像是小数形式的百分比，含义不明确",
        "'{value}' looks like a fraction, which is ambiguous for a percentage",
        "百分比请写成 0–100 之间的数，如 92 或 92%；确为不足1%时请写 {value}%",
        "write percentages as 0-100, e.g. 92 or 92%; if it really is under 1%, write {value}%",
    ),
    "out_of_range": (
        "数值 {value} 超出有效范围 {detail}",
        "value {value} is outside the valid range {detail}",
        "请核对数值；计数不能为负，百分比在 0–100 之间",
        "check the figure: counts are not negative, percentages lie in 0-100",
    ),
    "not_whole": (
        "计数指标须为整数，「{value}」不是整数",
        "a count must be a whole number; '{value}' is not",
        "请填写整数",
        "enter a whole number",
    ),
    "not_boolean": (
        "「{value}」不是「是」或「否」",
        "'{value}' is not yes or no",
        "请填写「是」或「否」",
        "enter 是 (yes) or 否 (no)",
    ),
    "duplicate": (
        "同一地区、年份、指标在本文件中重复出现（{detail}）",
        "the same region, year and indicator appears again ({detail})",
        "只保留一行",
        "keep one row only",
    ),
    "inconsistent": (
        "{detail}",
        "",
        "请核对这两项数值：前者不能大于后者",
        "check both figures: the first cannot exceed the second",
    ),
    "formula_cell": (
        "单元格是公式（{detail}），不是数值",
        "the cell holds a formula ({detail}), not a value",
        "请复制该单元格并「选择性粘贴 → 数值」",
        "copy the cell and paste it back as a value",
    ),
    "template_header": (
        "填报表表头的{detail}无效：「{value}」",
        "the template's {detail} is not valid: '{value}'",
        "请填写表头中的地区和年份，或重新下载模板",
        "fill in the region and year at the top, or download the template again",
    ),
}


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*PROBLEM_COLUMNS, "detail"])


def make(rule: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Word the rows of `frame` (file, sheet, row, column, value, detail) as problems of `rule`."""
    if frame.empty:
        return empty()
    zh, en, fix_zh, fix_en = RULES[rule]
    frame = frame.copy()
    for column in ("file", "sheet", "column", "value", "detail"):
        if column not in frame:
            frame[column] = ""
        frame[column] = frame[column].fillna("").astype(str)
    if "row" not in frame:
        frame["row"] = pd.NA
    frame["rule"] = rule
    keys = frame[["value", "detail"]].to_dict("records")
    # Where the detail is already bilingual, the English template is empty and not repeated.
    frame["message"] = [f"{zh.format(**k)} / {en.format(**k)}" if en else zh.format(**k) for k in keys]
    frame["fix"] = [f"{fix_zh.format(**k)} / {fix_en.format(**k)}" for k in keys]
    return frame[[*PROBLEM_COLUMNS, "detail"]]


def one(
    rule: str, file: str, value: str = "", detail: str = "", sheet: str = "", row=None, column: str = ""
) -> pd.DataFrame:
    return make(
        rule,
        pd.DataFrame([{"file": file, "sheet": sheet, "row": row, "column": column, "value": value, "detail": detail}]),
    )


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)
    out["row_sort"] = pd.to_numeric(out["row"], errors="coerce").fillna(0)
    return out.sort_values(["file", "sheet", "row_sort", "column"]).drop(columns="row_sort").reset_index(drop=True)


def place(problem: dict) -> str:
    parts = [str(problem["file"])]
    if problem.get("sheet"):
        parts.append(f"工作表「{problem['sheet']}」")
    if pd.notna(problem.get("row")) and problem.get("row") not in ("", None):
        parts.append(f"第{int(problem['row'])}行")
    if problem.get("column"):
        parts.append(f"{problem['column']}列")
    return " › ".join(parts)


def format_lines(problems: pd.DataFrame, limit: int | None = None) -> list[str]:
    """One readable line per problem: place, value, message, fix."""
    lines = []
    records = problems.to_dict("records")
    for problem in records[:limit] if limit else records:
        value = f" 值「{problem['value']}」" if problem["value"] != "" else ""
        lines.append(
            f"{place(problem)}{value}: {problem['message']} [规则 {problem['rule']}]\n    修改 / Fix: {problem['fix']}"
        )
    if limit and len(records) > limit:
        lines.append(f"……另有 {len(records) - limit} 个问题 / and {len(records) - limit} more problem(s)")
    return lines
