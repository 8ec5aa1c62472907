"""What the failure scenarios say about the parts they fail, for the drawings and tables of every
edge: which load-balancer components are hypervisor hosts, and which units each host runs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

HOST_PREFIX = "hypervisor host"


class Described(Protocol):
    """A failure scenario as the reports and the comparison both hold it."""

    @property
    def component(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def description(self) -> str: ...


def load_balancer_hosts(scenarios: Iterable[Described]) -> dict[str, tuple[str, ...]]:
    """The hypervisor hosts virtual load balancers run on, each with the units it runs, in the
    scenarios' order; empty for hardware appliances (no host is failed on its own)."""
    parts = [s for s in scenarios if s.kind == "load_balancer"]
    hosts: dict[str, tuple[str, ...]] = {}
    for part in parts:
        if not part.description.startswith(HOST_PREFIX):
            continue
        named = set(re.findall(r"[\w-]+", part.description))
        hosts[part.component] = tuple(
            u.component for u in parts if u.component != part.component and u.component in named
        )
    return hosts


def load_balancer_units(scenarios: Iterable[Described]) -> list[str]:
    """The load-balancer units themselves (not the hosts they run on), in the scenarios' order."""
    listed = list(scenarios)
    hosts = load_balancer_hosts(listed)
    return [s.component for s in listed if s.kind == "load_balancer" and s.component not in hosts]


def host_of(hosts: dict[str, tuple[str, ...]], unit: str) -> str | None:
    """The host a unit runs on, if it runs on one."""
    return next((host for host, units in hosts.items() if unit in units), None)
