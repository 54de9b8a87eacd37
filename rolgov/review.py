"""Reviewed candidates (a person's accept / correct / reject) in; an ordinary long file for `etl check|load` out.

Nothing loads without a person: the page's confirm button, or `python -m rolgov.review finalize`, is
that person's act, and only then is a long file written. The file is named after the report
(…_核对.csv, never sample_*, so the dashboard calls it real data) and every value's 备注 keeps the
report's name, sha256 and place with the sentence, so the note behind a current value
(`source_of`) leads back to the words in the report. Rules when turning candidates into values:
- when any row is 状态 accepted, only accepted rows are kept; otherwise every row not rejected
  (the file with the rejected rows deleted, as the issue allows);
- a kept row still 状态 flagged stops everything: a person must look at it and accept or reject it;
- a row without an indicator, with a qualifier other than exact, or naming a computed indicator is
  not a value: it is skipped and said so.

Command line:
  python -m rolgov.review finalize CANDIDATES.csv [-o OUT.csv]
  python -m rolgov.review source REGION YEAR INDICATOR [--db PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.extract import candidates as K
from etl.numbers import FULL_WIDTH, HALF_WIDTH, NUMBER
from rolgov import db
from rolgov.catalog import Catalog

LONG_COLUMNS = ["地区", "年份", "指标", "数值", "备注"]
_SOURCE = re.compile(r"^〔来源：(?P<file>.+?) sha256:(?P<sha>[0-9a-f]{64}) (?P<place>[^〕]*)〕(?P<sentence>.*)$", re.S)


class ReviewRefused(ValueError):
    """The reviewed file cannot become values yet; the message lists every row and what to do."""


@dataclass
class Finalized:
    table: pd.DataFrame  # LONG_COLUMNS, ready for etl check|load
    report: str
    sha256: str
    skipped: list[str] = field(default_factory=list)  # rows kept by the person that are not values

    @property
    def file_name(self) -> str:
        return load_name(self.report)


def load_name(report: str) -> str:
    """The long file's name: the report's, so the batch shows where its values come from."""
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", Path(report).stem).lstrip("_") or "report"
    if stem.lower().startswith("sample_"):
        stem = "report_" + stem  # a report is real data, whatever it was called
    return f"{stem}_核对.csv"


def _number(text: str) -> float | None:
    """A kept row's value as the loader will read it (etl.numbers' pattern), None when it is not a number."""
    text = str(text).strip().translate(str.maketrans(FULL_WIDTH, HALF_WIDTH))
    return float(text.replace(",", "").rstrip("%")) if re.match(NUMBER, text) else None


def finalize(table: pd.DataFrame, catalog: Catalog) -> Finalized:
    """Turn a reviewed candidates table into the long file; raise ReviewRefused listing every blocking row."""
    sources = [s for s in table["来源"].unique() if s]
    if len(sources) != 1:
        raise ReviewRefused(
            "候选文件须来自同一份报告（来源列）/ the candidates must come from one report (column 来源)"
        )
    report, _, sha = sources[0].rpartition(" sha256:")
    status = table["状态"].str.strip().str.lower()
    kept = table[status == "accepted"] if (status == "accepted").any() else table[status != "rejected"]
    blocking, skipped, rows = [], [], []
    for index, row in kept.iterrows():
        line = int(index) + 2  # the header is line 1
        label = f"第{line}行 / row {line}「{row['数值']}」"
        qualifier = row["限定"].strip() or "exact"
        if row["状态"].strip().lower() == "flagged":
            blocking.append(
                f"{label}：{row['核对'] or '待核对'} — "
                "请核对后把状态改为 accepted 或 rejected / check it, then accept or reject"
            )
            continue
        indicator = row["指标"].strip()
        if not indicator:
            skipped.append(f"{label}：未对应指标，不导入 / no indicator: not loaded")
            continue
        if indicator in catalog and catalog[indicator].derived:
            skipped.append(f"{label}：{indicator} 是计算指标，不导入 / a computed indicator: not loaded")
            continue
        if qualifier != "exact":
            skipped.append(
                f"{label}：限定为 {qualifier}，不是年度数值，不导入 / qualifier {qualifier}: not a yearly value"
            )
            continue
        figure = re.sub(r"^(约|累计|其中|变化|目标)", "", str(row["数值"]).strip())  # 限定 set to exact by a person
        if _number(figure) is None:
            blocking.append(f"{label}：不是数字 / not a number — 请只写数字 / write the number only")
            continue
        note = f"〔来源：{report} sha256:{sha} {row['位置']}〕{row['备注']}"
        rows.append({"地区": row["地区"], "年份": row["年份"], "指标": indicator, "数值": figure, "备注": note})
    if blocking:
        raise ReviewRefused(
            f"{len(blocking)} 行尚待核对，未生成导入文件 / {len(blocking)} row(s) still need a decision; "
            "nothing was written:\n" + "\n".join(blocking)
        )
    if not rows:
        raise ReviewRefused(
            "没有可导入的数值（全部被拒绝或不是年度数值）/ no value to load: every row was rejected or skipped"
        )
    return Finalized(pd.DataFrame(rows, columns=LONG_COLUMNS), report, sha, skipped)


def source_of(db_path: Path | str, region_code: str, year: int, indicator_id: str) -> dict | None:
    """The observation behind a current reported value: batch, file, and the report sentence its note keeps.

    Pages show it beside a value (trends table, county profile) as 「来源：报告名 · 原文」.
    Returns None for a value with no reported observation (a total or a derived value).
    """
    with db.read(db_path) as con:
        rows = con.execute(
            """
            SELECT o.batch_id, b.file_name, b.sha256, b.loaded_at, b.loaded_by, b.is_sample, o.value, o.note
            FROM current_values c
            JOIN observations o ON o.batch_id = c.batch_id AND o.region_code = c.region_code
                 AND o.year = c.year AND o.indicator_id = c.indicator_id
            JOIN batches b ON b.batch_id = o.batch_id
            WHERE c.region_code = ? AND c.year = ? AND c.indicator_id = ? AND c.value_kind = 'reported'
            """,
            [region_code, year, indicator_id],
        ).fetchall()
    if not rows:
        return None
    batch_id, file_name, sha, loaded_at, loaded_by, is_sample, value, note = rows[0]
    out = {
        "batch_id": batch_id,
        "file_name": file_name,
        "file_sha256": sha,
        "loaded_at": loaded_at,
        "loaded_by": loaded_by,
        "is_sample": bool(is_sample),
        "value": value,
        "note": note or "",
        "report": None,
        "report_sha256": None,
        "place": None,
        "sentence": note or "",
    }
    match = _SOURCE.match(note or "")
    if match:
        out.update(report=match["file"], report_sha256=match["sha"], place=match["place"], sentence=match["sentence"])
    return out


def report_sources(
    con, region_codes: list[str], years: list[int], indicator_ids: list[str] | None = None
) -> pd.DataFrame:
    """The report sentences behind many current values at once (one query, on an open connection): the
    region_code, year, indicator_id, report, place and sentence of each reported value whose note the
    report importer wrote (〔来源：… sha256:… 第3段〕原文); values typed in or totalled are left out."""
    rows = con.execute(
        """
        SELECT c.region_code, c.year, c.indicator_id, o.note
        FROM current_values c
        JOIN observations o ON o.batch_id = c.batch_id AND o.region_code = c.region_code
             AND o.year = c.year AND o.indicator_id = c.indicator_id
        WHERE c.value_kind = 'reported' AND list_contains($r, c.region_code) AND list_contains($y, c.year)
          AND ($i IS NULL OR list_contains($i, c.indicator_id)) AND o.note LIKE '〔来源：%'
        """,
        {"r": list(region_codes), "y": [int(y) for y in years], "i": list(indicator_ids) if indicator_ids else None},
    ).fetchall()
    out = []
    for region, year, indicator, note in rows:
        match = _SOURCE.match(note)
        if match:
            out.append((region, int(year), indicator, match["file"], match["place"], match["sentence"]))
    return pd.DataFrame(out, columns=["region_code", "year", "indicator_id", "report", "place", "sentence"])


def main(argv: list[str] | None = None) -> int:
    from rolgov import catalog as catalog_mod

    parser = argparse.ArgumentParser(
        prog="python -m rolgov.review", description="核对报告中的候选数值 / review candidates"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("finalize", help="把核对后的候选文件变成导入文件 / turn reviewed candidates into a long file")
    p.add_argument("candidates", type=Path)
    p.add_argument("-o", "--out", type=Path, help="输出文件 / output .csv (default: <报告名>_核对.csv)")
    p = sub.add_parser("source", help="某个当前数值的来源和原文 / where a current value comes from")
    p.add_argument("region")
    p.add_argument("year", type=int)
    p.add_argument("indicator")
    p.add_argument("--db", type=Path, default=db.DEFAULT_DB)
    args = parser.parse_args(argv)
    if args.command == "source":
        found = source_of(args.db, args.region, args.year, args.indicator)
        if found is None:
            print("没有该数值的上报记录 / no reported value there", file=sys.stderr)
            return 1
        print(f"批次 / batch {found['batch_id']}：{found['file_name']}（{found['loaded_by']}）")
        if found["report"]:
            print(f"报告 / report：{found['report']}  sha256:{found['report_sha256']}")
            print(f"位置 / place：{found['place']}")
        print(f"原文 / sentence：{found['sentence']}")
        return 0
    catalog = catalog_mod.load()
    try:
        table = K.read(args.candidates)
    except (ValueError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 1
    groups = [group for _, group in table.groupby("来源", sort=False)]  # one long file (one batch) per report
    if args.out and len(groups) > 1:
        print("候选文件含多份报告，-o 只能用于一份 / several reports: leave out -o", file=sys.stderr)
        return 2
    status = 0
    for group in groups:
        try:
            result = finalize(group, catalog)
        except ReviewRefused as exc:
            print(exc, file=sys.stderr)
            status = 1
            continue
        out = args.out or args.candidates.with_name(result.file_name)
        result.table.to_csv(out, index=False, encoding="utf-8-sig")
        for line in result.skipped:
            print("  跳过 / skipped: " + line)
        print(
            f"已写出 {len(result.table)} 个数值 / wrote {len(result.table)} value(s): {out}\n"
            f"下一步 / next: python -m etl check {out} && python -m etl load {out}"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
