"""Uploads on the data page: bytes in; checked, previewed (diff against the live data), committed or refused.

Every step goes through the ETL (etl.load.check, load_file, rollback): there is no second path
into the database. The file is read, checked, compared with the live data and annotated in the
checking child (etl.sandbox), so a hostile upload ends that child, never the server. Uploaded
bytes are written only into a private temporary folder (mode 0700, file 0600) that is removed as
soon as the step ends; the file's type is judged by its content (etl.read.sniff), the name only
supplies the label shown to people. The preview never writes: the child reads the live file
read-only. Commit refuses a preview made against an older version of the database (someone else
loaded meanwhile), so what was confirmed is what happens; load_file then inserts the rows the
preview's check kept, once it has seen under its writer lock that the bytes, the database version
and the catalog are still those, and checks the file again otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import problems as P
from etl.checked import Checked, Limits
from etl.load import LoadResult, check, history, load_file, rollback, rollback_effect  # noqa: F401 - the page rolls back
from etl.sandbox import warm_up  # noqa: F401 - the page starts the checking child's server early
from etl.template import indicators_for, write_template
from rolgov import db, fmt, queries
from rolgov import regions as R
from rolgov.catalog import Catalog
from rolgov.i18n import t

MAX_UPLOAD_MB = 20  # also [server] maxUploadSize in .streamlit/config.toml, which the browser enforces first
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
SUFFIXES = (".xlsx", ".xls", ".csv")
STATUSES = ("new", "changed", "unchanged")


class StalePreview(RuntimeError):
    """The database changed after the preview was made; preview again before committing."""


@dataclass
class Staged:
    """One uploaded file after checking: its problems, or its change against the live data."""

    name: str
    data: bytes = field(repr=False)
    sha256: str
    db_version: str
    problems: pd.DataFrame  # the first ROLGOV_PROBLEMS_LISTED
    problem_counts: dict[str, int] = field(default_factory=dict)  # all of them, per rule
    values: int = 0
    blank: int = 0
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)  # the first 2,000 of each status
    change_counts: dict[str, int] = field(default_factory=dict)
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)  # region_code, year, new, changed, unchanged
    same_as_batch: int | None = None
    annotated: bytes | None = field(default=None, repr=False)
    peak_mb: float = 0.0  # the checking child's peak memory
    checked: Checked | None = field(default=None, repr=False)  # with its rows, for the commit

    @property
    def ok(self) -> bool:
        return self.problems.empty

    @property
    def total_problems(self) -> int:
        return sum(self.problem_counts.values()) if self.problem_counts else len(self.problems)

    @property
    def file_level(self) -> bool:
        """The problems are about the whole file (shown in one box), not about cells."""
        return not self.problems.empty and set(self.problems["rule"]) <= P.FILE_LEVEL_RULES

    @property
    def counts(self) -> dict[str, int]:
        return {k: int(self.change_counts.get(k, 0)) for k in STATUSES}

    @property
    def will_change(self) -> bool:
        return self.ok and self.same_as_batch is None and (self.counts["new"] + self.counts["changed"]) > 0


def display_name(name: str) -> str:
    """The uploaded name as a label: no folders, no control characters, at most 120 characters, and no
    leading = + - @ (the name is stored with the batch and shown in tables that Streamlit lets people
    download as CSV without neutralising formulas)."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    base = re.sub(r"^[=+\-@\s]+", "", base) or "upload"
    return base[:120]


@contextmanager
def private_copy(name: str, data: bytes) -> Iterator[Path]:
    """The bytes as a file in a fresh 0700 folder, removed on exit. The on-disk name is ours, not the
    uploader's; only the suffix is kept, because the reader refuses non-workbooks named like workbooks."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="rolgov-upload-") as folder:
        os.chmod(folder, 0o700)
        path = Path(folder) / f"upload{suffix if suffix in SUFFIXES else ''}"
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        yield path


def stage(
    name: str,
    data: bytes,
    catalog: Catalog,
    db_path: Path | str,
    allowed_regions: set[str] | None,
    limits: Limits | None = None,
) -> Staged:
    """Check one upload and diff it against the live data, in the checking child; writes nothing."""
    name = display_name(name)
    digest = hashlib.sha256(data).hexdigest()
    version = db.data_version(db_path) if Path(db_path).exists() else ""
    staged = Staged(name, data, digest, version, P.empty())
    if len(data) > MAX_UPLOAD_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f} MB"
        staged.problems = P.one("file_too_large", name, size, f"{MAX_UPLOAD_MB} MB")
    elif Path(name).suffix.lower() not in SUFFIXES:
        staged.problems = P.one("file_type", name)
    if not staged.problems.empty:
        staged.problem_counts = P.counts_of(staged.problems)
        return staged
    with private_copy(name, data) as path:
        checked = check(
            path,
            catalog,
            db_path,
            allowed_regions=allowed_regions,
            display_name=name,
            limits=limits,
            annotate=True,
            want_changes=True,
            keep_rows=True,
            sha256=digest,
        )
    staged.problems, staged.problem_counts = checked.problems, checked.counts
    staged.values, staged.blank, staged.annotated = checked.values, checked.blank, checked.annotated
    staged.changes, staged.change_counts, staged.summary = checked.changes, checked.change_counts, checked.summary
    staged.same_as_batch, staged.peak_mb = checked.same_as_batch, checked.peak_mb
    staged.checked = checked if checked.ok else None
    return staged


def commit(
    items: list[Staged],
    catalog: Catalog,
    db_path: Path | str,
    user: str,
    allowed_regions: set[str] | None,
    seen_version: str | None = None,
    lang: str = "zh",
) -> list[LoadResult]:
    """Load checked files, each as its own batch recorded under `user`.

    Raises StalePreview (worded in `lang`) when the database changed after the preview the user saw (`seen_version`,
    else the version each file was checked against): another load or a rollback landed, so the
    preview may no longer be true. Nothing is loaded; the files are to be checked again.
    """
    current = db.data_version(db_path) if Path(db_path).exists() else ""
    seen = {item.db_version for item in items} | ({seen_version} if seen_version is not None else set())
    if seen != {current}:
        raise StalePreview(t("in_stale", lang))
    results = []
    for item in items:
        with private_copy(item.name, item.data) as path:
            results.append(
                load_file(
                    path,
                    db_path,
                    catalog,
                    user=user,
                    allowed_regions=allowed_regions,
                    display_name=item.name,
                    checked=item.checked,
                )
            )
    return results


# ── tables the page shows ───────────────────────────────────────────────────────────────────
def _region(code: str, year: int | None, lang: str) -> str:
    return t("dp_region_option", lang, name=R.name_of(code, year, lang), code=code)


def _regions(rows: pd.DataFrame, lang: str) -> list[str]:
    return [_region(c, int(y), lang) for c, y in zip(rows["region_code"], rows["year"], strict=True)]


def _values(catalog: Catalog, ids: list[str], values: pd.Series, lang: str) -> list[str]:
    return [fmt.value(catalog[i], v, lang) for i, v in zip(ids, values, strict=True)]


def _cell(problem: dict) -> str:
    column = str(problem.get("column") or "")
    letters = re.match(r"^([A-Z]+)(\d*)", column)
    if not letters:
        return str(problem.get("sheet") or "—")
    row = problem.get("row")
    cell = letters.group(1) + (letters.group(2) or ("" if pd.isna(row) or row == "" else str(int(row))))
    return f"{problem['sheet']}!{cell}" if problem.get("sheet") else cell


def problem_table(problems: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per problem: cell, value, problem, rule, fix (what the county needs to correct it)."""
    records = problems.to_dict("records")
    return pd.DataFrame(
        {
            t("in_col_cell", lang): [_cell(p) for p in records],
            t("in_col_value", lang): [str(p["value"]) for p in records],
            t("in_col_problem", lang): [p["message"] for p in records],
            t("in_col_rule", lang): [p["rule"] for p in records],
            t("in_col_fix", lang): [p["fix"] for p in records],
        }
    )


def region_year_summary(summary: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Per region and year: how many values are new, changed and unchanged (the child counted them in SQL)."""
    names = {status: t(f"in_col_{status}", lang) for status in ("new", "changed", "unchanged")}
    region, year = t("in_col_region", lang), t("in_col_year", lang)
    if summary.empty:
        return pd.DataFrame(columns=[region, year, *names.values()])
    table = pd.DataFrame({region: _regions(summary, lang), year: summary["year"].astype(int).to_numpy()})
    for status, label in names.items():
        table[label] = summary[status].astype(int).to_numpy()
    return table


def change_table(changes: pd.DataFrame, catalog: Catalog, lang: str = "zh", status: str = "changed") -> pd.DataFrame:
    """Values of one status with region, year, indicator and old → new, formatted with units.

    Any shape of preview works: no rows, no rows of this status, indicators the catalog no longer has.
    """
    columns = [t(f"in_col_{k}", lang) for k in ("region", "year", "indicator", "old", "new_value")]
    if changes.empty:
        return pd.DataFrame(columns=columns)
    rows = changes[(changes["status"] == status) & changes["indicator_id"].map(lambda i: i in catalog)]
    ids = rows["indicator_id"].tolist()
    return pd.DataFrame(
        {
            columns[0]: _regions(rows, lang),
            columns[1]: rows["year"].astype(int).to_numpy(),
            columns[2]: [catalog[i].name(lang) for i in ids],
            columns[3]: _values(catalog, ids, rows["old_value"], lang),
            columns[4]: _values(catalog, ids, rows["new_value"], lang),
        },
        columns=columns,
    )


def change_lines(changes: pd.DataFrame, catalog: Catalog, lang: str = "zh") -> list[str]:
    """Changed values as sentences: '汉滨区（610902） · 2025 · 听证次数：5次 → 8次'."""
    table = change_table(changes, catalog, lang, "changed")
    return [
        t("in_change_line", lang, what=" · ".join(map(str, row[:3])), old=row[3], new=row[4])
        for row in table.itertuples(index=False)
    ]


def history_table(db_path: Path | str, lang: str = "zh") -> pd.DataFrame:
    """Every batch, newest first: who loaded which file when, how many values, and whether it was rolled back."""
    frame = history(db_path)
    if frame.empty:
        return frame
    frame = frame.sort_values("batch_id", ascending=False)

    def state(row) -> str:
        if pd.isna(row.rolled_back_at):
            return t("in_live", lang)
        return t("in_rolled_back", lang, when=f"{row.rolled_back_at:%Y-%m-%d %H:%M}", by=row.rolled_back_by)

    return pd.DataFrame(
        {
            t("in_col_batch", lang): frame["batch_id"].to_numpy(),
            t("in_col_file", lang): frame["file_name"].to_numpy(),
            t("in_col_loaded", lang): frame["loaded_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
            t("in_col_by", lang): frame["loaded_by"].map(lambda u: fmt.loader(u, lang)).to_numpy(),
            t("in_col_values", lang): (frame["rows_new"] + frame["rows_changed"] + frame["rows_unchanged"]).to_numpy(),
            t("in_col_new", lang): frame["rows_new"].to_numpy(),
            t("in_col_changed", lang): frame["rows_changed"].to_numpy(),
            t("in_col_unchanged", lang): frame["rows_unchanged"].to_numpy(),
            t("in_col_regions", lang): frame["regions"].to_numpy(),
            t("in_col_years", lang): frame["years"].to_numpy(),
            t("in_col_sample", lang): frame["is_sample"].map(lambda s: t("dp_yes", lang) if s else "").to_numpy(),
            t("in_col_state", lang): [state(r) for r in frame.itertuples()],
        }
    )


def live_batches(db_path: Path | str) -> pd.DataFrame:
    frame = history(db_path)
    return frame[frame["rolled_back_at"].isna()].sort_values("batch_id", ascending=False)


def rollback_preview(
    db_path: Path | str, batch_id: int, catalog: Catalog, lang: str = "zh"
) -> tuple[dict, pd.DataFrame]:
    """What rolling a batch back would do: counts by outcome, and each value: current → after."""
    effect = rollback_effect(db_path, batch_id)
    counts = effect["status"].value_counts()
    effect = effect[[i in catalog for i in effect["indicator_id"]]]
    ids = effect["indicator_id"].tolist()
    after = {status: t(f"in_after_{status}", lang) for status in ("restored", "removed", "unchanged")}
    table = pd.DataFrame(
        {
            t("in_col_region", lang): _regions(effect, lang),
            t("in_col_year", lang): effect["year"].astype(int).to_numpy(),
            t("in_col_indicator", lang): [catalog[i].name(lang) for i in ids],
            t("in_col_now", lang): _values(catalog, ids, effect["current_value"], lang),
            t("in_col_after", lang): _values(catalog, ids, effect["value_after"], lang),
            t("in_col_outcome", lang): effect["status"].map(after).to_numpy(),
        }
    )
    return {k: int(counts.get(k, 0)) for k in ("restored", "removed", "unchanged")}, table


def submission_status(db_path: Path | str, catalog: Catalog, root: str, year: int, lang: str = "zh") -> pd.DataFrame:
    """For each region of the scope in one year: submitted or not, values reported of those expected,
    the indicators still missing (by the template's list for that region), and its latest batch."""
    codes = queries.scope_codes(root, year)
    with db.read(db_path) as con:
        reported = con.execute(
            "SELECT region_code, indicator_id FROM current_values WHERE value_kind = 'reported' AND year = ? "
            "AND list_contains(?, region_code)",
            [int(year), codes],
        ).df()
        latest = queries.latest_batch_per_region(con, codes, year)
    have = reported.groupby("region_code")["indicator_id"].apply(set).to_dict()
    latest = latest.set_index("region_code")
    rows = []
    for code in codes:
        expected = indicators_for(catalog, code)
        got = have.get(code, set())
        missing = [i for i in expected if i.id not in got]
        batch = latest.loc[code] if code in latest.index else None
        latest_text = (
            ""
            if batch is None
            else t(
                "dp_batch_option",
                lang,
                batch=int(batch["batch_id"]),
                file=batch["file_name"],
                by=fmt.loader(batch["loaded_by"], lang),
                at=f"{batch['loaded_at']:%Y-%m-%d}",
            )
        )
        rows.append(
            {
                t("in_col_region", lang): _region(code, year, lang),
                t("in_col_submitted", lang): t("dp_yes" if got else "in_no", lang),
                t("in_col_reported", lang): f"{len(expected) - len(missing)}/{len(expected)}",
                t("in_col_missing", lang): t("in_missing_sep", lang).join(i.name(lang) for i in missing),
                t("in_col_latest", lang): latest_text,
            }
        )
    return pd.DataFrame(rows)


def template_codes(root: str, year: int, allowed: set[str] | None) -> list[str]:
    """Regions a user may download a template for: the scope's (whole area, own level, counties), or theirs."""
    codes = queries.scope_codes(root, year)
    if allowed is None:
        return codes
    return [c for c in codes if c in allowed] + sorted(c for c in allowed if c not in codes)


@dataclass(frozen=True)
class _CatalogKey:
    """A catalog as a cache key: equal when metrics.yml and the region reference are the same files."""

    fingerprint: str
    catalog: Catalog = field(compare=False, hash=False)


def template_bytes(catalog: Catalog, region: str, year: int) -> bytes:
    """The submission workbook for a region and year (the last 64 kept in memory; a few dozen KB each)."""
    return _template_bytes(_CatalogKey(db.catalog_fingerprint(catalog), catalog), region, int(year))


@functools.lru_cache(maxsize=64)
def _template_bytes(key: _CatalogKey, region: str, year: int) -> bytes:
    with tempfile.TemporaryDirectory(prefix="rolgov-template-") as folder:
        return write_template(key.catalog, region, year, Path(folder) / "template.xlsx").read_bytes()


@functools.lru_cache(maxsize=32)
def _history_table(db_path: str, version: str, lang: str) -> pd.DataFrame:
    return history_table(db_path, lang)


def cached_history_table(db_path: Path | str, lang: str = "zh") -> pd.DataFrame:
    """history_table, computed once per database version (the page reruns on every click)."""
    return _history_table(str(db_path), db.data_version(db_path), lang).copy()


@functools.lru_cache(maxsize=32)
def _submission_status(db_path: str, version: str, key: _CatalogKey, root: str, year: int, lang: str) -> pd.DataFrame:
    return submission_status(db_path, key.catalog, root, year, lang)


def cached_submission_status(db_path: Path | str, catalog: Catalog, root: str, year: int, lang: str = "zh"):
    """submission_status, computed once per database version, catalog, scope, year and language."""
    key = _CatalogKey(db.catalog_fingerprint(catalog), catalog)
    return _submission_status(str(db_path), db.data_version(db_path), key, root, int(year), lang).copy()


def template_name(region: str, year: int, lang: str = "zh") -> str:
    return t("in_template_file", lang, name=R.name_of(region, year, lang), year=year)


def reporting_year(today: dt.date | None = None) -> int:
    """The year counties are submitting now: last calendar year (reports follow the year they cover)."""
    return (today or dt.date.today()).year - 1
