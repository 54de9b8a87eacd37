"""The app's pages and the Streamlit internals the app leans on; a language in, st.navigation and a
loading state out.

Light on purpose (streamlit and rolgov.i18n only): dashboard.py calls it before pandas, plotly and
DuckDB are imported, so the very first paint shows our own navigation and a loading note, not
Streamlit's list of raw file names and an empty page.

Two Streamlit internals are used, each in one function here with a test that fails when Streamlit
renames it (tests/test_pages.py):
- PagesManager.uses_pages_directory: our pages live in pages/, so Streamlit starts in its legacy
  "pages/ folder" mode and runs a deep-linked page (/trends?...) without dashboard.py until the first
  st.navigation call clears the flag. leave_legacy_pages_mode() clears it and reruns.
- the page name a browser asked for, so a mistyped page gets our message in the user's language
  instead of Streamlit's English "Page not found" box.
"""

from __future__ import annotations

import contextlib
import gc

import streamlit as st

from rolgov.i18n import LANGS, page_title, t
from rolgov.text import literal

# (url path and key, file, icon) in menu order; the first is the default page
PAGES: tuple[tuple[str, str, str], ...] = (
    ("overview", "pages/overview.py", "🏛️"),
    ("trends", "pages/trends.py", "📈"),
    ("compare", "pages/compare.py", "📊"),
    ("targets", "pages/targets.py", "🎯"),
    ("profile", "pages/profile.py", "🗂️"),
    ("catalog", "pages/catalog.py", "📖"),
    ("completeness", "pages/completeness.py", "✅"),
    ("report", "pages/report.py", "📝"),
    ("data", "pages/data.py", "🗄️"),
)
PAGE_KEYS = tuple(key for key, _, _ in PAGES)
_SLOT = "_title_slot"  # session key of the placeholder the page title replaces
_FIRST_RUN_DONE = "_first_run_done"


def _pages_manager():
    from streamlit.runtime.pages_manager import PagesManager

    if not hasattr(PagesManager, "uses_pages_directory"):  # Streamlit renamed its internal: fail loudly
        raise RuntimeError(
            "streamlit.runtime.pages_manager.PagesManager.uses_pages_directory is gone: "
            "update rolgov/navigation.py for this Streamlit version"
        )
    return PagesManager


def in_legacy_pages_mode() -> bool:
    return bool(_pages_manager().uses_pages_directory)


def leave_legacy_pages_mode() -> None:
    """Tell Streamlit this app uses st.navigation, not the pages/ folder (the flag st.navigation clears)."""
    _pages_manager().uses_pages_directory = False


@contextlib.contextmanager
def apptest_runs_dashboard():
    """For AppTest runners (tests, benchmarks): every run goes through dashboard.py, as on a server.

    AppTest resets the legacy flag before each run; without this, each run would take the deep-link
    detour (the page alone, then a rerun through dashboard.py) and last twice as long.
    """
    manager = _pages_manager()
    original = manager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        leave_legacy_pages_mode()

    manager.__init__ = init
    try:
        yield
    finally:
        manager.__init__ = original


def through_dashboard() -> None:
    """First line of every page: a deep link that arrived in legacy mode (the first request after a
    server start goes straight to a page file) is rerun through dashboard.py, at once, before the page
    imports anything heavy."""
    if in_legacy_pages_mode():
        leave_legacy_pages_mode()
        menu(url_lang())  # on screen while the rerun starts
        st.rerun()


def _run_pages_manager():
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    if manager is None or not hasattr(manager, "intended_page_name") or not hasattr(manager, "set_script_intent"):
        raise RuntimeError("ScriptRunContext.pages_manager's page intent is gone: update rolgov/navigation.py")
    return manager


def requested_page() -> str | None:
    """The page name the browser asked for on this run ('trendz' for /trendz), or None."""
    return _run_pages_manager().intended_page_name or None


def _open_default_page() -> None:
    """/overview names the default page, whose address Streamlit keeps as '/': forget the name, so
    Streamlit opens it without its "Page not found" box."""
    manager = _run_pages_manager()
    manager.set_script_intent(manager.intended_page_script_hash or "", "")


_frozen = False


def freeze_imports() -> None:
    """Once per process, after the heavy imports: move the objects they made (modules, plotly's validators,
    pandas) out of the garbage collector's reach, so a collection looks only at what pages create."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True


def url_lang() -> str:
    """The language before the sidebar runs: the switch's own state, else the link's ?lang=, else Chinese.

    Reading the widget state first means the run that follows a switch already draws the navigation,
    the sidebar title and every page in the new language.
    """
    chosen = st.session_state.get("w_lang")
    if chosen in LANGS:
        return chosen
    asked = st.query_params.get("lang")
    if asked in LANGS:
        return asked
    kept = st.session_state.get("_kept", {}).get("lang")
    return kept if kept in LANGS else "zh"


def navigation(lang: str):
    """st.navigation over PAGES with titles in the language; an unknown page path gets a hidden page that
    says so in the user's language (instead of Streamlit's English box).

    Streamlit's own menu stays hidden (position="hidden", and client.showSidebarNavigation = false in
    .streamlit/config.toml): in its legacy mode, before our first st.navigation call, it would list the
    raw file names of pages/. menu() draws ours instead, from the first run on.
    """
    pages = [
        st.Page(path, title=page_title(key, lang), icon=icon, url_path=key, default=key == "overview")
        for key, path, icon in PAGES
    ]
    asked = requested_page()
    if asked == PAGE_KEYS[0]:
        _open_default_page()
    unknown = st.session_state.get("_unknown_page")
    if asked and asked not in PAGE_KEYS and asked.replace("_", "").replace("-", "").isalnum():
        unknown = st.session_state["_unknown_page"] = asked
    if unknown:
        pages.append(st.Page(_not_found, title=t("not_found_title", lang), url_path=unknown, visibility="hidden"))
    return st.navigation(pages, position="hidden")


def menu(lang: str) -> None:
    """The app's menu at the top of the sidebar, in the language."""
    with st.sidebar.container(key="app_menu"):
        for key, path, icon in PAGES:
            st.page_link(path, label=page_title(key, lang), icon=icon, width="stretch")


def _not_found() -> None:
    lang = url_lang()
    title_slot().title(t("not_found_title", lang))
    st.info(t("not_found", lang, page=literal(st.session_state.get("_unknown_page", ""))), icon="🧭")
    st.page_link("pages/overview.py", label=page_title("overview", lang), icon="🏛️")


def loading(page_key: str | None, lang: str) -> None:
    """The page's title at once and, on a session's first run, a loading note; ui.header fills both slots.

    Two single-element slots, not one container of two: a container written again keeps children it
    is not given, so the note would stay. The title is written on every run: an empty slot would blank
    the old title while the page computes, and the same title written twice does not flicker.
    """
    title, note = st.empty(), st.empty()
    st.session_state[_SLOT] = (title, note)
    if page_key in PAGE_KEYS:
        title.title(page_title(page_key, lang))
    if not st.session_state.get(_FIRST_RUN_DONE):
        note.caption(t("loading", lang))


def title_slot():
    """The title placeholder loading() made (the loading note cleared), or a fresh one if the page
    runs without dashboard.py."""
    st.session_state[_FIRST_RUN_DONE] = True
    title, note = st.session_state.pop(_SLOT, (None, None))
    if note is not None:
        note.empty()
    return title or st.empty()
