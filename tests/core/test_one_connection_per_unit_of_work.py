"""One connection per unit of work, checked over the core's source: inside `async with
self.uow() as uow:` every read goes through `uow`. A use case that reached for a reader
backed by the pool there (`CustomerSearch`, `CustomerReads`, a session store, another
unit of work, ...) would hold its transaction's connection while it waits for a second
one; enough such requests at once took every connection and froze the server (issue 18).

Inside the block (and in the methods of the use case it calls) `self` may only give what
runs in the process: the clock, the configuration, hashing and token coding.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TypeGuard

CORE = Path(__file__).resolve().parents[2] / "patron" / "core"
IN_PROCESS = {"Clock", "CoreConfig", "PasswordHasher", "TokenCodec", "ImportedHashes", "int"}
"""The types of use-case fields that never take a database connection."""


def _is_unit_of_work(node: ast.AST) -> TypeGuard[ast.AsyncWith]:
    if not isinstance(node, ast.AsyncWith):
        return False
    opened = node.items[0].context_expr
    return (
        isinstance(opened, ast.Call)
        and isinstance(opened.func, ast.Attribute)
        and isinstance(opened.func.value, ast.Name)
        and opened.func.value.id == "self"
        and opened.func.attr == "uow"
    )


def _self_attributes(nodes: list[ast.stmt]) -> list[ast.Attribute]:
    return [
        node
        for statement in nodes
        for node in ast.walk(statement)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ]


def second_connections(source: str, where: str) -> list[str]:
    """`where:line: self.x (T)` for each use of a field not known to run in the process,
    inside a unit of work or a method of the same class called from one."""
    found: list[str] = []
    for cls in ast.walk(ast.parse(source)):
        if not isinstance(cls, ast.ClassDef):
            continue
        fields = {
            s.target.id: ast.unparse(s.annotation)
            for s in cls.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        }
        methods = {
            s.name: s for s in cls.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        blocks = [node.body for node in ast.walk(cls) if _is_unit_of_work(node)]
        seen: set[str] = set()
        while blocks:
            for attribute in _self_attributes(blocks.pop()):
                name = attribute.attr
                if name in methods:
                    if name not in seen:
                        seen.add(name)
                        blocks.append(methods[name].body)
                elif fields.get(name, "?") not in IN_PROCESS:
                    kind = fields.get(name, "not a field")
                    found.append(f"{where}:{attribute.lineno}: self.{name} ({kind})")
    return found


def test_inside_a_unit_of_work_every_read_goes_through_it() -> None:
    found = [
        problem
        for path in sorted(CORE.rglob("*.py"))
        for problem in second_connections(path.read_text(), path.name)
    ]
    assert found == []


def test_the_check_finds_a_reader_used_inside_a_unit_of_work() -> None:
    """The shape of the Emporix address writes that froze the pool, and a nested unit of
    work reached through a helper method."""
    source = """
class AddressAdministration:
    uow: UnitOfWorkFactory
    customer_search: CustomerSearch
    clock: Clock

    async def edit(self, tenant, number):
        async with self.uow() as uow:
            customer = await _locked(uow, self.customer_search, tenant, number)
            await self._write(uow, customer, self.clock())

    async def _write(self, uow, customer, now):
        async with self.uow() as other:
            await other.commit()
"""
    assert second_connections(source, "x.py") == [
        "x.py:9: self.customer_search (CustomerSearch)",
        "x.py:13: self.uow (UnitOfWorkFactory)",
    ]
