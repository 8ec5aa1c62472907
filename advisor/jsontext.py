"""JSON text people send (API bodies, result links, request files): UTF-8, no lone surrogates.

JSON can spell a UTF-16 surrogate on its own (`"\\ud800"`), which is no character: no UTF-8
encoder, database or renderer takes it, so a string holding one is refused here, by the JSON
path of the field that holds it, before anything else reads the document.
"""

from __future__ import annotations

import json
import re
from typing import Any

from advisor.domain import FieldProblem

BOM = b"\xef\xbb\xbf"
_SURROGATE = re.compile("[\ud800-\udfff]")
# A surrogate can only come from a \u escape of D800-DFFF: a text without one is not walked.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
LONE = "holds a lone UTF-16 surrogate"
LONE_SURROGATE = LONE + " ({code}), which is not a character; send the text as UTF-8"


class NotJson(ValueError):
    """The bytes are not a JSON text in UTF-8; the message says why, for a person."""


def shown(text: str) -> str:
    """Text safe to print, with any surrogate written as its escape (\\ud800)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _path(prefix: str, key: str | int) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def surrogate_problems(value: Any, prefix: str = "") -> list[FieldProblem]:
    """A problem for every string or field name in a JSON value that holds a lone surrogate."""
    found: list[FieldProblem] = []
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        if match:
            code = f"\\u{ord(match.group()):04x}"
            found.append(FieldProblem(prefix or "(body)", LONE_SURROGATE.format(code=code)))
    elif isinstance(value, dict):
        for key, item in value.items():
            match = _SURROGATE.search(key)
            if match:
                code = f"\\u{ord(match.group()):04x}"
                found.append(
                    FieldProblem(
                        _path(prefix, shown(key)), "the field name " + LONE_SURROGATE.format(code=code)
                    )
                )
                continue
            found.extend(surrogate_problems(item, _path(prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(surrogate_problems(item, _path(prefix, index)))
    return found


def check_text(value: Any, text: str) -> list[FieldProblem]:
    """`surrogate_problems` of a value parsed from `text`, walked only when the text could hold one."""
    return surrogate_problems(value) if _ESCAPED_SURROGATE.search(text) else []


def decode_utf8(raw: bytes, what: str = "The body") -> str:
    """UTF-8 bytes as text (a leading byte-order mark is dropped, as RFC 8259 allows); NotJson
    naming the first byte that is not UTF-8 otherwise."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        hint = " (it looks like UTF-16: send UTF-8)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise NotJson(f"{what} is not UTF-8 text: byte {err.start} cannot be read{hint}") from None


def parse(text: str, what: str = "The body") -> Any:
    """A JSON value from text; NotJson with the parser's words and position otherwise."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise NotJson(
            f"{what} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"
        ) from None
    except RecursionError:
        raise NotJson(f"{what} is not valid JSON: it nests too deeply") from None
