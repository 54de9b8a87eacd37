"""Sign-in, sign-out and the signed-in user on a page: the session state in, the user (or None) and the forms out.

Sessions survive a reload through two HttpOnly cookies, SameSite=Strict, Secure over HTTPS, signed and
expiring (itsdangerous, as Flask signs its sessions): rolgov_session (the session id, 8 hours) and
rolgov_device (this browser is known for the user, 180 days; see rolgov/auth.py on throttling).
A page cannot set an HttpOnly cookie, so the server does: app.py runs the dashboard as a st.App with
two routes. After a sign-in the page asks /_rolgov/session, with a one-time grant (random, 60 s,
kept in this process), to set the cookies; a sign-out ends the session in the user store (every tab
ends at its next rerun) and asks /_rolgov/signout to drop the cookie. On a new page load the cookie
is read from st.context.cookies and the session is looked up in the store. Run as a plain
`streamlit run dashboard.py` (no routes), everything works except that a reload signs out.

Also `plain`, how every page echoes text that came from people (file names, cell values, user names):
Streamlit renders st.markdown, st.error, st.table and captions as Markdown, so such text is escaped.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time

import streamlit as st
from itsdangerous import BadSignature, URLSafeTimedSerializer

from rolgov import auth
from rolgov import regions as R
from rolgov.i18n import t
from rolgov.text import plain  # noqa: F401  pages/data.py imports it from here

SESSION_COOKIE, DEVICE_COOKIE = "rolgov_session", "rolgov_device"
DEVICE_DAYS = 180
GRANT_S = 60
_grants: dict[str, tuple[str, str, float]] = {}  # one-time grant -> (session token, device token, expiry)
_grants_lock = threading.Lock()


def _secret() -> bytes:
    """The signing key, beside the user store (mode 0600), made on first use; a new key ends all cookies."""
    path = auth.users_path().with_name("session.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _signer(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(), salt=f"rolgov-{kind}")


def _cookie(name: str, kind: str, max_age_s: int) -> dict | None:
    """A signed cookie of this request, checked and decoded; None when absent, forged or expired."""
    try:
        token = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no request context (tests, scripts)
        return None
    if not token:
        return None
    try:
        return _signer(kind).loads(token, max_age=max_age_s)
    except (BadSignature, ValueError, TypeError):
        return None


def _client() -> str:
    try:
        return st.context.ip_address or "unknown"
    except Exception:  # noqa: BLE001
        return "unknown"


def _from_cookie() -> auth.User | None:
    data = _cookie(SESSION_COOKIE, "session", auth.SESSION_HOURS * 3600)
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("s"), str):
        return None
    return auth.store().resume(data["u"], data["s"])


def session_user() -> auth.User | None:
    """The signed-in user, checked against the user store on every run: a new role or region applies
    at once; a disabled user, a reset password, a sign-out in another tab or an expired session ends
    the session. A new page load picks the session up from its cookie."""
    user = st.session_state.get("user")
    if user is None and not st.session_state.get("cookie_clear"):
        user = _from_cookie()
        if user is not None:
            st.session_state["user"] = user
            return user
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
    """End the session, in the store (every tab holding it) and here: forget everything it held
    (uploads in progress included) and have the browser drop the cookie."""
    user = st.session_state.get("user")
    if isinstance(user, auth.User):
        auth.store().end_session(user)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state["cookie_clear"] = True
    if getattr(user, "via", "") == "oidc":
        st.session_state["oidc_logout"] = True


def _grant(user: auth.User) -> str:
    """A one-time grant for /_rolgov/session to set this user's cookies."""
    session = _signer("session").dumps({"u": user.name, "s": user.session_id})
    device = _signer("device").dumps({"u": user.name, "d": user.device_id})
    grant = secrets.token_urlsafe(32)
    with _grants_lock:
        now = time.time()
        for old in [g for g, (_, _, expiry) in _grants.items() if expiry < now]:
            del _grants[old]
        _grants[grant] = (session, device, now + GRANT_S)
    return grant


def _cookie_requests() -> None:
    """Ask the server to set or drop the cookies (a page cannot touch an HttpOnly cookie itself).
    The script holds only our random grant: nothing that came from people."""
    grant = st.session_state.pop("cookie_grant", None)
    if grant and re.fullmatch(r"[A-Za-z0-9_-]+", grant):
        script = f"fetch('/_rolgov/session', {{method: 'POST', headers: {{'X-Rolgov-Grant': '{grant}'}}}});"
    elif st.session_state.pop("cookie_clear", False):
        script = "fetch('/_rolgov/signout', {method: 'POST'});"
    else:
        return
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


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
        device = _cookie(DEVICE_COOKIE, "device", DEVICE_DAYS * 86400)
        known = device.get("d") if isinstance(device, dict) and device.get("u") == auth.normalise_name(name) else None
        try:
            user = auth.store().authenticate(name, password, client=_client(), device=known)
        except auth.SignInError as exc:
            st.error(str(exc), icon="🔒")
        else:
            st.session_state["user"] = user
            st.session_state["cookie_grant"] = _grant(user)
            st.session_state.pop("signed_out_note", None)
            st.session_state.pop("cookie_clear", None)
            st.rerun()
    if auth.oidc_configured() and st.button("单位统一身份认证登录" if zh else "Sign in with SSO", key=f"{key}_sso"):
        st.login(auth.oidc_provider())


def account_box(user: auth.User | None, lang: str, show_form: bool = True) -> None:
    """In the sidebar: who is signed in, with a sign-out button; or a folded sign-in form."""
    zh = lang == "zh"
    _cookie_requests()
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


# ── the server side: routes for app.py (st.App) ─────────────────────────────────────────────
async def _set_cookies(request):
    from starlette.responses import Response

    with _grants_lock:
        found = _grants.pop(request.headers.get("x-rolgov-grant", ""), None)
    if found is None or found[2] < time.time():
        return Response(status_code=403)
    session, device, _ = found
    response = Response(status_code=204)
    secure = request.url.scheme == "https"
    for name, value, max_age in (
        (SESSION_COOKIE, session, auth.SESSION_HOURS * 3600),
        (DEVICE_COOKIE, device, DEVICE_DAYS * 86400),
    ):
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/")
    return response


async def _drop_session_cookie(request):
    from starlette.responses import Response

    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


def routes() -> list:
    """The two cookie routes app.py mounts beside Streamlit's own (POST only)."""
    from starlette.routing import Route

    return [
        Route("/_rolgov/session", _set_cookies, methods=["POST"]),
        Route("/_rolgov/signout", _drop_session_cookie, methods=["POST"]),
    ]


def page_fault(exc: Exception) -> bool:
    """st.App's on_script_error: a clear message on the page, never a traceback (Streamlit logs it)."""
    lang = st.query_params.get("lang", "zh")
    st.error(t("fault", "en" if lang == "en" else "zh"), icon="⚠️")
    return True
