"""The checking child (see etl/sandbox.py) and the fork server that starts it; a job folder in, files out.

In: a folder holding request.json (the file, the database to compare with, the limits). Out, in that
folder: result.json (written last for each stage, atomically), problems.parquet, and as asked
clean.parquet and keys.parquet (the rows handed back to a load, and the region-years they touch),
changes.parquet, summary.parquet (the preview), annotated.xlsx.

`python -m etl.sandbox_child --serve` is the fork server: it imports the ETL, builds the region
reference, its alias index and the catalog once, then reads job folders on standard input, forks
a child for each, answers its pid and writes its exit status into the folder (`exit`) when it
ends. `python -m etl.sandbox_child JOB` runs one job in this process (Windows, which cannot fork).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

if sys.platform != "win32":  # setrlimit and getrusage are POSIX only; on Windows the wall clock is the limit
    import resource

import duckdb
import pyarrow as pa

from etl import problems as P
from etl import resolve
from etl import validate as V
from etl.checked import Limits, basis
from etl.read import read_file
from rolgov import catalog as catalog_mod
from rolgov import db as storage
from rolgov import regions as R

_catalogs: dict[tuple[str, int], object] = {}


def _stamp() -> tuple[int, int] | None:
    return (R.REGIONS_CSV.stat().st_mtime_ns, R.REGIONS_CSV.stat().st_size) if R.REGIONS_CSV.exists() else None


def _catalog(path: str):
    """The catalog at path, loaded once per version of the file (the fork server keeps it for its children)."""
    key = (path, Path(path).stat().st_mtime_ns)
    if key not in _catalogs:
        _catalogs[key] = catalog_mod.load(Path(path))
    return _catalogs[key]


def _warm() -> None:
    """What every child would otherwise rebuild: about a second and a half of work each."""
    global _REGIONS_STAMP
    _REGIONS_STAMP = _stamp()
    with contextlib.suppress(Exception):
        resolve._alias_index()
        resolve._scope_codes(R.DEFAULT_SCOPE)
        V._catalog_tables(_catalog(str(catalog_mod.DEFAULT_CATALOG)))


_REGIONS_STAMP = None
_reserve: bytearray | None = None


def read_result(job: Path) -> dict | None:
    path = Path(job) / "result.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_result(job: Path, result: dict) -> None:
    tmp = job / "result.json.tmp"
    tmp.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, job / "result.json")


def _confine(limits, job: Path) -> None:
    """Lower priority, memory and CPU ceilings, die with the parent; the arrow allocator that keeps no
    reserve (its default reserves a gigabyte of address space, which RLIMIT_AS would count)."""
    pa.set_memory_pool(pa.system_memory_pool())
    if sys.platform == "win32":  # no setrlimit or fork: a fresh interpreter per file, the wall clock its limit
        return
    with contextlib.suppress(Exception):  # Linux: end with the fork server (which ends with the app)
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    with contextlib.suppress(OSError):
        os.nice(max(0, int(limits.nice)))  # other sessions keep their speed
    memory = limits.memory_mb * 1024 * 1024
    global _reserve
    _reserve = bytearray(8 * 1024 * 1024)  # given back when memory runs out, to write the result
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    written = int(max(512, 20 * limits.max_file_mb) * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_FSIZE, (written, written))
    if _stamp() != _REGIONS_STAMP:  # the reference changed since the fork server started
        R.forget()
        resolve._alias_index.cache_clear()
        resolve._scope_codes.cache_clear()


def _cpu_s() -> float:
    """CPU seconds this child used, its DuckDB threads included (a measure that other work on the
    machine does not stretch, unlike wall-clock time)."""
    if sys.platform == "win32":
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    if sys.platform == "win32":
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _save_problems(job: Path, problems) -> None:
    if problems.empty:  # nothing to write (the parent reads no file as no problems)
        return
    frame = problems.copy()
    for column in frame.columns:
        frame[column] = frame[column].astype("string") if column != "row" else frame[column]
    frame["row"] = frame["row"].map(lambda r: None if r is None or r != r or r == "" else int(r)).astype("Int64")
    frame.to_parquet(job / "problems.parquet", index=False)


def main(job: str) -> None:
    """Run the job in this process: confine it, then read (and check); always leave a result.json."""
    job = Path(job)
    result: dict = {}
    try:
        request = json.loads((job / "request.json").read_text(encoding="utf-8"))
        request["limits"] = limits = Limits(**request["limits"])
        _confine(limits, job)
        (job / "confined").touch()  # past here, dying without a result means the ceilings were hit
        result = _check(job, request)
    except (MemoryError, duckdb.OutOfMemoryException):
        global _reserve
        _reserve = None
        result = {"fault": "memory"}
    except Exception as exc:  # noqa: BLE001 - any fault is reported to the parent, which logs it
        result = {"fault": "error", "error": type(exc).__name__, "trace": traceback.format_exc(limit=30)}
    result["peak_mb"], result["cpu_s"] = _peak_mb(), _cpu_s()
    _write_result(job, result)


def _check(job: Path, request: dict) -> dict:
    """Read and validate the file against the database (read-only); write what was asked for."""
    limits, name = request["limits"], request["name"]
    (job / "duckdb.tmp").mkdir(exist_ok=True)
    config = {
        "threads": max(1, int(limits.threads)),
        "memory_limit": f"{limits.memory_mb // 3}MB",
        "temp_directory": str(job / "duckdb.tmp"),
    }
    with duckdb.connect(config=config) as con:
        raw = read_file(request["path"], name, limits, job, con)
        catalog = _catalog(request["catalog"])
        result = {
            "kind": raw.kind,
            "encoding": raw.encoding,
            "rows_read": raw.rows,
            "sha256": raw.sha256,
            "basis": basis(storage.catalog_fingerprint(catalog), request["scope_root"], request["allowed_regions"]),
        }
        phases = dict(raw.phases)
        if raw.problems.empty and request.get("sha256") and request["sha256"] != raw.sha256:
            detail = "文件在读取过程中被修改，请重试 / the file changed while it was being read: try again"
            raw.problems = P.one("file_unreadable", name, detail=detail)
        if not raw.problems.empty:
            result["counts"] = raw.counts or P.counts_of(raw.problems)
            _save_problems(job, raw.problems)
            return _annotate(job, request, raw.problems, {**result, "phases": phases, "stage": "checked"})
        db_path = request["db_path"]
        version = storage.data_version(db_path) if db_path else ""
        current = _attach(con, db_path)
        started = time.perf_counter()
        checked = V.validate(
            raw.relation,
            catalog,
            con,
            request["scope_root"],
            set(request["allowed_regions"]) if request["allowed_regions"] is not None else None,
            current,
            return_clean=False,
            listed=limits.problems_listed,
            file_name=name,
        )
        phases["validate"] = time.perf_counter() - started
        _save_problems(job, checked.problems)
        result.update(counts=checked.counts, blank=checked.blank, values=checked.values, skipped=checked.skipped)
        if checked.ok:
            started = time.perf_counter()
            result.update(_outputs(con, job, request, current, raw.sha256))
            phases["hand_back"] = time.perf_counter() - started
        # the version checked against, unless a write landed meanwhile (then the check proves nothing)
        result["db_version"] = version if not db_path or storage.data_version(db_path) == version else None
    result["phases"] = phases
    if checked.ok:
        return {**result, "stage": "checked"}
    return _annotate(job, request, checked.problems, {**result, "stage": "checked"})


def _outputs(con: duckdb.DuckDBPyConnection, job: Path, request: dict, current: str, sha256: str) -> dict:
    """A clean file's rows (for the tests' frame, or handed back to a load), its diff against the stored
    values, and whether the same bytes were loaded before."""
    out: dict = {}
    if request["want_clean"] or request["hand_back"]:
        order = "ORDER BY source_sheet, source_row" if request["want_clean"] else ""  # a load needs no order
        # uncompressed: a private file read once, right away; compressing it cost more than it saved
        con.execute(
            f"COPY (SELECT * FROM clean_rows {order}) TO '{job / 'clean.parquet'}' "
            "(FORMAT parquet, COMPRESSION uncompressed)"
        )
    if request["hand_back"]:
        con.execute(
            "COPY (SELECT k.region_code, y.year FROM region_years y JOIN codes k USING (cid)) "
            f"TO '{job / 'keys.parquet'}' (FORMAT parquet)"
        )
    if request["want_changes"]:
        out.update(_changes(con, job, V.changes_sql("clean_rows"), request["limits"].changes_listed))
    elif request["hand_back"]:
        counts = con.execute(f"SELECT status, count(*) FROM ({V.changes_sql('clean_rows')}) GROUP BY ALL").fetchall()
        out["change_counts"] = {str(k): int(v) for k, v in counts}
    if current:
        same = con.execute(
            "SELECT min(batch_id) FROM live.batches WHERE sha256 = ? AND rolled_back_at IS NULL",
            [sha256],
        ).fetchall()[0][0]
        out["same_as_batch"] = int(same) if same is not None else None
    return out


def _attach(con: duckdb.DuckDBPyConnection, db_path: str | None) -> str:
    """The live database read-only as `live`, and current_values (reported only): empty without a database."""
    if db_path:
        con.execute("ATTACH ? AS live (READ_ONLY)", [Path(db_path).as_posix()])
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'live'").fetchall()
        }
        if "current_values" in tables:
            con.execute(
                "CREATE TEMP VIEW current_values AS SELECT * FROM live.current_values WHERE value_kind = 'reported'"
            )
            return "current_values"
    con.execute(
        "CREATE TEMP TABLE current_values (region_code VARCHAR, year SMALLINT, indicator_id VARCHAR, "
        "value DOUBLE, batch_id INTEGER, value_kind VARCHAR)"
    )
    return ""


def _changes(con: duckdb.DuckDBPyConnection, job: Path, sql: str, listed: int) -> dict:
    """The diff against the stored values, once, in SQL: counts, a per region and year summary, and the
    first `listed` values of each status for the preview."""
    con.execute(f"CREATE TEMP TABLE changes AS {sql}")
    counts = dict(con.execute("SELECT status, count(*) FROM changes GROUP BY ALL").fetchall())
    con.execute(
        f"""COPY (
            SELECT region_code, year, count(*) FILTER (status = 'new') AS new,
                   count(*) FILTER (status = 'changed') AS changed, count(*) FILTER (status = 'unchanged') AS unchanged
            FROM changes GROUP BY ALL ORDER BY region_code, year
        ) TO '{job / "summary.parquet"}'"""
    )
    con.execute(
        f"""COPY (
            SELECT * EXCLUDE (n) FROM (
                SELECT *, row_number() OVER (PARTITION BY status ORDER BY region_code, year, indicator_id) AS n
                FROM changes) WHERE n <= {int(listed)} ORDER BY region_code, year, indicator_id
        ) TO '{job / "changes.parquet"}'"""
    )
    return {"change_counts": {str(k): int(v) for k, v in counts.items()}}


def _annotate(job: Path, request: dict, problems, result: dict) -> dict:
    """Write the result first (the check stands even if annotating fails), then the marked copy."""
    _write_result(job, result)
    if not request["annotate"] or set(problems["rule"]) <= P.FILE_LEVEL_RULES:
        return result
    limits = request["limits"]
    source = Path(request["path"])
    copy_cells = source.stat().st_size <= limits.annotate_max_mb * 1024 * 1024
    from etl.annotate import annotate  # openpyxl: only when a copy is wanted

    try:
        annotate(source, problems, job / "annotated.xlsx", copy_cells=copy_cells)
    except Exception as exc:  # noqa: BLE001 - the problem list still says everything
        (job / "annotated.xlsx").unlink(missing_ok=True)
        result["annotate_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return result


def serve() -> None:
    """The fork server's loop (see the module doc)."""
    _warm()
    jobs: dict[int, Path] = {}

    def reap(_signum=None, _frame=None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            job = jobs.pop(pid, None)
            if job is not None:
                code = os.waitstatus_to_exitcode(status)
                with contextlib.suppress(OSError):
                    (job / "exit.tmp").write_text(str(code))
                    os.replace(job / "exit.tmp", job / "exit")

    signal.signal(signal.SIGCHLD, reap)
    for line in sys.stdin:
        job = Path(line.strip())
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})  # register the pid before it can be reaped
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            code = 0
            try:
                sys.stdin.close()
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the pipe to the parent is the server's alone
                main(str(job))
            except BaseException:  # noqa: BLE001 - whatever happens, never return into the server's loop
                code = 1
            finally:
                os._exit(code)
        jobs[pid] = job
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()
        reap()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    elif len(sys.argv) == 2:
        main(sys.argv[1])
        sys.exit(0 if (read_result(Path(sys.argv[1])) or {}).get("fault") is None else 1)
    else:
        sys.exit("usage: python -m etl.sandbox_child --serve | JOB")
