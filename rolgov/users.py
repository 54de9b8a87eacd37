"""Command line for the user store: python -m rolgov.users add|disable|enable|set-role|set-email|reset-password|list.

Passwords come from a prompt (asked twice, never echoed) or, for scripts, from the first line of
standard input with --password-stdin; never from an argument, which would land in shell history.
Exit codes: 0 done, 1 the change cannot be made (unknown or existing user), 2 usage (bad role,
region code or password, missing arguments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from rolgov import auth
from rolgov.auth import ROLES, UserError, UserExists, UserNotFound


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m rolgov.users",
        description=f"看板用户管理 / dashboard users (store: $ROLGOV_USERS, default {auth.users_path()})",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("add", help="新增用户 / add a user")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument(
        "--regions", default="", help="填报员负责的区划代码，逗号分隔 / editor's region codes, e.g. 610902,610921"
    )
    p.add_argument("--email", default="", help="单点登录（OIDC）身份的邮箱 / e-mail of the OIDC identity")
    p.add_argument("--no-password", action="store_true", help="仅单点登录，不设密码 / OIDC only, no password")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读密码 / read the password from stdin")

    for name, text in (
        ("disable", "停用用户（立即退出登录）/ disable a user (ends their sessions)"),
        ("enable", "重新启用用户并解除锁定 / re-enable a user and lift a lock"),
    ):
        sub.add_parser(name, help=text).add_argument("name")

    p = sub.add_parser("set-role", help="设置角色与地区 / set role and regions")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    p.add_argument("--regions", help="填报员的区划代码，逗号分隔 / editor's region codes")

    p = sub.add_parser("set-email", help="设置单点登录邮箱 / set the OIDC e-mail")
    p.add_argument("name")
    p.add_argument("email")

    p = sub.add_parser("reset-password", help="重置密码（解除锁定，结束其会话）/ reset a password")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true")

    sub.add_parser("list", help="列出用户（不显示密码）/ list users (never their passwords)")
    return parser


def _codes(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c for c in (part.strip() for part in text.replace("，", ",").split(",")) if c]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输入一次 / again: ") != first:
        raise UserError("两次输入的密码不一致 / the passwords differ")
    return first


def _when(epoch) -> str:
    return dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M") if epoch else "—"


def _list(store: auth.UserStore) -> None:
    entries = store.entries()
    if not entries:
        print(f"尚无用户 / no users yet ({store.path})")
        return
    now = store.clock()
    for name, entry in sorted(entries.items()):
        state = "停用 disabled" if entry.get("disabled") else "有效 active"
        if (entry.get("locked_until") or 0) > now:
            state += f"，锁定至 locked until {_when(entry['locked_until'])}"
        regions = ",".join(entry.get("regions", ())) or ("全部 all" if entry["role"] == "admin" else "—")
        login = "密码 password" if entry.get("password") else "仅单点 OIDC only"
        print(
            f"{name:<20} {entry['role']:<7} {regions:<24} {state:<12} {login}  {entry.get('email') or ''}"
            f"  最近登录 last sign-in {_when(entry.get('last_sign_in'))}"
        )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = auth.UserStore()
    try:
        if args.command == "list":
            _list(store)
            return 0
        if args.command == "add":
            auth.check_role(args.role, auth.normalise_regions(_codes(args.regions) or []))  # before the prompt
            name = auth.normalise_name(args.name)
            if store.get(name) is not None:
                raise UserExists(f"用户 {name} 已存在 / user {name} already exists")
            password = None if args.no_password else _password(args.password_stdin)
            store.add(args.name, password, args.role, _codes(args.regions) or [], args.email)
            print(f"已添加 {auth.normalise_name(args.name)}（{args.role}）/ added")
        elif args.command == "disable":
            store.disable(args.name)
            print(f"已停用 {auth.normalise_name(args.name)} / disabled")
        elif args.command == "enable":
            store.enable(args.name)
            print(f"已启用 {auth.normalise_name(args.name)} / enabled")
        elif args.command == "set-role":
            store.set_role(args.name, args.role, _codes(args.regions))
            print(f"已设置 {auth.normalise_name(args.name)} 为 {args.role} / role set")
        elif args.command == "set-email":
            store.set_email(args.name, args.email)
            print(f"已设置 {auth.normalise_name(args.name)} 的邮箱 / e-mail set")
        elif args.command == "reset-password":
            if store.get(args.name) is None:  # before asking for a password
                name = auth.normalise_name(args.name)
                raise UserNotFound(f"没有用户 {name} / no user {name}; see `python -m rolgov.users list`")
            store.set_password(args.name, _password(args.password_stdin))
            print(f"已重置 {auth.normalise_name(args.name)} 的密码 / password reset")
    except (UserNotFound, UserExists) as exc:
        print(exc, file=sys.stderr)
        return 1
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
