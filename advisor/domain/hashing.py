"""Frozen dataclasses the engine makes and hashes often: a hash worked out once per instance, and
an instance made without the generated `__init__`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_HASH = "_hash_once"  # where an instance keeps its hash, in its __dict__ (never a field)


def hash_once(cls: type[T]) -> type[T]:
    """Keep the hash `@dataclass(frozen=True)` generated for `cls`, worked out on an instance's
    first use and then read back: the same value as before (sets of them iterate as they did),
    but a key holding such a value no longer re-hashes every field each time it is looked up.

    Apply it above `@dataclass(frozen=True)`. The kept hash is left out of a copy's or pickle's
    state (a string's hash differs from one process to another).
    """
    generated: Callable[[Any], int] | None = cls.__dict__.get("__hash__")
    params = getattr(cls, "__dataclass_params__", None)
    if generated is None or params is None or not params.frozen or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with a generated hash and a __dict__")

    def __hash__(self: Any) -> int:
        kept = self.__dict__
        try:
            found: int = kept[_HASH]
        except KeyError:
            found = kept[_HASH] = generated(self)
        return found

    def __getstate__(self: Any) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != _HASH}

    cls.__hash__ = __hash__  # type: ignore[method-assign]
    cls.__getstate__ = __getstate__  # type: ignore[method-assign]
    return cls


def assemble(cls: type[T], **fields: Any) -> T:
    """A frozen dataclass instance of `cls` with these field values, made without its generated
    `__init__`, which sets each field through `object.__setattr__` (about a microsecond and a
    half for seven fields, five times a plain assignment): for the few values the optimizer
    makes hundreds of a request. Give every field: defaults and `__post_init__` are not run."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made
