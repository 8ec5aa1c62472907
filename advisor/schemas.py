"""Marshmallow schemas for the request contract (DESIGN.md) and their translation to domain types.

The CLI, the API and the web form all validate through these schemas, so one rule set decides
what a valid request is, and every problem names its field by its JSON path. The use cases
take the domain values these give (`parse_request`, `parse_analysis`, `parse_scenario`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from advisor import architectures
from advisor.contract.responses import ConcreteDesignSchema
from advisor.domain import (
    EXCHANGE_EDITIONS,
    EXCHANGE_VERSIONS,
    FAILURE_KINDS,
    FEWEST_DATABASE_COPIES,
    MOST_DATABASE_COPIES,
    OBJECTIVES,
    SERVICES,
    STORAGES,
    WINDOWS_EDITIONS,
    WINDOWS_VERSIONS,
    AnalysisRequest,
    Budget,
    DesignChoices,
    Environment,
    FieldProblem,
    GivenCopies,
    Goal,
    InvalidInput,
    MailboxProfile,
    Platform,
    Project,
    Request,
    money_to_cents,
)
from advisor.fields import StrictInteger, StrictNumber, Text

MAX_BUDGET = 100_000_000


class _Strict(Schema):
    class Meta:
        unknown = RAISE


# What a request that leaves them out gets: read here by the schemas and by
# `with_catalog_problems`, which looks at a body the schemas refused.
DEFAULT_EXCHANGE_VERSION = "2010"
DEFAULT_CATALOG = "default"
DEFAULT_CURRENCY = "USD"


class BudgetSchema(_Strict):
    amount = StrictNumber(required=True, validate=validate.Range(min=0, max=MAX_BUDGET))
    currency = fields.String(
        load_default=DEFAULT_CURRENCY,
        validate=validate.Regexp(r"^[A-Z]{3}$", error="Must be a three-letter ISO 4217 code such as USD."),
    )
    applies_to = fields.String(load_default="upfront", validate=validate.OneOf(["upfront", "total"]))


class ExchangeSchema(_Strict):
    version = fields.String(load_default=DEFAULT_EXCHANGE_VERSION, validate=validate.OneOf(EXCHANGE_VERSIONS))
    edition = fields.String(load_default="any", validate=validate.OneOf([*EXCHANGE_EDITIONS, "any"]))


class WindowsSchema(_Strict):
    # Left out: 2008 R2 for Exchange 2010 and 2013, else the newest Windows the version runs on.
    version = fields.String(load_default=None, validate=validate.OneOf(WINDOWS_VERSIONS))
    edition = fields.String(load_default="any", validate=validate.OneOf([*WINDOWS_EDITIONS, "any"]))


class EnvironmentSchema(_Strict):
    domain_controllers = StrictInteger(load_default=2, validate=validate.Range(min=0, max=50))
    witness_host = fields.String(load_default="existing", validate=validate.OneOf(["existing", "buy"]))
    sites = StrictInteger(
        load_default=1,
        validate=validate.Range(
            min=1, max=1, error="Only single-site designs are modelled yet; sites must be 1."
        ),
    )
    cals_owned = StrictInteger(load_default=0, validate=validate.Range(min=0, max=10_000_000))
    hypervisor_hosts = StrictInteger(load_default=2, validate=validate.Range(min=0, max=1000))


class MailboxProfileSchema(_Strict):
    messages_per_day = StrictNumber(load_default=100, validate=validate.Range(min=50, max=500))
    mailbox_size_gb = StrictNumber(load_default=2, validate=validate.Range(min=0.01, max=1000))


class GoalSchema(_Strict):
    failure = fields.String(required=True, validate=validate.OneOf(FAILURE_KINDS))
    services = fields.List(
        fields.String(validate=validate.OneOf(SERVICES)),
        required=True,
        validate=validate.Length(min=1, max=len(SERVICES)),
    )
    priority = fields.String(load_default="required", validate=validate.OneOf(["required", "preferred"]))
    weight = StrictNumber(load_default=1.0, validate=validate.Range(min=0, max=1000))


class ProjectSchema(_Strict):
    name = Text(load_default="", validate=validate.Length(max=200))
    customer = Text(load_default="", validate=validate.Length(max=200))
    prepared_by = Text(load_default="", validate=validate.Length(max=200))


_catalog_id = fields.String(
    load_default=DEFAULT_CATALOG,
    validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,63}$", error="Must be a catalog id such as 'default'."),
)


def _defaults_of(schema: type[Schema]) -> Callable[[], dict[str, Any]]:
    """A nested object's defaults when it is left out: loaded once, a fresh copy each time."""
    loaded: dict[str, Any] = {}

    def defaults() -> dict[str, Any]:
        if not loaded:
            loaded.update(schema().load({}))
        return dict(loaded)

    return defaults


class _PlatformFields(_Strict):
    exchange = fields.Nested(ExchangeSchema, load_default=_defaults_of(ExchangeSchema))
    windows = fields.Nested(WindowsSchema, load_default=_defaults_of(WindowsSchema))
    mailboxes = StrictInteger(load_default=300, validate=validate.Range(min=1, max=100_000))
    databases = StrictInteger(load_default=4, validate=validate.Range(min=1, max=200))
    environment = fields.Nested(EnvironmentSchema, load_default=_defaults_of(EnvironmentSchema))
    catalog = _catalog_id
    project = fields.Nested(ProjectSchema, load_default=None)
    mailbox_profile = fields.Nested(MailboxProfileSchema, load_default=_defaults_of(MailboxProfileSchema))
    database_copies = StrictInteger(
        load_default=FEWEST_DATABASE_COPIES,
        validate=validate.Range(min=FEWEST_DATABASE_COPIES, max=MOST_DATABASE_COPIES),
    )
    storage = fields.String(load_default="raid", validate=validate.OneOf(STORAGES))

    @validates_schema
    def _jbod_needs_three_copies(self, data: dict[str, Any], **kwargs: Any) -> None:
        # An analysis's design may give its own copies, which are the ones it holds.
        design = data.get("design")
        given = (
            design.get("database_copies")
            if isinstance(design, dict)
            else getattr(design, "database_copies", None)
        )
        copies = given if given is not None else data.get("database_copies", FEWEST_DATABASE_COPIES)
        if data.get("storage") == "jbod" and copies < 3:
            raise ValidationError(
                "JBOD needs at least 3 database copies; with 2 use raid (rule dag.storage_copies)",
                field_name="storage",
            )


class RequestSchema(_PlatformFields):
    budget = fields.Nested(BudgetSchema, required=True)
    horizon_years = StrictInteger(load_default=3, validate=validate.Range(min=1, max=10))
    goals = fields.List(
        fields.Nested(GoalSchema),
        required=True,
        validate=validate.Length(max=len(FAILURE_KINDS) * len(SERVICES)),
    )
    objective = fields.String(load_default="min_cost", validate=validate.OneOf(OBJECTIVES))
    alternatives = StrictInteger(load_default=3, validate=validate.Range(min=1, max=len(architectures.NAMES)))


class DesignSchema(ConcreteDesignSchema):
    """The design fields `analyze` takes: a recommendation's, each optional (loaded `partial`)."""

    class Meta:
        unknown = RAISE

    @post_load
    def _fields(self, data: dict[str, Any], **kwargs: Any) -> DesignChoices:
        return DesignChoices(**data)


class GivenCopySchema(_Strict):
    server = fields.String(required=True, validate=validate.Regexp(r"^ex-[0-9]{1,2}$"))
    preference = StrictInteger(required=True, validate=validate.Range(min=1, max=16))


class GivenDatabaseSchema(_Strict):
    database = fields.String(required=True, validate=validate.Regexp(r"^db-[0-9]{1,3}$"))
    copies = fields.List(
        fields.Nested(GivenCopySchema), required=True, validate=validate.Length(min=1, max=16)
    )
    # An answer's copy_layout can be sent back as it is: its figures are checked, not taken.
    mailboxes = StrictInteger(load_default=None, validate=validate.Range(min=0, max=1_000_000))
    size_gb = StrictNumber(load_default=None, validate=validate.Range(min=0))

    @post_load
    def _typed(self, data: dict[str, Any], **kwargs: Any) -> GivenCopies:
        return GivenCopies(
            data["database"], tuple((c["server"], c["preference"]) for c in data["copies"]), data["mailboxes"]
        )


class AnalysisSchema(_PlatformFields):
    architecture = fields.String(required=True, validate=validate.OneOf(architectures.NAMES))
    design = fields.Nested(DesignSchema(partial=True), load_default=DesignChoices)
    copy_layout = fields.List(
        fields.Nested(GivenDatabaseSchema), load_default=None, validate=validate.Length(min=1, max=200)
    )
    goals = fields.List(fields.Nested(GoalSchema), load_default=list)
    budget = fields.Nested(BudgetSchema, load_default=None)
    horizon_years = StrictInteger(load_default=3, validate=validate.Range(min=1, max=10))


# Loading keeps no state on a schema, so one instance of each serves every request (building one
# copies every declared field, which cost a good share of a recommendation's validation).
REQUEST_SCHEMA = RequestSchema()
ANALYSIS_SCHEMA = AnalysisSchema()


def problems_from(messages: Any, prefix: str = "") -> list[FieldProblem]:
    """Flatten marshmallow's nested messages into one problem per field path (a.b.0.c)."""
    found: list[FieldProblem] = []
    if isinstance(messages, dict):
        for key, sub in messages.items():
            name = "(body)" if key == "_schema" and not prefix else str(key)
            path = f"{prefix}.{name}" if prefix else name
            if key == "_schema" and prefix:
                path = prefix
            found.extend(problems_from(sub, path))
    elif isinstance(messages, list):
        for text in messages:
            if isinstance(text, dict | list):
                found.extend(problems_from(text, prefix))
            else:
                found.append(FieldProblem(prefix or "(body)", _friendly(str(text))))
    else:
        found.append(FieldProblem(prefix or "(body)", _friendly(str(messages))))
    return found


def _friendly(text: str) -> str:
    return "unknown field" if text == "Unknown field." else text.rstrip(".")


def load(schema: Schema, data: Any) -> dict[str, Any]:
    """Validate a JSON object with a schema; InvalidInput names every field that is wrong."""
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(body)", "must be a JSON object")])
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as err:
        messages = err.normalized_messages()  # type: ignore[no-untyped-call]
        raise InvalidInput(problems_from(messages)) from None
    return loaded


CatalogCheck = Callable[[str, str | None, str | None, str | None], list[FieldProblem]]


def with_catalog_problems(
    problems: list[FieldProblem], data: Any, check: CatalogCheck, under: str | None = None
) -> list[FieldProblem]:
    """A body's schema problems and what its catalog says of the fields the schemas accepted,
    through `check` (`Advisor.catalog_problems`): the budget's currency when it is not the one
    the catalog prices in, and the Exchange version on the Windows version when both are valid
    and the one does not run on the other. One answer names them all, so fixing one field does
    not reveal the next. A body that leaves the Windows version out gets one that fits; one that
    leaves the currency out gets the schema's default.

    With `under`, the request is the body's field of that name (a scenario's `request`), and
    the fields are named under it."""
    prefix = f"{under}." if under else ""
    if under:
        if any(p.field == under for p in problems) or not isinstance(data, dict):
            return problems
        data = data.get(under)
    if not isinstance(data, dict):
        return problems
    catalog = data.get("catalog", DEFAULT_CATALOG)
    if not isinstance(catalog, str):
        return problems
    named = {p.field.removeprefix(prefix) for p in problems if p.field.startswith(prefix)}
    if "catalog" in named:
        return problems
    found = check(catalog, *_pair(data, named), _currency(data, named))
    return problems + [FieldProblem(prefix + p.field, p.message) for p in found]


def _pair(data: dict[str, Any], named: set[str]) -> tuple[str | None, str | None]:
    """The body's Exchange and Windows versions, (None, None) unless both are valid."""
    exchange = data.get("exchange", {})
    windows = data.get("windows")
    if not isinstance(exchange, dict) or not isinstance(windows, dict):
        return None, None
    exchange_version = exchange.get("version", DEFAULT_EXCHANGE_VERSION)
    windows_version = windows.get("version")
    if exchange_version not in EXCHANGE_VERSIONS or windows_version not in WINDOWS_VERSIONS:
        return None, None
    if named & {"exchange", "exchange.version", "windows", "windows.version"}:
        return None, None
    return exchange_version, windows_version


def _currency(data: dict[str, Any], named: set[str]) -> str | None:
    """The body's budget currency, None when it gives no budget or the currency is invalid."""
    budget = data.get("budget")
    if not isinstance(budget, dict) or named & {"budget", "budget.currency"}:
        return None
    currency = budget.get("currency", DEFAULT_CURRENCY)
    return currency if isinstance(currency, str) else None


# The Windows version a request that names none gets, by Exchange version (DESIGN.md keeps 2008 R2
# the default for 2010; a later Exchange gets the newest Windows it runs on).
DEFAULT_WINDOWS = {"2010": "2008R2", "2013": "2012R2", "2016": "2016", "2019": "2025", "SE": "2025"}


def _platform(data: dict[str, Any]) -> Platform:
    exchange = data["exchange"]["version"]
    return Platform(
        exchange,
        data["exchange"]["edition"],
        data["windows"]["version"] or DEFAULT_WINDOWS.get(exchange, "2008R2"),
        data["windows"]["edition"],
    )


def _environment(data: dict[str, Any]) -> Environment:
    return Environment(**data["environment"])


def _sizing_terms(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "mailbox_profile": MailboxProfile(**data["mailbox_profile"]),
        "database_copies": data["database_copies"],
        "storage": data["storage"],
    }


def _goals(data: dict[str, Any]) -> tuple[Goal, ...]:
    return tuple(
        Goal(g["failure"], tuple(dict.fromkeys(g["services"])), g["priority"], g["weight"])
        for g in data["goals"]
    )


def _project(data: dict[str, Any]) -> Project | None:
    return Project(**data["project"]) if data.get("project") is not None else None


def _budget(data: dict[str, Any] | None) -> Budget:
    if data is None:
        return Budget(0, "USD", "upfront")
    return Budget(money_to_cents(data["amount"]), data["currency"], data["applies_to"])


def parse_request(data: Any) -> Request:
    """A request from its JSON form; InvalidInput names every field that is wrong."""
    return request_from(load(REQUEST_SCHEMA, data))


def request_from(loaded: dict[str, Any]) -> Request:
    """A request from what RequestSchema loaded (for callers that validated with it already)."""
    return Request(
        budget=_budget(loaded["budget"]),
        goals=_goals(loaded),
        platform=_platform(loaded),
        horizon_years=loaded["horizon_years"],
        mailboxes=loaded["mailboxes"],
        databases=loaded["databases"],
        environment=_environment(loaded),
        objective=loaded["objective"],
        alternatives=loaded["alternatives"],
        catalog=loaded["catalog"],
        project=_project(loaded),
        **_sizing_terms(loaded),
    )


def parse_analysis(data: Any) -> AnalysisRequest:
    """An analysis input from its JSON form; InvalidInput names every field that is wrong."""
    return analysis_from(load(ANALYSIS_SCHEMA, data))


def analysis_from(loaded: dict[str, Any]) -> AnalysisRequest:
    """An analysis input from what AnalysisSchema loaded."""
    request = Request(
        budget=_budget(loaded["budget"]),
        goals=_goals(loaded),
        platform=_platform(loaded),
        horizon_years=loaded["horizon_years"],
        mailboxes=loaded["mailboxes"],
        databases=loaded["databases"],
        environment=_environment(loaded),
        catalog=loaded["catalog"],
        project=_project(loaded),
        **_sizing_terms(loaded),
    )
    layout = loaded["copy_layout"]
    return AnalysisRequest(
        request,
        loaded["architecture"],
        loaded["design"],
        loaded["budget"] is not None,
        tuple(layout) if layout is not None else None,
    )


# Saved scenarios' bodies and queries (the API and the web form take the same).

SCENARIO_NAME_MAX = 200
SCENARIO_NOTES_MAX = 5000
SCENARIO_PAGE_MAX = 100
_NAMED = validate.Length(min=1, max=SCENARIO_NAME_MAX)


class ScenarioCreateSchema(_Strict):
    name = Text(required=True, blank=False, validate=_NAMED)
    notes = Text(load_default="", validate=validate.Length(max=SCENARIO_NOTES_MAX))
    request = fields.Dict(required=True)


class ScenarioPatchSchema(_Strict):
    name = Text(blank=False, validate=_NAMED)
    notes = Text(validate=validate.Length(max=SCENARIO_NOTES_MAX))


class ScenarioListSchema(_Strict):
    # A query string's values are text: "20" is the number 20 here.
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=SCENARIO_PAGE_MAX))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
    name = Text(load_default=None, validate=validate.Length(max=SCENARIO_NAME_MAX))


def parse_scenario(data: Any) -> tuple[str, str, Request, dict[str, Any]]:
    """A scenario to save: its name, notes, the request (problems named `request.<field>`) and
    the request's document as it was sent."""
    loaded = load(ScenarioCreateSchema(), data)
    document: dict[str, Any] = loaded["request"]
    try:
        request = parse_request(document)
    except InvalidInput as err:
        raise err.within("request") from None
    return loaded["name"], loaded["notes"], request, document


def parse_stored_request(document: Any) -> Request:
    """The request a saved scenario keeps, read again (problems named `request.<field>`)."""
    try:
        return parse_request(document)
    except InvalidInput as err:
        raise err.within("request") from None
