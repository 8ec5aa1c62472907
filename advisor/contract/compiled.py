"""Dump typed results through their response schemas without marshmallow's per-value overhead.

A schema is compiled once into a function of plain attribute reads and conversions, one per
field, following the schema's own fields: names, data keys, nesting, lists, dicts, money. The
output is what marshmallow's own `Schema.dump` gives (a test holds the two equal over many
results); it only skips marshmallow's generic machinery, which cost a recommendation several
milliseconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import Schema, fields, post_dump

Dumper = Callable[[Any], Any]

# Fields whose key is left out of the output when the value is None, rather than written as null.
OMIT_NONE = "omit_none"


class Money(fields.Float):
    """Integer cents in the object, the contract's currency-unit number (rounded to cents) in JSON."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        return None if value is None else round(value / 100, 2)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return round(value * 100)


class Document(fields.Nested):
    """A JSON document kept as it was sent (a saved scenario's request), documented by its schema
    but written out unchanged: not every field it could have is in it."""

    def _serialize(self, nested_obj: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return nested_obj

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, partial: Any = None, **kwargs: Any
    ) -> Any:
        if not isinstance(value, Mapping):
            raise self.make_error("type", input=value, type=type(value).__name__)
        return dict(value)


_lock = threading.RLock()  # compiling a schema compiles the schemas it nests
# Compiled functions by schema class: derived from code, not from any request, so a module-level
# table (like marshmallow's own class registry) rather than state an owner would keep.
_compiled: dict[type[Schema], Dumper] = {}
_native = threading.local()


def dumper(schema: type[Schema]) -> Dumper:
    """The compiled dump function of a schema class (compiled on first use, then kept)."""
    found = _compiled.get(schema)
    if found is None:
        with _lock:
            found = _compiled.get(schema)
            if found is None:
                # A placeholder first, so that a schema nesting itself compiles.
                holder: list[Dumper] = []
                _compiled[schema] = lambda obj: holder[0](obj)
                holder.append(_compile(schema))
                found = _compiled[schema] = holder[0]
    return found


def _compile(schema: type[Schema]) -> Dumper:
    instance = schema()
    steps: list[tuple[str, str, Dumper | None, bool]] = []
    for name, field in instance.dump_fields.items():
        key = field.data_key or name
        attribute = field.attribute or name
        steps.append((key, attribute, _converter(field), bool(field.metadata.get(OMIT_NONE))))

    def dump(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        mapping = isinstance(obj, Mapping)
        for key, attribute, convert, omit in steps:
            value = obj[attribute] if mapping else getattr(obj, attribute)
            if value is None:
                if not omit:
                    out[key] = None
                continue
            out[key] = value if convert is None else convert(value)
        return out

    return dump


def _converter(field: fields.Field[Any]) -> Dumper | None:
    """How one field turns a value into JSON data; None when the value is JSON as it is."""
    if isinstance(field, Money):
        return lambda v: round(v / 100, 2)
    if isinstance(field, Document):
        return None
    if isinstance(field, fields.Nested):
        target = field.schema
        inner = dumper(type(target))
        if field.many or target.many:
            return lambda v: [inner(x) for x in v]
        return inner
    if isinstance(field, fields.List):
        each = _converter(field.inner)
        if each is None:
            return list
        return lambda v: [None if x is None else each(x) for x in v]
    if isinstance(field, fields.Tuple):
        raise TypeError("tuple fields are not compiled")
    if isinstance(field, fields.Dict):
        value = _converter(field.value_field) if field.value_field is not None else None
        if value is None:
            return dict
        return lambda v: {k: None if x is None else value(x) for k, x in v.items()}
    if isinstance(field, fields.Boolean):
        return bool
    if isinstance(field, fields.Integer):
        return int
    if isinstance(field, fields.Float):
        return float
    if isinstance(field, fields.DateTime):
        return lambda v: v.isoformat() if isinstance(v, dt.datetime) else v
    if isinstance(field, fields.String):
        return str
    if isinstance(field, fields.Raw) or type(field) is fields.Field:
        return None
    raise TypeError(f"no compiled dump for {type(field).__name__}")


class Contract(Schema):
    """Base of the response schemas: `dump` runs the compiled function (same output as
    marshmallow's own, see `dumper`); fields marked omit_none are left out when None."""

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        many = self.many if many is None else many
        if getattr(_native, "on", False) or self.only is not None or self.exclude:
            return super().dump(obj, many=many)  # marshmallow's own path
        function = dumper(type(self))
        return [function(o) for o in obj] if many else function(obj)

    def native_dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """marshmallow's own dump, nested schemas included: the reference the compiled one is
        held to in tests."""
        _native.on = True
        try:
            return super().dump(obj, many=many)
        finally:
            _native.on = False

    @post_dump
    def _omit_none(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for name, field in self.dump_fields.items():
            key = field.data_key or name
            if field.metadata.get(OMIT_NONE) and data.get(key, 0) is None:
                del data[key]
        return data
