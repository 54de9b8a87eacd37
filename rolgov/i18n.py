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
        "**示例数据**：本看板当前显示的是程序生成的示例数据，不是官方统计。其中安康市2017年的全市数据与该市公开的经验材料一致，"
        "其余均为模拟值。",
        "**Sample data**: the figures shown are generated sample data, not official statistics. "
        "Only Ankang City's 2017 city-wide figures agree with its published material; the rest are simulated.",
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
    "own_level_province": ("省本级", "Province level"),
    "own_level_of": ("{name}本级", "{name} (own level)"),
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
        "无目标的按参与比较的同级单位间排名百分位计分，仅监测指标不计分；领域得分按「指标说明」所列权重加权。",
        "The composite score is our own construction (official weights are unpublished): indicators with a target "
        "score their attainment (100 when met), others their percentile among the units compared; monitor-only "
        "indicators are not scored; areas weight indicators as the Indicator catalog lists.",
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
    # the name on a second, smaller line: on a phone a one-line title ran off the chart
    "area_status_title": (
        "各领域指标状态<br><span style='font-size:12px'>{name}</span>",
        "Indicators by area and status<br><span style='font-size:12px'>{name}</span>",
    ),
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
    "choose_units_province": ("加选市、区县或本级", "Add cities, counties or own levels"),
    "choose_units_country": ("加选省份或区县", "Add provinces or counties"),
    "units_placeholder": ("{whole}合计之外，可加选", "Add to the {whole} line"),
    "whole_prefecture": ("全市", "whole-city"),
    "whole_province": ("全省", "whole-province"),
    "whole_country": ("全国", "national"),
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
    "trend_target_note": ("目标线为市级（全域）目标", "target line: the city-level (whole-area) target"),
    "total_target_note": (
        "（计数类的市级目标指市政府本级应达到的数量，{whole}合计含各区县，两者口径不同）",
        "(for counts, the city target is what the city government itself should reach; the {whole} "
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
    "monitor_note": ("仅监测指标只显示不评判", "Monitor-only indicators are shown, not judged"),
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
    "share_of_target_times": ("（目标的{times}倍）", " ({times}× target)"),
    "bullets_note": (
        "各指标按“实际值÷目标值”画在同一刻度上，超过150%的以箭头表示；越低越好的指标，目标为上限",
        "every indicator on one scale, actual ÷ target; beyond 150 % an arrow; for lower-is-better "
        "indicators the target is a ceiling",
    ),
    "total_target_dagger": (
        "† 计数类的市级目标指市政府本级应达到的数量，{whole}合计含各区县，口径不同，仅作参考",
        "† for counts, the city target is what the city government itself should reach, while the {whole} "
        "total adds every county: indicative only",
    ),
    "total_target_own": ("；可在上方选择「{own}」对照", "; choose “{own}” above to compare like with like"),
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
        "† 按每万常住人口比较。只比较比率、按人口计的数和有目标的数：其余数量随区县大小而变，不作优劣比较。",
        "Compared with the county average, direction-aware (for lower-is-better indicators, below average "
        "is a strength), ordered by how far from the average in standard deviations; † per 10,000 residents. "
        "Only rates, counts per resident and counts with a target are compared: other counts grow with the "
        "size of a county.",
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
        "市本级不填报的指标（如村级法律顾问、常住人口，见「指标说明」）计为不适用，不计为缺报。",
        "What the city's own level does not report (village advisers, population: see the Indicator catalog) "
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
    # ── national: data page ──────────────────────────────────────────────────────────────────
    "dp_signin": ("数据管理需要登录。", "Sign in to manage data."),
    "dp_region_option": ("{name}（{code}）", "{name} ({code})"),
    "dp_list_sep": ("、", ", "),
    "dp_tab_load": ("导入数据", "Load data"),
    "dp_tab_history": ("导入历史", "History"),
    "dp_tab_completeness": ("填报完整性", "Completeness"),
    "dp_tab_users": ("用户", "Users"),
    "dp_template_heading": ("① 下载填报模板", "① Submission template"),
    "dp_template_download": ("下载模板", "Download template"),
    "dp_viewer": (
        "查看者可以查看导入历史和填报完整性，不能导入或回滚数据；如需导入，请联系管理员。",
        "Viewers can see the history and completeness, but cannot load or roll back data; "
        "ask an administrator to load data.",
    ),
    "dp_may_load": ("可导入的地区：{regions}", "You may load: {regions}"),
    "dp_every_region": ("全部地区", "every region"),
    "dp_upload_heading": ("② 上传并核对", "② Upload and check"),
    "dp_upload_label": (
        "上传 .xlsx 或 .csv（可多选，每个不超过 {mb} MB）",
        "Upload .xlsx or .csv files (several at once, {mb} MB each at most)",
    ),
    "dp_upload_help": (
        "先核对，确认后才写入数据库；有任何问题的文件整体不导入。",
        "Nothing is written until you confirm; a file with any problem is not loaded at all.",
    ),
    "dp_problems_head": (
        "**{name}**：{total:,} 个问题，整个文件不会导入",
        "**{name}**: {total:,} problem(s): nothing in this file will be loaded",
    ),
    "dp_fix_line": ("{message}  \n修改：{fix}", "{message}  \nFix: {fix}"),
    "dp_annotated_download": ("下载标注了问题的工作簿（发回区县修改）", "Download the annotated workbook"),
    "dp_annotated_file": ("{stem}_问题标注.xlsx", "{stem}_problems marked.xlsx"),
    "dp_passed": (
        "**{name}**：{values:,} 个数值通过校验，{blank:,} 个空白（未填报）",
        "**{name}**: {values:,} value(s) passed the checks, {blank:,} blank (not reported)",
    ),
    "dp_same_file": (
        "与批次 {batch} 是同一文件，确认导入也不会有任何改动。",
        "Same file as batch {batch}: committing it changes nothing.",
    ),
    "dp_new": ("新增", "New"),
    "dp_changed": ("修改（原值 → 新值）", "Changed (old → new)"),
    "dp_unchanged": ("未变", "Unchanged"),
    "dp_changed_values": ("修改的数值", "Changed values"),
    "dp_new_values": ("新增的数值（{n}）", "New values ({n})"),
    "dp_skipped_files": (
        "有问题的文件不会导入；其余文件可以先导入。",
        "Files with problems are skipped; the others can be loaded.",
    ),
    "dp_commit": ("确认导入（{n} 个文件）", "Commit {n} file(s)"),
    "dp_cancel": ("取消", "Cancel"),
    "dp_cancelled": ("已取消，数据未做任何改动。", "Cancelled: nothing was changed."),
    "dp_loaded": (
        "✓ {file} → 批次 {batch}：新增 {new}，修改 {changed}，未变 {unchanged}（导入人 {user}）",
        "✓ {file} → batch {batch}: {new} new, {changed} changed, {unchanged} unchanged (loaded by {user})",
    ),
    "dp_unchanged_file": (
        "{file} 与批次 {batch} 是同一文件，未做改动。",
        "{file} is the same file as batch {batch}: nothing changed.",
    ),
    "dp_not_loaded": ("{file} 未导入：{problem}", "{file} was not loaded: {problem}"),
    "dp_no_batches": ("尚无导入批次。", "No batches yet."),
    "dp_rollback_heading": ("回滚批次", "Roll back a batch"),
    "dp_admins_only": ("只有管理员可以回滚批次。", "Only administrators can roll a batch back."),
    "dp_batch_option": ("#{batch} {file}（{by}，{at}）", "#{batch} {file} ({by}, {at})"),
    "dp_choose": ("（请选择）", "(choose)"),
    "dp_batch_label": ("选择批次", "Batch"),
    "dp_rollback_effect": (
        "回滚批次 {batch} 将：{restored} 个数值恢复为旧值，{removed} 个数值移除，{unchanged} 个不变；"
        "合计与计算指标随之重算。批次记录保留在历史中。",
        "Rolling back batch {batch}: {restored} value(s) return to the old value, {removed} removed, "
        "{unchanged} unchanged; totals and computed indicators are recomputed. The batch stays in the history.",
    ),
    "dp_rollback_confirm": ("确认回滚批次 {batch}", "Roll back batch {batch}"),
    "dp_rolled_back": (
        "✓ 已回滚批次 {batch}：{restored} 个数值恢复为旧值，{removed} 个移除（操作人 {user}）",
        "✓ Batch {batch} rolled back: {restored} value(s) back to the old value, {removed} removed (by {user})",
    ),
    "dp_yes": ("是", "yes"),
    "dp_submitted": ("**{year}年**：{done}/{total} 个地区已提交", "**{year}**: {done}/{total} regions have submitted"),
    "dp_expected_note": (
        "应填指标按各地区的填报模板计算：区县填全部基础指标，市本级填适用于本级的指标，全市只填不能加总的指标。",
        "Expected indicators follow each region's template: a county reports every base indicator, a city's "
        "own level those that apply to it, the whole city only those that cannot be summed.",
    ),
    "dp_col_user": ("用户", "user"),
    "dp_col_role": ("角色", "role"),
    "dp_col_regions": ("地区", "regions"),
    "dp_col_state": ("状态", "state"),
    "dp_col_email": ("邮箱（单点登录）", "e-mail (SSO)"),
    "dp_all": ("全部", "all"),
    "dp_active": ("有效", "active"),
    "dp_disabled": ("停用", "disabled"),
    "dp_users_help": (
        "新增、停用、启用、改角色、重置密码请用命令行：{commands}",
        "Add, disable, enable, change the role or reset the password of a user on the command line: {commands}",
    ),
    # the tables and messages of rolgov/intake.py that the data page shows
    "in_stale": (
        "数据在预览之后已被更新，请重新核对下面的预览后再确认",
        "The data changed after this preview: check the new preview below, then confirm again.",
    ),
    "in_col_cell": ("单元格", "cell"),
    "in_col_value": ("值", "value"),
    "in_col_problem": ("问题", "problem"),
    "in_col_rule": ("规则", "rule"),
    "in_col_fix": ("修改方法", "fix"),
    "in_col_region": ("地区", "region"),
    "in_col_year": ("年度", "year"),
    "in_col_indicator": ("指标", "indicator"),
    "in_col_old": ("原值", "old"),
    "in_col_new_value": ("新值", "new"),
    "in_col_new": ("新增", "new"),
    "in_col_changed": ("修改", "changed"),
    "in_col_unchanged": ("未变", "unchanged"),
    "in_change_line": ("{what}：{old} → {new}", "{what}: {old} → {new}"),
    "in_col_batch": ("批次", "batch"),
    "in_col_file": ("文件", "file"),
    "in_col_loaded": ("导入时间", "loaded"),
    "in_col_by": ("导入人", "by"),
    "in_col_values": ("数值", "values"),
    "in_col_regions": ("地区", "regions"),
    "in_col_years": ("年度", "years"),
    "in_col_sample": ("示例数据", "sample"),
    "in_col_state": ("状态", "state"),
    "in_live": ("有效", "live"),
    "in_rolled_back": ("已回滚 {when}（{by}）", "rolled back {when} by {by}"),
    "in_after_restored": ("恢复为旧值", "back to the old value"),
    "in_after_removed": ("移除（此前无值）", "removed (no earlier value)"),
    "in_after_unchanged": ("不变", "unchanged"),
    "in_col_now": ("当前值", "now"),
    "in_col_after": ("回滚后", "after"),
    "in_col_outcome": ("结果", "outcome"),
    "in_col_submitted": ("已提交", "submitted"),
    "in_col_reported": ("已填报", "reported"),
    "in_col_missing": ("缺报指标", "missing"),
    "in_col_latest": ("最近批次", "latest batch"),
    "in_no": ("否", "no"),
    "in_missing_sep": ("、", "; "),
    "in_template_file": ("{name}_{year}_填报表.xlsx", "{name}_{year}_template.xlsx"),
    # ── compare: every page at a province and the whole country (issue 11) ──
    "cmp_country": ("全国", "China"),
    "cmp_name_sep": ("、", ", "),
    "cmp_and_more": ("等{n}个", " and others ({n} in all)"),
    "total_province": ("全省", "Whole province"),
    "cmp_all_counties": ("比较全部县级单位", "Compare all county-level units"),
    "cmp_children_heading": ("{scope}各{noun}对比", "The {noun} of {scope} compared"),
    "cmp_children_note": (
        "合计由数据库按指标目录的规则汇总：计数相加，比率由加总后的分子、分母重新计算（不对比率求平均）；"
        "下辖单位有缺报时不给合计，显示为缺数据。",
        "Totals come from the database by the catalog's rules: counts summed, ratios recomputed from the summed "
        "parts (never an average of ratios); while a unit below has not reported there is no total, shown as missing.",
    ),
    "cmp_units_missing": ("下辖单位缺报", "Units below not reported"),
    "cmp_units_missing_cell": ("{n}/{of}", "{n} of {of}"),
    "cmp_gap_row": ("… 略去{n}个 …", "… {n} not shown …"),
    "cmp_show_n": ("显示最好、最差各", "Best and worst shown"),
    "cmp_n_option": ("{n}个", "{n} each"),
    "cmp_find": ("查找单位（在图表中标出）", "Find units (marked in the charts)"),
    "cmp_top_bottom_note": (
        "单位较多：图中列出最好、最差各{n}个和查找的单位，名次按全部{of}个有数据的单位计。",
        "Many units: the chart lists the best and worst {n} and the units found; ranks count all {of} units "
        "with a figure.",
    ),
    "cmp_spread": ("分布", "Distribution"),
    "cmp_spread_row": ("{n}个单位", "{n} units"),
    "cmp_spread_title": ("{name}：分布", "{name}: distribution"),
    "cmp_spread_sub": ("各{noun}，{year}年", "across {noun}, {year}"),
    "cmp_spread_note": (
        "每个点是一个单位，方框为中间一半单位所在的范围，竖线为中位数",
        "Each dot is a unit; the box holds the middle half of the units, its line the median",
    ),
    "cmp_spread_found": ("；红点为查找的单位", "; red dots are the units found"),
    "pf_spread_red": ("；红点为{name}", "; the red dot is {name}"),
    "cmp_spread_hint": (
        "在“查找单位”中选择单位，可在分布中标出其位置并给出百分位。",
        "Pick units under “Find units” to mark them here and see their percentile.",
    ),
    "cmp_standing_better": (
        "{name} {value}：在{within}{of}个有数据的{noun}中排名{rank}，优于其中{share}%（第{pct}百分位）",
        "{name} {value}: rank {rank} of {of} {noun} with a figure in {within}, better than {share}% of them "
        "(percentile {pct})",
    ),
    "cmp_standing_higher": (
        "{name} {value}：在{within}{of}个有数据的{noun}中排第{rank}（由高到低，仅作监测），高于其中{share}%"
        "（第{pct}百分位）",
        "{name} {value}: {rank} of {of} {noun} with a figure in {within} (highest first, monitoring only), higher "
        "than {share}% of them (percentile {pct})",
    ),
    "cmp_standing_better_tied": (
        "{name} {value}：在{within}{of}个有数据的{noun}中排名{rank}，优于其中{share}%，与{level}个并列"
        "（并列按一半计，第{pct}百分位）",
        "{name} {value}: rank {rank} of {of} {noun} with a figure in {within}, better than {share}% of them and "
        "level with {level} (a tie counting half: percentile {pct})",
    ),
    "cmp_standing_higher_tied": (
        "{name} {value}：在{within}{of}个有数据的{noun}中排第{rank}（由高到低，仅作监测），高于其中{share}%，"
        "与{level}个持平（持平按一半计，第{pct}百分位）",
        "{name} {value}: {rank} of {of} {noun} with a figure in {within} (highest first, monitoring only), higher "
        "than {share}% of them and level with {level} (a tie counting half: percentile {pct})",
    ),
    "cmp_standing_alone": (
        "{name} {value}：{within}没有其他{noun}有数据，无从比较",
        "{name} {value}: no other {noun} in {within} has a figure to compare with",
    ),
    "cmp_standing_none": ("{name}：本年没有数据，不参与排名", "{name}: no figure this year, not ranked"),
    "cmp_missing_peers": (
        "{n}个{noun}无数据（按缺数据计，不计为0）：{names}",
        "{n} {noun} without a figure (missing, not zero): {names}",
    ),
    "cmp_sort": ("排序", "Order"),
    "cmp_sort_score": ("综合得分高的在前", "Highest composite score first"),
    "cmp_sort_attainment": ("达标多的在前", "Most targets met first"),
    "cmp_sort_name": ("按名称（拼音）", "By name"),
    "cmp_sort_code": ("按行政区划代码（同一城市相邻）", "By division code (a city's units together)"),
    "cmp_city_filter": ("城市", "City"),
    "cmp_all_cities": ("全部城市", "All cities"),
    "cmp_page": ("分页", "Page"),
    "cmp_page_option": ("第{k}页（第{a}–{b}个）", "Page {k} (units {a}–{b})"),
    "cmp_unit_average": ("各{noun}平均", "Average of the {noun}"),
    "cmp_no_total": ("{scope}没有合计数，不画平均线。", "{scope} has no total, so no average line is drawn."),
    "pf_among": ("与谁比较", "Compared with"),
    "pf_among_province": ("全省各县（市、区）", "the province's county-level units"),
    "pf_among_city": ("本市各县（市、区）", "the city's county-level units"),
    "pf_sources": ("{n}个数值摘自报告：来源与原文", "{n} figures taken from reports: source and sentence"),
    "pf_standing": ("在{within}各{noun}中的位置", "Standing among the {noun} of {within}"),
    "pf_standing_note": (
        "名次按有数据的单位计（1为最好，越低越好的指标已反向），数值相同则并列；百分位为优于其中多少比例的单位，"
        "并列的按一半计；没有数据的单位单独列出，不计为0。",
        "Ranks count the units with a figure (1 is best; lower-is-better indicators turned), equal figures share a "
        "rank; the percentile is the share of the other units this one beats, a tie counting half; units without "
        "a figure are counted apart, never as zero.",
    ),
    "pf_percentile": ("百分位", "Percentile"),
    "pf_missing": ("无数据单位数", "Units without a figure"),
    "pf_ranked_among": ("在{within}各{noun}中排名。", "Ranked among the {noun} of {within}."),
    "ts_source_line": ("{year}年 {region}：", "{year} {region}: "),
    "tg_children": ("各{noun}达标情况", "Attainment of the {noun}"),
    "tg_children_note": (
        "各{noun}按各自层级的目标计数，未达标多的在前；缺数据为有目标但本年没有数值的指标，不计为未达标。",
        "Each of the {noun} counted against the targets of its level, most below first; missing: indicators with a "
        "target but no figure this year, never counted as below.",
    ),
    "tg_children_many": (
        "单位较多：只列出最差和最好各10个（共{of}个），全部单位见「区县对比」。",
        "Many units: only the worst and best ten of {of} are listed; see the comparison page for all.",
    ),
    "tg_at_risk": ("可能无法按期达标的{noun}", "{noun} at risk of missing targets"),
    "cp_units": ("应报单位", "Units"),
    "cp_reported": ("已报送", "Reported"),
    "cp_complete": ("报送齐全", "Complete"),
    "cp_counts_note": (
        "应报单位为范围内各县级单位和各级本级；已报送为当年报送了至少一个指标的单位，报送齐全为应报指标都已报送的单位。",
        "Units: the county-level units and own levels in scope; reported: units with at least one figure that "
        "year; complete: units with every figure they should report.",
    ),
    "cp_group": ("按地区查看", "Units of"),
    "ts_country_pick": (
        "该指标暂无全国合计（须每个省级单位都有合计）：请在上方选择要看的省份或县级单位（最多8个）。",
        "This indicator has no national total yet (it needs every province's total): choose provinces or "
        "county-level units above (up to eight).",
    ),
    "cmp_average_note": (
        "{total}：比率为{total}合计重算值；各{noun}平均：计数为各{noun}的平均",
        "{total}: rates recomputed from its totals; average of the {noun}: the mean of counts over them",
    ),
    "cmp_heatmap_title": ("{year}年各{noun}指标达标情况", "Attainment of the {noun}, {year}"),
    "cmp_by_area_note": (
        "竖线为各{noun}平均；综合得分是本系统的测算方法，见上方说明。",
        "The tick is the average of the {noun}; the composite score is our own construction, see above.",
    ),
    "cmp_choose_units": ("对比的{noun}", "The {noun} to compare"),
    "pf_source_item": ("{name}：{source}", "{name}: {source}"),
    "pf_none_missing": ("表中各指标所有单位均有数据。", "Every unit has a figure for each indicator listed."),
    "ts_gap_year": ("{year}年{of}个中{n}个未报", "{year}: {n} of {of} not reported"),
    "ts_total_gaps": (
        "{total}缺合计的年份（有单位未报时不给合计，以免少算）：{gaps}",
        "Years without a total for {total} (no total while units have not reported, so it never falls short): {gaps}",
    ),
    "cmp_county_scope": (
        "{name}与{city}各县（市、区）对比，图表中以红色标出；它在全省的位置见「区县档案」。",
        "{name} compared with the county-level units of {city}, marked in red; its standing in the province is on "
        "the county profile.",
    ),
    # ── coordinator: the completeness heading names the scope ──
    "cp_heading": ("{scope}各单位填报情况", "What the units of {scope} reported"),
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
    "multiselect_placeholder": ("选择或输入名称查找…", "Choose, or type a name…"),
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
        "全国合计须每个省级单位都有合计，本年度尚不齐全，不计算（缺数据的省份不计为0）；以下比较各省。",
        "A national total needs every province's total, and this year's are incomplete, so there is none "
        "(a province without data is not counted as zero); below, the provinces compared.",
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
        "达标按市级（全域）目标判断各市合计；全省合计只按其中的比率和是否类目标判断（计数类目标按一个市设定，"
        "不适用于全省之和）；综合得分为本系统测算，见下方说明。",
        "Each city's total is judged against whole-area (city) targets, the province's total against their rates "
        "and yes/no targets only (a count target is set for one city, not for the sum of a province); the "
        "composite score is our own construction (see below).",
    ),
    "overview_note_country": (
        "各省合计及全国合计只按市级（全域）目标中的比率和是否类目标判断（计数类目标按一个市设定）；全国合计为各省合计之和"
        "（不含港澳台），比率由合计的分子分母重算；综合得分为本系统测算，见下方说明。",
        "Each province's total and the national total are judged against the rate and yes/no targets of a city "
        "only (a count target is set for one city); the national "
        "total sums the provinces' totals (Hong Kong, Macao and Taiwan not included), with rates recomputed from "
        "the summed parts; the composite score is our own construction (see below).",
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
