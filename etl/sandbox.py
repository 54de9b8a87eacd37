"""Read and check an untrusted file in a child process with limits; a path and the limits in, the outcome out.

Why a child: the readers of .xlsx and CSV run native code that trusts the file. One 1.6 KB workbook
made calamine allocate 512 GiB and abort the whole Streamlit server; a 19 MB CSV of duplicates took
the server to 9.1 GB. In the child a hostile file can only end the child: it runs at lower priority
under a memory ceiling (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and a wall-clock limit, one at a
time per process (ROLGOV_CHECK_WORKERS), and the parent turns its death into a clear problem. The
database is only ever opened read-only there; writes stay in the parent (etl.load).

The child is forked from a small fork server (python -m etl.sandbox_child --serve) that has
imported the ETL once, so a check costs a fork, not a fresh interpreter, and no thread of the
Streamlit server is ever forked. On Windows there is no fork and no setrlimit: each file gets a
fresh interpreter and only the wall-clock limit applies. Requests and results are JSON and Parquet
files in a private folder (mode 0700), never pickles a subverted child could forge.

Limits (environment variables, read at each call; see the README):
ROLGOV_MAX_FILE_MB 100, ROLGOV_MAX_ROWS 3,000,000, ROLGOV_MAX_CELLS 3,000,000 (a sheet's extent),
ROLGOV_MAX_LINE_CHARS 40,000, ROLGOV_MAX_UNZIPPED_MB 500, ROLGOV_CHECK_MEMORY_MB 3,072 (address
space), ROLGOV_CHECK_CPU_S 120, ROLGOV_CHECK_WALL_S 180, ROLGOV_PROBLEMS_LISTED 100,
ROLGOV_ANNOTATE_MAX_MB 5 (larger files get a problem list without a marked copy).
The upload page adds its own 20 MB cap (rolgov/intake.py, .streamlit/config.toml).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from etl import problems as P
from etl.checked import Checked, Limits

ROOT = Path(__file__).resolve().parent.parent

log = logging.getLogger("rolgov.sandbox")


class _ForkServer:
    """`python -m etl.sandbox_child`: imports the ETL once, then forks one child per request.

    Why not multiprocessing: its children re-import the parent's __main__, and in a Streamlit
    server __main__ is the page script being run, so each child would run the dashboard again.
    Protocol: the parent writes a job folder (request.json) and sends its path as one line; the
    server forks, answers the child's pid, and when it reaps the child writes `exit` (the status)
    into that folder. The server ends when its standard input closes (the parent ended); its
    children end with it (PR_SET_PDEATHSIG).
    """

    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        return subprocess.Popen(
            [sys.executable, "-m", "etl.sandbox_child", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
            text=True,
            bufsize=1,
        )

    def warm(self) -> None:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = self._start()

    def fork(self, job: Path) -> int:
        """The pid of a child working on `job`; starts (or restarts) the server when needed."""
        with self.lock:
            for attempt in (1, 2):
                if self.proc is None or self.proc.poll() is not None:
                    self.proc = self._start()
                try:
                    self.proc.stdin.write(f"{job}\n")
                    self.proc.stdin.flush()
                    answer = self.proc.stdout.readline()
                    return int(answer)
                except (OSError, ValueError):
                    self.proc.kill()
                    self.proc = None
                    if attempt == 2:
                        raise
        raise RuntimeError("unreachable")


_server = _ForkServer()
_slots = threading.BoundedSemaphore(max(1, int(os.environ.get("ROLGOV_CHECK_WORKERS", "1"))))


def warm_up() -> None:
    """Start the fork server now, so its imports overlap the caller's own start-up (the CLI calls this
    first thing; the data page when it shows the upload). A no-op on Windows and when it runs already."""
    if sys.platform != "win32":
        _server.warm()


def _fault_problem(name: str, fault: str, limits: Limits, detail: str = "") -> pd.DataFrame:
    if fault == "time":
        return P.one("check_timeout", name, detail=f"{min(limits.cpu_s, limits.wall_s)}")
    if fault == "memory":
        return P.one("check_memory", name, detail=f"{limits.memory_mb:,} MB")
    return P.one("check_failed", name, detail=detail or "unknown")


def _wait(job: Path, pid: int, wall_s: float) -> tuple[int | None, bool]:
    """Wait for the fork server to report the child's exit status; kill the child after wall_s."""
    deadline = time.monotonic() + wall_s
    killed = False
    status = job / "exit"
    while not status.exists():
        if not killed and time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            killed = True
            deadline = time.monotonic() + 30
        elif killed and time.monotonic() > deadline:
            return None, True
        time.sleep(0.02)
    return int(status.read_text() or "1"), killed


def _run(task: str, request: dict, limits: Limits) -> tuple[dict, Path]:
    """Run one task in a child; returns its result (with `fault` set when it died) and its folder."""
    from etl import sandbox_child

    job = Path(tempfile.mkdtemp(prefix="rolgov-check-"))  # mode 0700
    request = {**request, "task": task, "limits": asdict(limits)}
    (job / "request.json").write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    with _slots:
        if sys.platform == "win32":  # no fork: a fresh interpreter per file, the wall clock as the only limit
            try:
                code = subprocess.run(
                    [sys.executable, "-m", "etl.sandbox_child", str(job)], cwd=ROOT, timeout=limits.wall_s
                ).returncode
                killed = False
            except subprocess.TimeoutExpired:
                code, killed = None, True
        else:
            code, killed = _wait(job, _server.fork(job), limits.wall_s)
    result = sandbox_child.read_result(job)
    if result is not None and not result.get("fault") and (code == 0 or result.get("stage")):
        return result, job  # done, or died after the check (while annotating): the check stands
    xcpu = getattr(signal, "SIGXCPU", None)  # the CPU-time limit (POSIX)
    if killed or (xcpu is not None and code == -xcpu):
        fault = "time"
    elif (result or {}).get("fault") in ("memory", "time"):
        fault = result["fault"]
    elif result is None and (job / "confined").exists():
        # Dead without a word after its limits were set: an allocation failed under the memory ceiling,
        # in native code (abort, segfault) or in Python too early to report; or the OOM killer's SIGKILL.
        fault = "memory"
    else:
        fault = "error"
    detail = (result or {}).get("error") or f"exit {code}"
    log.warning(
        "checking %s ended with %s (exit code %s)%s",
        request.get("name"),
        fault,
        code,
        "\n" + result["trace"] if result and result.get("trace") else "",
    )
    return {"fault": fault, "detail": detail}, job


def _frame(job: Path, name: str) -> pd.DataFrame:
    path = job / name
    return pd.read_parquet(path) if path.exists() else pd.DataFrame()


def _problems(job: Path) -> pd.DataFrame:
    frame = _frame(job, "problems.parquet")
    if frame.empty:
        return P.empty()
    frame["row"] = frame["row"].astype("object").where(frame["row"].notna(), pd.NA)
    return frame[[*P.PROBLEM_COLUMNS, "detail"]]


def check(
    path: Path | str,
    catalog,
    *,
    name: str | None = None,
    db_path: Path | str | None = None,
    scope_root: str | None = None,
    allowed_regions: set[str] | None = None,
    annotate: bool = False,
    want_clean: bool = False,
    want_changes: bool = False,
    sha256: str | None = None,
    limits: Limits | None = None,
) -> Checked:
    """Read and validate one file in a child against the database (read-only), without writing anything."""
    from rolgov import regions as R

    path, limits = Path(path), limits or Limits.from_env()
    name = name or path.name
    request = {
        "path": str(path),
        "name": name,
        "catalog": str(catalog.path),
        "db_path": str(db_path) if db_path is not None and Path(db_path).exists() else None,
        "scope_root": scope_root or R.DEFAULT_SCOPE,
        "allowed_regions": sorted(allowed_regions) if allowed_regions is not None else None,
        "annotate": annotate,
        "want_clean": want_clean,
        "want_changes": want_changes,
        "sha256": sha256,
        "limits": limits,
    }
    result, job = _run("check", request, limits)
    try:
        if result.get("fault"):
            problems = _fault_problem(name, result["fault"], limits, result.get("detail", ""))
            return Checked(name, problems=problems, counts=P.counts_of(problems))
        annotated = job / "annotated.xlsx"
        clean = _frame(job, "clean.parquet") if want_clean and result.get("values") else None
        return Checked(
            name=name,
            kind=result.get("kind", ""),
            encoding=result.get("encoding", ""),
            problems=_problems(job),
            counts=result.get("counts", {}),
            blank=result.get("blank", 0),
            values=result.get("values", 0),
            rows_read=result.get("rows_read", 0),
            clean=clean,
            changes=_frame(job, "changes.parquet"),
            change_counts=result.get("change_counts", {}),
            summary=_frame(job, "summary.parquet"),
            same_as_batch=result.get("same_as_batch"),
            annotated=annotated.read_bytes() if annotated.exists() else None,
            peak_mb=result.get("peak_mb", 0.0),
        )
    finally:
        shutil.rmtree(job, ignore_errors=True)


@contextlib.contextmanager
def read(path: Path | str, *, name: str | None = None, limits: Limits | None = None) -> Iterator:
    """Read a file in a child into a private raw.parquet; yields an etl.read.RawFile (problems, or rows in
    `parquet`), whose folder is removed on exit. The rows are text, bounded by the limits: safe to
    validate in the parent (etl.load does, inside its write)."""
    from etl.read import RawFile

    path, limits = Path(path), limits or Limits.from_env()
    name = name or path.name
    result, job = _run("read", {"path": str(path), "name": name}, limits)
    try:
        if result.get("fault"):
            yield RawFile(path, name, "", _fault_problem(name, result["fault"], limits, result.get("detail", "")))
        else:
            parquet = job / "raw.parquet"
            yield RawFile(
                path,
                name,
                result.get("kind", ""),
                _problems(job),
                result.get("encoding", ""),
                parquet if parquet.exists() else None,
                result.get("rows_read", 0),
                result.get("counts"),
            )
    finally:
        shutil.rmtree(job, ignore_errors=True)
