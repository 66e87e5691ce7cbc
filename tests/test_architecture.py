"""Imports point one way: core imports no framework, storage, toolkit or dialect; the HTTP
toolkit imports only the core; dialects use the core and the toolkit, never storage or each
other; only the composition root imports the dialects."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "patron"
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "asyncpg", "alembic", "redis", "pydantic")


def _is_patron_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return name.startswith("patron.") and (
        (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()
    )


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports; `from patron import storage` names `patron.storage`
    (a module imported from its package), not just `patron`, which every check would pass."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            for alias in node.names:
                if _is_patron_module(joined := f"{node.module}.{alias.name}"):
                    names.add(joined)
    return names


def test_a_module_imported_from_its_package_is_seen(tmp_path: Path) -> None:
    """The detector itself: the core checks below would pass `from patron import storage`
    if only `patron` were recorded."""
    module = tmp_path / "module.py"
    module.write_text(
        "from patron import storage\nfrom patron.core import domain\nfrom patron.http import qs\n"
    )
    assert {"patron.storage", "patron.core.domain", "patron.http.qs"} <= imports_of(module)
    assert "patron.core.domain.model" not in imports_of(module)


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_core_imports_no_framework_storage_or_dialect() -> None:
    for path in modules("core"):
        for name in imports_of(path):
            assert not name.startswith(FRAMEWORKS), f"{path.name} imports {name}"
            assert not name.startswith(("patron.storage", "patron.dialects", "patron.security",
                                        "patron.mail", "patron.app", "patron.services",
                                        "patron.http")), (
                f"{path.name} imports {name}"
            )  # fmt: skip


def test_dialects_never_reach_storage_or_each_other() -> None:
    for path in modules("dialects"):
        parts = path.relative_to(PACKAGE / "dialects").parts
        own = f"patron.dialects.{parts[0]}" if len(parts) > 1 else "patron.dialects"
        for name in imports_of(path):
            assert not name.startswith(("patron.storage", "asyncpg", "patron.services")), (
                f"{path} imports {name}"
            )
            if name.startswith("patron.dialects."):
                assert name.startswith(own), f"{path} imports {name}"


def test_only_the_composition_root_imports_dialects() -> None:
    """The CLI may read a dialect's scope names (`create-client --scope` takes Emporix'),
    nothing else of it."""
    allowed = {PACKAGE / "app.py"}
    for path in PACKAGE.rglob("*.py"):
        if path in allowed or (PACKAGE / "dialects") in path.parents:
            continue
        in_cli = (PACKAGE / "cli") in path.parents
        for name in imports_of(path):
            if in_cli and re.fullmatch(r"patron\.dialects\.\w+\.scopes", name):
                continue
            assert not name.startswith("patron.dialects"), f"{path} imports {name}"


def test_the_toolkit_imports_only_the_core() -> None:
    for path in modules("http"):
        for name in imports_of(path):
            if name.startswith("patron."):
                assert name.startswith(("patron.core", "patron.http")), f"{path} imports {name}"


def test_every_dialect_may_use_the_toolkit() -> None:
    used = {name for path in modules("dialects/glue") for name in imports_of(path)}
    assert any(name.startswith("patron.http") for name in used)


VENDOR_WORDS = ("glue", "spryker", "oryx", "medusa", "aimeos", "emporix")
GLUE_ATTRIBUTES = ("customerReference", "confirmPassword", "newPassword", "firstName", "iso2Code")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that stand alone as statements: docstrings, including
    the ones under a constant or field (provenance may name a vendor)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def test_the_core_speaks_no_vendors_language() -> None:
    """Names and strings of the core are the core's own; only docstrings may cite a source."""
    for path in modules("core"):
        tree = ast.parse(path.read_text())
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings:
                    continue
                words = [node.value]
            elif isinstance(node, ast.Name):
                words = [node.id]
            elif isinstance(node, ast.Attribute):
                words = [node.attr]
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                words = [node.name]
            elif isinstance(node, ast.arg):
                words = [node.arg]
            else:
                continue
            for word in words:
                lowered = word.lower()
                assert not any(v in lowered for v in VENDOR_WORDS), f"{path.name}: {word!r}"
                assert not any(a in word for a in GLUE_ATTRIBUTES), f"{path.name}: {word!r}"


CORE_LAYERS = ("domain", "ports", "outbox", "identity", "customers", "back_office", "use_cases")
"""The core's packages, lowest first: each imports only its own package and those before it
(the domain holds no protocols, the ports no rules, a customer's own use cases no staff
ones). Adding a package to the core means placing it here."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    part = module.split(".")[2]
    assert part in CORE_LAYERS, f"{module} is in no layer of CORE_LAYERS"
    return CORE_LAYERS.index(part)


def test_the_core_is_grouped_into_its_layers() -> None:
    """Nothing lies loose in the core but its package marker and the public face."""
    loose = {path.name for path in (PACKAGE / "core").glob("*.py")}
    assert loose == {"__init__.py", "use_cases.py"}


def test_core_layers_import_only_downward() -> None:
    for path in modules("core"):
        module = _module_name(path)
        if module == "patron.core":
            continue
        for name in imports_of(path):
            if name.startswith("patron.core."):
                assert _layer(name) <= _layer(module), f"{module} imports {name} (a layer above)"


def _graph() -> dict[str, set[str]]:
    """Every patron module and the patron modules it imports, `TYPE_CHECKING`-only imports
    included (one of them closing a circle still ties the two modules together)."""
    known = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text())
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:  # `from patron.x import module` names a module
                    joined = f"{node.module}.{alias.name}"
                    targets.add(joined if joined in known else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[module] = {t for t in targets if t in known and t != module}
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, if there is any (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path, stack = [root], [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                return [*path[path.index(step) :], step]
            elif step not in state:
                state[step] = 1
                path.append(step)
                stack.append(iter(sorted(graph[step])))
    return None


def test_no_import_circles() -> None:
    assert _circle(_graph()) is None


def test_a_circle_is_found() -> None:
    """The search itself: a TYPE_CHECKING-style back edge closes a circle."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _circle(graph) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None
