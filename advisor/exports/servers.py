"""Servers, their load and the database copy layout in words and grids, the same on the web
page and in every export: numbers as a planner reads them, what runs past its sizing and by how
much, and the layout as the Exchange Role Requirements Calculator draws it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor.domain import DatabaseLayout, ServerLoad, ServerReport

ROLE_LABELS: dict[str, str] = {
    "mailbox": "Mailbox",
    "client_access": "Client Access",
    "hub_transport": "Hub Transport",
}
LAYOUT_RULE = (
    "Each number is the activation preference of the database's copy on that server; an empty "
    "cell means no copy there. Preference 1 is the copy that is active in normal operation. When "
    "a server fails, each database active on it becomes active on its surviving copy with the "
    "lowest number."
)


def number(value: float, places: int = 1) -> str:
    """1000 -> '1,000'; 33.3 -> '33.3'; 32.0 -> '32' (no trailing zeros)."""
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(share: float) -> str:
    """0.0356 -> '3.6%'; 0.5936 -> '59%'; 1.04 -> '104%'."""
    value = share * 100
    return f"{number(value, 1)}%" if value < 10 else f"{value:.0f}%"


def names_text(names: Sequence[str]) -> str:
    """('a', 'b', 'c') -> 'a, b and c'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def roles_text(roles: Sequence[str]) -> str:
    """('mailbox', 'client_access', 'hub_transport') -> 'Mailbox, Client Access and Hub Transport'."""
    return names_text([ROLE_LABELS.get(r, r.replace("_", " ")) for r in roles])


def is_mailbox(server: ServerReport) -> bool:
    return "mailbox" in server.roles


def within(server: ServerReport) -> bool:
    """Whether the server stays within its sizing normally and after any one server fails."""
    return server.normal.within_sizing and server.worst_failure.within_sizing


def mailboxes_text(n: int) -> str:
    return f"{number(n, 0)} active mailbox{'' if n == 1 else 'es'}"


def load_text(load: ServerLoad, mailbox: bool = True) -> str:
    """'CPU 3.6% busy, 8 GB memory, 36 IOPS' (a Client Access server: its CPU alone)."""
    parts = [f"CPU {percent(load.cpu_utilisation)} busy"]
    if mailbox:
        parts += [f"{number(load.memory_gb)} GB memory", f"{number(load.iops, 0)} IOPS"]
    return ", ".join(parts)


def capacity_lines(server: ServerReport) -> list[str]:
    """What the server can carry within its sizing, one fact a line."""
    cap = server.capacity
    mailbox = is_mailbox(server)
    lines = [f"{number(cap.mailboxes, 0)} mailboxes"] if mailbox else []
    lines.append(f"CPU {number(cap.megacycles, 0)} megacycles, sized to {percent(cap.cpu_ceiling)} busy")
    lines.append(f"{number(cap.memory_gb)} GB memory")
    if mailbox:
        lines.append(f"{number(cap.iops, 0)} IOPS")
        lines.append(f"{number(cap.disk_gb, 0)} GB disk ({number(server.disk_gb, 0)} GB used)")
        lines.append(f"{server.database_copies} of {cap.database_copies} database copies mounted")
    return lines


def worst_when(server: ServerReport) -> str:
    """Which failure gives the server its worst load: 'when ex-2 fails'."""
    failed = server.worst_failure.failed
    return f"when {failed} fails" if failed else "no other server's failure moves load to it"


def past_sizing(load: ServerLoad, server: ServerReport) -> list[str]:
    """What of a load runs past the server's sizing, each with how far: 'memory at 104% of its
    sizing (33.3 of 32 GB)'. Empty when the load is within sizing."""
    if load.within_sizing:
        return []
    cap = server.capacity
    out = []
    if cap.cpu_ceiling and load.cpu_utilisation > cap.cpu_ceiling:
        out.append(
            f"CPU at {percent(load.cpu_utilisation / cap.cpu_ceiling)} of its sizing "
            f"({percent(load.cpu_utilisation)} busy, sized for {percent(cap.cpu_ceiling)})"
        )
    if cap.memory_gb and load.memory_gb > cap.memory_gb:
        out.append(
            f"memory at {percent(load.memory_gb / cap.memory_gb)} of its sizing "
            f"({number(load.memory_gb)} of {number(cap.memory_gb)} GB)"
        )
    if cap.iops and load.iops > cap.iops:
        out.append(
            f"disk IOPS at {percent(load.iops / cap.iops)} of its sizing "
            f"({number(load.iops, 0)} of {number(cap.iops, 0)})"
        )
    if cap.disk_gb and server.disk_gb > cap.disk_gb:
        out.append(
            f"disk space at {percent(server.disk_gb / cap.disk_gb)} of its sizing "
            f"({number(server.disk_gb, 0)} of {number(cap.disk_gb, 0)} GB)"
        )
    if cap.database_copies and server.database_copies > cap.database_copies:
        out.append(f"{server.database_copies} database copies mounted, {cap.database_copies} allowed")
    return out or ["past its sizing"]


def past_text(server: ServerReport) -> list[str]:
    """What runs past the server's sizing and when: normal operation's, else the worst failure's."""
    if not server.normal.within_sizing:
        return [f"{p} in normal operation" for p in past_sizing(server.normal, server)]
    return [f"{p} {worst_when(server)}" for p in past_sizing(server.worst_failure, server)]


def sizing_text(server: ServerReport) -> str:
    """'within sizing', or 'PAST SIZING: memory at 104% of its sizing (…) when ex-2 fails'."""
    if within(server):
        return "within sizing"
    return "PAST SIZING: " + "; ".join(past_text(server))


def survivor_lines(load: Mapping[str, ServerLoad] | None, servers: Sequence[ServerReport]) -> list[str]:
    """A server failure's load on each survivor: 'ex-2 then carries 300 active mailboxes
    (CPU 3.6% busy, 8 GB memory, 36 IOPS), within its sizing'."""
    by_name = {s.name: s for s in servers}
    out = []
    for name, carried in (load or {}).items():
        server = by_name.get(name)
        if server is None or is_mailbox(server):
            carries = f"{mailboxes_text(carried.active_mailboxes)} ({load_text(carried)})"
        else:
            carries = f"its Client Access load ({load_text(carried, mailbox=False)})"
        if carried.within_sizing:
            state = "within its sizing"
        else:
            state = "past its sizing: " + "; ".join(
                past_sizing(carried, server) if server else ["past its sizing"]
            )
        out.append(f"{name} then carries {carries}, {state}")
    return out


def load_summary(servers: Sequence[ServerReport]) -> str:
    """Every server's load in a line for a side-by-side summary: 'ex-1: 150 active mailboxes
    normally, 300 when ex-2 fails (within sizing); …'."""
    parts = []
    for s in servers:
        normal, worst = s.normal, s.worst_failure
        if is_mailbox(s):
            load = f"{mailboxes_text(normal.active_mailboxes)} normally"
            if worst.failed:
                load += f", {number(worst.active_mailboxes, 0)} when {worst.failed} fails"
        else:
            load = f"CPU {percent(normal.cpu_utilisation)} busy normally"
            if worst.failed:
                load += f", {percent(worst.cpu_utilisation)} when {worst.failed} fails"
        state = "within sizing" if within(s) else "PAST SIZING"
        parts.append(f"{s.name}: {load} ({state})")
    return "; ".join(parts) or "not reported"


@dataclass(frozen=True)
class LayoutRow:
    database: str
    mailboxes: int
    size_gb: float
    preferences: tuple[int | None, ...]  # one per server of the grid, None where it has no copy


@dataclass(frozen=True)
class LayoutGrid:
    """The database copy layout as a grid: databases down, servers across, activation
    preferences in the cells (as the Exchange Role Requirements Calculator lays it out)."""

    servers: tuple[str, ...]
    rows: tuple[LayoutRow, ...]

    def copies_on(self, index: int) -> tuple[int, int]:
        """(copies, active copies) on the index-th server."""
        prefs = [r.preferences[index] for r in self.rows]
        return sum(p is not None for p in prefs), sum(p == 1 for p in prefs)

    @property
    def mailboxes(self) -> int:
        return sum(r.mailboxes for r in self.rows)

    @property
    def size_gb(self) -> float:
        return sum(r.size_gb for r in self.rows)


def layout_grid(servers: Sequence[ServerReport], layout: Sequence[DatabaseLayout]) -> LayoutGrid:
    """The layout's grid, its servers in the design's order."""
    named = [c.server for db in layout for c in db.copies]
    order = [s.name for s in servers if s.name in named]
    order += [s for s in dict.fromkeys(named) if s not in order]
    rows = []
    for db in layout:
        prefs = {c.server: c.preference for c in db.copies}
        rows.append(LayoutRow(db.database, db.mailboxes, db.size_gb, tuple(prefs.get(s) for s in order)))
    return LayoutGrid(tuple(order), tuple(rows))


def failover_example(layout: Sequence[DatabaseLayout]) -> str:
    """What one server's failure does to the layout, in a sentence: the first server that holds
    an active copy fails, and each of its databases moves to its next copy by preference."""
    active_on: dict[str, list[DatabaseLayout]] = {}
    for db in layout:
        first = min(db.copies, key=lambda c: c.preference, default=None)
        if first is not None:
            active_on.setdefault(first.server, []).append(db)
    if not active_on:
        return ""
    failed, databases = next(iter(active_on.items()))
    moves: dict[str, list[str]] = {}
    lost = []
    for db in databases:
        others = sorted((c for c in db.copies if c.server != failed), key=lambda c: c.preference)
        if others:
            moves.setdefault(others[0].server, []).append(db.database)
        else:
            lost.append(db.database)
    parts = [
        f"{names_text(dbs)} {'becomes' if len(dbs) == 1 else 'become'} active on {target}"
        for target, dbs in moves.items()
    ]
    if lost:
        one = len(lost) == 1
        parts.append(
            f"{names_text(lost)} {'has' if one else 'have'} no other copy and {'goes' if one else 'go'} down"
        )
    return f"For example, if {failed} fails, " + "; ".join(parts) + "."
