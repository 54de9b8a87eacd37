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
        "无法识别文件编码（既不是 UTF-8，也不是 GB18030/GBK）{detail}",
        "unknown text encoding (neither UTF-8 nor GB18030/GBK){detail}",
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
    # ── about the whole file, found before or while reading it (the upload page shows them in one box) ──
    "file_too_large": (
        "文件 {value}，超过 {detail} 上限",
        "the file is {value}, over the {detail} limit",
        "请拆分为多个文件（如每个地区一个），或删除无关的工作表",
        "split it (one file per region) or remove unrelated sheets",
    ),
    "file_type": (
        "只接受 .xlsx 或 .csv 文件",
        "only .xlsx and .csv files are accepted",
        "请用 Excel 另存为 .xlsx，或使用填报模板",
        "save it from Excel as .xlsx, or use the template",
    ),
    "too_many_rows": (
        "文件有 {value} 行，超过上限 {detail} 行",
        "the file has {value} rows, over the limit of {detail}",
        "请拆分为多个文件（如每个地区或每年一个）",
        "split it into several files (one per region or year)",
    ),
    "archive_too_large": (
        "工作簿解压后为 {value}，超过上限 {detail}",
        "the workbook unpacks to {value}, over the {detail} limit",
        "请删除无关的工作表、图片和格式后另存，或拆分为多个文件",
        "remove unrelated sheets, pictures and formatting, or split the workbook",
    ),
    "sheet_too_large": (
        "工作表的范围 {value}（{detail}）超出可读取的上限",
        "the sheet's range {value} ({detail}) is beyond what can be read",
        "请删除多余的空行、空列和远处的单元格后另存，或把数据复制到新工作簿",
        "delete stray rows, columns and far-away cells, or copy the data into a new workbook",
    ),
    "check_timeout": (
        "校验超过 {detail} 秒仍未完成，已停止，文件未导入",
        "checking took longer than {detail} s and was stopped; nothing was loaded",
        "请拆分文件，或删除无关的工作表和格式后重试",
        "split the file, or remove unrelated sheets and formatting, and try again",
    ),
    "check_memory": (
        "校验此文件所需内存超过上限 {detail}，已停止，文件未导入",
        "checking this file needs more memory than the {detail} limit; it was stopped and nothing was loaded",
        "请拆分文件，或删除无关的工作表和格式后重试",
        "split the file, or remove unrelated sheets and formatting, and try again",
    ),
    "check_failed": (
        "校验意外中止（{detail}），文件未导入",
        "the check stopped unexpectedly ({detail}); nothing was loaded",
        "请用 Excel 重新另存后再试；如仍出现，请联系管理员（详情见服务器日志）",
        "save the file again from Excel and retry; if it happens again, tell an administrator (see the server log)",
    ),
    "no_values": (
        "文件中没有可导入的数值（只有表头，或数值列全部为空）",
        "the file holds no values to load (a header only, or the value column is empty)",
        "在数值列填入数据后重新提交",
        "fill in the value column and submit again",
    ),
    # ── about one line of a CSV file ──
    "line_too_long": (
        "该行长 {value} 个字符，超过上限 {detail}",
        "the line is {value} characters long, over the limit of {detail}",
        "检查是否缺少换行符，或是否粘贴了大段文字；备注请控制在 {detail} 字以内",
        "look for missing line breaks or pasted text; keep notes under {detail} characters",
    ),
    "line_endings": (
        "换行符混用：此行以单独的回车符（CR）结束，其余各行以换行符（LF）结束，无法可靠地区分各行",
        "mixed line endings: this line ends with a lone carriage return (CR) while others end with a line "
        "feed (LF), so rows cannot be told apart reliably",
        "用 Excel 或文本编辑器重新另存为「CSV UTF-8（逗号分隔）」",
        "save it again as 'CSV UTF-8 (comma delimited)' from Excel or a text editor",
    ),
    "field_count": (
        "此行有 {value} 个字段，表头有 {detail} 个",
        "this row has {value} fields; the header has {detail}",
        '含逗号的数值或备注请加英文双引号（如 "1,234"），或去掉千位分隔符；每行字段数须与表头一致',
        'quote a value or note that contains a comma ("1,234"), or drop the thousands separator; '
        "every row needs as many fields as the header",
    ),
    "csv_quoting": (
        "引号不配对：{value}",
        "unbalanced quotes: {value}",
        '字段内的英文双引号须写成两个（""），并用双引号括起整个字段；或用 Excel 重新另存',
        'write a double quote inside a field as two ("") and quote the whole field; or save it again from Excel',
    ),
    "value_split": (
        "数值「{value}」后一列是「{detail}」，像是未加引号的千位分隔数 {value},{detail}",
        "value '{value}' is followed by '{detail}', which looks like {value},{detail} split at its unquoted comma",
        '写成 "{value},{detail}"（加引号）或 {value}{detail}',
        'write "{value},{detail}" (quoted) or {value}{detail}',
    ),
    # ── about one value ──
    "implausible": (
        "数值 {value} 超出任何合理数值（绝对值不超过 {detail}）",
        "value {value} is beyond any plausible figure (at most {detail} in absolute value)",
        "请核对数值和单位：是否多打了数字，或误填了科学计数法",
        "check the figure and its unit: extra digits, or a number in scientific notation by mistake",
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
    # ── a reviewed candidates file (python -m etl extract) ──
    "row_pending": (
        "该行尚待核对",
        "this row still needs a decision",
        "核对该行后把状态改为 accepted（接受）或 rejected（拒绝），或删除该行",
        "check the row, then set its status to accepted or rejected, or delete the row",
    ),
}


# Problems about the whole file, not a cell: the upload page shows them in its message box, and no
# annotated copy is made for them (there is no cell to mark).
FILE_LEVEL_RULES = frozenset(
    {
        "file_unreadable",
        "encoding_unknown",
        "file_too_large",
        "file_type",
        "columns_missing",
        "too_many_rows",
        "archive_too_large",
        "sheet_too_large",
        "check_timeout",
        "check_memory",
        "check_failed",
        "no_values",
    }
)


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


def counts_of(problems: pd.DataFrame) -> dict[str, int]:
    """Problems per rule, for a frame that lists all of them."""
    return {str(k): int(v) for k, v in problems["rule"].value_counts().items()} if not problems.empty else {}


def first(problems: pd.DataFrame, listed: int | None) -> pd.DataFrame:
    """The first `listed` problems in file order (all when listed is None)."""
    return problems if listed is None else problems.head(listed).reset_index(drop=True)


def count_parts(counts: dict[str, int]) -> str:
    """'duplicate 799,999; not_number 3': problems per rule, most frequent first."""
    return "; ".join(f"{rule} {n:,}" for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def count_line(counts: dict[str, int]) -> str:
    return "按规则 / by rule: " + count_parts(counts)


def format_lines(problems: pd.DataFrame, limit: int | None = None, counts: dict[str, int] | None = None) -> list[str]:
    """One readable line per problem: place, value, message, fix; then how many more there are, by rule.

    counts (problems per rule) says how many were found when `problems` lists only the first of them.
    """
    lines = []
    records = problems.to_dict("records")
    shown = records[:limit] if limit else records
    for problem in shown:
        value = f" 值「{problem['value']}」" if problem["value"] != "" else ""
        lines.append(
            f"{place(problem)}{value}: {problem['message']} [规则 {problem['rule']}]\n    修改 / Fix: {problem['fix']}"
        )
    total = sum(counts.values()) if counts else len(records)
    if total > len(shown):
        more = total - len(shown)
        lines.append(f"……另有 {more:,} 个问题未列出 / and {more:,} more problem(s) not listed")
        lines.append(count_line(counts or counts_of(problems)))
    return lines
