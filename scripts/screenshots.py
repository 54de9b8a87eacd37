"""Start the app, open every page in Debian's headless Chromium, wait for charts, save PNGs; exit 1 on any error.

Usage: python scripts/screenshots.py [OUT_DIR] [--query "lang=en&year=2017"] [--port 8599] [--pages overview ...]
tests/test_browser_pages.py, test_browser_views.py and test_browser_links.py drive the same functions.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# charts each page draws with the sample data, the map included (pages not named: at least none)
MIN_CHARTS = {"overview": 2, "trends": 1, "compare": 3, "targets": 1, "completeness": 1}
ERROR_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def pages() -> list[str]:
    """The url paths of the app's pages (rolgov/navigation.py), in menu order."""
    from rolgov.navigation import PAGE_KEYS

    return list(PAGE_KEYS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    port: int, env: dict[str, str] | None = None, log: Path | None = None, script: Path = ROOT / "app.py"
) -> subprocess.Popen:
    """streamlit run app.py (the dashboard with its sign-in cookie routes; or another script, such as a
    benchmark's bare page) on 127.0.0.1:port; returns once /_stcore/health answers."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - the server outlives this function
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=script.parent,
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    wait_for_health(port, proc, log)
    return proc


def wait_for_health(port: int, proc: subprocess.Popen, log: Path | None = None) -> None:
    """Return once the server on port answers /_stcore/health; raise if it exits or takes 90 s."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}" + (f"; see {log}" if log else ""))
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start within 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# The server ends each script run with a script_finished message on the websocket (ForwardMsg field 6, an
# enum: 2 says "stopped early for a rerun", any other value ends the run). Added to a page before it loads
# (track_runs), this script counts those messages for each document, so a wait after a click can tell the
# run the click caused from the quiet moment before it, without sleeping first. Counting messages, not the
# root element's data-test-script-state: a quick rerun may never be drawn as running on a busy machine.
RUN_COUNTER = """(() => {
window.__rolgovRuns = {finished: 0, seen: 0};
const endsRun = data => {  // the top-level fields of a ForwardMsg, read as protobuf's wire format
    if (!(data instanceof ArrayBuffer)) return false;
    const bytes = new Uint8Array(data);
    let at = 0;
    const varint = () => {
        let value = 0, scale = 1, byte;
        do {
            byte = bytes[at++];
            value += (byte & 0x7f) * scale;
            scale *= 128;
        } while (byte & 0x80 && at < bytes.length);
        return value;
    };
    while (at < bytes.length) {
        const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
        if (wire === 0) { const value = varint(); if (field === 6) return value !== 2; }
        else if (wire === 2) { const length = varint(); at += length; }  // not at += varint(): at is read first
        else if (wire === 1) at += 8;
        else if (wire === 5) at += 4;
        else return false;
    }
    return false;
};
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
        super(...args);
        this.addEventListener('message', event => { if (endsRun(event.data)) window.__rolgovRuns.finished += 1; });
    }
};
})();
"""
# Nothing runs, nothing is stale, no skeleton waits for its element, the fonts are in, no transition is under
# way (an endless animation, such as a spinner's, does not count); and so on three frames in a row (polled on
# every frame), so nothing was just about to start. settle() resets the count.
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const still = app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"], '
            + '[data-testid="stStatusWidgetRunningManIcon"], [data-stale="true"], [data-testid="stSkeleton"]')
        && document.fonts.status === 'loaded'
        && !document.getAnimations().some(a => a.playState === 'running'
            && Number.isFinite(a.effect?.getComputedTiming().endTime));
    window.__rolgovStillFrames = still ? (window.__rolgovStillFrames || 0) + 1 : 0;
    return window.__rolgovStillFrames >= 3;
}"""


def track_runs(page: Page) -> Page:
    """Count the script runs of every document this page loads from now on (wait_idle needs it)."""
    page.add_init_script(RUN_COUNTER)
    return page


def settle(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until the page is still (SETTLED)."""
    page.evaluate("() => { window.__rolgovStillFrames = 0; }")
    page.wait_for_function(SETTLED, timeout=timeout_ms)


def _runs_seen(page: Page) -> None:
    """The runs finished so far are the ones the caller waited for: the next wait_idle waits for a new one."""
    page.evaluate("() => { const runs = window.__rolgovRuns; if (runs) runs.seen = runs.finished; }")


def wait_until_drawn(page: Page, name: str, timeout_ms: int = 60_000, charts: int | None = None) -> None:
    """Wait for the heading, the page's charts (every plotly chart with its SVG), on the overview the map, and
    then for the page to be still (settle).

    The first load after a server start is often blank for a moment: wait for elements, never sleep.
    """
    page.wait_for_selector("h1", timeout=timeout_ms)
    wanted = MIN_CHARTS.get(name, 0) if charts is None else charts
    page.wait_for_function(
        """(wanted) => {
            const running = document.querySelector(
                '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]');
            const charts = [...document.querySelectorAll('.js-plotly-plot')];
            return !running && charts.length >= wanted && charts.every(c => c.querySelector('.main-svg'));
        }""",
        arg=wanted,
        timeout=timeout_ms,
    )
    if name == "overview":
        page.wait_for_function("document.querySelectorAll('.choroplethlayer path').length >= 10", timeout=timeout_ms)
    settle(page, timeout_ms)
    _runs_seen(page)


def wait_idle(page: Page, timeout_ms: int = 60_000) -> None:
    """After a click or a widget change: wait until a run has finished since the last wait (the rerun the
    change caused, or the first run of a page the click opened) and the page is still. The page must count
    its runs (track_runs): without the count, a wait right after the click would see the quiet page before
    the rerun starts."""
    if not page.evaluate("() => Boolean(window.__rolgovRuns)"):
        raise RuntimeError("wait_idle needs screenshots.track_runs(page) before the page is loaded")
    page.wait_for_function("() => window.__rolgovRuns.finished > window.__rolgovRuns.seen", timeout=timeout_ms)
    settle(page, timeout_ms)
    _runs_seen(page)


def choose(page: Page, widget, option: str) -> None:
    """Pick an option of a Streamlit selectbox (a locator of its stSelectbox element) and wait for the rerun."""
    widget.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def open_sidebar(page: Page) -> None:
    """On a phone the sidebar starts folded: open it."""
    settle(page)  # not while it slides
    if page.locator('[data-testid="stSidebar"][data-collapsed="true"]').count():
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_selector('[data-testid="stSidebar"][data-collapsed="false"]')
        settle(page)  # the sidebar has slid in


def selected(widget) -> str:
    """The option a Streamlit selectbox shows (a locator of its stSelectbox element)."""
    return widget.locator("input").first.input_value()


def errors_on(page: Page) -> list[str]:
    return [e.inner_text()[:300] for e in page.query_selector_all(ERROR_SELECTOR)]


def full_screenshot(page: Page, path: Path, width: int = 1440, max_height: int = 6000) -> None:
    """Streamlit scrolls an inner container: grow the viewport to the content (up to max_height), shoot, then
    shrink back."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? Math.max(m.scrollHeight, 900) : 1000; }"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, max_height)})
    settle(page)  # the charts have been drawn again at the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 1000})


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def shoot(
    base: str, out: Path, query: str = "", names: list[str] | None = None, width: int = 1440, max_height: int = 6000
) -> list[str]:
    """Screenshot each page; return a list of problems found (error elements, charts that never drew)."""
    problems = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": width, "height": 1000}, device_scale_factor=1)
        for name in names or pages():
            page.goto(f"{base}/{name}" + (f"?{query}" if query else ""))
            try:
                wait_until_drawn(page, name)
            except Exception as error:  # noqa: BLE001 - report and go on to the next page
                problems.append(f"{name}: did not finish drawing ({str(error).splitlines()[0]})")
            problems += [f"{name}: {text}" for text in errors_on(page)]
            suffix = ("_" + query.replace("&", "_").replace("=", "-")) if query else ""
            suffix += f"_{width}" if width != 1440 else ""
            full_screenshot(page, out / f"{name}{suffix}.png", width, max_height)
        browser.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="screenshots/tmp", type=Path)
    parser.add_argument("--query", default="")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--pages", nargs="*", default=None, help="default: every page of dashboard.py")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--max-height", type=int, default=6000, help="cut a long page at this height (px)")
    args = parser.parse_args()
    port = args.port or free_port()
    server = start_server(port)
    try:
        problems = shoot(f"http://127.0.0.1:{port}", args.out, args.query, args.pages, args.width, args.max_height)
    finally:
        stop_server(server)
    for problem in problems:
        print("ERROR", problem)
    print(f"{len(args.pages or pages())} pages → {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
