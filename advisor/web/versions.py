"""The form's version menus, read from a catalog: which Windows each Exchange runs on, each
version's support, and the facts and architectures of each Exchange version."""

from __future__ import annotations

from dataclasses import dataclass

from advisor import architectures
from advisor.catalog.model import Catalog
from advisor.domain import EXCHANGE_VERSIONS, WINDOWS_VERSIONS


@dataclass(frozen=True)
class VersionOption:
    """One option of a version menu. `runs` (Windows options): the Exchange versions that run
    on it, space-separated, which the style sheet uses to offer only those that fit."""

    value: str
    label: str
    runs: str = ""


@dataclass(frozen=True)
class VersionFacts:
    """What the form says about one Exchange version, and the sentence shown when the chosen
    Windows version is not one it runs on."""

    exchange: str
    facts: str
    runs_on: str


def windows_name(version: str) -> str:
    """`2008R2` -> `2008 R2`."""
    return version.replace("R2", " R2")


def _series(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _support(catalog: Catalog, kind: str, version: str, day: str) -> str:
    entry = catalog.lifecycle.get((kind, version))
    if entry is None:
        return ""
    if entry.end_of_support is None:
        return "supported while kept on the current update"
    if entry.supported_on(day):
        return f"supported to {entry.end_of_support}"
    return f"out of support since {entry.end_of_support}"


def _label(catalog: Catalog, kind: str, version: str, name: str, day: str) -> str:
    """A menu option: the product and, briefly, its support on `day`."""
    entry = catalog.lifecycle.get((kind, version))
    if entry is None:
        return name
    if entry.end_of_support is None:
        return f"{name} (supported)"
    if entry.supported_on(day):
        return f"{name} (supported to {entry.end_of_support})"
    return f"{name} (ended {entry.end_of_support})"


def exchange_options(catalog: Catalog, day: str) -> list[VersionOption]:
    """Every Exchange version the catalog plans, with its support on `day` (an ISO date)."""
    return [
        VersionOption(v, _label(catalog, "exchange", v, f"Exchange {v}", day))
        for v in EXCHANGE_VERSIONS
        if v in catalog.exchange
    ]


def windows_options(catalog: Catalog, day: str) -> list[VersionOption]:
    """Every Windows version some Exchange version runs on, with the Exchange versions that do."""
    options = []
    for w in WINDOWS_VERSIONS:
        known = (e for e in EXCHANGE_VERSIONS if e in catalog.exchange)
        runs = [e for e in known if w in catalog.exchange[e].windows_versions]
        if runs:
            label = _label(catalog, "windows", w, f"Windows Server {windows_name(w)}", day)
            options.append(VersionOption(w, label, " ".join(runs)))
    return options


def _windows_list(catalog: Catalog, exchange: str) -> str:
    """`2019, 2022 (from CU12) and 2025 (from CU15)`: the update named is Exchange's."""
    facts = catalog.exchange[exchange]
    updates = {facts.windows_minimum_update.get(w) for w in facts.windows_versions}
    if len(updates) == 1 and None not in updates:  # one update for every Windows (2013: SP1)
        return f"{_series([windows_name(w) for w in facts.windows_versions])} (from {updates.pop()})"
    names = []
    for w in facts.windows_versions:
        update = facts.windows_minimum_update.get(w)
        names.append(windows_name(w) + (f" (from {update})" if update else ""))
    return _series(names)


def version_facts(catalog: Catalog, day: str) -> list[VersionFacts]:
    """For each Exchange version: its support, its Windows, its mounted-database limits and the
    architectures the advisor weighs for it, in words."""
    out = []
    for option in exchange_options(catalog, day):
        v = option.value
        facts = catalog.exchange[v]
        support = _support(catalog, "exchange", v, day)
        limits = ", ".join(f"{n} on {e.capitalize()}" for e, n in facts.mounted_databases.items())
        weighs = "; ".join(s.title for s in architectures.for_version(v))
        subscription = (
            " Licensed by subscription: server licences and CALs need an active subscription or "
            "Software Assurance."
            if facts.subscription
            else ""
        )
        windows = _windows_list(catalog, v)
        out.append(
            VersionFacts(
                v,
                f"Exchange {v}{f', {support}' if support else ''}: runs on Windows Server {windows}; "
                f"mounted databases per server, active and passive: at most {limits}.{subscription} "
                f"Architectures weighed: {weighs}.",
                f"Exchange {v} runs on Windows Server {windows} only: choose one of them.",
            )
        )
    return out


@dataclass(frozen=True)
class WindowsGroup:
    """Windows versions that run the same Exchange versions: one <optgroup> of the menu."""

    label: str
    runs: str  # the Exchange versions, space-separated
    options: list[tuple[str, str]]


def windows_groups(catalog: Catalog, day: str) -> list[WindowsGroup]:
    """The Windows options, each run of neighbours that run the same Exchange versions grouped
    under a label naming them."""
    groups: list[WindowsGroup] = []
    for option in windows_options(catalog, day):
        if groups and groups[-1].runs == option.runs:
            groups[-1].options.append((option.value, option.label))
            continue
        label = f"For Exchange {_series(option.runs.split())}"
        groups.append(WindowsGroup(label, option.runs, [(option.value, option.label)]))
    return groups


@dataclass(frozen=True)
class VersionMenus:
    """What the form's template needs: the Exchange menu's options as (value, label), the
    Windows menu's groups, and each Exchange version's facts."""

    exchange: list[tuple[str, str]]
    windows: list[WindowsGroup]
    facts: list[VersionFacts]


def version_menus(catalog: Catalog, day: str) -> VersionMenus:
    """The Exchange and Windows menus and the Exchange versions' facts from a catalog on `day`."""
    return VersionMenus(
        [(o.value, o.label) for o in exchange_options(catalog, day)],
        windows_groups(catalog, day),
        version_facts(catalog, day),
    )
