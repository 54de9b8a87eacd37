"""The user store: salted argon2 hashes, roles and regions, throttling and lockout on a fake clock,
sessions that end, and the `python -m rolgov.users` command line with its exit codes."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from rolgov import auth, users
from rolgov.auth import SignInError, User, UserStore
from tests.conftest import ROOT

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only: quick, still argon2id
PASSWORD = "correct horse battery"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> UserStore:
    store = UserStore(tmp_path / "users.json", clock=clock, hasher=FAST)
    store.add("Alice", PASSWORD, "editor", ["610902", "610928"])
    return store


def refused(store: UserStore, name: str, password: str) -> SignInError:
    with pytest.raises(SignInError) as caught:
        store.authenticate(name, password)
    return caught.value


def test_passwords_are_stored_as_salted_argon2id_hashes(tmp_path, store):
    store.add("bob", PASSWORD, "viewer")
    text = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert PASSWORD not in text
    alice, bob = store.get("alice")["password"], store.get("bob")["password"]
    assert alice.startswith("$argon2id$") and bob.startswith("$argon2id$")
    assert alice != bob  # same password, different salt
    assert stat.S_IMODE((tmp_path / "users.json").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []  # atomic write left nothing


def test_sign_in_returns_the_user_with_canonical_regions(store, clock):
    user = store.authenticate("  ALICE ", PASSWORD)
    assert (user.name, user.role, user.regions, user.via) == ("alice", "editor", ("610902", "610981"), "password")
    assert user.signed_in_at == clock.now
    assert store.get("alice")["last_sign_in"] == clock.now


def test_failures_slow_down_then_lock_for_fifteen_minutes(store, clock):
    assert str(refused(store, "alice", "wrong")) == (
        "用户名或密码错误；再错 4 次将锁定 15 分钟 / wrong user name or password; "
        "4 more failure(s) lock the account for 15 minutes"
    )
    # Too soon after a failure: refused without even checking the password, and not counted.
    early = refused(store, "alice", PASSWORD)
    assert early.reason == "wait"
    assert str(early) == "登录失败次数较多，请 1 秒后再试 / too many failed sign-ins: try again in 1 s"
    waits = []
    for _ in range(3):
        clock.advance(30)
        assert refused(store, "alice", "wrong").reason == "bad"
        waits.append(str(refused(store, "alice", "wrong")))
    assert waits == [
        f"登录失败次数较多，请 {s} 秒后再试 / too many failed sign-ins: try again in {s} s" for s in (2, 4, 8)
    ]
    clock.advance(8)
    locked = refused(store, "alice", "wrong")  # the 5th failure in a row
    assert locked.reason == "locked"
    assert str(locked) == (
        "连续 5 次登录失败，账户已锁定，请 15 分钟后再试，或请管理员重置密码 / 5 failed sign-ins in a row: "
        "the account is locked; try again in 15 minutes, or ask an administrator to reset the password"
    )
    clock.advance(14 * 60)
    assert refused(store, "alice", PASSWORD).reason == "locked"  # even the right password waits
    assert "请 1 分钟后再试" in str(refused(store, "alice", PASSWORD))
    clock.advance(61)
    assert store.authenticate("alice", PASSWORD).name == "alice"
    assert (store.get("alice")["failures"], store.get("alice")["locked_until"]) == (0, 0)


def test_a_success_resets_the_count(store, clock):
    for _ in range(4):
        refused(store, "alice", "wrong")
        clock.advance(10)
    store.authenticate("alice", PASSWORD)
    clock.advance(10)
    assert "再错 4 次" in str(refused(store, "alice", "wrong"))


def test_unknown_names_are_throttled_alike_so_messages_reveal_nothing(store, clock):
    first = refused(store, "mallory", "guess")
    assert str(first) == str(SignInError("bad", auth._message("bad_left", left=4, minutes=15)))
    assert refused(store, "mallory", "guess").reason == "wait"
    for _ in range(4):
        clock.advance(10)
        last = refused(store, "mallory", "guess")
    assert last.reason == "locked"
    assert "mallory" not in store.entries()


def test_disabled_user_is_told_only_with_the_right_password(store, clock):
    store.disable("alice")
    assert refused(store, "alice", "wrong").reason == "bad"
    clock.advance(2)
    disabled = refused(store, "alice", PASSWORD)
    assert str(disabled) == "账户已停用，请联系管理员 / this account is disabled: ask an administrator"
    store.enable("alice")
    assert store.authenticate("alice", PASSWORD).role == "editor"


def test_enable_and_reset_password_lift_a_lock(store, clock):
    for _ in range(5):
        refused(store, "alice", "wrong")
        clock.advance(10)
    assert refused(store, "alice", PASSWORD).reason == "locked"
    store.enable("alice")
    assert store.authenticate("alice", PASSWORD).name == "alice"
    for _ in range(5):
        clock.advance(10)
        refused(store, "alice", "wrong")
    store.set_password("alice", "a brand new passphrase")
    assert store.authenticate("alice", "a brand new passphrase").name == "alice"


def test_sessions_end_on_disable_reset_expiry_and_follow_role_changes(store, clock):
    user = store.authenticate("alice", PASSWORD)
    clock.advance(60)
    store.set_role("alice", "admin")
    assert store.session_user(user).role == "admin" and store.session_user(user).regions == ()
    store.set_password("alice", "a brand new passphrase")
    assert store.session_user(user) is None
    fresh = store.authenticate("alice", "a brand new passphrase")
    clock.advance(auth.SESSION_HOURS * 3600 + 1)
    assert store.session_user(fresh) is None
    again = store.authenticate("alice", "a brand new passphrase")
    store.disable("alice")
    assert store.session_user(again) is None


def test_allowed_regions_by_role():
    assert auth.allowed_regions(User("a", "admin")) is None
    assert auth.allowed_regions(User("v", "viewer")) == set()
    assert auth.allowed_regions(None) == set()
    assert auth.allowed_regions(User("e", "editor", ("610902", "610981"))) == {"610902", "610981"}
    # a city editor may load the whole-city figures and the city's own level, not its counties
    assert auth.allowed_regions(User("c", "editor", ("610900",))) == {"610900", "610900BJ"}


def test_store_refuses_bad_input(store):
    with pytest.raises(auth.UserError, match="密码至少 10 个字符"):
        store.add("carol", "short", "viewer")
    with pytest.raises(auth.UserError, match="填报员须指定地区"):
        store.add("carol", PASSWORD, "editor", [])
    with pytest.raises(auth.UserError, match="未知的区划代码 999999"):
        store.add("carol", PASSWORD, "editor", ["999999"])
    with pytest.raises(auth.UserError, match="未知角色 boss"):
        store.add("carol", PASSWORD, "boss")
    with pytest.raises(auth.UserError, match="以字母、数字或汉字开头"):
        store.add("=1+1", PASSWORD, "viewer")  # names appear in tables people download
    with pytest.raises(auth.UserExists):
        store.add("ALICE", PASSWORD, "viewer")
    with pytest.raises(auth.UserNotFound):
        store.disable("nobody")


def test_oidc_identity_maps_by_email_to_an_enabled_user(store):
    store.add("sso-admin", None, "admin", email="Admin@Ankang.gov.cn")
    assert store.by_email("admin@ankang.gov.cn").role == "admin"
    assert store.by_email("admin@ankang.gov.cn").via == "oidc"
    assert store.by_email("stranger@example.com") is None
    assert store.by_email("") is None
    assert refused(store, "sso-admin", "anything at all").reason == "bad"  # no password: SSO only
    store.disable("sso-admin")
    assert store.by_email("admin@ankang.gov.cn") is None


def test_oidc_is_off_without_configuration():
    assert auth.oidc_configured() is False  # no Authlib and no [auth] secrets on this machine


def test_require_login_follows_the_environment(monkeypatch):
    monkeypatch.delenv("ROLGOV_REQUIRE_LOGIN", raising=False)
    assert auth.require_login() is False
    monkeypatch.setenv("ROLGOV_REQUIRE_LOGIN", "1")
    assert auth.require_login() is True


# ── the command line ─────────────────────────────────────────────────────────────────────────
def run_cli(monkeypatch, capsys, tmp_path, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setenv("ROLGOV_USERS", str(tmp_path / "users.json"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = users.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_add_list_disable_enable_set_role_reset(monkeypatch, capsys, tmp_path):
    def cli(*argv, stdin=""):
        return run_cli(monkeypatch, capsys, tmp_path, *argv, stdin=stdin)

    assert cli("add", "hanbin", "--role", "editor", "--regions", "610902", "--password-stdin", stdin=PASSWORD + "\n")[
        :2
    ] == (0, "已添加 hanbin（editor）/ added\n")
    code, out, _ = cli("list")
    assert code == 0 and out.startswith("hanbin ") and "610902" in out and "有效 active" in out
    assert PASSWORD not in out and "argon2" not in out
    assert cli("disable", "hanbin")[:2] == (0, "已停用 hanbin / disabled\n")
    assert "停用 disabled" in cli("list")[1]
    assert cli("enable", "hanbin")[0] == 0
    assert cli("set-role", "hanbin", "editor", "--regions", "610902,610921")[0] == 0
    assert json.loads((tmp_path / "users.json").read_text())["users"]["hanbin"]["regions"] == ["610902", "610921"]
    assert cli("reset-password", "hanbin", "--password-stdin", stdin="another long password\n")[:2] == (
        0,
        "已重置 hanbin 的密码 / password reset\n",
    )
    assert UserStore(tmp_path / "users.json").authenticate("hanbin", "another long password").role == "editor"


@pytest.mark.parametrize(
    ("argv", "stdin", "code", "message"),
    [
        (("disable", "nobody"), "", 1, "没有用户 nobody / no user nobody; see `python -m rolgov.users list`\n"),
        (
            ("reset-password", "nobody", "--password-stdin"),
            PASSWORD,
            1,
            "没有用户 nobody / no user nobody; see `python -m rolgov.users list`\n",
        ),
        (
            ("add", "x1", "--role", "viewer", "--password-stdin"),
            "short",
            2,
            "密码至少 10 个字符 / the password needs at least 10 characters\n",
        ),
        (
            ("add", "x1", "--role", "editor", "--password-stdin"),
            PASSWORD,
            2,
            "填报员须指定地区：--regions 610902,610921 / an editor needs --regions\n",
        ),
        (
            ("add", "x1", "--role", "editor", "--regions", "123456", "--password-stdin"),
            PASSWORD,
            2,
            "未知的区划代码 123456 / unknown region code 123456; use a 6-digit code from data/regions.csv, "
            "or 610900BJ for 市本级\n",
        ),
    ],
)
def test_cli_errors_name_the_problem_and_exit_1_or_2(monkeypatch, capsys, tmp_path, argv, stdin, code, message):
    result = run_cli(monkeypatch, capsys, tmp_path, *argv, stdin=stdin)
    assert (result[0], result[2]) == (code, message)


def test_cli_duplicate_user_exits_1_and_bad_role_exits_2(monkeypatch, capsys, tmp_path):
    assert (
        run_cli(monkeypatch, capsys, tmp_path, "add", "dup", "--role", "viewer", "--password-stdin", stdin=PASSWORD)[0]
        == 0
    )
    assert (
        run_cli(monkeypatch, capsys, tmp_path, "add", "dup", "--role", "viewer", "--password-stdin", stdin=PASSWORD)[0]
        == 1
    )
    assert run_cli(monkeypatch, capsys, tmp_path, "add", "x", "--role", "boss")[0] == 2


def test_cli_runs_as_a_module_and_never_echoes_the_password(tmp_path):
    env = {"ROLGOV_USERS": str(tmp_path / "users.json"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "rolgov.users", "add", "admin", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "rolgov.users", "list"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert listed.returncode == 0 and "admin" in listed.stdout and "全部 all" in listed.stdout


# ── per client, per name, per known device: strangers cannot keep a user out ────────────────────
def test_one_client_spraying_names_is_slowed_then_paused(store, clock):
    outcomes, n = [], 0
    while len([o for o in outcomes if o != "wait"]) < auth.CLIENT_MAX_FAILURES:
        reason = refused_client(store, f"name{n}", "guess", "203.0.113.9").reason
        outcomes.append(reason)
        if reason == "wait":
            clock.advance(auth.CLIENT_MAX_DELAY_S + 1)
        n += 1
    assert outcomes[: auth.CLIENT_FREE_FAILURES + 1] == ["bad"] * auth.CLIENT_FREE_FAILURES + ["wait"]
    paused = refused_client(store, "alice", PASSWORD, "203.0.113.9")
    assert str(paused) == (
        "此处登录失败次数过多，已暂停登录 15 分钟 / too many failed sign-ins from here: signing in is paused for 15 "
        "minutes"
    )
    assert store.authenticate("alice", PASSWORD, client="198.51.100.7").name == "alice"  # others sign in


def refused_client(store, name, password, client, device=None) -> SignInError:
    with pytest.raises(SignInError) as caught:
        store.authenticate(name, password, client=client, device=device)
    return caught.value


def test_a_client_waits_longer_after_each_failure_past_the_free_ones(store, clock):
    for _ in range(auth.CLIENT_FREE_FAILURES):
        refused_client(store, "nobody", "guess", "203.0.113.1")
        clock.advance(30)
    refused_client(store, "nobody", "guess", "203.0.113.1")
    assert str(refused_client(store, "nobody", "guess", "203.0.113.1")) == (
        "此处登录失败次数较多，请 2 秒后再试 / too many failed sign-ins from here: try again in 2 s"
    )


def test_strangers_locking_a_name_do_not_keep_its_user_out_on_a_known_device(store, clock):
    device = store.authenticate("alice", PASSWORD, client="192.0.2.1").device_id  # alice's own browser
    for n in range(5):  # five strangers, five addresses
        clock.advance(10)
        refused_client(store, "alice", "guess", f"203.0.113.{n}")
    assert refused_client(store, "alice", PASSWORD, "203.0.113.77").reason == "locked"  # strangers: locked
    user = store.authenticate("alice", PASSWORD, client="192.0.2.1", device=device)  # alice: not
    assert user.name == "alice" and user.device_id == device
    assert (store.get("alice")["failures"], store.get("alice")["locked_until"]) == (0, 0)  # her sign-in lifted it
    # a known device has five failures of its own, and a forged device id counts as none
    for _ in range(5):
        clock.advance(10)
        refused_client(store, "alice", "guess", "192.0.2.1", device)
    assert refused_client(store, "alice", PASSWORD, "192.0.2.1", device).reason == "locked"
    assert store.authenticate("alice", PASSWORD, client="192.0.2.2", device="forged").name == "alice"


def test_a_session_resumes_from_its_id_and_ends_everywhere_on_sign_out(store, clock, tmp_path):
    user = store.authenticate("alice", PASSWORD)
    assert user.session_id and user.session_id not in (tmp_path / "users.json").read_text()  # kept hashed
    again = store.resume("alice", user.session_id)  # a reloaded page, or another tab
    assert (again.name, again.role, again.session_id) == ("alice", "editor", user.session_id)
    assert store.resume("alice", "made-up") is None
    store.end_session(user)  # sign-out in one tab
    assert store.session_user(again) is None and store.resume("alice", user.session_id) is None
    later = store.authenticate("alice", PASSWORD)
    clock.advance(auth.SESSION_HOURS * 3600 + 1)
    assert store.resume("alice", later.session_id) is None


def test_the_store_locks_with_filelock_not_fcntl():
    source = (ROOT / "rolgov" / "auth.py").read_text(encoding="utf-8")
    assert "fcntl" not in source and "from filelock import FileLock" in source
