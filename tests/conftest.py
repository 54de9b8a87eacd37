"""Shared fixtures: the real catalog, the sample database built once per run, temporary databases, small
submission files written on the fly; the browser tests' kit (tests/browser_kit.py); and a per-file time
summary at the end."""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import io
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import filelock
import pytest
from streamlit.components.v2 import manifest_scanner

from rolgov import catalog as catalog_mod
from rolgov import db

ROOT = Path(__file__).resolve().parent.parent


def load_script(name: str):
    """A module of scripts/ (not a package), imported from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# scripts/screenshots.py starts the app and drives Chromium; the browser tests reuse it
screenshots = load_script("screenshots")

pytest_plugins = ["tests.browser_kit"]  # Chromium, the shared tab, the dashboard server


# ── the dashboard in AppTest ─────────────────────────────────────────────────────────────────
# Each new AppTest scans the metadata of every installed package for Streamlit component manifests
# (streamlit.components.v2.manifest_scanner: 0.1 s of CPU a time, and the suite makes hundreds of AppTests).
# The installed packages do not change while the tests run: scan once per test process.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


@contextlib.contextmanager
def serving(path: Path):
    """The dashboard reads the database at `path` while the block runs; Streamlit's caches are emptied on
    the way in and out, so no figure of another test's database is served."""
    import streamlit as st

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "DEFAULT_DB", path)
        patch.setenv("ROLGOV_DB", str(path))
        st.cache_data.clear()
        st.cache_resource.clear()
        yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, timeout: float = 120, **query):
    """Run dashboard.py on one page, as a first request with these URL parameters would, and check that
    it ran without an exception or an error message."""
    from streamlit.testing.v1 import AppTest

    from rolgov import navigation

    with navigation.apptest_runs_dashboard():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert_clean(at)
    return at


def markdown_tables(at) -> list:
    """The small tables pages draw as Markdown (ui.static_table), back as frames of text."""
    import re

    import pandas as pd

    out = []
    for block in (m.value for m in at.main.markdown if m.value.startswith("| ")):
        # unescaped, and without the invisible break points static_table puts in Chinese headers
        lines = [re.sub(r"\\(.)", r"\1", line).replace("\u200b", "") for line in block.splitlines()]
        cells = [line.strip().strip("|").split(" | ") for line in lines]
        out.append(pd.DataFrame([[c.strip() for c in row] for row in cells[2:]], columns=[c.strip() for c in cells[0]]))
    return out


def assert_clean(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="session")
def catalog():
    return catalog_mod.load()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.duckdb"


def write_csv(
    path: Path, rows: list[list], header=("region", "year", "indicator", "value", "note"), encoding: str = "utf-8-sig"
) -> Path:
    """Write a long-format submission CSV; cells are written as given (strings stay strings)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(list(row) + [""] * (len(header) - len(row)))
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def cli(module: str, *args, env: dict | None = None, real: bool = False) -> subprocess.CompletedProcess:
    """`python -m module ARGS` (etl, rolgov.review ...): in a real process when `real`, else the module's main()
    in this one, its output and exit code captured alike. A process costs 2-3 CPU-seconds of imports (and
    a load's checking fork server as many again): keep one real run per command where the process
    boundary is what is tested, and run the rest in this process."""
    if real:
        return subprocess.run(
            [sys.executable, "-m", module, *map(str, args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=600,
            env={**os.environ, **(env or {})},
        )
    entry = importlib.import_module(module if module != "etl" else "etl.__main__").main
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in (env or {}).items():
            patch.setenv(key, value)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = entry([str(a) for a in args])
            except SystemExit as exc:  # argparse ends a bad command line this way
                code = exc.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def value_of(db_file: Path, region: str, year: int, indicator: str) -> float | None:
    """The current value of one indicator for one region and year, as indicator_values shows it."""
    with db.read(db_file) as con:
        rows = con.execute(
            "SELECT value FROM indicator_values WHERE region_code = ? AND year = ? AND indicator_id = ?",
            [region, year, indicator],
        ).fetchall()
    return rows[0][0] if rows else None


def built_once(tmp_path_factory, name: str, build) -> Path:
    """The file `name` that build(path) writes, built once per test run and shared by every test process.

    Under pytest-xdist every worker is its own session: the first to ask builds into the folder the
    workers of this run share, the others wait on a file lock and reuse the file. Copy it before changing it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # .../pytest-N/, shared by the popen-gwN folders of this run
    path = root / "built_once" / name
    path.parent.mkdir(exist_ok=True)
    with filelock.FileLock(path.parent / f"{name}.building"):  # not {name}.lock: rolgov.db writes under that one
        if not path.exists():
            build(path)
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The sample set built through the real loader, once per test run; copy it before changing it."""
    from etl.build import build_from_folder

    return built_once(tmp_path_factory, "sample.duckdb", lambda path: build_from_folder(path, quiet=True))


def _load_shaanxi(path: Path) -> None:
    bench = load_script("bench_load")
    csv = path.with_suffix(".csv")
    bench.write_long_csv(csv, [u for u in bench.unit_years(2024, 2025, True) if u[0].startswith("61")])
    subprocess.run(
        [sys.executable, "-m", "etl", "load", "--db", str(path), str(csv)],
        check=True,
        env={**os.environ, **bench.LIMITS_ENV},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def shaanxi_db(tmp_path_factory) -> Path:
    """Every county-level unit of 陕西省 (and every 本级) in 2024 and 2025, generated by scripts/bench_load.py's
    write_long_csv and loaded with `python -m etl load` in its own process; once per test run, read-only."""
    return built_once(tmp_path_factory, "shaanxi.duckdb", _load_shaanxi)


# ── the order files are handed out in ───────────────────────────────────────────────────────────
# Under pytest-xdist (--dist loadfile) a worker takes a whole file at a time, by default the files with the
# most tests first. A file that drives Chromium has few tests but takes longest (each test loads pages):
# started late, it alone would end the run. They go first; the others keep xdist's order.
BROWSER_FIXTURES = {"browser", "shared_tab"}


def pytest_configure(config) -> None:
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False  # the order below is the one the workers are given


def pytest_collection_modifyitems(items) -> None:
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(_file(item.nodeid), []).append(item)

    def weight(name: str) -> tuple:
        tests = files[name]
        return (not any(BROWSER_FIXTURES & set(item.fixturenames) for item in tests), -len(tests))

    items[:] = [item for name in sorted(files, key=weight) for item in files[name]]


# ── time per test file, printed at the end (CI shows where the minutes go) ─────────────────────
# Wall time says what a run costs on this machine now; CPU time stays comparable when other work shares
# the cores. CPU is read when a worker starts and ends a file: this process, the children it has waited
# for and, on Linux, every live descendant with the children each has waited for, so Chromium and a
# dashboard server count while the file uses them. What a process leaves running after it exits (the
# checking fork server of a `python -m etl` run) is not counted.
_seconds_per_file: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
_file_started: dict[str, float] = {}


def _cpu_seconds() -> float:
    total = time.process_time()
    if os.name == "nt":
        return total
    import resource  # POSIX only, like the children's times it reads

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total += children.ru_utime + children.ru_stime
    tick, todo = os.sysconf("SC_CLK_TCK"), [os.getpid()]
    while todo:  # /proc/PID/task/TID/children lists the processes each thread started (Linux)
        pid = todo.pop()
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                for kid in map(int, (task / "children").read_text().split()):
                    fields = Path(f"/proc/{kid}/stat").read_text().rsplit(")", 1)[1].split()
                    total += sum(map(int, fields[11:15])) / tick  # its user and system time, and its children's
                    todo.append(kid)
        except OSError:  # not Linux, or the process ended meanwhile
            continue
    return total


def _file(nodeid: str) -> str:
    return nodeid.split("::")[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    if _file(item.nodeid) not in _file_started:
        _file_started.clear()
        _file_started[_file(item.nodeid)] = _cpu_seconds()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Read after the file's own fixtures are gone (a server it stopped is reaped, its CPU kept), but before
    # the session's: a browser closed at the very end leaves the tree with its CPU not handed to anyone.
    before_session_ends = _cpu_seconds() if nextitem is None else None
    yield
    if nextitem is None or _file(nextitem.nodeid) != _file(item.nodeid):
        ended = _cpu_seconds() if before_session_ends is None else before_session_ends
        item.user_properties.append(("cpu_s_file", ended - _file_started.pop(_file(item.nodeid))))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    totals = _seconds_per_file[_file(report.nodeid)]
    totals[0] += report.duration
    if report.when == "teardown":
        totals[1] += sum(value for key, value in report.user_properties if key == "cpu_s_file")


def pytest_terminal_summary(terminalreporter) -> None:
    if not _seconds_per_file:
        return
    terminalreporter.section("seconds per test file (summed over workers)")
    terminalreporter.write_line("   wall     cpu  file")
    for name, (wall, cpu) in sorted(_seconds_per_file.items(), key=lambda item: -item[1][1]):
        terminalreporter.write_line(f"{wall:7.1f} {cpu:7.1f}  {name}")
    wall, cpu = (sum(column) for column in zip(*_seconds_per_file.values(), strict=True))
    terminalreporter.write_line(f"{wall:7.1f} {cpu:7.1f}  all")
