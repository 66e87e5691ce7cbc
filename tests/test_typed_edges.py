"""Types across both edges: nothing in `patron/` builds a call from a `**dict` splat, so
every command, row and use case is constructed field by field where the type checker
sees each name and value (a vendor table's fields go through `command_fields`' mappers).
The few places that are generic by nature are listed, each with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "patron"

ALLOWED: dict[tuple[str, str], str] = {
    ("dialects/glue/validation.py", "violations"): (
        "pydantic's message template, filled from the context pydantic gives with it"
    ),
    ("storage/database.py", "__init__"): "asyncpg's own pool options, passed through unchanged",
    ("core/back_office/tenants.py", "change"): (
        "settings named by the operator's KEY=VALUE, each name checked against PARSERS"
    ),
    ("core/domain/customer_changes.py", "without_unchanged"): (
        "a change set clearing its own fields, by the names `fields()` gives"
    ),
}


def splats_in(path: Path) -> list[tuple[str, int]]:
    """(enclosing function, line) of every call with a `**` argument in the file."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            if isinstance(child, ast.Call) and any(k.arg is None for k in child.keywords):
                found.append((name, child.lineno))
            visit(child, name)

    visit(ast.parse(path.read_text()), "<module>")
    return found


def test_no_call_in_patron_is_built_from_a_dict_splat() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} in {function}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for function, line in splats_in(path)
        if (path.relative_to(PACKAGE).as_posix(), function) not in ALLOWED
    ]
    assert offenders == [], "build these field by field (or a typed mapper): " + ", ".join(
        offenders
    )


def test_every_allowed_splat_is_still_there() -> None:
    """An entry whose splat is gone is removed too, so the list only shrinks."""
    present = {
        (path.relative_to(PACKAGE).as_posix(), function)
        for path in PACKAGE.rglob("*.py")
        for function, _ in splats_in(path)
    }
    assert set(ALLOWED) <= present, sorted(set(ALLOWED) - present)


def test_the_check_finds_a_splat_and_its_function(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "def build(fields):\n"
        "    return Command(first=1, **fields)\n"
        "def plain(fields):\n"
        "    return {**fields, 'first': 1}\n"
    )
    assert splats_in(module) == [("build", 2)]
