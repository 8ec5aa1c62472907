"""The request carried in a result URL: compact JSON, deflated, base64url; small and checked on the way back.

The URL is the whole state of a result (saving it as a scenario is a separate step), so it can
be reloaded and shared. It is not signed: whatever it holds is validated again on every GET,
exactly as a posted form is, so a changed URL can only ask a different valid question.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from advisor import jsontext

MAX_TOKEN = 8000  # characters: well inside what browsers and proxies keep in a URL
MAX_JSON = 64 * 1024  # bytes once inflated: a request is a few hundred


class BadToken(ValueError):
    """The result URL's request cannot be read: cut short, changed by hand or too large."""


def encode(request: dict[str, Any]) -> str:
    """The request as a URL-safe token."""
    text = json.dumps(request, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = squeezer.compress(text.encode("utf-8")) + squeezer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(token: str) -> dict[str, Any]:
    """The request a token holds; BadToken when it is not one this module made."""
    if not token or len(token) > MAX_TOKEN:
        raise BadToken("the link holds no request, or one far too long")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj(-15)
        raw = inflater.decompress(packed, MAX_JSON)
        if inflater.unconsumed_tail or not inflater.eof:
            raise BadToken("the link's request is cut short or too large")
        text = raw.decode("utf-8")
        data = json.loads(text)
    except (
        binascii.Error,
        zlib.error,
        UnicodeDecodeError,
        json.JSONDecodeError,
        ValueError,
        RecursionError,  # a link inflating to thousands of nested brackets
    ) as err:
        if isinstance(err, BadToken):
            raise
        raise BadToken("the link's request cannot be read") from None
    if not isinstance(data, dict):
        raise BadToken("the link's request is not a request")
    problems = jsontext.check_text(data, text)
    if problems:
        where = ", ".join(p.field for p in problems)
        raise BadToken(f"the link's request {jsontext.LONE}, which is not a character, in {where}")
    return data
