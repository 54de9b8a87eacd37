"""`python -m etl extract FILE... [--region] [--year] [-o]`: reports in; a candidates CSV and a summary out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.extract import ExtractError, extract
from etl.extract import candidates as K
from rolgov.catalog import Catalog

KINDS = {
    "gia": "政府信息公开工作年度报告 / disclosure report",
    "rule_of_law": "法治政府建设年度报告 / rule-of-law report",
    "experience": "经验材料 / experience material",
    "unknown": "未识别 / not recognised",
}
ISSUERS = {"government": "政府 / government", "department": "部门 / department", "township": "乡镇 / township"}


def run_extract(args, catalog: Catalog) -> int:
    status, tables = 0, []
    for path in args.files:
        try:
            result = extract(path, catalog, region=args.region, year=args.year, scope=args.scope)
        except ExtractError as exc:
            print(f"✗ {exc}\n  未提取任何数值 / nothing extracted")
            status = 1
            continue
        table = K.frame(result, catalog)
        tables.append(table)
        place, tables_found = result.place, result.tables
        mapped = table[table["指标"] != ""]
        flagged = int((mapped["状态"] == "flagged").sum())
        print(
            f"✓ {path.name}：{KINDS[place.kind]}；地区 / region {place.code or '?'} {place.name}；"
            f"年份 / year {place.year or '?'}；发布者 / issuer {ISSUERS.get(place.issuer, place.issuer)}"
            + (f"；格式 / format {tables_found.format}（{tables_found.format_basis}）" if tables_found.format else "")
        )
        print(
            f"  候选 {len(table)} 个，其中对应指标 {len(mapped)} 个（待核对 {flagged} 个）"
            f" / {len(table)} candidate(s), {len(mapped)} mapped to an indicator"
        )
        for line in result.problems:
            print("  ⚠ " + line)
        if result.problems:
            status = max(status, 1)
    if not tables:
        return status or 1
    out = args.out or Path(f"{Path(args.files[0]).stem}_候选.csv")
    K.write(pd.concat(tables, ignore_index=True), out)
    print(
        f"已写出候选文件 / candidates written: {out}\n"
        "下一步：核对每一行（状态改为 accepted 或 rejected），然后 / next: review each row, then\n"
        f"  python -m rolgov.review finalize {out}"
    )
    return status
