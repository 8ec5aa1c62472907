"""Request bodies: JSON objects only, read once before validation (415, 413, 400, 422)."""

from __future__ import annotations

import json

from flask import g, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

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
        body = json.loads(raw)
    except ValueError as err:
        raise BadRequest(f"The body is not valid JSON: {err}.") from None
    except RecursionError:
        raise BadRequest("The body is not valid JSON: it nests too deeply.") from None
    if not isinstance(body, dict):
        raise InvalidInput([FieldProblem("(body)", "must be a JSON object")])
    g.json_body = body
