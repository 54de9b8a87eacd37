"""Time the pages the way users meet them; print tables of figures, each against a floor measured in the same run.

Usage: python scripts/bench_pages.py [--views 5] [--changes 3] [--db PATH] [--pages overview trends ...] [--quick]
                                     [--same-server]
       python scripts/bench_pages.py --national [--national-years 2024,2025] [--db PATH] [--app-root CHECKOUT]

1. Server CPU per page view (a new visitor: a fresh browser context loads the page until its charts are
   drawn), read from /proc for the server process, against the same for a bare Streamlit page with one
   plotly chart (the floor). Target: at most 1.3x the floor on every page. The app (app.py, as `make run`
   starts it) serves Streamlit's hashed scripts from memory (rolgov/assets.py); the floor is Streamlit's
   defaults, or with --same-server the bare page served as the app is (its config.toml and middleware),
   which leaves only the pages' own work in the ratio.
2. A filter change on a warm server: from the click on an option to the rerun's script_finished message
   and the page drawn again (no stale element, no running indicator). Target: within 0.5 s. The year
   change on 总览 is also timed on a cold server (the first year change after a start).
3. First paint of 总览 for a new session on a warm server: the title, and the first screen drawn (the
   sentence and the area chart). Target: within 1.5 s.
4. Script time per page (AppTest, server side only): a new session's first run and the median warm rerun.

National mode (--national): a database of every county-level unit of China (2 years by default, built
with bench_load.write_long_csv and `python -m etl load`), each page at the country's, 陕西省's and 安康市's
scope: a year change redrawn, against the same change on a bare one-chart page (targets: 1 s at the
country's and a province's scope, 0.5 s at a city's); then the server's memory (PSS and RSS) with ten
sessions open on 总览 (target: under 1 GB). --app-root serves another checkout (a before).

Real processes: a Streamlit server per measurement set, Debian's Chromium through Playwright. The sample
database is built if missing. On 2 shared cores the figures move by 10-20 % between runs: compare ratios.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import screenshots as S  # noqa: E402

BARE_PAGE = """import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
st.plotly_chart(go.Figure(go.Bar(x=list("abcdefghij"), y=list(range(10)))))
"""
# --same-server: the bare page served as app.py serves the dashboard (config.toml copied beside it)
BARE_APP = """import streamlit as st
from starlette.middleware import Middleware

from rolgov import assets

app = st.App("bare.py", middleware=[Middleware(assets.HashedAssets)])
"""
# the control each page changes: (where, label index among that area's selectboxes, option text)
CHANGES = {
    "overview": ("sidebar", 2, ["2024年", "2023年", "2022年", "2021年"]),
    "trends": ("main", 0, ["【监督公开】主动公开政府信息条数", "【科学决策】召开听证会次数"]),
    "compare": ("main", 0, ["【科学决策】召开听证会次数", "【严格执法】行政执法案卷评查合格率"]),
    "targets": ("main", 0, ["汉滨区", "全市"]),
    "profile": ("main", 0, ["石泉县", "汉滨区"]),
    "catalog": ("main", 0, ["重大行政决策科学民主合法", "全部领域"]),
    "completeness": ("main", 0, ["汉滨区", "市本级"]),
}
FIRST_SCREEN = "有目标的"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def view_cpu(browser, base: str, path: str, name: str, pid: int, context=None) -> float:
    """Server CPU seconds for one view of `path` in a new tab: of `context` (a returning visitor, whose HTTP
    cache holds Streamlit's scripts already) or of a fresh context (a new visitor, who downloads them all)."""
    own = context or browser.new_context(viewport={"width": 1440, "height": 900})
    page = own.new_page()
    before = cpu_seconds(pid)
    page.goto(f"{base}/{path}")
    S.wait_until_drawn(page, name, charts=1 if name == "bare" else None)
    page.wait_for_timeout(300)  # the last websocket frames
    spent = cpu_seconds(pid) - before
    page.close()
    if context is None:
        own.close()
    return spent


def cpu_ratio(browser, bare: tuple, app: tuple, name: str, views: int, returning: bool) -> tuple[float, float]:
    """(page CPU, floor CPU) per view, the bare page and the app's page viewed in turn, so a change of
    load on the shared machine touches both alike. The first view of each warms caches, uncounted."""
    contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) if returning else None for _ in range(2)]
    totals = [0.0, 0.0]
    for number in range(views + 1):
        for side, ((base, pid), path, shown) in enumerate(((app, name, name), (bare, "", "bare"))):
            spent = view_cpu(browser, base, path, shown, pid, contexts[side])
            totals[side] += spent if number else 0.0
    for context in contexts:
        if context is not None:
            context.close()
    return totals[0] / views, totals[1] / views


def script_finished_times(page) -> list[float]:
    """Times (monotonic) at which the server said a script run finished, collected from the websocket."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    seen: list[float] = []

    def on_frame(payload) -> None:
        if isinstance(payload, bytes | bytearray):
            try:
                message = ForwardMsg.FromString(bytes(payload))
            except Exception:  # noqa: BLE001 - not a ForwardMsg (a ping)
                return
            if message.WhichOneof("type") == "script_finished":
                seen.append(time.monotonic())

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return seen


def settled(page) -> None:
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidgetRunningIcon"], '
            + '[data-testid="stStatusWidgetRunningManIcon"], [data-stale="true"]')
            && [...document.querySelectorAll('.js-plotly-plot')].every(c => c.querySelector('.main-svg'))""",
        polling=20,
        timeout=60_000,
    )


def change_times(browser, base: str, name: str, changes: int, control=None, query: str = "") -> list[float]:
    """Seconds from choosing an option to the page drawn again, for a few changes in one warm session.
    control: (where, index, options), default the page's own in CHANGES; name "bare": the bare page."""
    where, index, options = control or CHANGES[name]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    finished = script_finished_times(page)
    page.goto(f"{base}/{'' if name == 'bare' else name}{query}")
    S.wait_until_drawn(page, name, charts=1 if name == "bare" else None)
    scope = '[data-testid="stSidebar"]' if where == "sidebar" else '[data-testid="stMain"]'
    times = []
    for k in range(changes):
        option = options[k % len(options)]
        page.locator(f'{scope} [data-testid="stSelectbox"]').nth(index).click()
        page.keyboard.type(option)  # long lists are drawn a screenful at a time: filter, then pick
        choice = page.get_by_role("option", name=option, exact=True)
        choice.wait_for()
        count = len(finished)
        started = time.monotonic()
        choice.click()
        page.wait_for_function("() => true")  # let the click go out
        deadline = started + 60
        while len(finished) == count and time.monotonic() < deadline:
            page.wait_for_timeout(10)
        settled(page)
        times.append(time.monotonic() - started)
    page.close()
    return times


def first_paint(browser, base: str, marks: tuple[str, ...], context=None) -> list[float]:
    """Seconds from opening the page in a new tab (of `context`: a returning visitor; else a new visitor) to the
    title, to each text in `marks` and to the first chart drawn."""
    own = context or browser.new_context(viewport={"width": 1440, "height": 900})
    page = own.new_page()
    started = time.monotonic()
    page.goto(f"{base}/", wait_until="commit")
    page.wait_for_selector("h1", timeout=60_000)
    times = [time.monotonic() - started]
    for text in marks:
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
        times.append(time.monotonic() - started)
    page.wait_for_function("document.querySelector('.js-plotly-plot .main-svg')", polling=20, timeout=60_000)
    times.append(time.monotonic() - started)
    page.close()
    if context is None:
        own.close()
    return times


def first_paints(browser, bare: str, app: str, runs: int) -> int:
    """First paint of 总览 and of the bare page, for returning and new visitors, measured in turn."""
    print(f"\n3. first paint of a new session on a warm server (median of {runs}), seconds to: the title, the")
    print("   first screen's sentence, the first chart; and the bare page's title and chart, measured in turn")
    print(f"{'visitor':<12}{'title':>7}{'sentence':>10}{'chart':>7}{'bare title':>12}{'bare chart':>12}  target ≤ 1.5")
    over = 0
    for returning in (True, False):
        contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) if returning else None for _ in "ab"]
        first_paint(browser, app, (FIRST_SCREEN,), contexts[0])  # caches warm (and scripts cached, if returning)
        first_paint(browser, bare, (), contexts[1])
        ours, floor = [], []
        for _ in range(runs):
            ours.append(first_paint(browser, app, (FIRST_SCREEN,), contexts[0]))
            floor.append(first_paint(browser, bare, (), contexts[1]))
        title, sentence, chart = (statistics.median(column) for column in zip(*ours, strict=True))
        bare_title, bare_chart = (statistics.median(column) for column in zip(*floor, strict=True))
        print(
            f"{'returning' if returning else 'new':<12}{title:>7.2f}{sentence:>10.2f}{chart:>7.2f}{bare_title:>12.2f}"
            f"{bare_chart:>12.2f}  {'ok' if sentence <= 1.5 else 'OVER'}",
            flush=True,
        )
        over += sentence > 1.5
        for context in contexts:
            if context is not None:
                context.close()
    return over


def serve(script: Path, env: dict) -> tuple:
    port = S.free_port()
    return S.start_server(port, env, script=script), f"http://127.0.0.1:{port}"


def browser_figures(args, db_path: Path) -> int:
    from playwright.sync_api import sync_playwright

    env = {"ROLGOV_DB": str(db_path)}
    bare_script = Path(tempfile.mkdtemp(prefix="rolgov-bare-")) / "bare.py"
    bare_script.write_text(BARE_PAGE, encoding="utf-8")
    if args.same_server:  # the bare page with the app's server settings and static middleware
        (bare_script.parent / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", bare_script.parent / ".streamlit" / "config.toml")
        bare_script = bare_script.with_name("bare_app.py")
        bare_script.write_text(BARE_APP, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    slow = 0
    with sync_playwright() as playwright:
        browser = S.launch(playwright)
        bare_proc, bare_base = serve(bare_script, env)
        try:
            proc, base = serve(ROOT / "app.py", env)
        except Exception:
            S.stop_server(bare_proc)
            raise
        try:
            print(f"\n1. server CPU per page view, mean of {args.views}; floor: a bare page with one plotly chart,")
            if args.same_server:
                print("   served as the app is (its .streamlit/config.toml; app.py's middleware, rolgov/assets.py),")
            print("   viewed in turn with each page. returning: a new session of a browser that has Streamlit's")
            print("   scripts cached already; new: a first visit, which also downloads them (30-60 more for the app).")
            header = f"{'page':<14}{'returning':>10}{'floor':>7}{'ratio':>7}{'new':>8}{'floor':>7}{'ratio':>7}"
            print(header + "  target ≤ 1.3")
            for name in args.pages if 1 in args.sections else []:
                line = f"{name:<14}"
                ratios = []
                for returning in (True, False):
                    cpu, floor = cpu_ratio(
                        browser, (bare_base, bare_proc.pid), (base, proc.pid), name, args.views, returning
                    )
                    ratios.append(cpu / floor)
                    line += f"{cpu * 1000:>{10 if returning else 8}.0f}{floor * 1000:>7.0f}{cpu / floor:>7.2f}"
                slow += max(ratios) > 1.3
                print(line + f"  {'OVER' if max(ratios) > 1.3 else 'ok'}", flush=True)
            if 3 in args.sections:
                slow += first_paints(browser, bare_base, base, args.views)
            S.stop_server(bare_proc)
            print(f"\n2. a filter change redrawn (warm server, {args.changes} changes, median and worst)")
            print(f"{'page':<16}{'median (s)':>11}{'worst (s)':>10}  target ≤ 0.5")
            for name in args.pages if 2 in args.sections else []:
                times = change_times(browser, base, name, args.changes)
                worst = max(times)
                slow += worst > 0.5
                print(
                    f"{name:<16}{statistics.median(times):>11.2f}{worst:>10.2f}  {'ok' if worst <= 0.5 else 'OVER'}",
                    flush=True,
                )
        finally:
            for server in (bare_proc, proc):
                if server.poll() is None:
                    S.stop_server(server)
        if 2 not in args.sections:
            browser.close()
            return slow
        proc, base = serve(ROOT / "app.py", env)  # nothing cached: the first year change after a start
        try:
            cold = change_times(browser, base, "overview", 1)[0]
            print(f"   a year change on 总览 with nothing cached (fresh server): {cold:.2f} s")
        finally:
            S.stop_server(proc)
        browser.close()
    return slow


# ── national mode: every county-level unit of China loaded, pages at the country's, a province's and a city's
# scope, a filter change (the year) against a bare page's, and the server's memory with ten sessions open
NATIONAL_SCOPES = {"country": ("000000", 1.0), "province": ("610000", 1.0), "city": ("610900", 0.5)}
YEAR_CHANGE = ("sidebar", 2, ["2024年", "2025年"])  # language, scope, year: the sidebar's third selectbox
# the country has no total of its own: 趋势 there draws the units chosen (two provinces here)
COUNTRY_QUERY = {"trends": "&counties=610000&counties=420000"}
BARE_FILTER_PAGE = """import plotly.graph_objects as go
import streamlit as st

year = st.sidebar.selectbox("年度", ["2025年", "2024年"])
st.title("Bare page")
st.plotly_chart(go.Figure(go.Bar(x=list("abcdefghij"), y=[(i * len(year)) % 7 for i in range(10)])))
"""


def national_database(years: tuple[int, int]) -> Path:
    """Every county-level unit and 本级 of China in `years`, written by bench_load.write_long_csv and loaded
    with `python -m etl load` in its own process, with the raised limits an administrator would set."""
    import subprocess

    from bench_load import LIMITS_ENV, unit_years, write_long_csv

    folder = Path(tempfile.mkdtemp(prefix="rolgov-national-"))
    csv = folder / "national.csv"
    values = write_long_csv(csv, unit_years(years[0], years[1], True))
    path = folder / "national.duckdb"
    print(f"national database: {values:,} values ({years[0]}–{years[1]}), loading into {path} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "etl", "load", "--db", str(path), str(csv)],
        check=True,
        cwd=ROOT,
        env={**os.environ, **LIMITS_ENV},
        stdout=subprocess.DEVNULL,
    )
    return path


def memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, RSS) of a process in MB, from /proc."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Pss", "Rss"):
            found[key] = int(rest.split()[0]) / 1024
    return found["Pss"], found["Rss"]


def national_figures(args, db_path: Path) -> int:
    """The filter change at each scope on each page against the bare page's, then memory with ten sessions."""
    from playwright.sync_api import sync_playwright

    env = {"ROLGOV_DB": str(db_path)}
    app_root = args.app_root or ROOT
    bare_script = Path(tempfile.mkdtemp(prefix="rolgov-bare-")) / "bare.py"
    bare_script.write_text(BARE_FILTER_PAGE, encoding="utf-8")
    slow = 0
    with sync_playwright() as playwright:
        browser = S.launch(playwright)
        bare_proc, bare_base = serve(bare_script, env)
        entry = app_root / "app.py"  # as `make run` starts it; an older checkout may have only dashboard.py
        proc, base = serve(entry if entry.exists() else app_root / "dashboard.py", env)
        try:
            print(f"\nN1. a year change redrawn at national scale (warm server; median and worst of {args.changes});")
            print("    floor: the same change on a bare page (a sidebar selectbox and one plotly chart), in turn")
            print(f"{'page':<14}{'scope':<10}{'median':>8}{'worst':>8}{'floor':>8}{'ratio':>7}  target")
            for name in args.pages:
                for scope_name in args.national_scopes:
                    code, target = NATIONAL_SCOPES[scope_name]
                    try:
                        query = f"?scope={code}" + COUNTRY_QUERY.get(name, "") * (scope_name == "country")
                        times = change_times(browser, base, name, args.changes, YEAR_CHANGE, query)
                    except Exception as error:  # noqa: BLE001 - a page that never redraws is a figure too
                        slow += 1
                        print(f"{name:<14}{scope_name:<10}  did not redraw: {str(error).splitlines()[0][:80]}")
                        continue
                    floor = statistics.median(
                        change_times(browser, bare_base, "bare", args.changes, ("sidebar", 0, ["2024年", "2025年"]))
                    )
                    worst = max(times)
                    slow += worst > target
                    print(
                        f"{name:<14}{scope_name:<10}{statistics.median(times):>8.2f}{worst:>8.2f}{floor:>8.2f}"
                        f"{statistics.median(times) / floor:>7.1f}  ≤ {target} {'ok' if worst <= target else 'OVER'}",
                        flush=True,
                    )
            print("\nN2. server memory with 10 sessions open on 总览 (country, province, city in turn)")
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            tabs = []
            for k in range(10):
                code = NATIONAL_SCOPES[args.national_scopes[k % len(args.national_scopes)]][0]
                tab = context.new_page()
                tab.goto(f"{base}/overview?scope={code}")
                S.wait_until_drawn(tab, "overview")
                tabs.append(tab)
            pss, rss = memory_mb(proc.pid)
            bare_pss, bare_rss = memory_mb(bare_proc.pid)
            slow += pss > 1024
            print(
                f"server PSS {pss:.0f} MB, RSS {rss:.0f} MB (the bare page's: PSS {bare_pss:.0f}, RSS {bare_rss:.0f})"
                f"  target < 1024 {'ok' if pss <= 1024 else 'OVER'}",
                flush=True,
            )
            context.close()
        finally:
            for server in (bare_proc, proc):
                if server.poll() is None:
                    S.stop_server(server)
        browser.close()
    return slow


def script_times(args) -> None:
    """Server-side script time with AppTest: a new session's first run (caches cleared) and warm reruns."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from rolgov import navigation

    logging.disable(logging.WARNING)  # AppTest outside a server logs "missing ScriptRunContext" on every run
    print(f"\n4. script time per run (AppTest, server side only; warm = median of {args.changes} reruns)")
    print(f"{'page':<16}{'first (s)':>10}{'warm (s)':>10}")
    bare = Path(tempfile.mkdtemp(prefix="rolgov-bare-")) / "bare.py"
    bare.write_text(BARE_PAGE, encoding="utf-8")
    with navigation.apptest_runs_dashboard():
        for name in ["bare", *args.pages]:
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(str(bare if name == "bare" else ROOT / "dashboard.py"), default_timeout=120)
            if name != "bare":
                at.switch_page(f"pages/{name}.py")
            started = time.perf_counter()
            at.run()
            first = time.perf_counter() - started
            warm = []
            for _ in range(args.changes):
                started = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - started)
            problem = at.exception[0].message[:60] if at.exception else ""
            print(f"{name:<16}{first:>10.2f}{statistics.median(warm):>10.3f}  {problem}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=5, help="new-visitor views per page (after one warm-up)")
    parser.add_argument("--changes", type=int, default=3, help="filter changes per page")
    parser.add_argument("--db", type=Path, help="database file (default: a fresh sample build in a temp dir)")
    parser.add_argument("--pages", nargs="*", default=list(CHANGES), choices=list(CHANGES))
    parser.add_argument("--quick", action="store_true", help="only the AppTest script times")
    parser.add_argument("--sections", nargs="*", type=int, default=[1, 2, 3, 4], help="which of the four to run")
    parser.add_argument("--national", action="store_true", help="national mode: a national database, three scopes")
    parser.add_argument("--national-years", default="2024,2025", help="years of the national database built")
    parser.add_argument("--national-scopes", nargs="*", default=list(NATIONAL_SCOPES), choices=list(NATIONAL_SCOPES))
    parser.add_argument("--app-root", type=Path, help="serve dashboard.py from this checkout (a before figure)")
    parser.add_argument(
        "--same-server",
        action="store_true",
        help="serve the bare page as the app is (config.toml, app.py's static middleware), not as Streamlit's default",
    )
    args = parser.parse_args()

    if args.national:
        first, last = (int(y) for y in args.national_years.split(","))
        db_path = args.db or national_database((first, last))
        print(f"{os.cpu_count()} CPU cores; database {db_path}")
        over = national_figures(args, db_path)
        print(f"\n{over} figure(s) over target")
        return 1 if over else 0
    db_path = args.db or Path(tempfile.mkdtemp(prefix="rolgov-bench-")) / "sample.duckdb"
    os.environ["ROLGOV_DB"] = str(db_path)  # rolgov.db reads it at import, so set it first
    if not db_path.exists():
        from etl.build import build_from_folder

        print(f"building the sample database in {db_path} ...", flush=True)
        build_from_folder(db_path, quiet=True)
    print(f"{os.cpu_count()} CPU cores; database {db_path}")
    over = 0 if args.quick or not {1, 2, 3} & set(args.sections) else browser_figures(args, db_path)
    if 4 in args.sections or args.quick:
        script_times(args)
    print(f"\n{over} figure(s) over target")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
