"""Sign-in, sign-out and the signed-in user on a page: the session state in, the user (or None) and the forms out.

Also `plain`, how every page echoes text that came from people (file names, cell values, user names):
Streamlit renders st.markdown, st.error, st.table and captions as Markdown, so such text is escaped.
"""

from __future__ import annotations

import re

import streamlit as st

from rolgov import auth
from rolgov import regions as R
from rolgov.i18n import t

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; escaping them all keeps
# [x](http://evil.example) and ![t](http://evil.example/t.png) as text (no link, no fetch), and stops
# autolinks (http\://, www\.), Streamlit's :red[...] and :material/icon: directives and $math$.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text) -> str:
    """Text from people, escaped for any Streamlit element that renders Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def session_user() -> auth.User | None:
    """The signed-in user, checked against the user store on every run: a new role or region applies
    at once; a disabled user, a reset password or an expired session ends the session."""
    user = st.session_state.get("user")
    if user is None:
        if auth.oidc_configured():
            user = auth.user_from_oidc()
            if user is not None:
                st.session_state["user"] = user
        return user
    fresh = auth.store().session_user(user) if isinstance(user, auth.User) else None
    if fresh is None:
        del st.session_state["user"]
        st.session_state["signed_out_note"] = True
        return None
    st.session_state["user"] = fresh
    return fresh


def _sign_out() -> None:
    """End the session: forget everything it held (uploads in progress included)."""
    via = getattr(st.session_state.get("user"), "via", "")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if via == "oidc":
        st.session_state["oidc_logout"] = True


def sign_in_form(key: str, lang: str) -> None:
    """User name and password (and the SSO button when OIDC is configured); signs in and reruns."""
    zh = lang == "zh"
    with st.form(key, clear_on_submit=True):
        name = st.text_input("用户名" if zh else "User name", key=f"{key}_name", autocomplete="username")
        password = st.text_input(
            "密码" if zh else "Password", type="password", key=f"{key}_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("登录" if zh else "Sign in", type="primary")
    if submitted:
        try:
            user = auth.store().authenticate(name, password)
        except auth.SignInError as exc:
            st.error(str(exc), icon="🔒")
        else:
            st.session_state["user"] = user
            st.session_state.pop("signed_out_note", None)
            st.rerun()
    if auth.oidc_configured() and st.button("单位统一身份认证登录" if zh else "Sign in with SSO", key=f"{key}_sso"):
        st.login(auth.oidc_provider())


def account_box(user: auth.User | None, lang: str, show_form: bool = True) -> None:
    """In the sidebar: who is signed in, with a sign-out button; or a folded sign-in form."""
    zh = lang == "zh"
    if st.session_state.pop("oidc_logout", False):
        st.logout()
    if user is not None or show_form:
        st.divider()
    if user is not None:
        regions = (
            ("、" if zh else ", ").join(R.name_of(c, None, lang) for c in user.regions) if user.role == "editor" else ""
        )
        role = user.role_label(lang) + (("，" if zh else ", ") + regions if regions else "")
        name = plain(user.name)
        st.caption(f"已登录：**{name}**（{role}）" if zh else f"Signed in: **{name}** ({role})")
        st.button("退出登录" if zh else "Sign out", key="sign_out", on_click=_sign_out)
        return
    if st.session_state.pop("signed_out_note", False):
        st.info("会话已结束，请重新登录 / your session has ended: sign in again", icon="🔒")
    if show_form:
        with st.expander("登录" if zh else "Sign in", icon="🔑"):
            sign_in_form("signin_sidebar", lang)


def sign_in_page(lang: str) -> None:
    """The whole page when viewing requires sign-in (ROLGOV_REQUIRE_LOGIN=1) and nobody is signed in."""
    st.title(t("app_title", lang))
    st.info("本看板需登录后查看 / sign in to view this dashboard", icon="🔒")
    sign_in_form("signin_main", lang)
