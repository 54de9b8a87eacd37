"""Streamlit's own content-hashed scripts, styles and fonts, served from memory.

A first visit fetches about a hundred of them, 30-60 more than a bare page (each widget type brings
its own chunks of script). Streamlit's
static route (Starlette's StaticFiles) stats, opens, reads and closes each file through a worker thread,
about 1.2 ms of server CPU a file on this project's 2-core machine: for a page with a few pickers that is
30-40 ms more than a bare one-chart page, a third of what the whole first visit costs. This middleware
answers those requests from bytes read once per process (about 26 MB at most, the whole folder), with the
headers Streamlit's route sends (a year's `immutable` caching, Starlette's ETag and Last-Modified), so
the browser sees the same response.

Only the hashed bundle folders are served here (static/js, static/css, static/media under Streamlit's
static directory, matched by exact file name from a listing made at start); everything else (the page
HTML, manifest.json, range requests, other methods) goes on to Streamlit. A behind-a-proxy deployment that
caches these files itself loses nothing.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from email.utils import formatdate
from pathlib import Path

YEAR_S = 365 * 24 * 60 * 60  # Streamlit's STATIC_ASSET_CACHE_MAX_AGE_SECONDS
BUNDLES = ("js", "css", "media")  # the folders under static/static whose file names carry a content hash


def static_dir() -> Path:
    """Streamlit's built frontend (index.html, static/js/...)."""
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def listing(root: Path) -> dict[str, Path]:
    """URL path (/static/js/x.js) → file, for every file in the hashed bundle folders."""
    found = {}
    for folder in BUNDLES:
        base = root / "static" / folder
        if base.is_dir():
            for file in base.rglob("*"):
                if file.is_file():
                    found["/" + file.relative_to(root).as_posix()] = file
    return found


def _headers(file: Path, body: bytes) -> list[tuple[bytes, bytes]]:
    """The headers Starlette's FileResponse and Streamlit's cache rule give the same file; a 304 repeats
    the last two (ETag and Cache-Control)."""
    stat = file.stat()
    media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if media.startswith("text/"):
        media += "; charset=utf-8"
    tag = hashlib.md5(f"{stat.st_mtime}-{stat.st_size}".encode(), usedforsecurity=False).hexdigest()
    return [
        (b"content-type", media.encode()),
        (b"accept-ranges", b"bytes"),
        (b"content-length", str(len(body)).encode()),
        (b"last-modified", formatdate(stat.st_mtime, usegmt=True).encode()),
        (b"etag", f'"{tag}"'.encode()),
        (b"cache-control", f"public, immutable, max-age={YEAR_S}".encode()),
    ]


class HashedAssets:
    """ASGI middleware: GET and HEAD of a hashed bundle file answered from memory; all else passes on."""

    def __init__(self, app, root: Path | None = None, base_url: str | None = None) -> None:
        self.app = app
        self.files = listing(root or static_dir())
        if base_url is None:
            from streamlit import config

            base_url = config.get_option("server.baseUrlPath") or ""
        self.prefix = "/" + base_url.strip("/") if base_url.strip("/") else ""
        self.kept: dict[str, tuple[bytes, list[tuple[bytes, bytes]]]] = {}
        self.lock = threading.Lock()

    def answer(self, path: str) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
        """The body and headers for a request path, or None when this middleware does not serve it."""
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                return None
            path = path[len(self.prefix) :]
        file = self.files.get(path)
        if file is None:
            return None
        kept = self.kept.get(path)
        if kept is None:
            with self.lock:
                try:
                    body = file.read_bytes()
                except OSError:  # gone since the listing (a reinstall): Streamlit's route answers
                    return None
                kept = self.kept[path] = (body, _headers(file, body))
        return kept

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            asked = dict(scope["headers"])
            kept = None if b"range" in asked else self.answer(scope["path"])
            if kept is not None:
                body, headers = kept
                unchanged = headers[-2:]  # ETag, Cache-Control
                if unchanged[0][1] in (asked.get(b"if-none-match") or b"").replace(b" ", b"").split(b","):
                    await send({"type": "http.response.start", "status": 304, "headers": unchanged})
                    await send({"type": "http.response.body", "body": b""})
                    return
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
                return
        await self.app(scope, receive, send)
