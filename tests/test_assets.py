"""Streamlit's hashed scripts served from memory (rolgov/assets.py): the same bytes and headers as
Streamlit's own static route, for the files it covers; everything else passed on untouched."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

from rolgov import assets


def call(app, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """One HTTP request through an ASGI app, without a server: (status, headers, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "server": ("127.0.0.1", 8501),
        "client": ("127.0.0.1", 50000),
    }
    sent, asked = [], []

    async def receive():
        if asked:  # the request was read: from then on a client that stays connected
            await asyncio.Event().wait()
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # a thread of its own: a test process that drove Playwright's sync API has an event loop running here
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body


class Recorder:
    """The app behind the middleware: records what reached it and answers 418."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b"passed on"})


@pytest.fixture(scope="module")
def streamlit_route():
    return create_streamlit_static_handler(str(assets.static_dir()), None)


@pytest.fixture(scope="module")
def main_bundle() -> str:
    """The script index.html loads first: a file every visit fetches."""
    html = (assets.static_dir() / "index.html").read_text(encoding="utf-8")
    return "/" + re.search(r'src="\./(static/js/index\.[^"]+\.js)"', html).group(1)


def test_the_listing_holds_the_bundles_index_html_names_and_nothing_else(main_bundle):
    files = assets.listing(assets.static_dir())
    # fails when a Streamlit upgrade moves the bundles: the middleware would then serve nothing
    assert main_bundle in files and len(files) > 100
    assert all(re.match(r"^/static/(js|css|media)/", path) for path in files)
    assert "/index.html" not in files and "/manifest.json" not in files


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_bundle_comes_with_the_bytes_and_headers_of_streamlits_own_route(streamlit_route, main_bundle, method):
    ours = assets.HashedAssets(Recorder(), base_url="")
    theirs = call(streamlit_route, main_bundle, method)
    got = call(ours, main_bundle, method)
    assert got[0] == theirs[0] == 200
    assert got[1] == theirs[1]  # content type with charset, length, ETag, Last-Modified, a year's immutable caching
    assert got[2] == theirs[2]
    assert (len(got[2]) > 1000) is (method == "GET")
    assert ours.app.paths == []


def test_a_browser_that_has_the_file_gets_a_304_as_from_streamlit(streamlit_route, main_bundle):
    ours = assets.HashedAssets(Recorder(), base_url="")
    etag = call(ours, main_bundle)[1]["etag"]
    got = call(ours, main_bundle, headers={"If-None-Match": f'"other", {etag}'})
    theirs = call(streamlit_route, main_bundle, headers={"If-None-Match": f'"other", {etag}'})
    assert got[0] == theirs[0] == 304 and got[2] == b""
    assert call(ours, main_bundle, headers={"If-None-Match": '"other"'})[0] == 200


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/", "GET", {}),  # the page itself
        ("/compare", "GET", {}),
        ("/manifest.json", "GET", {}),
        ("/static/js/no-such-file.js", "GET", {}),
        ("/static/js/../../index.html", "GET", {}),  # never resolved here: not a listed name
        ("/_stcore/health", "GET", {}),
        ("MAIN", "POST", {}),
        ("MAIN", "GET", {"Range": "bytes=0-99"}),  # ranges stay with Streamlit's route
    ],
)
def test_everything_else_goes_on_to_streamlit(main_bundle, path, method, headers):
    ours = assets.HashedAssets(Recorder(), base_url="")
    path = main_bundle if path == "MAIN" else path
    assert call(ours, path, method, headers) == (418, {}, b"passed on")
    assert ours.app.paths == [path]


def test_under_a_base_url_only_the_prefixed_path_is_served(main_bundle):
    ours = assets.HashedAssets(Recorder(), base_url="/rolgov/")
    assert call(ours, "/rolgov" + main_bundle)[0] == 200
    assert call(ours, main_bundle)[0] == 418  # without the prefix it is not ours to answer


def test_the_app_entry_point_serves_through_it():
    """app.py (what `make run` starts) puts the middleware in front of Streamlit's routes."""
    import app

    assert any(m.cls is assets.HashedAssets for m in app.app._user_middleware)
