"""Who may sign in and what they may do: a local user store with argon2 hashes, roles, regions, lockout, optional OIDC.

The store is a JSON file at $ROLGOV_USERS (default data/users.json, never committed), mode 0600,
rewritten atomically (temp file + rename) under a lock file, so two sign-ins never lose a write.
Users are managed with `python -m rolgov.users` (add, disable, enable, set-role, reset-password, list).

Roles:
- admin: every region, rollback of batches, user management;
- editor: loads data only for its regions. A county code allows that county. A prefecture or
  province code (610900) allows its whole-area figures (610900, survey and yes/no items) and its
  own level (610900BJ, 市本级), not its counties: list the counties too, or make the clerk an admin.
  Old codes are stored as the current ones (旬阳县 610928 as 旬阳市 610981);
- viewer: signed in, so sees internal indicators; changes nothing.

Sign-in throttling has three parts, so guessing is slow but strangers cannot lock a colleague out:
- per client (the address the page sees): after CLIENT_FREE_FAILURES (3) failures, each further
  try waits 1, 2, 4 … 60 s, and the 20th failure pauses sign-in from that client for 15 minutes,
  whatever names it tries (spraying many names from one place is stopped here first);
- per user name, for clients the user has never signed in from: after failures 1-4 in a row the
  next try waits 1, 2, 4 and 8 s; the 5th locks the name for 15 minutes for such clients;
- per known device: a browser that signed in as this user before holds a signed device cookie
  (OWASP's "device cookies"). It ignores the name's lock, has its own five failures, and a correct
  password from it lifts the name's lock. So five requests from strangers never keep an admin out.
A correct password resets the counts; `enable` and `reset-password` lift every lock. Unknown names
are throttled the same way (in memory), and a disabled account is only named once its password is
right, so the messages never tell which names exist.

Sessions: a password sign-in creates a session record (a random id, kept hashed in the store), and
the page sets a signed, expiring, HttpOnly cookie holding it (rolgov/account.py), so a reload keeps
the user signed in. A session ends on sign-out (in every tab, at their next rerun), after
SESSION_HOURS (8) hours, or at once when an admin disables the user or resets the password.

Viewing: open to anyone by default; ROLGOV_REQUIRE_LOGIN=1 makes every page show only the sign-in
form until someone signs in. Data management always requires sign-in.

OIDC (optional): when .streamlit/secrets.toml has an [auth] section (redirect_uri, cookie_secret,
and the provider's client_id, client_secret, server_metadata_url; or [auth.NAME] sections) and
Authlib is installed, a button signs in through st.login. The identity's e-mail must match the
`email` of an enabled user in the store, who brings the role and regions; other identities get
no rights. Set ROLGOV_OIDC_PROVIDER to pick one of several [auth.NAME] providers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from filelock import FileLock

from rolgov import regions as R
from rolgov.catalog import ROOT

ROLES = ("admin", "editor", "viewer")
ROLE_LABELS = {"admin": ("管理员", "admin"), "editor": ("填报员", "editor"), "viewer": ("查看者", "viewer")}
RETRY_DELAYS_S = (1, 2, 4, 8)  # wait after failure 1, 2, 3, 4 in a row
MAX_FAILURES = 5  # the 5th failure in a row locks the name
LOCK_S = 15 * 60
CLIENT_FREE_FAILURES = 3  # failures from one client before it must wait
CLIENT_MAX_DELAY_S = 60
CLIENT_MAX_FAILURES = 20  # then the client is paused for LOCK_S
DEVICES_KEPT = 20  # known devices remembered per user
SESSION_HOURS = 8
MIN_PASSWORD = 10
NAME_PATTERN = re.compile(r"^\w[\w.@-]{1,63}$")  # starts with a letter or digit: names appear in exports


def users_path() -> Path:
    """Read at each call, so tests and deployments can point elsewhere without re-importing."""
    return Path(os.environ.get("ROLGOV_USERS", ROOT / "data" / "users.json"))


def require_login() -> bool:
    return os.environ.get("ROLGOV_REQUIRE_LOGIN", "").strip().lower() in ("1", "true", "yes", "on")


class SignInError(Exception):
    """A refused sign-in; the message is bilingual and says what to do. `reason`: bad | wait | locked | disabled."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class UserError(ValueError):
    """A user-store change that cannot be made: bad name, role, region or password."""


class UserNotFound(UserError):
    """No such user."""


class UserExists(UserError):
    """The name is taken."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    regions: tuple[str, ...] = ()
    email: str = ""
    via: str = "password"  # password | oidc
    signed_in_at: float = field(default_factory=time.time)
    session_id: str | None = field(default=None, repr=False)  # the cookie's session (password sign-ins)
    device_id: str | None = field(default=None, repr=False)  # this browser, now known for this user

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_load(self) -> bool:
        return self.role in ("admin", "editor")

    def role_label(self, lang: str = "zh") -> str:
        zh, en = ROLE_LABELS[self.role]
        return zh if lang == "zh" else en


def normalise_name(name: str) -> str:
    return str(name).strip().casefold()


def normalise_regions(codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Division codes (old or current, or NNNNNNBJ) to canonical codes; raises UserError naming an unknown one."""
    regions = R.reference()
    canonical = dict(zip(regions["code"], regions["canonical_code"], strict=True))
    out: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if not code:
            continue
        if code not in canonical:
            raise UserError(
                f"未知的区划代码 {code} / unknown region code {code}; "
                "use a 6-digit code from data/regions.csv, or 610900BJ for 市本级"
            )
        if canonical[code] not in out:
            out.append(canonical[code])
    return tuple(out)


def check_role(role: str, regions: tuple[str, ...]) -> None:
    if role not in ROLES:
        names = ", ".join(ROLES)
        raise UserError(f"未知角色 {role}，可选 {names} / unknown role {role}; use one of {names}")
    if role == "editor" and not regions:
        raise UserError("填报员须指定地区：--regions 610902,610921 / an editor needs --regions")


def allowed_regions(user: User | None) -> set[str] | None:
    """Canonical codes a user may load: None means every region (admins); an empty set means none."""
    if user is None or user.role == "viewer":
        return set()
    if user.role == "admin":
        return None
    allowed: set[str] = set()
    for code in user.regions:
        allowed.add(code)
        if R.is_total(code):
            allowed.add(R.own_level_code(code))
    return allowed


def _message(reason: str, **values) -> str:
    texts = {
        "bad_left": "用户名或密码错误；再错 {left} 次将锁定 {minutes} 分钟 / wrong user name or password; "
        "{left} more failure(s) lock the account for {minutes} minutes",
        "wait": "登录失败次数较多，请 {seconds} 秒后再试 / too many failed sign-ins: try again in {seconds} s",
        "locked": "连续 {failures} 次登录失败，账户已锁定，请 {minutes} 分钟后再试，或请管理员重置密码 / "
        "{failures} failed sign-ins in a row: the account is locked; try again in {minutes} minutes, "
        "or ask an administrator to reset the password",
        "disabled": "账户已停用，请联系管理员 / this account is disabled: ask an administrator",
        "client_wait": "此处登录失败次数较多，请 {seconds} 秒后再试 / too many failed sign-ins from here: "
        "try again in {seconds} s",
        "client_locked": "此处登录失败次数过多，已暂停登录 {minutes} 分钟 / too many failed sign-ins from here: "
        "signing in is paused for {minutes} minutes",
    }
    return texts[reason].format(**values)


class UserStore:
    """The user file: read, change under a lock, write atomically. `clock` returns epoch seconds (tests inject one)."""

    def __init__(
        self,
        path: Path | str | None = None,
        clock: Callable[[], float] = time.time,
        hasher: PasswordHasher | None = None,
    ):
        self.path = Path(path) if path is not None else users_path()
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._unknown: dict[str, dict] = {}  # throttling state of names not in the store
        self._clients: dict[str, dict] = {}  # throttling state per client address
        self._dummy_hash: str | None = None

    # ── the file ────────────────────────────────────────────────────────────────────────────
    def _read(self) -> dict:
        if not self.path.exists():
            return {"version": 1, "users": {}}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        data.setdefault("users", {})
        return data

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @contextlib.contextmanager
    def _change(self) -> Iterator[dict]:
        """Read, let the body change, write back; one writer at a time across processes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(self.path.with_name(self.path.name + ".lock")):  # POSIX and Windows alike
            data = self._read()
            yield data
            self._write(data)

    # ── reading ─────────────────────────────────────────────────────────────────────────────
    def entries(self) -> dict[str, dict]:
        return self._read()["users"]

    def get(self, name: str) -> dict | None:
        return self.entries().get(normalise_name(name))

    @staticmethod
    def _user(name: str, entry: dict, via: str, now: float) -> User:
        return User(
            name=name,
            role=entry["role"],
            regions=tuple(entry.get("regions", ())),
            email=entry.get("email", ""),
            via=via,
            signed_in_at=now,
        )

    # ── changes (the CLI) ──────────────────────────────────────────────────────────────────
    def _check_password(self, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise UserError(f"密码至少 {MIN_PASSWORD} 个字符 / the password needs at least {MIN_PASSWORD} characters")

    def add(
        self, name: str, password: str | None, role: str, regions: list[str] | tuple[str, ...] = (), email: str = ""
    ) -> None:
        key = normalise_name(name)
        if not NAME_PATTERN.match(key):
            raise UserError(
                "用户名须为 2–64 个字母、数字、汉字或 . _ @ -，以字母、数字或汉字开头 / "
                "a user name is 2-64 letters, digits, . _ @ -, starting with a letter or digit"
            )
        codes = normalise_regions(regions) if role == "editor" else ()
        check_role(role, codes)
        if password is not None:
            self._check_password(password)
        with self._change() as data:
            if key in data["users"]:
                raise UserExists(f"用户 {key} 已存在 / user {key} already exists")
            data["users"][key] = {
                "role": role,
                "regions": list(codes),
                "email": email.strip().casefold(),
                "password": self.hasher.hash(password) if password is not None else None,
                "disabled": False,
                "failures": 0,
                "retry_after": 0,
                "locked_until": 0,
                "sessions_valid_after": 0,
                "created_at": self.clock(),
                "last_sign_in": None,
            }

    def _update(self, name: str, change: Callable[[dict], None]) -> None:
        key = normalise_name(name)
        with self._change() as data:
            entry = data["users"].get(key)
            if entry is None:
                raise UserNotFound(f"没有用户 {key} / no user {key}; see `python -m rolgov.users list`")
            change(entry)

    def set_role(self, name: str, role: str, regions: list[str] | tuple[str, ...] | None = None) -> None:
        codes = normalise_regions(regions) if regions is not None else None

        def change(entry: dict) -> None:
            kept = codes if codes is not None else tuple(entry.get("regions", ()))
            check_role(role, kept if role == "editor" else ())
            entry["role"], entry["regions"] = role, list(kept) if role == "editor" else []

        self._update(name, change)

    def set_email(self, name: str, email: str) -> None:
        self._update(name, lambda e: e.update(email=email.strip().casefold()))

    def set_password(self, name: str, password: str) -> None:
        self._check_password(password)
        hashed = self.hasher.hash(password)
        now = self.clock()
        self._update(
            name,
            lambda e: e.update(
                password=hashed,
                failures=0,
                retry_after=0,
                locked_until=0,
                sessions_valid_after=now,
                sessions={},
                devices={},
            ),
        )

    def disable(self, name: str) -> None:
        now = self.clock()
        self._update(name, lambda e: e.update(disabled=True, sessions_valid_after=now, sessions={}))

    def enable(self, name: str) -> None:
        def change(entry: dict) -> None:
            entry.update(disabled=False, failures=0, retry_after=0, locked_until=0)
            for device in entry.get("devices", {}).values():
                device.update(failures=0, locked_until=0)

        self._update(name, change)

    # ── signing in ─────────────────────────────────────────────────────────────────────────
    def _verify(self, hashed: str | None, password: str) -> bool:
        if hashed is None:  # an OIDC-only user, or an unknown name: spend the same time anyway
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash("no user has this password")
            hashed = self._dummy_hash
            with contextlib.suppress(VerificationError, InvalidHashError):
                self.hasher.verify(hashed, password)
            return False
        try:
            return self.hasher.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def authenticate(self, name: str, password: str, client: str | None = None, device: str | None = None) -> User:
        """The user, or SignInError: wrong name or password, wait, locked, disabled (see the module doc).

        client: the address the request came from (None: not throttled per client, as for the CLI);
        device: the id from this browser's device cookie for this name, when it has a valid one.
        """
        key = normalise_name(name)
        refused = self._client_refusal(client)
        if refused is not None:
            raise refused
        with self._change() as data:  # the failure count is written back before the error is raised
            outcome = self._attempt(key, data["users"].get(key), password, device)
        self._client_outcome(client, failed=isinstance(outcome, SignInError) and outcome.reason == "bad")
        if isinstance(outcome, SignInError):
            raise outcome
        return outcome

    def _client_refusal(self, client: str | None) -> SignInError | None:
        if client is None:
            return None
        state, now = self._clients.get(client, {}), self.clock()
        if now < state.get("locked_until", 0):
            return SignInError(
                "locked", _message("client_locked", minutes=math.ceil((state["locked_until"] - now) / 60))
            )
        if now < state.get("retry_after", 0):
            return SignInError("wait", _message("client_wait", seconds=math.ceil(state["retry_after"] - now)))
        return None

    def _client_outcome(self, client: str | None, failed: bool) -> None:
        if client is None:
            return
        if not failed:
            self._clients.pop(client, None)
            return
        state, now = self._clients.setdefault(client, {}), self.clock()
        failures = state.get("failures", 0) + 1
        state["failures"] = failures
        if failures >= CLIENT_MAX_FAILURES:
            state.update(failures=0, retry_after=0, locked_until=now + LOCK_S)
        elif failures >= CLIENT_FREE_FAILURES:
            state["retry_after"] = now + min(2 ** (failures - CLIENT_FREE_FAILURES), CLIENT_MAX_DELAY_S)
        if len(self._clients) > 10_000:  # a flood of addresses: keep only those still paused
            self._clients = {k: v for k, v in self._clients.items() if v.get("locked_until", 0) > now}

    def _attempt(self, key: str, entry: dict | None, password: str, device: str | None) -> User | SignInError:
        now = self.clock()
        known = entry is not None and device is not None and _hash(device) in entry.get("devices", {})
        # a known device has its own counts; everyone else shares the name's
        state = entry["devices"][_hash(device)] if known else entry if entry is not None else None
        if state is None:
            state = self._unknown.setdefault(key, {})
        if now < (state.get("locked_until") or 0):
            minutes = math.ceil((state["locked_until"] - now) / 60)
            return SignInError("locked", _message("locked", failures=MAX_FAILURES, minutes=minutes))
        if now < (state.get("retry_after") or 0):
            return SignInError("wait", _message("wait", seconds=math.ceil(state["retry_after"] - now)))
        if not self._verify(entry.get("password") if entry else None, password):
            failures = int(state.get("failures") or 0) + 1
            if failures >= MAX_FAILURES:
                state.update(failures=0, retry_after=0, locked_until=now + LOCK_S)
                self._forget_unknown()
                return SignInError("locked", _message("locked", failures=MAX_FAILURES, minutes=LOCK_S // 60))
            state.update(failures=failures, retry_after=now + RETRY_DELAYS_S[failures - 1])
            return SignInError("bad", _message("bad_left", left=MAX_FAILURES - failures, minutes=LOCK_S // 60))
        entry.update(failures=0, retry_after=0, locked_until=0)  # a right password lifts the name's lock
        if entry.get("disabled"):
            return SignInError("disabled", _message("disabled"))
        if self.hasher.check_needs_rehash(entry["password"]):
            entry["password"] = self.hasher.hash(password)
        entry["last_sign_in"] = now
        device = device if known else secrets.token_urlsafe(24)
        devices = entry.setdefault("devices", {})
        devices[_hash(device)] = {"failures": 0, "retry_after": 0, "locked_until": 0, "seen": now}
        if len(devices) > DEVICES_KEPT:
            for old in sorted(devices, key=lambda d: devices[d].get("seen", 0))[: len(devices) - DEVICES_KEPT]:
                del devices[old]
        session = secrets.token_urlsafe(32)
        sessions = {k: v for k, v in entry.get("sessions", {}).items() if v > now}  # hash -> expiry
        sessions[_hash(session)] = now + SESSION_HOURS * 3600
        entry["sessions"] = sessions
        return replace(self._user(key, entry, "password", now), session_id=session, device_id=device)

    def end_session(self, user: User) -> None:
        """Sign-out: the session's record goes, so every tab holding it ends at its next rerun."""
        if user.session_id is None:
            return
        with contextlib.suppress(UserNotFound):
            self._update(user.name, lambda e: e.get("sessions", {}).pop(_hash(user.session_id), None))

    def resume(self, name: str, session_id: str) -> User | None:
        """The user of a live session (from the cookie of a reloaded page), or None."""
        key = normalise_name(name)
        entry = self.get(key)
        now = self.clock()
        expires = (entry or {}).get("sessions", {}).get(_hash(session_id), 0)
        if entry is None or entry.get("disabled") or expires <= now:
            return None
        user = self._user(key, entry, "password", expires - SESSION_HOURS * 3600)
        return replace(user, session_id=session_id)

    def _forget_unknown(self) -> None:
        """Keep the in-memory state of unknown names bounded (a flood of made-up names)."""
        if len(self._unknown) > 10_000:
            now = self.clock()
            self._unknown = {k: v for k, v in self._unknown.items() if (v.get("locked_until") or 0) > now}

    def by_email(self, email: str) -> User | None:
        """The enabled user whose e-mail an OIDC identity carries, or None."""
        wanted = str(email or "").strip().casefold()
        if not wanted:
            return None
        for key, entry in self.entries().items():
            if entry.get("email") == wanted and not entry.get("disabled"):
                return self._user(key, entry, "oidc", self.clock())
        return None

    def session_user(self, user: User) -> User | None:
        """The signed-in user as the store has them now (role and regions may have changed), or None
        when the session must end: the user was removed or disabled, the password was reset, or the
        session is older than SESSION_HOURS."""
        entry = self.get(user.name)
        now = self.clock()
        if entry is None or entry.get("disabled"):
            return None
        if now - user.signed_in_at > SESSION_HOURS * 3600:
            return None
        if (entry.get("sessions_valid_after") or 0) > user.signed_in_at:
            return None
        if user.via == "oidc" and entry.get("email") != user.email:
            return None
        if user.session_id is not None and entry.get("sessions", {}).get(_hash(user.session_id), 0) <= now:
            return None  # signed out in another tab, or expired
        return replace(user, role=entry["role"], regions=tuple(entry.get("regions", ())), email=entry.get("email", ""))


def _hash(token: str) -> str:
    """Session and device ids are kept hashed: a copy of the store grants no session."""
    return hashlib.sha256(token.encode()).hexdigest()


_stores: dict[Path, UserStore] = {}


def store() -> UserStore:
    """The store at users_path(), one per path per process (it holds the throttling of unknown names)."""
    path = users_path()
    if path not in _stores:
        _stores[path] = UserStore(path)
    return _stores[path]


# ── OIDC through st.login ────────────────────────────────────────────────────────────────────
def _auth_section():
    """The [auth] section of secrets.toml, or None; never raises (no secrets file is the usual case)."""
    try:
        import streamlit as st

        if not st.secrets.load_if_toml_exists():
            return None
        return st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - a broken secrets file must not take the dashboard down
        return None


def oidc_configured() -> bool:
    try:
        import authlib  # noqa: F401  st.login needs it
    except ImportError:
        return False
    section = _auth_section()
    return bool(section) and "redirect_uri" in section and "cookie_secret" in section


def oidc_provider() -> str | None:
    """None for a single provider configured directly in [auth]; else the [auth.NAME] to use."""
    wanted = os.environ.get("ROLGOV_OIDC_PROVIDER")
    if wanted:
        return wanted
    section = _auth_section() or {}
    if "client_id" in section:
        return None
    return next((k for k, v in section.items() if hasattr(v, "get") and "client_id" in v), None)


def user_from_oidc() -> User | None:
    """The store's user for the identity st.login established, or None (not signed in, or not known)."""
    try:
        import streamlit as st

        info = st.user
        if not info.get("is_logged_in"):
            return None
        if info.get("email_verified") is False:
            return None
        return store().by_email(info.get("email", ""))
    except Exception:  # noqa: BLE001 - no identity, whatever went wrong, means no rights
        return None
