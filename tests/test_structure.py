"""The shape of the code, read from the source: modules import each other without cycles, storage does
not know the ETL, the ETL does not know the app, and nothing imports a POSIX-only module (the app and
the CLI must start on a county office's Windows PC)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("rolgov", "etl")
POSIX_ONLY = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog", "crypt", "posix"}
NOT_YET: dict[str, str] = {}  # modules known to break a rule, with the reason; none today


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}
SOURCES = sorted([ROOT / "dashboard.py", *MODULES.values(), *(ROOT / "pages").glob("*.py")])


def _is_main_block(node: ast.AST) -> bool:
    """`if __name__ == "__main__":` runs only as a script, so its imports are no import-time cycle."""
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def _is_platform_guard(node: ast.AST) -> bool:
    """`if sys.platform != "win32":` (or an os.name test): what it imports is never imported on Windows."""
    return isinstance(node, ast.If) and any(
        isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and (n.value.id, n.attr) in (("sys", "platform"), ("os", "name"))
        for n in ast.walk(node.test)
    )


def imports_of(path: Path, windows: bool = False) -> set[str]:
    """Every module named by an import anywhere in the file (inside functions too), __main__ blocks aside;
    with windows=True, leaving out what an `if sys.platform ...` / `if os.name ...` block imports."""
    names: set[str] = set()
    pending = [ast.parse(path.read_text(encoding="utf-8"), filename=str(path))]
    while pending:
        node = pending.pop()
        if _is_main_block(node) or (windows and _is_platform_guard(node)):
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{alias.name}" for alias in node.names}
            names |= subs
            # `from rolgov.geo import layers` needs the submodule, not names of the package: a sibling
            # importing it is no cycle through the package's __init__ (which Python has already begun)
            if not subs <= set(MODULES):
                names.add(node.module)
        pending.extend(ast.iter_child_nodes(node))
    return names


def internal_imports(name: str) -> set[str]:
    return {m for m in imports_of(MODULES[name]) if m in MODULES and m not in PACKAGES and m != name}


def test_every_module_is_read():
    assert {"rolgov.db", "rolgov.catalog", "etl.build", "etl.load"} <= set(MODULES)
    assert internal_imports("etl.load") >= {"rolgov.db", "etl.validate"}


def test_no_import_cycles():
    cycles, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        for dep in sorted(internal_imports(name)):
            if dep in path:
                cycles.append(" → ".join([*path[path.index(dep) :], dep]))
            elif dep not in done:
                visit(dep, [*path, dep])
        done.add(name)

    for name in sorted(MODULES):
        if name not in done:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("name", ["rolgov.catalog", "rolgov.regions", "rolgov.db"])
def test_storage_knows_neither_the_etl_nor_the_app(name):
    assert [m for m in imports_of(MODULES[name]) if m.split(".")[0] in ("etl", "streamlit")] == []


def test_the_etl_does_not_know_the_app():
    app = {"streamlit", "rolgov.ui", "rolgov.intake", "rolgov.auth"}
    used = {(name, m) for name in MODULES if name.startswith("etl") for m in imports_of(MODULES[name])}
    assert sorted((name, m) for name, m in used if m in app or m.split(".")[0] == "streamlit") == []


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[rel]))
        if (rel := p.relative_to(ROOT).as_posix()) in NOT_YET
        else p
        for p in SOURCES
    ],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_posix_only_import(path):
    assert {m.split(".")[0] for m in imports_of(path, windows=True)} & POSIX_ONLY == set()
