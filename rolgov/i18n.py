"""Interface strings in Chinese (default) and English; a key, a language and named values in, text out.

Every label a page, a chart or an export shows comes from STRINGS, in blocks headed by the feature that
uses them. tests/test_i18n.py fails on a Chinese literal in a page or in the modules that build what
pages show, on a key used but not defined (or defined and never used), and on an English text with
Chinese in it (the few kept on purpose are listed there).

t("odd_link", "en", label="Year", value="`2005`", shown="2025") fills {named} fields with str.format;
a text without fields is returned as is, so literal braces need no escaping there.
"""

from __future__ import annotations

LANGS = {"zh": "中文", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    # ── the frame: title, sidebar, banners, loading, odd links ───────────────────────────────
    "app_title": ("法治政府建设指标看板", "Rule-of-law government indicators"),
    "scope": ("范围", "Scope"),
    "year": ("年度", "Year"),
    "year_option": ("{year}年", "{year}"),
    "language": ("语言 / Language", "语言 / Language"),
    "loading": ("正在加载数据…", "Loading the data…"),
    "sample_banner": (
        "**示例数据**：本看板当前显示的是程序生成的示例数据，不是官方统计。2017年全市数据与安康市经验材料一致，其余为模拟值。",
        "**Sample data (示例数据)**: the figures shown are generated sample data, not official statistics. "
        "The 2017 city-wide figures agree with Ankang's published material; the rest are simulated.",
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
    "odd_link": (
        "链接中的{label} {value} 在这里没有数据，已改为显示「{shown}」。",
        "The link asks for {label} {value}, which has no data here; showing “{shown}” instead.",
    ),
    "odd_link_list": (
        "链接中的{label} {values} 在这里没有数据，已略去。",
        "The link names {label} {values}, which have no data here; left out.",
    ),
    "odd_lang": (
        "不支持链接中的语言 {value}，已显示中文。/ Language {value} is not available; showing Chinese.",
        "Language {value} is not available; showing English. / 不支持链接中的语言 {value}。",
    ),
    "too_many": (
        "{label}最多可选{most}个，链接中多出的已略去。",
        "{label}: at most {most}; the rest of the link is left out.",
    ),
    "not_found_title": ("页面不存在", "Page not found"),
    "not_found": (
        "链接中的页面 {page} 不存在。请从左侧菜单选择页面，或打开总览：",
        "There is no page {page}. Choose a page from the menu, or open the overview:",
    ),
    "list_separator": ("；", "; "),
    "quoted": ("「{text}」", "“{text}” "),
    # ── sources, estimates and common words ──────────────────────────────────────────────────
    "source": ("数据来源", "Source"),
    "source_line": ("数据来源：{source}", "Source: {source}"),
    "sample_source": ("示例数据（非官方统计）", "sample data (not official statistics)"),
    "batch": ("批次", "batch"),
    "more_batches": (" 等{n}个批次", " and others, {n} batches"),
    "including_sample": ("（含示例数据（非官方统计））", " (including sample data, not official statistics)"),
    "estimate_note": ("标 * 的目标为估计值，非官方目标。", "Targets marked * are estimates, not official targets."),
    "city_total": ("全市", "Whole city"),
    "own_level": ("市本级", "City level"),
    "target": ("目标", "Target"),
    "city_average": ("全市平均", "City average"),
    "county_average": ("区县平均", "County average"),
    "city_rate": ("全市", "Whole city"),
    "value": ("数值", "Value"),
    "met": ("达标", "Met"),
    "near": ("接近", "Near"),
    "below": ("未达标", "Below"),
    "monitor": ("仅监测", "Monitor only"),
    "no_target": ("无目标", "No target"),
    "missing": ("缺数据", "Missing"),
    "not_judged": ("{status}（不评判达标）", "{status} (not judged)"),
    "indicator": ("指标", "Indicator"),
    "indicator_option": ("【{area}】{name}", "[{area}] {name}"),
    "region": ("地区", "Region"),
    "area": ("领域", "Area"),
    "unit": ("单位", "Unit"),
    "county": ("区县", "County"),
    "status": ("状态", "Status"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "number_with_unit": ("{number}{unit}", "{number} {unit}"),
    "per_10k_unit": ("每万常住人口", "per 10,000 residents"),
    "choose_indicator": ("选择指标", "Choose an indicator"),
    "choose_counties": ("对比区县", "Counties to compare"),
    "all_areas": ("全部领域", "All areas"),
    "search": ("搜索", "Search"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "points": ("分", "points"),
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
    "rank_tied": ("并列{rank}", "={rank}"),
    "rank_same": ("持平", "same"),
    "rank_change_up": ("较上年上升{n}位", "up {n} on last year"),
    "rank_change_down": ("较上年下降{n}位", "down {n} on last year"),
    "rank_change_level": ("与上年持平", "same as last year"),
    "rank_change_new": ("上年无排名", "no rank last year"),
    "ties_note": ("“并列”表示数值相同、名次相同。", "“=” marks a rank shared by equal figures."),
    "ranked_label": ("{name}（{rank}）", "{name} ({rank})"),
    # ── gaps to a target (rolgov/scoring.py) ─────────────────────────────────────────────────
    "gap_met": ("已达标", "target met"),
    "gap_points_up": ("还差{amount}个百分点", "{amount} pp to go"),
    "gap_points_down": ("需降低{amount}个百分点", "{amount} pp too high"),
    "gap_not_done": ("尚未完成", "not yet done"),
    "gap_count_up": ("还差{amount}{unit}", "{amount} {unit} to go"),
    "gap_count_down": ("需减少{amount}{unit}", "{amount} {unit} too many"),
    # ── tiles ────────────────────────────────────────────────────────────────────────────────
    "tile_target_help": ("目标{star}：{target}（{basis}）", "Target{star}: {target} ({basis})"),
    # ── overview ─────────────────────────────────────────────────────────────────────────────
    "overview_heading": ("{scope} · {year}年", "{scope} · {year}"),
    "sentence_whole": (
        "**{name}**有目标的{judged}项指标中，:green[**{met}项达标**]，:orange[**{near}项接近**]，"
        ":red[**{below}项未达标**]。",
        "**{name}**: of {judged} indicators with a target, :green[**{met} met**], :orange[**{near} near**], "
        ":red[**{below} below**].",
    ),
    "sentence_counties": (
        "**各区县**按县级目标共{judged}项次：达标{met}、接近{near}、未达标{below}（涉及{counties}个区县）。",
        "**Counties**, against county targets: {judged} judgements, {met} met, {near} near, {below} below "
        "(in {counties} counties).",
    ),
    "laggards": ("**综合得分靠后**：{names}。", "**Lagging on the composite score**: {names}."),
    "laggard": (
        "{name} 第{rank}名（{change}，未达标{below}项）",
        "{name}, rank {rank} ({change}; {below} below target)",
    ),
    "overview_sentence_note": (
        "达标按市级目标判断全市合计、按县级目标判断各区县；综合得分为本系统测算，见下方说明。",
        "The whole city is judged against city targets, counties against county targets; the composite score "
        "is our own construction (see below).",
    ),
    "draft_this_year": ("生成{year}年经验材料草稿", "Draft the experience material for {year}"),
    "area_status_title": ("各领域指标状态（{name}）", "Indicators by area and status ({name})"),
    "area_status_caption": (
        "每个领域的全部指标：达标、接近（差距10%以内）、未达标、无目标或仅监测、缺数据。",
        "Every indicator of each area: met, near (within 10 %), below, no target or monitor only, missing.",
    ),
    "indicators_count": ("指标个数", "Indicators"),
    "map_colour": ("地图着色", "Map colour"),
    "map_title": ("{name}（{year}）", "{name} ({year})"),
    "counties": ("区县", "Counties"),
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
        "Review each row: set 状态 to accepted ({accepted}) or rejected ({rejected}); correct the value, "
        "indicator, region or year in place. Flagged rows ({flagged}) need a decision first. Values whose "
        "qualifier is not exact (approximate, cumulative, part, change, target) do not load unless you set "
        "the qualifier to exact.",
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
    "map_scale_note": (
        "同一指标各年度使用同一色阶，颜色相同即数值相同。",
        "One colour scale for every year of the indicator: the same colour is the same value in any year.",
    ),
    "no_boundaries": ("暂无该范围的区县边界数据，地图从略。", "No county boundaries for this scope; map omitted."),
    "county_ranking": ("区县综合得分排名（{year}）", "Counties by composite score ({year})"),
    "below_count": ("未达标项", "Below target"),
    "ranking_note": (
        "得分相同名次相同（并列）；名次变化与上年相比，↑为上升。",
        "Equal scores share a rank (=); rank change against last year, ↑ moved up.",
    ),
    # ── trends ───────────────────────────────────────────────────────────────────────────────
    "choose_units": ("加选区县或市本级", "Add counties or the city level"),
    "units_placeholder": ("全市合计之外，可加选", "Add to the whole-city line"),
    "view": ("口径", "View"),
    "absolute": ("绝对值", "Absolute"),
    "per_10k": ("每万常住人口", "Per 10,000 residents"),
    "no_population_own": (
        "{names}不单独统计{base}（人口按区县和全市统计），无法按每万人计算，图中未画出。",
        "{names} has no {base} of its own (population is counted by county and for the whole city), "
        "so it cannot be shown per 10,000 residents.",
    ),
    "no_population": (
        "{names}缺少{base}数据，无法按每万人计算，图中未画出。",
        "{names}: no {base} figure, so not shown per 10,000 residents.",
    ),
    "trend_target_note": ("目标线为全市目标", "target line: the city-level target"),
    "total_target_note": (
        "（计数类的市级目标指市政府本级应达到的数量，全市合计含各区县，两者口径不同）",
        "(for counts, the city target is what the city government itself should reach; the whole-city "
        "total also adds every county)",
    ),
    "split_note": (
        "全市合计是各区县之和，单独成图，避免把区县的线压平；下图为所选区县（目标线为县级目标）",
        "the whole-city total is the sum of its units and gets its own panel, so the county lines are not "
        "flattened; below, the chosen units (target line: the county target)",
    ),
    "panel_total": ("{label}（合计）", "{label} (total)"),
    "panel_units": ("所选区县", "Chosen units"),
    "chosen_year": ("{year}年（侧栏所选）", "{year} (chosen)"),
    "values_and_change": ("数值与同比", "Values and year-on-year change"),
    "yoy_column": ("{region} 同比", "{region} YoY"),
    "axis_with_unit": ("{name}（{unit}）", "{name} ({unit})"),
    "axis_per_10k": ("{name}（每万常住人口）", "{name} (per 10,000 residents)"),
    # ── county comparison ────────────────────────────────────────────────────────────────────
    "ranking": ("指标排名", "Ranking"),
    "average_note": (
        "全市：比率为全市合计重算值；区县平均：计数为各区县平均",
        "whole city: rates recomputed from city totals; county average: the mean of counts over counties",
    ),
    "heatmap": ("达标热力图", "Attainment heatmap"),
    "heatmap_title": ("{year}年各区县指标达标情况", "Attainment by county, {year}"),
    "include_untargeted": ("含无目标和仅监测指标", "Include indicators without a target"),
    "monitor_note": ("仅监测指标只显示不评判", "monitor-only indicators are shown, not judged"),
    "county_line": (
        "**{name}**：未达标{below} · 接近{near} · 达标{met}",
        "**{name}**: {below} below · {near} near · {met} met",
    ),
    "missed_item": ("{name} {value}（目标{target}{star}）", "{name} {value} (target {target}{star})"),
    "by_area": ("各领域得分", "Scores by area"),
    "by_area_title": ("各领域得分 · {year}", "Scores by area · {year}"),
    "by_area_note": (
        "竖线为区县平均；综合得分是本系统的测算方法，见上方说明。",
        "The tick is the county average; the composite score is our own construction, see above.",
    ),
    "score_axis": ("得分（0–100）", "Score (0–100)"),
    # ── targets ──────────────────────────────────────────────────────────────────────────────
    "targets_summary": (
        "**{name} · {year}年**：有目标的指标{n}个，达标{met}个，接近{near}个，未达标{below}个。",
        "**{name} · {year}**: {n} indicators with a target; {met} met, {near} near, {below} below.",
    ),
    "bullets_title": ("实际值占目标的比例（竖线为目标）", "Actual as a share of target (the line is the target)"),
    "share_of_target": ("占目标的比例", "Share of target"),
    "target_mark": ("目标", "Target"),
    "share_of_target_text": ("（目标的{share}%）", " ({share}% of target)"),
    "times_target": ("目标的{times}倍", "{times}× target"),
    "bullets_note": (
        "各指标按“实际值÷目标值”画在同一刻度上，超过150%的以箭头表示；越低越好的指标，目标为上限",
        "every indicator on one scale, actual ÷ target; beyond 150 % an arrow; for lower-is-better "
        "indicators the target is a ceiling",
    ),
    "total_target_dagger": (
        "† 计数类的市级目标指市政府本级应达到的数量，全市合计含各区县，口径不同，仅作参考；可在上方选择「市本级」对照",
        "† for counts, the city target is what the city government itself should reach, while the whole-city "
        "total adds every county: indicative only; choose “City level” above to compare like with like",
    ),
    "draft_for_region": ("为{name}生成{year}年经验材料草稿", "Draft the experience material for {name}, {year}"),
    "gaps_title": ("差距（按严重程度排序）", "Gaps, most severe first"),
    "basis": ("目标依据", "Basis"),
    "gap": ("差距", "Gap"),
    "projected_year": ("预计达标年份", "Projected year"),
    "projection_met": ("已达标", "met"),
    "projection_off_track": ("按当前趋势无法达到", "not on current trend"),
    "projection_beyond": ("2035年后", "after 2035"),
    "projection_too_short": ("数据不足3年", "under 3 years of data"),
    "projection_note": (
        "预计达标年份按近5年线性趋势外推，仅供参考。",
        "Projected years extend the linear trend of the last 5 years; indicative only.",
    ),
    "at_risk_title": ("可能无法按期达标的区县", "Counties at risk of missing targets"),
    "trend": ("趋势判断", "Trend"),
    "none_at_risk": ("没有按当前趋势无法达标的区县。", "No county is off track."),
    # ── county profile ───────────────────────────────────────────────────────────────────────
    "profile_heading": ("{name} · {year}年", "{name} · {year}"),
    "rank_by_area": ("各领域排名", "Rank by area"),
    "score": ("得分", "Score"),
    "rank_of": ("{rank}/{of}", "{rank}/{of}"),
    "vs_average": ("比区县平均", "vs average"),
    "points_above": ("高{n}个百分点", "+{n} pp"),
    "points_below": ("低{n}个百分点", "-{n} pp"),
    "share_above": ("高{n}%", "+{n}%"),
    "share_below": ("低{n}%", "-{n}%"),
    "strengths": ("优势", "Strengths"),
    "weaknesses": ("短板", "Weaknesses"),
    "no_strengths": ("没有高于区县平均的指标。", "No indicator above the county average."),
    "no_weaknesses": ("没有低于区县平均的指标。", "No indicator below the county average."),
    "strengths_note": (
        "与各区县平均比较，方向已考虑（越低越好的指标，低于平均为优势），按偏离程度（标准差倍数）排序；"
        "† 按每万常住人口比较。",
        "Compared with the county average, direction-aware (for lower-is-better indicators, below average "
        "is a strength), ordered by how far from the average in standard deviations; † per 10,000 residents.",
    ),
    # ── catalog ──────────────────────────────────────────────────────────────────────────────
    "search_placeholder": ("如：听证、复议、hearing", "e.g. hearing, 复议"),
    "id": ("编码", "Id"),
    "kind": ("类型", "Kind"),
    "direction": ("方向", "Direction"),
    "formula": ("公式", "Formula"),
    "definition": ("口径", "Definition"),
    "weight": ("权重", "Weight"),
    "publication": ("公开", "Publication"),
    "publication_public": ("公开", "public"),
    "publication_internal": ("内部", "internal"),
    "level_city": ("市", "city"),
    "level_county": ("县", "county"),
    "catalog_target": ("{level} {value}{star}（{basis}）", "{level} {value}{star} ({basis})"),
    "catalog_count": ("{shown} / {total} 个指标", "{shown} / {total} indicators"),
    "no_indicator_matches": ("没有符合条件的指标。", "No indicator matches."),
    # ── completeness ─────────────────────────────────────────────────────────────────────────
    "completeness_title": ("各地区各年度基础指标填报率", "Share of base indicators reported"),
    "completeness_caption": (
        "基础指标{n}个；绿色为全部填报，黄色缺少不到两成，红色缺得更多，灰色为当年未填报。",
        "{n} base indicators; green: all reported, amber: under a fifth missing, red: more missing, "
        "grey: nothing reported that year.",
    ),
    "not_applicable_note": (
        "市本级不填报的指标（如村级法律顾问、常住人口；metrics.yml own_level: false）计为不适用，不计为缺报。",
        "What the city's own level does not report (village advisers, population; metrics.yml own_level: false) "
        "counts as not applicable, not as missing.",
    ),
    "completeness_hover": (
        "填报率 {share}%，缺报 {missing} 项，不适用 {na} 项",
        "{share}% reported, {missing} missing, {na} not applicable",
    ),
    "missing_n": ("缺{n}", "{n} missing"),
    "complete": ("全部填报", "Complete"),
    "partly": ("少量缺报", "A few missing"),
    "mostly_missing": ("缺报较多", "Many missing"),
    "nothing_reported": ("未填报", "Nothing reported"),
    "by_indicator": ("指标明细", "By indicator"),
    "completeness_detail": (
        "{name} · {year}年：缺报{missing}项（排在前面），不适用{na}项。",
        "{name} · {year}: {missing} missing (listed first), {na} not applicable.",
    ),
    "state_reported": ("已填报", "reported"),
    "state_missing": ("缺报", "missing"),
    "state_not_applicable": ("不适用", "not applicable"),
    "latest_batches": ("各地区最近一次提交", "Latest batch of each region"),
    "file": ("文件", "File"),
    "batch_column": ("批次", "Batch"),
    "loaded_at": ("时间", "Loaded"),
    "loaded_by": ("导入人", "By"),
    # ── exports: file names, sheets and the columns every export carries ─────────────────────
    "file_area_status": ("各领域指标状态_{year}", "indicators_by_area_{year}"),
    "file_map": ("地图_{year}", "map_{year}"),
    "file_trend": ("趋势_{name}", "trend_{name}"),
    "file_ranking": ("排名_{name}_{year}", "ranking_{name}_{year}"),
    "file_heatmap": ("达标热力图_{year}", "attainment_heatmap_{year}"),
    "file_composite": ("综合得分_{year}", "composite_scores_{year}"),
    "file_by_area": ("各领域得分_{year}", "scores_by_area_{year}"),
    "file_targets": ("目标达成_{name}_{year}", "targets_{name}_{year}"),
    "file_completeness": ("数据完整性", "completeness"),
    "x_data_sheet": ("数据", "data"),
    "x_about_sheet": ("说明", "about"),
    "x_item": ("项目", "item"),
    "x_content": ("内容", "content"),
    "x_title": ("标题", "title"),
    "x_scope": ("范围", "scope"),
    "scope_with_code": ("{name}（{code}）", "{name} ({code})"),
    "x_period": ("年度", "period"),
    "x_sample": ("示例数据", "sample data"),
    "x_yes": ("是（非官方统计）", "yes (not official statistics)"),
    "x_no": ("否", "no"),
    "x_source": ("数据来源", "source"),
    "x_note": ("说明", "note"),
    "x_code": ("地区代码", "region code"),
    "x_kind": ("类别", "kind"),
    "x_kind_score": ("综合得分", "composite score"),
    "x_kind_area": ("领域得分", "area score"),
    "x_kind_value": ("指标数值", "indicator value"),
    # ── scope: any province, city or county, and the whole country (issue 11) ──
    "scope_unknown": (
        "地区代码 {code} 不在区划参考表（data/regions.csv）中。",
        "Region code {code} is not in the region reference (data/regions.csv).",
    ),
    "scope_search": ("查找地区", "Find a region"),
    "scope_search_placeholder": (
        "名称、拼音或代码",
        "Name, pinyin or code",
    ),
    "scope_search_results": ("找到{n}个地区，选择一个打开", "{n} found: choose one to open"),
    "scope_search_pick": ("选择地区…", "Choose a region…"),
    "scope_search_none": ("没有与 {text} 相符的地区。", "No region matches {text}."),
    "scope_no_data_option": ("{name}（暂无数据）", "{name} (no data yet)"),
    "scope_no_data": (
        "**{name}**（{level}，代码 {code}）暂无数据。到「数据管理」导入该地区的数据文件"
        "（命令行：python -m etl load 文件）后，各页面即显示其数值；也可以在左侧「范围」选择已有数据的地区。",
        "**{name}** ({level}, code {code}) has no data yet. Load a file for it on Data management "
        "(command line: python -m etl load FILE) and every page shows its figures; or choose a region with "
        "data under Scope on the left.",
    ),
    "open_data_page": ("打开「数据管理」", "Open Data management"),
    "children_ranking_country": ("各省综合得分排名（{year}）", "Provinces by composite score ({year})"),
    "children_ranking_province": ("各市综合得分排名（{year}）", "Cities by composite score ({year})"),
    "peer_ranking": ("{parent}各区县综合得分排名（{year}）", "Counties of {parent} by composite score ({year})"),
    "unit_province": ("省份", "Province"),
    "provinces_with_data": ("有数据的{n}个省份", "the {n} provinces with data"),
    "unit_city": ("市", "City"),
    "sentence_children_country": (
        "**各省**按全域目标共{judged}项次：达标{met}、接近{near}、未达标{below}（涉及{counties}个省份）。",
        "**Provinces**, against whole-area targets: {judged} judgements, {met} met, {near} near, {below} below "
        "(in {counties} provinces).",
    ),
    "sentence_children_province": (
        "**各市**按市级目标共{judged}项次：达标{met}、接近{near}、未达标{below}（涉及{counties}个市）。",
        "**Cities**, against city targets: {judged} judgements, {met} met, {near} near, {below} below "
        "(in {counties} cities).",
    ),
    "children_missing": (
        "{n}个{units}暂无{year}年数据，未参与排名（视为缺数据，不计为0）：{names}",
        "{n} {units} have no data for {year} and are not ranked (missing, not zero): {names}",
    ),
    "units_provinces": ("省份", "provinces"),
    "units_cities": ("市", "cities"),
    "units_counties": ("区县", "counties"),
    "no_country_total": (
        "数据库的合计汇总到省为止，全国合计不计算；以下比较各省。",
        "The database totals up to provinces only, not the whole country; below, the provinces compared.",
    ),
    "ranking_show": ("显示", "Show"),
    "ranking_bottom": ("后{n}名", "Bottom {n}"),
    "ranking_top": ("前{n}名", "Top {n}"),
    "ranking_all": ("全部（{n}个）", "All ({n})"),
    "ranking_find": ("在排名中查找", "Find in the ranking"),
    "ranking_found_none": ("排名中没有 {text}。", "{text} is not in the ranking."),
    "scope_search_help": (
        "输入名称（汉中）、拼音全拼（hanzhong）或首字母（hz）、英文名或区划代码（610700），在结果中选择即打开。",
        "Type a name (Hanzhong), its pinyin in full (hanzhong) or as initials (hz), or the code (610700), then "
        "choose a result to open it.",
    ),
    "overview_note_province": (
        "达标按市级（全域）目标判断全省合计和各市合计；综合得分为本系统测算，见下方说明。",
        "The province's and each city's totals are judged against whole-area (city) targets; the composite "
        "score is our own construction (see below).",
    ),
    "overview_note_country": (
        "各省合计按市级（全域）目标判断；综合得分为本系统测算，见下方说明。",
        "Each province's total is judged against whole-area (city) targets; the composite score is our own "
        "construction (see below).",
    ),
    "overview_note_county": (
        "达标按县级目标判断；综合得分为本系统测算，在本市各区县中排名，见下方说明。",
        "Judged against county targets; the composite score is our own construction, ranked among the "
        "counties of the same city (see below).",
    ),
    "map_level_province": ("省", "Provinces"),
    "map_level_prefecture": ("市", "Cities"),
    "map_level_county": ("区县", "Counties"),
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


def t(key: str, lang: str = "zh", **values) -> str:
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def page_title(key: str, lang: str = "zh") -> str:
    zh, en = PAGE_TITLES[key]
    return zh if lang == "zh" else en
