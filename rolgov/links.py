"""What a link says, and filters kept in it: values in the URL (stable codes, defaults left out) and in the
session (a page switch clears the URL, not these); a value with no data answered in the main area; whatever
a link or a person wrote echoed as plain text (literal()), never as Markdown, a link or an image.
"""

from __future__ import annotations

import streamlit as st

from rolgov import navigation, tables
from rolgov import regions as R
from rolgov.i18n import t
from rolgov.text import literal  # noqa: F401  pages reach it through ui


# ── messages and plain text ──────────────────────────────────────────────────────────────────
def say(text: str, icon: str = "ℹ️") -> None:
    """A message for the main area: before the page title is out, queued and shown under it (the
    sidebar is hidden on a phone, so a message there would go unseen)."""
    if st.session_state.get("_header_done"):
        st.info(text, icon=icon)
    else:
        st.session_state.setdefault("_notices", []).append((text, icon))


def show_notices() -> None:
    for text, icon in st.session_state.pop("_notices", []):
        st.info(text, icon=icon)
    st.session_state["_header_done"] = True


# ── URL-kept filters ─────────────────────────────────────────────────────────────────────────
def _kept() -> dict:
    """Filters of this session that are not defaults, by URL key: a page switch clears the URL, not these."""
    return st.session_state.setdefault("_kept", {})


def url_get(key: str, default=None):
    if key in st.query_params:
        return st.query_params.get(key)
    return _kept().get(key, default)


def url_set(key: str, value, default) -> None:
    """Keep a filter in the URL and the session; a default value stays out of both."""
    if value is None or value == default or value == [] or str(value) == str(default):
        if key in st.query_params:
            del st.query_params[key]
        _kept().pop(key, None)
    elif isinstance(value, list | tuple):
        st.query_params[key] = [str(v) for v in value]
        _kept()[key] = [str(v) for v in value]
    else:
        st.query_params[key] = str(value)
        _kept()[key] = str(value)


def url_select(
    label: str,
    options: list,
    key: str,
    default,
    format_func=str,
    where=st,
    odd: str = "odd_link",
    noun: str | None = None,
    **kwargs,
):
    """A selectbox whose value lives in the URL as ?key=value (stable codes, whatever the language).

    A link's value wins over the session's; a value with no data here gets a message in the main area
    (the `odd` string naming `noun`, or the label, with the link's value as plain text) and the default
    is shown.
    """
    if not options:
        return None
    widget = f"w_{key}"
    valid = {str(o): o for o in options}
    fallback = default if default in options else options[0]
    wanted = st.query_params.get(key) if key in st.query_params else None
    current = st.session_state.get(widget)
    if wanted in valid and wanted != _kept().get(key):
        current = valid[wanted]  # a link asked for it
    elif current not in options:
        current = valid.get(str(_kept().get(key)), fallback)
    # set on every run: after a page switch Streamlit forgets the value of a widget it did not draw
    st.session_state[widget] = current
    choice = where.selectbox(label, options, format_func=format_func, key=widget, **kwargs)
    if wanted is not None and wanted not in valid:
        lang = current_lang()
        say(t(odd, lang, label=noun or label, value=literal(wanted), shown=md_escape(format_func(choice))))
    url_set(key, choice, default)
    return choice


def url_multiselect(label: str, options: list, key: str, default: list, format_func=str, where=st, **kwargs):
    """A multiselect kept in the URL as ?key=a&key=b; values with no data are named in a message."""
    widget = f"w_{key}"
    valid = {str(o): o for o in options}
    most = kwargs.get("max_selections")
    wanted = st.query_params.get_all(key) if key in st.query_params else None
    if wanted is not None:
        known = [valid[w] for w in wanted if w in valid]
        if known and [str(k) for k in known] != _kept().get(key):  # none known: the default, as for no link
            st.session_state[widget] = known[:most] if most else known  # a link asked for them
        lang = current_lang()
        unknown = [w for w in wanted if w not in valid]
        if unknown:
            say(t("odd_link_list", lang, label=label, values=" ".join(literal(u, 30) for u in unknown[:5])))
        if most and len(known) > most:
            say(t("too_many", lang, label=label, most=most))
    current = st.session_state.get(widget)
    if current is None or any(v not in options for v in current):
        kept = [valid[k] for k in _kept().get(key, []) if k in valid]
        current = kept or [d for d in default if d in options]
    st.session_state[widget] = current
    kwargs.setdefault("placeholder", t("multiselect_placeholder", current_lang()))  # not Streamlit's English
    choice = where.multiselect(label, options, format_func=format_func, key=widget, **kwargs)
    url_set(key, choice if choice != default else None, None)
    return choice


def url_toggle(label: str, key: str) -> bool:
    """A toggle kept in the URL as ?key=1 (off is the default)."""
    widget = f"w_{key}"
    st.session_state[widget] = st.session_state.get(widget, url_get(key) == "1")
    on = st.toggle(label, key=widget)
    url_set(key, "1" if on else None, None)
    return on


def url_text(label: str, key: str, placeholder: str = "") -> str:
    """A text input kept in the URL as ?key=text (stripped; empty is the default)."""
    widget = f"w_{key}"
    st.session_state[widget] = st.session_state.get(widget, url_get(key, ""))
    text = st.text_input(label, key=widget, placeholder=placeholder).strip()
    url_set(key, text, "")
    return text


md_escape = tables.escape_markdown


def current_lang() -> str:
    return navigation.url_lang()


def view_params(ctx, **extra) -> dict:
    """The global view as URL parameters for a link to another page: year always (a link names its year),
    scope and language when not the defaults, plus the page's own parameters."""
    params = {"year": str(ctx.year)} if ctx.year is not None else {}
    if ctx.scope != R.DEFAULT_SCOPE:
        params["scope"] = ctx.scope
    if ctx.lang != "zh":
        params["lang"] = ctx.lang
    return params | {k: v for k, v in extra.items() if v not in (None, "", [])}
