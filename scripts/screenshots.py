"""Start the app, open every page in headless Chromium (Debian's), wait for charts, save PNGs; exit 1 on any error element.

Usage: python scripts/screenshots.py [OUT_DIR] [--query "lang=en&year=2017"] [--port 8599]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "trends", "compare", "targets", "profile", "catalog", "completeness"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# pages whose charts must draw before the screenshot (the map included)
MIN_CHARTS = {"overview": 2, "trends": 1, "compare": 3, "targets": 1, "completeness": 1}


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def shoot(base: str, out: Path, query: str = "", pages=PAGES, width: int = 1440) -> list[str]:
    """Screenshot each page; return a list of problems found (error elements, missing charts)."""
    problems = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 1000}, device_scale_factor=1)
        for name in pages:
            url = f"{base}/{name}" + (f"?{query}" if query else "")
            page.goto(url)
            page.wait_for_selector("h1", timeout=60_000)
            wanted = MIN_CHARTS.get(name, 0)
            if wanted:
                page.wait_for_function(
                    f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {wanted}", timeout=60_000)
            page.wait_for_timeout(1200)  # let fonts and transitions settle
            errors = page.query_selector_all('[data-testid="stException"], [data-testid="stAlertContentError"]')
            if errors:
                problems.append(f"{name}: {errors[0].inner_text()[:300]}")
            suffix = ("_" + query.replace("&", "_").replace("=", "-")) if query else ""
            # Streamlit scrolls an inner container: grow the viewport to the content, then shoot.
            height = page.evaluate(
                "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                " return m ? Math.max(m.scrollHeight, 900) : 1000; }")
            page.set_viewport_size({"width": width, "height": min(int(height) + 40, 6000)})
            page.wait_for_timeout(600)
            page.screenshot(path=str(out / f"{name}{suffix}.png"))
            page.set_viewport_size({"width": width, "height": 1000})
        browser.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="screenshots/tmp", type=Path)
    parser.add_argument("--query", default="")
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--pages", nargs="*", default=PAGES)
    args = parser.parse_args()
    server = start_server(args.port)
    try:
        problems = shoot(f"http://127.0.0.1:{args.port}", args.out, args.query, args.pages)
    finally:
        server.terminate()
        server.wait(timeout=20)
    for problem in problems:
        print("ERROR", problem)
    print(f"{len(args.pages)} pages → {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
