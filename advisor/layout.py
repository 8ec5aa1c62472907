"""Database copy layouts: which server holds which copy of each database, at which preference.

A layout depends only on its shape (servers, databases, copies); databases are alike (the
mailboxes are spread evenly over them), so what matters is how many databases each server
holds at each activation preference. Preference 1 is active in normal operation; when a server
fails, each database active on it becomes active on its copy of the next preference (DESIGN.md),
so after any single failure server t holds its own actives plus the databases whose first copy
was on the failed server and whose second is on t.

A layout is judged by two figures, the most databases one survivor holds active after any single
failure (`worst_active`, what CPU and memory are sized for) and the most copies one server holds
(`most_copies`, what disks and the mounted-database limit are sized for). Neither can always be
at its least together, so `layouts` gives every layout no other one beats on both (the optimizer
chooses among them with the hardware they need). Each is built, not searched:

* the least `worst_active` is ceil(D / (n - 1)) (the failed server's databases go to n - 1
  survivors) and it is always reached with the first copies spread evenly;
* for a given `worst_active` L, a server t with a_t first copies can hold at most L - a_t second
  copies from each other server, which bounds the first-and-second copies a server holds from
  below; the least level the bound allows is taken, and the second copies are placed by a
  maximum flow from first-copy servers to second-copy servers that proves the level reached (or
  the level is raised by one until it is);
* further copies (3, 4) go where the fewest copies end up on one server (a second maximum
  flow), none twice on one server.

Mailbox counts differ by at most one between databases; the fuller databases are dealt out so
that no server gets more of them than it must. Tests hold these layouts to an exhaustive search
and to a MILP over small shapes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property, lru_cache


@dataclass(frozen=True)
class Layout:
    """Every database's copies as server numbers (0-based) in activation-preference order."""

    servers: int
    databases: tuple[tuple[int, ...], ...]

    @property
    def copies(self) -> int:
        return len(self.databases[0]) if self.databases else 0

    def active_on(self, failed: int | None = None) -> list[int]:
        """How many databases each server holds active, with `failed` down (None: normal); a
        database whose every copy was on the failed server is active nowhere."""
        counts = [0] * self.servers
        for servers in self.databases:
            active = next((s for s in servers if s != failed), None)  # None: no copy survives
            if active is not None:
                counts[active] += 1
        return counts

    def copies_on(self) -> list[int]:
        counts = [0] * self.servers
        for servers in self.databases:
            for s in servers:
                counts[s] += 1
        return counts

    @cached_property
    def worst_active(self) -> int:
        """The most databases one server holds active, normally or after any single failure."""
        worst = max(self.active_on(), default=0)
        if self.servers > 1:
            for failed in range(self.servers):
                worst = max(worst, max(c for s, c in enumerate(self.active_on(failed)) if s != failed))
        return worst

    @cached_property
    def most_copies(self) -> int:
        return max(self.copies_on(), default=0)


@lru_cache(maxsize=512)
def layouts(servers: int, databases: int, copies: int) -> tuple[Layout, ...]:
    """The layouts of a shape that no other layout beats on both `worst_active` and
    `most_copies`, the one with the least `worst_active` first."""
    if servers < 1 or databases < 1 or not 1 <= copies <= servers:
        raise ValueError(f"no layout of {databases} databases in {copies} copies on {servers} servers")
    if servers == 1 or copies == 1:
        first = _balanced_first(servers, databases)
        return (Layout(servers, tuple((s,) for s in _dealt(first))),)
    least = -(-databases // (servers - 1))
    found: list[Layout] = []
    # A worst_active past the number of databases a server could hold at all changes nothing.
    for level in range(least, databases + 1):
        layout = _layout(servers, databases, copies, level)
        if not any(
            k.worst_active <= layout.worst_active and k.most_copies <= layout.most_copies for k in found
        ):
            found.append(layout)
        if layout.most_copies <= -(-copies * databases // servers):
            break  # the copies are as even as they can be: a larger level cannot help
    return tuple(found)


def best_layout(servers: int, databases: int, copies: int) -> Layout:
    """The layout with the least `worst_active`, then the fewest copies on one server."""
    return layouts(servers, databases, copies)[0]


def _balanced_first(servers: int, databases: int) -> list[int]:
    q, r = divmod(databases, servers)
    return [q + 1 if s < r else q for s in range(servers)]


def _dealt(first: list[int]) -> list[int]:
    """The first-copy servers of databases 1, 2, ... dealt round robin, so that the fuller
    databases (the first ones) spread over the servers."""
    left = list(first)
    order: list[int] = []
    while any(left):
        for s, n in enumerate(left):
            if n:
                order.append(s)
                left[s] -= 1
    return order


def _layout(n: int, d: int, c: int, level: int) -> Layout:
    first = _balanced_first(n, d)
    target = -(-2 * d // n)
    while True:
        second = _second_counts(first, level, target, d, n)
        if second is not None:
            pairs = _pairs(first, second, level)
            if pairs is not None:
                break
        target += 1
    databases = _assign(first, pairs, n)
    if c > 2:
        databases = _further_copies(databases, n, c)
    return Layout(n, tuple(databases))


def _second_counts(first: list[int], level: int, target: int, d: int, n: int) -> list[int] | None:
    """Second copies per server so that first + second stays within `target`, each server
    taking at most level - a from each other server; None when the bound cannot place them all."""
    room = [max(0, min(target - a, (n - 1) * (level - a))) for a in first]
    if sum(room) < d:
        return None
    second = [0] * n
    left = d
    # Fill evenly: raise the servers with the fewest copies first, one at a time.
    while left:
        candidates = [s for s in range(n) if second[s] < room[s]]
        s = min(candidates, key=lambda x: (first[x] + second[x], x))
        second[s] += 1
        left -= 1
    return second


def _pairs(first: list[int], second: list[int], level: int) -> list[list[int]] | None:
    """z[f][t]: databases with their first copy on f and their second on t, found by a maximum
    flow (supplies `first`, demands `second`, at most level - first[t] from each f to t, none
    from a server to itself); None when no such z exists."""
    n = len(first)
    source, sink = 2 * n, 2 * n + 1
    graph = _Flow(2 * n + 2)
    for f in range(n):
        graph.add(source, f, first[f])
        graph.add(n + f, sink, second[f])
        for t in range(n):
            if t != f:
                graph.add(f, n + t, max(0, level - first[t]))
    if graph.max_flow(source, sink) < sum(first):
        return None
    z = [[0] * n for _ in range(n)]
    for f in range(n):
        for edge in graph.edges[f]:
            if n <= edge.to < 2 * n:
                z[f][edge.to - n] = edge.flow
    return z


def _assign(first: list[int], pairs: list[list[int]], n: int) -> list[tuple[int, ...]]:
    """Database by database (the fuller ones first): a first-copy server dealt round robin,
    and of its pairs the second-copy server with the most such databases left."""
    left = [row[:] for row in pairs]
    databases: list[tuple[int, ...]] = []
    for f in _dealt(first):
        t = max(range(n), key=lambda x: (left[f][x], -x))
        left[f][t] -= 1
        databases.append((f, t))
    return databases


def _further_copies(databases: list[tuple[int, ...]], n: int, c: int) -> list[tuple[int, ...]]:
    """Copies 3 and 4 of every database, on servers it has no copy on yet, with the fewest copies
    on any one server: the least level a maximum flow (databases to servers, at most one further
    copy of a database per server, at most level - held per server) can reach."""
    held = [0] * n
    for servers in databases:
        for s in servers:
            held[s] += 1
    extra = c - len(databases[0])
    level = max(max(held), -(-(sum(held) + extra * len(databases)) // n))
    while True:
        source, sink = len(databases) + n, len(databases) + n + 1
        graph = _Flow(len(databases) + n + 2)
        for i, servers in enumerate(databases):
            graph.add(source, i, extra)
            for s in range(n):
                if s not in servers:
                    graph.add(i, len(databases) + s, 1)
        for s in range(n):
            graph.add(len(databases) + s, sink, max(0, level - held[s]))
        if graph.max_flow(source, sink) == extra * len(databases):
            break
        level += 1
    out = []
    for i, servers in enumerate(databases):
        chosen = [e.to - len(databases) for e in graph.edges[i] if e.to >= len(databases) and e.flow > 0]
        out.append((*servers, *sorted(chosen)))
    return out


@dataclass
class _Edge:
    to: int
    capacity: int
    flow: int
    back: int  # index of the reverse edge in edges[to]


class _Flow:
    """A small maximum flow (Edmonds-Karp): the graphs here have at most 34 nodes."""

    def __init__(self, nodes: int):
        self.edges: list[list[_Edge]] = [[] for _ in range(nodes)]

    def add(self, a: int, b: int, capacity: int) -> None:
        self.edges[a].append(_Edge(b, capacity, 0, len(self.edges[b])))
        self.edges[b].append(_Edge(a, 0, 0, len(self.edges[a]) - 1))

    def max_flow(self, source: int, sink: int) -> int:
        total = 0
        while True:
            parent: dict[int, tuple[int, int]] = {}
            queue = deque([source])
            while queue and sink not in parent:
                node = queue.popleft()
                for i, edge in enumerate(self.edges[node]):
                    if edge.capacity - edge.flow > 0 and edge.to not in parent and edge.to != source:
                        parent[edge.to] = (node, i)
                        queue.append(edge.to)
            if sink not in parent:
                return total
            push, node = -1, sink
            while node != source:
                prev, i = parent[node]
                room = self.edges[prev][i].capacity - self.edges[prev][i].flow
                push = room if push < 0 else min(push, room)
                node = prev
            node = sink
            while node != source:
                prev, i = parent[node]
                edge = self.edges[prev][i]
                edge.flow += push
                self.edges[node][edge.back].flow -= push
                node = prev
            total += push
