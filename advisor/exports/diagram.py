"""A design drawn as boxes: clients, the client front, servers, witness, DCs; SPOFs marked in red.

The boxes come from the failure simulator's scenarios (its components), so the drawing
shows exactly what was simulated; the front (load balancers, DNS, NLB or one named server)
comes from the architecture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from advisor.domain import Front
from advisor.exports.components import load_balancer_hosts
from advisor.exports.model import DesignColumn

SPOF_RED = colors.HexColor("#C0392B")
SPOF_FILL = colors.HexColor("#FADBD8")
FILLS = {
    "server": colors.HexColor("#DCE9F5"),
    "load_balancer": colors.HexColor("#E8DAEF"),
    "witness": colors.HexColor("#EEEEEE"),
    "domain_controller": colors.HexColor("#EEEEEE"),
    "front": colors.HexColor("#FEF5E7"),
    "clients": colors.white,
}
MAX_BOXES = 4


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y)


def front_kind(d: DesignColumn) -> str:
    """How clients reach Client Access: lb, nlb, dns or fixed (one named server), from the
    architecture's spec, so any architecture draws the way it is built."""
    return _FRONT_KINDS[d.design.spec.front]


_ROLE_SHORT = {"mailbox": "Mailbox", "client_access": "CAS", "hub_transport": "Hub"}


def _roles_label(roles: tuple[str, ...]) -> str:
    """('mailbox', 'client_access', 'hub_transport') -> 'Mailbox, CAS, Hub' (2016 on: 'Mailbox')."""
    return ", ".join(_ROLE_SHORT.get(r, r) for r in roles)


_FRONT_KINDS = {
    Front.LOAD_BALANCER: "lb",
    Front.WINDOWS_NLB: "nlb",
    Front.DNS: "dns",
    Front.ONE_SERVER: "fixed",
}


class _Canvas:
    def __init__(self, drawing: Drawing, fonts: Fonts, spofs: set[str]):
        self.d, self.fonts, self.spofs = drawing, fonts, spofs

    def box(self, box: Box, title: str, lines: Sequence[str], kind: str, component: str = "") -> None:
        spof = component in self.spofs
        self.d.add(
            Rect(
                box.x,
                box.y,
                box.w,
                box.h,
                rx=3,
                ry=3,
                fillColor=SPOF_FILL if spof else FILLS.get(kind, colors.white),
                strokeColor=SPOF_RED if spof else colors.HexColor("#5D6D7E"),
                strokeWidth=2 if spof else 0.7,
            )
        )
        self.text(
            box.x + box.w / 2,
            box.y + box.h - 10,
            self.fit(title, 7.5, box.w - 4, True),
            7.5,
            bold=True,
            anchor="middle",
        )
        for i, line in enumerate(lines):
            self.text(
                box.x + box.w / 2,
                box.y + box.h - 19 - 7.5 * i,
                self.fit(line, 6, box.w - 4),
                6,
                anchor="middle",
            )
        if spof:
            self.text(
                box.x + box.w - 2, box.y + box.h + 2, "SPOF", 6.5, bold=True, anchor="end", colour=SPOF_RED
            )

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return float(stringWidth(text, self.fonts.bold if bold else self.fonts.regular, size))

    def fit(self, text: str, size: float, width: float, bold: bool = False) -> str:
        """The text, cut with an ellipsis to fit in width points."""
        if self.width(text, size, bold) <= width:
            return text
        while text and self.width(text + "…", size, bold) > width:
            text = text[:-1]
        return text + "…"

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        anchor: str = "start",
        colour: colors.Color = colors.black,
    ) -> None:
        font = self.fonts.bold if bold else self.fonts.regular
        self.d.add(String(x, y, text, fontName=font, fontSize=size, textAnchor=anchor, fillColor=colour))

    def link(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        self.d.add(Line(a[0], a[1], b[0], b[1], strokeColor=colors.HexColor("#7F8C8D"), strokeWidth=0.8))

    def frame(self, box: Box, label: str, red: bool, at_bottom: bool = False) -> None:
        """A dashed frame; its label at the top, or (`at_bottom`) along the bottom where no line
        into the frame runs."""
        colour = SPOF_RED if red else colors.HexColor("#85929E")
        self.d.add(
            Rect(
                box.x,
                box.y,
                box.w,
                box.h,
                fillColor=None,
                strokeColor=colour,
                strokeWidth=1.2 if red else 0.7,
                strokeDashArray=[3, 2],
            )
        )
        y = box.y + 2.5 if at_bottom else box.y + box.h - 9
        self.text(box.x + 4, y, label, 6.5, bold=red, colour=colour)


def _row(names: Sequence[str], x0: float, x1: float, y: float, h: float, max_w: float = 92) -> list[Box]:
    """Evenly spaced boxes for at most MAX_BOXES names between x0 and x1."""
    n = max(1, min(len(names), MAX_BOXES))
    gap = 8.0
    w = min(max_w, (x1 - x0 - gap * (n - 1)) / n)
    start = x0 + (x1 - x0 - (n * w + gap * (n - 1))) / 2
    return [Box(start + i * (w + gap), y, w, h) for i in range(n)]


def _shown(names: Sequence[str]) -> list[str]:
    if len(names) <= MAX_BOXES:
        return list(names)
    return [*names[: MAX_BOXES - 1], f"+{len(names) - MAX_BOXES + 1} more"]


@dataclass
class _Parts:
    """The simulated components by kind, and each mailbox server's database copies."""

    by_kind: dict[str, list[str]]
    copies: dict[str, list[str]]
    hosts: dict[str, tuple[str, ...]]  # hypervisor host -> the virtual load balancers it runs

    @classmethod
    def of(cls, d: DesignColumn) -> _Parts:
        by_kind: dict[str, list[str]] = {}
        copies: dict[str, list[str]] = {}
        hosts = load_balancer_hosts(d.failure_scenarios)
        for scenario in d.failure_scenarios:
            if scenario.component in hosts:
                continue  # drawn as the frame around the units it runs
            if scenario.kind == "database":
                database, _, server = scenario.component.partition("@")
                star = "*" if scenario.description.startswith("active") else ""
                copies.setdefault(server, []).append(database + star)
            else:
                by_kind.setdefault(scenario.kind, []).append(scenario.component)
        return cls(by_kind, copies, hosts)

    def servers(self, cas: bool) -> list[str]:
        return [s for s in self.by_kind.get("server", []) if s.startswith("cas-") == cas]


def _servers(c: _Canvas, parts: _Parts, d: DesignColumn, right: float) -> tuple[list[Box], list[str]]:
    """Mailbox servers (in a DAG frame) and dedicated Client Access servers above them; returns
    the boxes clients reach (the CAS pool, else the mailbox servers) and the mailbox names."""
    mailbox, cas = parts.servers(cas=False), parts.servers(cas=True)
    dag, spec = d.design.dag, d.design.spec
    y = 30.0
    boxes = _row(_shown(mailbox), 16, right - 4, y, 40)
    if dag:
        c.frame(Box(8, y - 8, right - 4, 58), "", False)
        c.text(12, y - 5, "DAG", 6.5, bold=True, colour=colors.HexColor("#566573"))
    for box, name in zip(boxes, _shown(mailbox), strict=True):
        dbs = parts.copies.get(name, [])
        active = sum(x.endswith("*") for x in dbs)
        choices = [", ".join(dbs), f"{len(dbs)} copies, {active} active", f"{len(dbs)} copies"]
        listed = next((t for t in choices if c.width(t, 6) <= box.w - 4), choices[-1])
        c.box(box, name, [_roles_label(spec.exchange_roles), *([listed] if dbs else [])], "server", name)
    if not cas:
        return boxes, mailbox
    pool = _row(_shown(cas), 12, right, y + 58, 34)
    for box, name in zip(pool, _shown(cas), strict=True):
        c.box(box, name, [_roles_label(spec.client_access_roles)], "server", name)
        for below in boxes:
            c.link(box.bottom, below.top)
    return pool, mailbox


def _front(
    c: _Canvas, d: DesignColumn, parts: _Parts, clients: Box, pool: list[Box], y: float, right: float
) -> None:
    """How clients reach the pool: load balancers, a DNS name, an NLB address or one server."""
    kind = front_kind(d)
    if kind == "lb":
        units = parts.by_kind.get("load_balancer", [])
        on_host = {u: host for host, carried in parts.hosts.items() for u in carried}
        boxes = dict(zip(units, _row(units, 30, right - 20, y, 34, 80), strict=False))
        # A pair's clients reach one virtual IP, drawn as the point the lines to both units
        # leave from, with its words beside it where no line runs; each unit's host is written
        # in its box (a frame's label would sit where the lines to the unit run).
        pair = len(units) == 2
        vip = (clients.bottom[0], y + 34 + 16)
        if pair:
            c.link(clients.bottom, vip)
            words = "HA pair, one virtual IP" + (", both on one host" if len(parts.hosts) == 1 else "")
            c.text(vip[0] + 4, vip[1] + 2, words, 5.5)
        for unit, box in boxes.items():
            role = "" if len(units) == 1 else ("active" if unit.endswith("-1") else "standby")
            host = on_host.get(unit)
            spof_host = f"host {host}: SPOF" if host in c.spofs else f"host {host}"
            lines = [f"load balancer {role}".strip(), *([spof_host] if host else [])]
            c.box(box, unit, lines, "load_balancer", unit)
            c.link(vip if pair else clients.bottom, box.top)
            for target in pool:
                c.link(box.bottom, target.top)
        for host, carried in parts.hosts.items():
            held = [boxes[u] for u in carried if u in boxes]
            if held:
                left, top = min(b.x for b in held) - 3, max(b.y + b.h for b in held) + 12
                width = max(b.x + b.w for b in held) + 3 - left
                c.frame(Box(left, y - 3, width, top - y + 3), "", host in c.spofs)
    elif kind in ("dns", "nlb"):
        name = "Client namespace" if d.design.spec.http_clients else "CAS array name"
        label = f"{name}, DNS round robin" if kind == "dns" else "Windows NLB virtual IP"
        box = Box(30, y + 4, right - 50, 20)
        c.box(box, label, [], "front")
        c.link(clients.bottom, box.top)
        for target in pool:
            c.link(box.bottom, target.top)
    else:
        first = pool[0]
        c.link((first.top[0], clients.y), first.top)
        named = parts.servers(cas=False)[:1] or ["?"]
        pointer = "Client namespace resolves to" if d.design.spec.http_clients else "RpcClientAccessServer ="
        c.text(first.top[0] + 4, y + 10, f"{pointer} {named[0]}", 6.5)


def design_diagram(d: DesignColumn, fonts: Fonts, width: float = 310, height: float = 230) -> Drawing:
    """The design as boxes, sized width x height points."""
    drawing = Drawing(width, height)
    spofs = {s.component for s in d.single_points_of_failure}
    c = _Canvas(drawing, fonts, spofs)
    parts = _Parts.of(d)
    site = (parts.by_kind.get("site") or ["site-1"])[0]
    right = width - 84
    c.frame(
        Box(2, 11, width - 4, height - 53),
        site + (": single point of failure" if site in spofs else ""),
        site in spofs,
        at_bottom=True,
    )
    clients = Box(40, height - 34, right - 80, 26)
    c.box(clients, "Clients", ["Outlook, OWA, ActiveSync, mail"], "clients")
    pool, _ = _servers(c, parts, d, right)
    front_y = 140.0 if parts.servers(cas=True) else 98.0
    _front(c, d, parts, clients, pool, front_y, right)
    side = [*parts.by_kind.get("witness", []), *parts.by_kind.get("domain_controller", [])]
    for i, name in enumerate(_shown(side) if len(side) > 5 else side):
        kind = "witness" if name == "witness" else "domain_controller"
        subtitle = "file share witness" if kind == "witness" else "DC, global catalog"
        c.box(Box(width - 74, height - 78 - i * 34, 66, 28), name, [subtitle], kind, name)
    drawing.add(Rect(4, 2, 8, 7, fillColor=SPOF_FILL, strokeColor=SPOF_RED, strokeWidth=1.5))
    c.text(16, 3, "single point of failure: its loss alone cuts a service off.  * active database copy", 6)
    return drawing
