"""Emporix' `q` query language, parsed into the core's field conditions.

A hand-written scanner and parser, iterative throughout: the syntax nests one level of
parentheses at most (a range, an IN list or a regular expression), so no input can recurse.
Every malformed query raises `QueryInvalid` naming the problem and its 0-based position.

    q          := ws* [condition (ws+ condition)*] ws*
    condition  := field ":" value
    field      := name ("." name)*          name := [A-Za-z0-9_-]+
    value      := "~" regex | comparison | literal | "(" group ")"
    group      := "~" regex-body | comparison (ws+ "AND" ws+ comparison)* | literal ("," literal)*
    comparison := (">" | "<" | ">=" | "<=") literal
    literal    := '"' (char | '\\"' | '\\\\')* '"' | bare      bare := [^ws(),"]+
"""

from __future__ import annotations

import unicodedata

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import FieldCondition, FilterValue, Operator
from patron.dialects.emporix.q_fields import Literal, Target, resolve

MAX_QUERY_LENGTH = 4096
MAX_CONDITIONS = 50

_WHITESPACE = frozenset(" \t\r\n")
_NAME_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_BARE_STOPS = _WHITESPACE | frozenset('(),"')
_COMPARISONS = {">=": Operator.GTE, "<=": Operator.LTE, ">": Operator.GT, "<": Operator.LT}
_PRESENCE = {"exists": Operator.EXISTS, "missing": Operator.MISSING}


def parse(q: str) -> tuple[FieldCondition, ...]:
    """The conditions of `q`, all of which must hold (AND); a blank `q` has none."""
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryInvalid(f"q is longer than {MAX_QUERY_LENGTH} characters")
    _refuse_unprintable(q)
    return _Parser(q).query()


def _refuse_unprintable(q: str) -> None:
    """Control characters and lone surrogates cannot be stored or compared as text."""
    for position, character in enumerate(q):
        if character not in _WHITESPACE and unicodedata.category(character) in ("Cc", "Cs"):
            raise QueryInvalid(f"Invalid character U+{ord(character):04X} at {position}")


def _shown(character: str) -> str:
    if not character:
        return "end of query"
    return f"'{character}'" if character == '"' else f'"{character}"'


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.conditions: list[FieldCondition] = []

    # -- scanning ---------------------------------------------------------------------------

    def _peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.text[index] if index < len(self.text) else ""

    def _at_end(self) -> bool:
        return self.position >= len(self.text)

    def _skip_whitespace(self) -> bool:
        start = self.position
        while self._peek() in _WHITESPACE:
            self.position += 1
        return self.position > start

    def _unexpected(self, expected: str = "") -> QueryInvalid:
        found = _shown(self._peek())
        wanted = f", expected {expected}" if expected else ""
        return QueryInvalid(f"Unexpected {found} at {self.position}{wanted}")

    # -- grammar ----------------------------------------------------------------------------

    def query(self) -> tuple[FieldCondition, ...]:
        self._skip_whitespace()
        while not self._at_end():
            self._condition()
            if not self._skip_whitespace() and not self._at_end():
                raise self._unexpected("a space between conditions")
        return tuple(self.conditions)

    def _condition(self) -> None:
        start = self.position
        segments = [self._name()]
        while self._peek() == ".":
            self.position += 1
            segments.append(self._name())
        if self._peek() != ":":
            raise self._unexpected(f'":" after field "{".".join(segments)}"')
        self.position += 1
        target = resolve(segments, start)
        name = ".".join(segments)
        value_start = self.position
        character = self._peek()
        if character == "(":
            self._group(target, name)
        elif character == "~":
            self.position += 1
            self._regex(target, name, value_start, self._regex_text())
        elif character in ("<", ">"):
            self._comparison(target, name)
        else:
            self._single(target, name)

    def _name(self) -> str:
        start = self.position
        while self._peek() in _NAME_CHARACTERS:
            self.position += 1
        if self.position == start:
            raise self._unexpected("a field name")
        return self.text[start : self.position]

    def _literal(self) -> Literal:
        start = self.position
        if self._peek() == '"':
            return Literal(self._quoted(), quoted=True, position=start)
        while not self._at_end() and self._peek() not in _BARE_STOPS:
            self.position += 1
        if self.position == start:
            raise self._unexpected("a value")
        return Literal(self.text[start : self.position], quoted=False, position=start)

    def _quoted(self) -> str:
        """The text between double quotes; `\\"` and `\\\\` are escapes, any other backslash
        stays as written (regular expressions keep theirs)."""
        start = self.position
        self.position += 1
        parts: list[str] = []
        while True:
            character = self._peek()
            if not character:
                raise QueryInvalid(f"Unclosed quote at {start}")
            if character == "\\" and self._peek(1) in ('"', "\\"):
                parts.append(self._peek(1))
                self.position += 2
                continue
            self.position += 1
            if character == '"':
                return "".join(parts)
            parts.append(character)

    def _single(self, target: Target, name: str) -> None:
        literal = self._literal()
        if not literal.quoted and literal.text == "null":
            self._add(target, Operator.IS_NULL, ())
        elif not literal.quoted and literal.text in _PRESENCE:
            if not target.is_mixin:
                raise QueryInvalid(
                    f'"{literal.text}" applies to mixins only (field "{name}" at '
                    f"{literal.position}); quote it to match the text"
                )
            self._add(target, _PRESENCE[literal.text], ())
        else:
            self._add(target, Operator.EQ, (target.read(name, literal),))

    def _comparison(self, target: Target, name: str) -> None:
        start = self.position
        symbol = self.text[self.position : self.position + 2]
        if symbol not in _COMPARISONS:
            symbol = symbol[:1]
        if not target.comparable:
            raise QueryInvalid(f'Field "{name}" cannot be compared with "{symbol}" at {start}')
        self.position += len(symbol)
        literal = self._literal()
        if not literal.quoted and literal.text in ("null", *_PRESENCE):
            raise QueryInvalid(f'"{literal.text}" cannot be compared at {literal.position}')
        self._add(target, _COMPARISONS[symbol], (target.read(name, literal),))

    def _group(self, target: Target, name: str) -> None:
        opening = self.position
        self.position += 1
        self._skip_whitespace()
        character = self._peek()
        if character == "~":
            self.position += 1
            self._regex(target, name, opening, self._parenthesised(opening))
            return
        if character == ")":
            raise QueryInvalid(f"Empty parentheses at {opening}")
        if not character:
            raise QueryInvalid(f'Unclosed "(" at {opening}')
        if character in ("<", ">"):
            self._range(target, name)
        else:
            self._in_list(target, name)
        if self._at_end():
            raise QueryInvalid(f'Unclosed "(" at {opening}')
        if self._peek() != ")":
            raise self._unexpected('"," or ")"')
        self.position += 1

    def _range(self, target: Target, name: str) -> None:
        """`(>=10 AND <=20)`: each bound is one condition."""
        while True:
            if self._peek() not in ("<", ">"):
                raise self._unexpected('a comparison such as ">="')
            self._comparison(target, name)
            spaced = self._skip_whitespace()
            if self._peek() == ")" or self._at_end():
                return
            if not spaced or self.text[self.position : self.position + 3] != "AND":
                raise self._unexpected('"AND" or ")"')
            self.position += 3
            if not self._skip_whitespace():
                raise self._unexpected('a space after "AND"')

    def _in_list(self, target: Target, name: str) -> None:
        """`(a,b,c)`: one condition, equal to any of the values."""
        values: list[FilterValue] = []
        while True:
            literal = self._literal()
            if not literal.quoted and literal.text in ("null", *_PRESENCE):
                raise QueryInvalid(f'"{literal.text}" cannot be in a list at {literal.position}')
            values.append(target.read(name, literal))
            self._skip_whitespace()
            if self._peek() != ",":
                break
            self.position += 1
            self._skip_whitespace()
        self._add(target, Operator.IN, tuple(values))

    def _regex_text(self) -> str:
        """After `~`: a parenthesised or quoted expression, or one running to the next space."""
        if self._peek() == "(":
            opening = self.position
            self.position += 1
            return self._parenthesised(opening)
        if self._peek() == '"':
            return self._quoted()
        start = self.position
        while not self._at_end() and self._peek() not in _WHITESPACE:
            self.position += 1
        return self.text[start : self.position]

    def _parenthesised(self, opening: int) -> str:
        """The text up to the `)` closing the one at `opening`; inner parentheses must balance
        (or be escaped with a backslash), so a regular expression may group."""
        start = self.position
        depth = 1
        while not self._at_end():
            character = self._peek()
            if character == "\\":
                self.position += 2
                continue
            if character == "(":
                depth += 1
            elif character == ")":
                depth -= 1
                if depth == 0:
                    self.position += 1
                    return self.text[start : self.position - 1]
            self.position += 1
        raise QueryInvalid(f'Unclosed "(" at {opening}')

    def _regex(self, target: Target, name: str, start: int, expression: str) -> None:
        if not target.textual:
            raise QueryInvalid(f'Field "{name}" takes no regular expression ("~") at {start}')
        if not expression:
            raise QueryInvalid(f'Empty regular expression for field "{name}" at {start}')
        self._add(target, Operator.MATCHES, (expression,))

    def _add(self, target: Target, operator: Operator, values: tuple[FilterValue, ...]) -> None:
        if len(self.conditions) == MAX_CONDITIONS:
            raise QueryInvalid(f"q has more than {MAX_CONDITIONS} conditions")
        self.conditions.append(FieldCondition(target.field, operator, values, target.path))
