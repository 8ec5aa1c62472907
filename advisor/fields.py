"""Strict marshmallow fields: JSON and TOML types are taken as they are, never coerced."""

from __future__ import annotations

import math
import re
from typing import Any

from marshmallow import ValidationError, fields


class StrictInteger(fields.Integer):
    """An integer and nothing else: no strings, floats or booleans."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)


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


class Text(fields.String):
    """Text people type (names, notes): any characters but control ones other than tab and line
    breaks, which no report can show and PostgreSQL cannot store (NUL)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(text):
            raise ValidationError("Must not contain control characters.")
        return text
