"""What each dollar buys: the cost-downtime frontier across every architecture weighed, what each
step up it adds, what the budget stands in the way of, and why #1 beats each alternative.

Cost is the budget's measure (upfront, or the total over the horizon); downtime is the expected
Outlook minutes a year (advisor.availability). A design is on the frontier when no other weighed
design that meets every required goal costs no more and is down no longer, one of them strictly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor.domain import BudgetStep, CostReport, Design, Front, FrontierPoint, format_money

SERVICE = "outlook"


@dataclass(frozen=True)
class Candidate:
    """One weighed architecture's design with what the frontier needs of it."""

    architecture: str
    title: str
    design: Design
    cost: CostReport
    measure_cents: int  # by the budget's measure
    minutes: Mapping[str, float]  # expected outage minutes a year by service
    within_budget: bool
    load_balancer_kind: str | None = None  # hardware or virtual


def frontier(candidates: Sequence[Candidate], currency: str, measure: str) -> tuple[FrontierPoint, ...]:
    """The designs no other one beats on both cost and expected Outlook downtime, cheapest first,
    each saying what it adds over the one before and what that costs."""
    ordered = sorted(candidates, key=lambda c: (c.measure_cents, c.minutes.get(SERVICE, 0.0), c.architecture))
    kept: list[Candidate] = []
    for c in ordered:
        if kept and c.minutes.get(SERVICE, 0.0) >= kept[-1].minutes.get(SERVICE, 0.0) - 1e-9:
            continue  # costs at least as much as the last kept and is down no less
        kept.append(c)
    points = []
    for i, c in enumerate(kept):
        adds = (
            "The cheapest design that meets every required goal."
            if i == 0
            else step_sentence(kept[i - 1], c, currency, measure)
        )
        points.append(
            FrontierPoint(
                architecture=c.architecture,
                title=c.title,
                cost=c.cost,
                expected_outage_minutes_per_year=dict(c.minutes),
                adds=adds,
                within_budget=c.within_budget,
                design=c.design,
            )
        )
    return tuple(points)


def budget_step(
    candidates: Sequence[Candidate], best: Candidate | None, currency: str, measure: str, budget_cents: int
) -> BudgetStep | None:
    """When the budget binds: the cheapest design over it that is down less than the best
    within it (or, with nothing within it, the cheapest design of all)."""
    over = [c for c in candidates if not c.within_budget]
    if best is not None:
        over = [c for c in over if c.minutes.get(SERVICE, 0.0) < best.minutes.get(SERVICE, 0.0) - 1e-9]
    if not over:
        return None
    step = min(over, key=lambda c: (c.measure_cents, c.minutes.get(SERVICE, 0.0)))
    short = step.measure_cents - budget_cents
    if best is None:
        sentence = (
            f"{format_money(short, currency)} more {measure} ({format_money(step.measure_cents, currency)}) "
            f"buys {step.title}, the least design that meets every required goal, expected down "
            f"{_minutes(step)} a year for Outlook."
        )
    else:
        sentence = (
            f"{format_money(short, currency)} more {measure} than the budget buys {step.title} for "
            f"{format_money(step.measure_cents, currency)}: "
            f"{step_sentence(best, step, currency, measure)}"
        )
    return BudgetStep(step.architecture, step.cost, short, dict(step.minutes), sentence)


def versus_first(first: Candidate, other: Candidate, currency: str, measure: str) -> str:
    """One sentence: what an alternative gives up or gains against the recommendation."""
    diff = other.measure_cents - first.measure_cents
    money = (
        f"costs {format_money(diff, currency)} more {measure}"
        if diff > 0
        else (
            f"costs {format_money(-diff, currency)} less {measure}"
            if diff < 0
            else f"costs the same {measure}"
        )
    )
    a, b = first.minutes.get(SERVICE, 0.0), other.minutes.get(SERVICE, 0.0)
    if abs(a - b) < 0.005:
        down = f"is down as long for Outlook ({_fmt(b)} minutes a year)"
    elif b < a:
        down = f"cuts expected Outlook downtime from {_fmt(a)} to {_fmt(b)} minutes a year"
    else:
        down = f"raises expected Outlook downtime from {_fmt(a)} to {_fmt(b)} minutes a year"
    return f"Against #1 ({first.title}), it {money} and {down}."


def step_sentence(before: Candidate, after: Candidate, currency: str, measure: str) -> str:
    """What a design adds over a cheaper one, and what that buys: '+1,490.00 USD upfront for a
    second load-balancer unit cuts expected Outlook downtime from 129 to 2 minutes a year'."""
    diff = after.measure_cents - before.measure_cents
    what = additions(before.design, after.design, before.load_balancer_kind, after.load_balancer_kind)
    a, b = before.minutes.get(SERVICE, 0.0), after.minutes.get(SERVICE, 0.0)
    verb = "cuts" if b < a else ("raises" if b > a else "keeps")
    return f"+{format_money(diff, currency)} {measure} for {what} {verb} expected Outlook downtime " + (
        f"from {_fmt(a)} to {_fmt(b)} minutes a year." if a != b else f"at {_fmt(a)} minutes a year."
    )


def additions(
    before: Design, after: Design, before_kind: str | None = None, after_kind: str | None = None
) -> str:
    """What `after` has that `before` has not, in words a customer reads."""
    a, b = before.spec, after.spec
    parts: list[str] = []
    if a is not b:
        if not a.dag and b.dag:
            parts.append("a database availability group (DAG)")
        if a.front is not b.front:
            parts.append(_front_words(b.front, b.http_clients, b.load_balancer_units))
        elif a.load_balancer_units < b.load_balancer_units:
            parts.append("a second load-balancer unit (an active/standby pair)")
        elif a.load_balancer_units > b.load_balancer_units:
            parts.append("one load balancer instead of a pair")
        if not parts:
            parts.append(f"{b.title} instead of {a.title}")
    if after.exchange_servers > before.exchange_servers:
        extra = after.exchange_servers - before.exchange_servers
        parts.append(f"{extra} more Exchange server{'s' if extra > 1 else ''}")
    if after.dedicated_cas_servers > before.dedicated_cas_servers and b.dedicated_client_access and a is b:
        parts.append(
            f"{after.dedicated_cas_servers - before.dedicated_cas_servers} more Client Access servers"
        )
    if after.domain_controllers_added > before.domain_controllers_added:
        parts.append("an added domain controller")
    if after.witness == "buy" and before.witness != "buy":
        parts.append("a witness server of its own")
    if (
        a.load_balancer_units
        and b.load_balancer_units
        and before.load_balancer_model != after.load_balancer_model
        and after.load_balancer_model
    ):
        if before_kind and after_kind and before_kind != after_kind:
            parts.append(
                f"a {after_kind} load balancer ({after.load_balancer_model}) instead of a {before_kind} one"
            )
        else:
            parts.append(f"the {after.load_balancer_model} load balancer")
    if after.server_model != before.server_model and not parts:
        parts.append(f"{after.server_model} servers")
    return _join(parts) if parts else "a different design"


def _front_words(front: Front, http: bool, units: int) -> str:
    if front is Front.LOAD_BALANCER:
        return (
            "an active/standby load-balancer pair"
            if units == 2
            else "a load balancer in front of the servers"
        )
    if front is Front.DNS:
        return (
            "a namespace DNS resolves to every server" if http else "a CAS array DNS resolves to every server"
        )
    if front is Front.WINDOWS_NLB:
        return "dedicated Client Access servers in Windows NLB"
    return "clients on one server"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _fmt(minutes: float) -> str:
    return f"{minutes:,.0f}" if minutes >= 10 else f"{minutes:,.1f}"


def _minutes(c: Candidate) -> str:
    return f"{_fmt(c.minutes.get(SERVICE, 0.0))} minutes"
