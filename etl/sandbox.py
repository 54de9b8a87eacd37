"""Read and check an untrusted file in a child process with limits; a path and the limits in, the outcome out.

Why a child: the readers of .xlsx and CSV run native code that trusts the file. One 1.6 KB workbook
made calamine allocate 512 GiB and abort the whole Streamlit server; a 19 MB CSV of duplicates took
the server to 9.1 GB. In the child a hostile file can only end the child: it runs at lower priority
under a memory ceiling (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and a wall-clock limit, one at a
time per process (ROLGOV_CHECK_WORKERS), and the parent turns its death into a clear problem. The
database is only ever opened read-only there; writes stay in the parent (etl.load).

A load takes the rows the child checked back as Parquet (clean.parquet) and inserts them without
checking them again: the child runs as the same user as the loader, so a child subverted by a file
could as well write the database itself; what the sandbox stops is a file that crashes the readers or
takes the machine's memory, and it stops that the same way for a load.

The child is forked from a small fork server (python -m etl.sandbox_child --serve) that has
imported the ETL once, so a check costs a fork, not a fresh interpreter, and no thread of the
Streamlit server is ever forked. On Windows there is no fork and no setrlimit: each file gets a
fresh interpreter and only the wall-clock limit applies. Requests and results are JSON and Parquet
files in a private folder (mode 0700), never pickles a subverted child could forge.

Limits (environment variables, read at each call; see the README):
ROLGOV_MAX_FILE_MB 100, ROLGOV_MAX_ROWS 3,000,000, ROLGOV_MAX_CELLS 3,000,000 (a sheet's extent),
ROLGOV_MAX_LINE_CHARS 40,000, ROLGOV_MAX_UNZIPPED_MB 500, ROLGOV_CHECK_MEMORY_MB 3,072 (address
space), ROLGOV_CHECK_CPU_S 120, ROLGOV_CHECK_WALL_S 180, ROLGOV_CHECK_THREADS 2 (DuckDB's threads in
the child), ROLGOV_CHECK_NICE 10 (its lower priority), ROLGOV_PROBLEMS_LISTED 100,
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
from collections.abc import Callable, Iterator
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
    """Wait for the fork server to report the child's exit status; kill the child after wall_s.

    The folder is looked at every 2 ms at first, then less and less often (up to every 50 ms): a small
    file's check takes a tenth of a second, a national file's seconds."""
    deadline = time.monotonic() + wall_s
    killed = False
    status = job / "exit"
    pause = 0.002
    while not status.exists():
        if not killed and time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            killed = True
            deadline = time.monotonic() + 30
        elif killed and time.monotonic() > deadline:
            return None, True
        time.sleep(pause)
        pause = min(pause * 1.5, 0.05)
    return int(status.read_text() or "1"), killed


def _start(request: dict, limits: Limits) -> tuple[Path, Callable[[], tuple[int | None, bool]]]:
    """Write the job folder and start its child; returns the folder and a function waiting for the child's
    end (exit code, whether it was killed for time). The caller holds a slot (_slots) meanwhile."""
    job = Path(tempfile.mkdtemp(prefix="rolgov-check-"))  # mode 0700
    request = {**request, "limits": asdict(limits)}
    (job / "request.json").write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    if sys.platform == "win32":  # no fork: a fresh interpreter per file, the wall clock as the only limit
        proc = subprocess.Popen([sys.executable, "-m", "etl.sandbox_child", str(job)], cwd=ROOT)

        def wait_windows() -> tuple[int | None, bool]:
            try:
                return proc.wait(timeout=limits.wall_s), False
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                return None, True

        return job, wait_windows
    pid = _server.fork(job)
    return job, lambda: _wait(job, pid, limits.wall_s)


def _outcome(job: Path, code: int | None, killed: bool, name: str) -> dict:
    """The child's result, or a fault (time, memory, error) when it died before giving one."""
    from etl import sandbox_child

    result = sandbox_child.read_result(job)
    if result is not None and not result.get("fault") and (code == 0 or result.get("stage")):
        return result  # done, or died after the check (while annotating): the check stands
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
        name,
        fault,
        code,
        "\n" + result["trace"] if result and result.get("trace") else "",
    )
    return {"fault": fault, "detail": detail}


def _frame(job: Path, name: str) -> pd.DataFrame:
    path = job / name
    return pd.read_parquet(path) if path.exists() else pd.DataFrame()


def _problems(job: Path) -> pd.DataFrame:
    frame = _frame(job, "problems.parquet")  # written only when there are problems
    if frame.empty:
        return P.empty()
    frame["row"] = frame["row"].astype("object").where(frame["row"].notna(), pd.NA)
    return frame[[*P.PROBLEM_COLUMNS, "detail"]]


@contextlib.contextmanager
def checking(
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
    hand_back: bool = False,
    keep_rows: bool = False,
    sha256: str | None = None,
    limits: Limits | None = None,
) -> Iterator[Callable[[], Checked]]:
    """Start reading and checking one file in a child against the database (read-only); yields a function
    that waits for the outcome, so the caller can work meanwhile (a load copies the database).

    want_clean: the clean rows as a frame (small files; the tests). hand_back: the clean rows and the
    region-years they touch as Parquet files (Checked.clean_file, keys_file) for a load to insert;
    they, and the child's folder, last until the block ends. keep_rows: those files' bytes, kept in
    the Checked (a preview the user may commit later). sha256, when given, must be the digest of the
    bytes the child reads (the file did not change since the caller hashed it).
    """
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
        "hand_back": hand_back or keep_rows,
        "sha256": sha256,
    }
    job: Path | None = None
    outcome: list[Checked] = []
    _slots.acquire()  # one check at a time per process (ROLGOV_CHECK_WORKERS); let go once the child ends
    held = True
    try:
        job, wait = _start(request, limits)

        def result() -> Checked:
            nonlocal held
            if not outcome:
                code, killed = wait()
                _slots.release()
                held = False
                result = _outcome(job, code, killed, name)
                outcome.append(_checked(job, result, name, limits, want_clean, keep_rows))
            return outcome[0]

        yield result
        result()  # never leave a child running past the block
    finally:
        if held:
            _slots.release()
        if job is not None:
            shutil.rmtree(job, ignore_errors=True)


def _checked(job: Path, result: dict, name: str, limits: Limits, want_clean: bool, keep_rows: bool) -> Checked:
    if result.get("fault"):
        problems = _fault_problem(name, result["fault"], limits, result.get("detail", ""))
        return Checked(name, problems=problems, counts=P.counts_of(problems))
    annotated = job / "annotated.xlsx"
    clean_file, keys_file = job / "clean.parquet", job / "keys.parquet"
    return Checked(
        name=name,
        kind=result.get("kind", ""),
        encoding=result.get("encoding", ""),
        problems=_problems(job),
        counts=result.get("counts", {}),
        blank=result.get("blank", 0),
        values=result.get("values", 0),
        rows_read=result.get("rows_read", 0),
        clean=_frame(job, "clean.parquet") if want_clean and result.get("values") else None,
        changes=_frame(job, "changes.parquet"),
        change_counts=result.get("change_counts", {}),
        summary=_frame(job, "summary.parquet"),
        same_as_batch=result.get("same_as_batch"),
        annotated=annotated.read_bytes() if annotated.exists() else None,
        peak_mb=result.get("peak_mb", 0.0),
        cpu_s=result.get("cpu_s", 0.0),
        sha256=result.get("sha256", ""),
        db_version=result.get("db_version"),
        skipped=result.get("skipped", {}),
        clean_file=clean_file if clean_file.exists() else None,
        keys_file=keys_file if keys_file.exists() else None,
        clean_parquet=clean_file.read_bytes() if keep_rows and clean_file.exists() else None,
        keys_parquet=keys_file.read_bytes() if keep_rows and keys_file.exists() else None,
        basis=result.get("basis", ""),
        phases=result.get("phases", {}),
    )


def check(path: Path | str, catalog, **options) -> Checked:
    """Read and validate one file in a child against the database (read-only), without writing anything.

    options: those of checking(); hand_back's files are gone when this returns (keep_rows keeps them)."""
    with checking(path, catalog, **options) as outcome:
        return outcome()
