"""The core's error tree has no holes: every code has a class, every class one category,
and the dispatch over categories reaches each of them."""

from __future__ import annotations

import pytest

from patron.core.domain.errors.base import DomainError, ErrorCode
from patron.core.domain.errors.categories import CATEGORIES, ByCategory, retry_after
from patron.core.domain.errors.throttled import LoginBlocked, SignupLimitReached
from patron.core.domain.errors.unavailable import ServiceUnavailable
from tests.error_examples import classes_of, concrete_classes, example


@pytest.mark.parametrize("code", list(ErrorCode), ids=str)
def test_every_code_is_carried_by_a_class(code: ErrorCode) -> None:
    assert classes_of(code), f"no core error class carries {code!r}"


@pytest.mark.parametrize("cls", concrete_classes(), ids=lambda cls: cls.__name__)
def test_every_class_belongs_to_exactly_one_category(cls: type[DomainError]) -> None:
    categories = [category.__name__ for category in CATEGORIES if issubclass(cls, category)]
    assert len(categories) == 1, f"{cls.__name__} is in {categories or 'no category'}"
    assert isinstance(getattr(cls, "code", None), ErrorCode), f"{cls.__name__} has no code"


@pytest.mark.parametrize("cls", concrete_classes(), ids=lambda cls: cls.__name__)
def test_every_class_lives_in_its_category_module(cls: type[DomainError]) -> None:
    """One module per category: a class is found where its category is."""
    (category,) = (c for c in CATEGORIES if issubclass(cls, c))
    assert cls.__module__ == category.__module__


def _names() -> ByCategory[str]:
    return ByCategory(
        not_found=lambda e: "not_found",
        conflict=lambda e: "conflict",
        invalid_input=lambda e: "invalid_input",
        unauthorized=lambda e: "unauthorized",
        forbidden=lambda e: "forbidden",
        limit_reached=lambda e: "limit_reached",
        throttled=lambda e: "throttled",
        unavailable=lambda e: "unavailable",
    )


def test_the_dispatch_answers_each_error_by_its_category() -> None:
    names = _names()
    for cls in concrete_classes():
        (category,) = (c for c in CATEGORIES if issubclass(cls, c))
        expected = category.__module__.rsplit(".", 1)[-1]
        assert names(example(cls)) == expected, cls.__name__


def test_an_error_outside_every_category_is_refused_loudly() -> None:
    """The root itself stands for a class that skipped its category (a real subclass
    here would join the tree for every later test)."""
    with pytest.raises(TypeError, match="DomainError belongs to no error category"):
        _names()(DomainError("stray"))


def test_throttles_and_outages_say_when_to_retry() -> None:
    assert retry_after(LoginBlocked(90)) == 90
    assert retry_after(ServiceUnavailable(2)) == 2
    assert retry_after(SignupLimitReached()) is None
