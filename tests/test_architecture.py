"""Imports point one way: core imports no framework, storage, toolkit or dialect; the HTTP
toolkit imports only the core; dialects use the core and the toolkit, never storage or each
other; only the composition root imports the dialects."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "patron"
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "asyncpg", "alembic", "redis", "pydantic")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


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
