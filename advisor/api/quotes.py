"""POST /api/v1/quotes: a request and the designs to compare in, the comparison as a file out.

It also holds what the API's file endpoints share (advisor.api.scenarios exports saved scenarios
the same way): a blueprint whose argument errors name the field alone, the JSON-body check, the
documented file responses and the download response itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any, NoReturn, TypeVar

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError

from advisor.api.admission import solves
from advisor.api.advice import advisor
from advisor.api.bodies import BodyParser, require_json_object
from advisor.api.descriptions import QUOTE_EXAMPLE
from advisor.api.problems import with_catalog_checked
from advisor.api.schemas import QuoteDocumentSchema, QuoteOrderSchema
from advisor.domain import FieldProblem, InvalidInput, UnknownCatalog
from advisor.exports import Rendered, render
from advisor.quotes import compare
from advisor.schemas import problems_from, request_from

View = TypeVar("View", bound=Callable[..., Any])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_TYPES: dict[str, dict[str, Any]] = {
    "text/csv": {"type": "string", "description": "`csv` and `csv-summary`: UTF-8, RFC 4180."},
    XLSX: {"type": "string", "format": "binary", "description": "`xlsx`: a workbook."},
    "application/pdf": {"type": "string", "format": "binary", "description": "`pdf`: a paginated document."},
}
CONTENT_DISPOSITION = {
    "Content-Disposition": {
        "description": '`attachment; filename="..."`: the customer, project and date, as a safe ASCII name.',
        "schema": {"type": "string"},
        "required": True,
    }
}


class FieldParser(BodyParser):
    """webargs' parser whose errors are invalid-input problems keyed by the field alone (`limit`,
    `picks.0`, `request.budget.amount`) rather than by where it was sent (`query.limit`)."""

    def handle_error(
        self,
        error: ValidationError,
        req: Any,
        schema: Schema,
        *,
        error_status_code: int | None,
        error_headers: Mapping[str, str] | None,
    ) -> NoReturn:
        messages = error.messages
        if isinstance(messages, dict) and len(messages) == 1:  # {location: {...}}
            messages = next(iter(messages.values()))
        raise InvalidInput(with_catalog_checked(problems_from(messages)))


class FieldBlueprint(Blueprint):  # type: ignore[misc]
    ARGUMENTS_PARSER = FieldParser()


@contextmanager
def problems_in_request(*, named_already: bool = False) -> Iterator[None]:
    """Name the advisor's problems with a body's `request` inside it (`request.catalog`,
    `request.budget.currency`); `named_already` when the use case names them so itself."""
    try:
        yield
    except InvalidInput as err:
        if named_already:
            raise
        raise err.within("request") from None
    except UnknownCatalog as err:
        known = ", ".join(err.known)
        raise InvalidInput(
            [FieldProblem("request.catalog", f"unknown catalog {err.catalog_id!r}; known: {known}")]
        ) from None


def download(rendered: Rendered) -> Response:
    """The rendered file as an attachment under its sanitised name."""
    response: Response = current_app.response_class(rendered.content, status=200, headers=rendered.headers())
    return response


def documents_problems(blp: Blueprint, *statuses: int) -> Callable[[View], View]:
    """Document the problems a view answers besides 422 (which @arguments documents)."""

    def decorate(view: View) -> View:
        for status in statuses:
            view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorate


def answers_a_file(blp: Blueprint, description: str) -> Callable[[View], View]:
    """Document a 200 that is one of the export files (JSON, CSV, XLSX or PDF) with its filename."""
    description += " JSON (the fields below), CSV, XLSX or PDF, as `format` asks."

    def decorate(view: View) -> View:
        for media_type, schema in FILE_TYPES.items():
            view = blp.alt_response(
                200, schema=schema, content_type=media_type, description=description, success=True
            )(view)
        documented: View = blp.response(
            200,
            QuoteDocumentSchema,
            content_type="application/json",
            description=description,
            headers=CONTENT_DISPOSITION,
        )(view)
        return documented

    return decorate


blp = FieldBlueprint(
    "quotes",
    __name__,
    url_prefix="/api/v1",
    description="Quote comparisons as files (JSON, CSV, XLSX, PDF) for a request's designs.",
)
blp.before_request(require_json_object)


@blp.route("/quotes")
class Quotes(MethodView):
    @documents_problems(blp, 400, 413, 415, 503)
    @blp.arguments(QuoteOrderSchema, example=QUOTE_EXAMPLE)
    @answers_a_file(blp, "The comparison as a file to download.")
    @solves
    def post(self, order: dict[str, Any]) -> Response:
        """Export a quote comparison

        Runs the request as POST /api/v1/recommendations does and renders its designs side by
        side: every recommendation by default, or the `picks` in their order (a weighed
        architecture that is not recommended is priced as POST /api/v1/analyses would). The
        answer is the file, with its media type and a `Content-Disposition` attachment name.
        Problems name the field: `request.budget.amount`, `format`, `picks.0`.
        """
        service = advisor()
        request = request_from(order["request"])  # validated by @arguments with the request schema
        with problems_in_request():
            result = service.recommend(request)
        comparison = compare(service, request, order.get("picks"), result=result)
        return download(render(order["format"], comparison, paper=order["paper"]))
