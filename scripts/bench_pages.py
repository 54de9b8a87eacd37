"""Time each page server-side with AppTest on the sample data; print a table; exit 1 if a warm rerun is slow.

Usage: python scripts/bench_pages.py [--runs 5] [--limit 0.5] [--query year=2017] [--db PATH]

"first" is a page's first run in a new session with every Streamlit cache cleared (as after a
restart, imports excluded); "warm" is the median of --runs reruns of the same session, which is
what a user waits for after changing a widget. The sample database is built if missing.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def page_files() -> list[str]:
    """The page files named in dashboard.py's PAGES list, in menu order."""
    return re.findall(r'"(pages/[a-z_]+\.py)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))


def run_main_script_every_time() -> None:
    """Make AppTest rerun dashboard.py like the server does, not the page file alone.

    AppTest resets Streamlit's legacy-pages flag before every run, and because our pages live in
    pages/, it would then rerun a page file without dashboard.py (no sidebar, stale context). The
    server clears the flag for good at the first st.navigation call; do the same here.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__
    if getattr(original, "_rolgov_patched", False):
        return

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._rolgov_patched = True
    PagesManager.__init__ = init


def time_page(page: str, query: dict[str, str], runs: int) -> tuple[float, float, str]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    problem = "" if at.title else "no title: the page did not run"
    if at.exception:
        problem = at.exception[0].message[:80]
    elif at.error:
        problem = at.error[0].value[:80]
    return first, statistics.median(warm), problem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm reruns per page (the median is shown)")
    parser.add_argument("--limit", type=float, default=0.5, help="seconds a warm rerun may take")
    parser.add_argument("--query", default="", help='URL parameters, e.g. "year=2017&lang=en"')
    parser.add_argument("--db", type=Path, help="database file (default: a fresh sample build in a temp dir)")
    args = parser.parse_args()

    db_path = args.db or Path(tempfile.mkdtemp(prefix="rolgov-bench-")) / "sample.duckdb"
    os.environ["ROLGOV_DB"] = str(db_path)  # rolgov.db reads it at import, so set it first
    if not db_path.exists():
        from etl.build import build_from_folder

        print(f"building the sample database in {db_path} ...", flush=True)
        build_from_folder(db_path, quiet=True)

    logging.disable(logging.WARNING)  # AppTest outside a server logs "missing ScriptRunContext" on every run
    import rolgov.ui  # noqa: F401  imports (pandas, plotly, duckdb) are not any page's cost

    run_main_script_every_time()

    query = dict(parse_qsl(args.query))
    pages = page_files()
    print(
        f"\n{'page':<24}{'first (s)':>11}{'warm (s)':>10}  {'':<4}" + (f"  query: {args.query}" if args.query else "")
    )
    slow = []
    for page in pages:
        first, warm, problem = time_page(page, query, args.runs)
        flag = "SLOW" if warm > args.limit else "ok"
        if warm > args.limit:
            slow.append(page)
        print(f"{page:<24}{first:>11.2f}{warm:>10.3f}  {flag:<4}  {problem}", flush=True)
    print(f"\nwarm = median of {args.runs} reruns; limit {args.limit} s; {len(slow)} slow page(s)")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
