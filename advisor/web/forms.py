"""Form values to a request dict and back, and the engine's field paths back to the form's controls."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.domain import FAILURE_KINDS, SERVICES, FieldProblem
from advisor.web.controls import (
    CONTROLS,
    DEFAULT_WEIGHT,
    PRIORITIES,
    default_values,
    form_position,
    goal_name,
    weight_name,
)

FormValues = dict[str, str]
GRID = "goals"  # where problems with the goals as a whole are shown

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_MONEY_MARKS = "$€£¥"
_MAX_TYPED = 1000  # longer than any control needs; the schema names the field when it is too long


@dataclass(frozen=True)
class GoalRow:
    """Which grid row and cells a goal of the built request came from."""

    failure: str
    services: tuple[str, ...]


@dataclass
class Submission:
    """A request dict built from a form, with the problems found reading it."""

    request: dict[str, Any]
    problems: list[FieldProblem] = field(default_factory=list)
    goal_rows: list[GoalRow] = field(default_factory=list)


def typed_values(form: Mapping[str, str]) -> FormValues:
    """Every control's value as typed (defaults for controls the form did not send)."""
    values = default_values()
    for name in values:
        sent = form.get(name)
        if sent is not None:
            values[name] = str(sent)[:_MAX_TYPED]
    for failure in FAILURE_KINDS:  # a grid cell left out of a post means "not needed"
        for service in SERVICES:
            name = goal_name(failure, service)
            if name not in form and any(k.startswith("goal.") for k in form):
                values[name] = "none"
    return values


def _clean_number(text: str) -> str:
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    text = text.strip(_MONEY_MARKS).strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    return text.replace(" ", "").replace("_", "")


def parse_integer(text: str) -> int | None:
    """A whole number as people type it (300, 1,000, 1 000); None when it is not one."""
    cleaned = _clean_number(text)
    return int(cleaned) if _INTEGER.match(cleaned) else None


def parse_amount(text: str) -> int | float | None:
    """An amount as people type it (30000, 30,000.50, $30 000); None when it is not one."""
    cleaned = _clean_number(text)
    if not _DECIMAL.match(cleaned):
        return None
    number = float(cleaned)
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def _set(tree: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


def build_request(values: Mapping[str, str]) -> Submission:
    """The request dict the form's values describe; numbers that cannot be read become problems
    (and the raw text goes to the schema, which then names the same field)."""
    submission = Submission({})
    for control in CONTROLS.values():
        raw = values.get(control.name, "").strip()
        if control.kind in ("integer", "money", "number"):
            if raw == "":
                if control.name == "budget.amount":
                    submission.problems.append(
                        FieldProblem(control.name, "enter the budget, for example 30000")
                    )
                continue
            number = parse_integer(raw) if control.kind == "integer" else parse_amount(raw)
            if number is None:
                example = {
                    "integer": "a whole number such as 300",
                    "number": "a number such as 2 or 0.5",
                    "money": "an amount such as 30000",
                }[control.kind]
                submission.problems.append(FieldProblem(control.name, f"must be {example}"))
                continue
            _set(submission.request, control.name, number)
        elif control.kind == "code":
            _set(submission.request, control.name, raw.upper())
        elif control.kind == "text":
            _set(submission.request, control.name, values.get(control.name, ""))
        else:
            _set(submission.request, control.name, raw)
    project = submission.request.get("project", {})
    if not any(str(v).strip() for v in project.values()):
        submission.request.pop("project", None)
    submission.request["goals"] = _goals(values, submission)
    return submission


def _goals(values: Mapping[str, str], submission: Submission) -> list[dict[str, Any]]:
    goals: list[dict[str, Any]] = []
    for failure in FAILURE_KINDS:
        chosen: dict[str, list[str]] = {"required": [], "preferred": []}
        for service in SERVICES:
            name = goal_name(failure, service)
            priority = values.get(name, "none")
            if priority not in PRIORITIES:
                submission.problems.append(FieldProblem(name, "choose required, preferred or not needed"))
            elif priority != "none":
                chosen[priority].append(service)
        if chosen["required"]:
            goals.append({"failure": failure, "services": chosen["required"], "priority": "required"})
            submission.goal_rows.append(GoalRow(failure, tuple(chosen["required"])))
        if chosen["preferred"]:
            raw = values.get(weight_name(failure), "").strip() or DEFAULT_WEIGHT
            weight = parse_amount(raw)
            if weight is None:
                submission.problems.append(FieldProblem(weight_name(failure), "must be a number such as 5"))
                weight = 1
            goal = {"failure": failure, "services": chosen["preferred"], "priority": "preferred"}
            goals.append({**goal, "weight": weight})
            submission.goal_rows.append(GoalRow(failure, tuple(chosen["preferred"])))
    return goals


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _get(tree: Mapping[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def values_from_request(request: Mapping[str, Any]) -> FormValues:
    """The form's values for a request dict (to change the inputs of a result); fields the
    request leaves out keep the form's defaults."""
    values = default_values()
    for name in CONTROLS:
        found = _get(request, name)
        if found is not None and not isinstance(found, Mapping | list):
            values[name] = _plain(found)
    goals = request.get("goals")
    if isinstance(goals, list):
        for failure in FAILURE_KINDS:
            for service in SERVICES:
                values[goal_name(failure, service)] = "none"
        for goal in goals:
            if isinstance(goal, Mapping):
                _mark_goal(values, goal)
    return values


def _mark_goal(values: FormValues, goal: Mapping[str, Any]) -> None:
    failure, priority = goal.get("failure"), goal.get("priority", "required")
    services = goal.get("services")
    if (
        failure not in FAILURE_KINDS
        or priority not in ("required", "preferred")
        or not isinstance(services, list)
    ):
        return
    for service in services:
        if service not in SERVICES:
            continue
        name = goal_name(str(failure), str(service))
        if values[name] != "required":  # a required goal wins over a preferred one on the same cell
            values[name] = str(priority)
    if priority == "preferred" and goal.get("weight") is not None:
        values[weight_name(str(failure))] = _plain(goal["weight"])


def control_for(path: str, goal_rows: list[GoalRow]) -> str:
    """The form control a problem's field path belongs to; GRID for the goals as a whole,
    "" for the form as a whole."""
    if path in CONTROLS or path.startswith(("goal.", "weight.")):
        return path
    parts = path.split(".")
    if parts[0] == "goals":
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(goal_rows):
            row = goal_rows[int(parts[1])]
            if len(parts) >= 4 and parts[2] == "services" and parts[3].isdigit():
                index = int(parts[3])
                if index < len(row.services):
                    return goal_name(row.failure, row.services[index])
            if len(parts) >= 3 and parts[2] == "weight":
                return weight_name(row.failure)
        return GRID
    first = next((name for name in CONTROLS if name.startswith(path + ".")), None)
    return first or ""


def problems_by_control(problems: Iterable[FieldProblem], goal_rows: list[GoalRow]) -> dict[str, list[str]]:
    """Each control's messages, in the order found, at most once each."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        messages = found.setdefault(control_for(problem.field, goal_rows), [])
        text = friendly(problem.message)
        if text not in messages:
            messages.append(text)
    return dict(sorted(found.items(), key=lambda item: form_position(item[0])))


def friendly(message: str) -> str:
    """An engine message as a sentence for the form."""
    replacements = {
        "Missing data for required field": "enter a value",
        "Not a valid number": "must be a number",
        "Not a valid integer": "must be a whole number",
    }
    text = replacements.get(message.rstrip("."), message).strip()
    text = _RANGE.sub(lambda m: f"be between {_figure(m[1])} and {_figure(m[2])}", text)
    text = _AT_LEAST.sub(lambda m: f"be at least {_figure(m[1])}", text)
    text = _AT_MOST.sub(lambda m: f"be at most {_figure(m[1])}", text)
    return text[:1].upper() + text[1:] if text else text


# The schema's range messages, as people write them: "between 0 and 100,000,000".
_RANGE = re.compile(r"be greater than or equal to (-?[\d.]+) and less than or equal to (-?[\d.]+)")
_AT_LEAST = re.compile(r"be greater than or equal to (-?[\d.]+)")
_AT_MOST = re.compile(r"be less than or equal to (-?[\d.]+)")


def _figure(text: str) -> str:
    """'100000000' -> '100,000,000'; '0.5' stays."""
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:,.0f}" if value.is_integer() else f"{value:,g}"


def merge_problems(first: list[FieldProblem], then: list[FieldProblem]) -> list[FieldProblem]:
    """The form's own problems, then the schema's for fields the form had nothing to say about."""
    named = {p.field for p in first}
    return [*first, *(p for p in then if p.field not in named)]
