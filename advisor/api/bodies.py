"""Request bodies: JSON objects only, read and checked once before validation (415, 413, 400, 422).

The body is parsed here, once; the schemas' argument parser (`BodyParser`) takes that parsed
object instead of reading the body a second time with rules of its own.
"""

from __future__ import annotations

from typing import Any

from flask import Request, g, request
from flask_smorest import Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from advisor import jsontext
from advisor.domain import FieldProblem, InvalidInput


def require_json_object() -> None:
    """The body as a JSON object in g.json_body, or the problem saying why not (415, 413, 400, 422)."""
    if request.method not in ("POST", "PATCH"):
        return
    if not request.is_json:
        raise UnsupportedMediaType(
            f"Send the body as application/json, not {request.mimetype}."
            if request.mimetype
            else "Send the body as application/json; the request has no Content-Type."
        )
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: RequestEntityTooLarge (413)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        # A chunked body is cut at the limit without a word: past it, it is too large too.
        raise RequestEntityTooLarge()
    try:
        text = jsontext.decode_utf8(raw)
        body = jsontext.parse(text)
    except jsontext.NotJson as err:
        raise BadRequest(f"{err}.") from None
    if not isinstance(body, dict):
        raise InvalidInput([FieldProblem("(body)", "must be a JSON object")])
    problems = jsontext.check_text(body, text)
    if problems:
        raise InvalidInput(problems)
    g.json_body = body


class BodyParser(FlaskParser):
    """webargs' parser reading the JSON body that `require_json_object` parsed and checked."""

    def _raw_load_json(self, req: Request) -> Any:
        body = g.get("json_body")
        return core.missing if body is None else body


class BodyBlueprint(Blueprint):  # type: ignore[misc]
    """A blueprint whose @arguments validate the body `require_json_object` read."""

    ARGUMENTS_PARSER = BodyParser()


def refuse_non_json_body() -> None:
    """For operations that take no body (re-price, delete): a body, if any, is JSON or refused
    with 415, so that a cross-site form post (urlencoded, multipart or text/plain) never acts."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    has_body = bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")
    if request.mimetype and not request.is_json:
        raise UnsupportedMediaType(
            f"This operation takes no body; send none, or application/json, not {request.mimetype}."
        )
    if has_body and not request.mimetype:
        raise UnsupportedMediaType("This operation takes no body; the request sent one with no Content-Type.")
    if has_body:
        require_json_object()
