"""Strict marshmallow fields: JSON and TOML types are taken as they are, never coerced."""

from __future__ import annotations

import math
import re
from typing import Any

from marshmallow import ValidationError, fields, validate


class StrictInteger(fields.Integer):
    """A whole number and nothing else: no strings, booleans or fractions. A number written with a
    zero fraction (`1105.0`, as some JSON writers put every number) is the whole number it is."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        result: int = super()._deserialize(value, attr, data, **kwargs)
        return result


class StrictNumber(fields.Float):
    """A finite number: no strings or booleans."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("Not a valid number.")
        if not math.isfinite(value):
            raise ValidationError("Not a finite number.")
        return float(value)


class StrictBoolean(fields.Boolean):
    """true or false and nothing else: no 1, "yes" or "true"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("Not a valid boolean.")
        return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The same rule for the OpenAPI document (an ECMA-262 pattern, as JSON Schema has them).
_ALLOWED = r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]"
TEXT_PATTERN = f"^{_ALLOWED}*$"
NON_BLANK_PATTERN = f"^{_ALLOWED}*[^\\s\\u0000-\\u001f\\u007f]{_ALLOWED}*$"
TEXT_RULE = "Any characters but control characters (tab and line breaks are fine)."


class Text(fields.String):
    """Text people type (names, notes): any characters but control ones other than tab and line
    breaks, which no report can show and PostgreSQL cannot store (NUL). The OpenAPI document
    declares the rule as a pattern and says it in the field's description. `blank=False` also
    refuses text that is only white space."""

    def __init__(self, *, blank: bool = True, **kwargs: Any):
        metadata = dict(kwargs.pop("metadata", None) or {})
        if not blank:
            given = kwargs.pop("validate", None) or []
            given = [given] if callable(given) else list(given)
            kwargs["validate"] = [*given, validate.Regexp(r"\S", error="Must not be blank.")]
        metadata.setdefault("pattern", TEXT_PATTERN if blank else NON_BLANK_PATTERN)
        described = metadata.get("description", "")
        metadata["description"] = f"{described} {TEXT_RULE}".strip()
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(text):
            raise ValidationError("Must not contain control characters.")
        if _SURROGATE.search(text):  # no character: no encoder, database or renderer takes one
            raise ValidationError("Must not contain a lone UTF-16 surrogate.")
        return text
