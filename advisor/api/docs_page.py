"""Read the OpenAPI document into what the docs page shows: operations, their fields and examples."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")
MAX_DEPTH = 6


@dataclass(frozen=True)
class Field:
    path: str
    type: str
    required: bool
    rules: str
    description: str


@dataclass
class Response:
    status: str
    description: str
    content_type: str
    fields: list[Field] = field(default_factory=list)


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field]
    body_fields: list[Field]
    example: str | None
    responses: list[Response]
    secured: bool = False  # needs `Authorization: Bearer TOKEN` (ADVISOR_AUTH=tokens)


@dataclass
class Section:
    name: str
    description: str
    operations: list[Operation]


class _Reader:
    def __init__(self, document: dict[str, Any]):
        self.document = document

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node and seen < 20:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            seen += 1
        return node

    def unwrap(self, node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The schema behind a nullable wrapper (anyOf [X, null]) and whether null is allowed."""
        node = self.resolve(node)
        options = node.get("anyOf")
        if options:
            real = [o for o in options if o.get("type") != "null"]
            if len(real) == 1:
                outer = {k: v for k, v in node.items() if k != "anyOf"}
                return {**self.resolve(real[0]), **outer}, len(real) < len(options)
        kinds = node.get("type")
        if isinstance(kinds, list) and "null" in kinds:
            rest = [k for k in kinds if k != "null"]
            return {**node, "type": rest[0] if len(rest) == 1 else rest}, True
        return node, False

    def fields(self, schema: dict[str, Any], prefix: str = "", depth: int = 0) -> list[Field]:
        schema, _ = self.unwrap(schema)
        if "oneOf" in schema and "properties" not in schema:
            # Answers in views (`?view=`): the fields of the first, the default one.
            schema, _ = self.unwrap(schema["oneOf"][0])
        out: list[Field] = []
        if depth > MAX_DEPTH:
            return out
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            path = f"{prefix}{name}"
            node, nullable = self.unwrap(prop)
            out.append(Field(path, _type(node, nullable), name in required, _rules(node), _text(prop, node)))
            out.extend(self._children(node, path, depth))
        return out

    def _children(self, node: dict[str, Any], path: str, depth: int) -> list[Field]:
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            items, _ = self.unwrap(node["items"])
            if "properties" in items:
                return self.fields(items, f"{path}[].", depth + 1)
        if "properties" in node:
            return self.fields(node, f"{path}.", depth + 1)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            values, _ = self.unwrap(extra)
            if "properties" in values:
                return self.fields(values, f"{path}.{{key}}.", depth + 1)
        return []


def _type(node: dict[str, Any], nullable: bool) -> str:
    kind = node.get("type", "object")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array" and isinstance(node.get("items"), dict):
        inner = node["items"].get("type") or "object"
        kind = f"array of {inner}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        inner = node["additionalProperties"].get("type") or "object"
        kind = f"map of {inner}"
    return f"{kind} or null" if nullable else str(kind)


def _rules(node: dict[str, Any]) -> str:
    parts: list[str] = []
    if "enum" in node:
        parts.append("one of " + ", ".join("null" if v is None else str(v) for v in node["enum"]))
    for key, word in (
        ("minimum", "min"),
        ("maximum", "max"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
    ):
        if key in node:
            parts.append(f"{word} {node[key]}")
    if "pattern" in node:
        parts.append(f"pattern {node['pattern']}")
    if "default" in node:
        parts.append(f"default {json.dumps(node['default'])}")
    items = node.get("items")
    if isinstance(items, dict) and "enum" in items:
        parts.append("each one of " + ", ".join(str(v) for v in items["enum"]))
    return "; ".join(parts)


def _text(prop: dict[str, Any], node: dict[str, Any]) -> str:
    return str(prop.get("description") or node.get("description") or "")


def sections(document: dict[str, Any]) -> list[Section]:
    """The document's operations grouped by tag, in the order the document lists them."""
    reader = _Reader(document)
    tags = {t["name"]: t.get("description", "") for t in document.get("tags", [])}
    grouped: dict[str, list[Operation]] = {name: [] for name in tags}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            shared = item.get("parameters", [])
            grouped.setdefault(tag, []).append(_operation(reader, method, path, operation, shared))
    return [Section(name, tags.get(name, ""), ops) for name, ops in grouped.items() if ops]


def _operation(
    reader: _Reader, method: str, path: str, operation: dict[str, Any], shared: list[dict[str, Any]]
) -> Operation:
    parameters = [
        Field(
            f"{p['name']} ({p['in']})",
            _type(reader.unwrap(p.get("schema", {}))[0], False),
            bool(p.get("required")),
            _rules(p.get("schema", {})),
            str(p.get("description", "")),
        )
        for p in (reader.resolve(p) for p in [*shared, *operation.get("parameters", [])])
    ]
    body_fields: list[Field] = []
    example = None
    body = operation.get("requestBody")
    if body:
        media: dict[str, Any] = next(iter(reader.resolve(body).get("content", {}).values()), {})
        body_fields = reader.fields(media.get("schema", {}))
        if "example" in media:
            example = json.dumps(media["example"], indent=2)
    responses: list[Response] = []
    for status, raw in operation.get("responses", {}).items():
        response = reader.resolve(raw)
        content: dict[str, dict[str, Any]] = response.get("content", {})
        content_type, shown_media = next(iter(content.items()), ("", {}))
        shown = reader.fields(shown_media.get("schema", {})) if status.startswith("2") else []
        responses.append(Response(status, str(response.get("description", "")), content_type, shown))
    anchor = f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}"
    return Operation(
        method.upper(),
        path,
        anchor,
        str(operation.get("summary", "")),
        " ".join(str(operation.get("description", "")).split()),  # docstrings wrap their lines
        parameters,
        body_fields,
        example,
        responses,
        secured=bool(operation.get("security")),
    )
