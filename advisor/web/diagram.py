"""A design drawn as SVG on the server: clients, the client front, servers, DAG, witness, DCs, the site.

The boxes come from the failure simulator's scenarios, so the drawing shows what was simulated;
single points of failure get a red outline AND a "SPOF" tag (readable without colour), and
every box has a <title>. Drawn with presentation attributes only (no <style>, no style=""),
so a strict Content Security Policy allows it inline and as a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from advisor.domain import Design, DesignReport, Front, ScenarioReport, SpofReport
from advisor.exports.components import host_of, load_balancer_hosts
from advisor.web.present import kind_label, services_text

WIDTH = 720
MARGIN = 16
GAP = 14
PER_ROW = 5
INK = "#1b1f24"
LINE = "#4a5560"
SPOF = "#b3261e"
FILLS = {
    "server": "#e8f0fa",
    "cas": "#e6f4f1",
    "load_balancer": "#efe6f7",
    "host": "#f7f3fb",
    "witness": "#eef0f2",
    "domain_controller": "#eef0f2",
    "front": "#fff4e0",
    "clients": "#ffffff",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h)


def _fit(text: str, size: float, width: float) -> str:
    """The text cut with an ellipsis to about `width` (no font metrics on the server)."""
    room = max(1, int(width / (size * 0.56)))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _row(count: int, y: float, h: float, x0: float, x1: float, max_w: float = 180) -> list[Box]:
    """`count` boxes centred between x0 and x1, PER_ROW to a line."""
    boxes: list[Box] = []
    columns = max(1, min(PER_ROW, count))
    w = min(max_w, (x1 - x0 - GAP * (columns - 1)) / columns)
    for start in range(0, count, PER_ROW):
        n = min(PER_ROW, count - start)
        left = x0 + (x1 - x0 - (n * w + GAP * (n - 1))) / 2
        line_y = y + (start // PER_ROW) * (h + GAP + 8)
        boxes.extend(Box(left + i * (w + GAP), line_y, w, h) for i in range(n))
    return boxes


def _rows_height(count: int, h: float) -> float:
    lines = max(1, -(-count // PER_ROW))
    return lines * h + (lines - 1) * (GAP + 8)


class _Svg:
    def __init__(self, spofs: Mapping[str, SpofReport]):
        self.parts: list[str] = []
        self.spofs = spofs

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 12,
        *,
        bold: bool = False,
        anchor: str = "middle",
        fill: str = INK,
    ) -> None:
        weight = ' font-weight="700"' if bold else ""
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
            f"{escape(text)}</text>"
        )

    def line(self, a: tuple[float, float], b: tuple[float, float], dashed: bool = False) -> None:
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        self.add(
            f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" stroke="{LINE}" '
            f'stroke-width="1.5"{dash}/>'
        )

    def box(
        self, box: Box, title: str, lines: Sequence[str], fill: str, component: str = "", hint: str = ""
    ) -> None:
        spof = self.spofs.get(component)
        tip = f"{title}: {hint}" if hint else title
        if spof is not None:
            tip += f". Single point of failure: {spof.explanation}"
        stroke = (SPOF, "3") if spof is not None else (LINE, "1.2")
        self.add(f'<g class="part{" spof" if spof is not None else ""}"><title>{escape(tip)}</title>')
        self.add(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="6" '
            f'fill="{fill}" stroke="{stroke[0]}" stroke-width="{stroke[1]}"/>'
        )
        centre = box.x + box.w / 2
        self.text(centre, box.y + 17, _fit(title, 12, box.w - 10), 12, bold=True)
        for i, line in enumerate(lines):
            self.text(centre, box.y + 32 + 13 * i, _fit(line, 10.5, box.w - 10), 10.5)
        if spof is not None:
            self.tag(box)
        self.add("</g>")

    def tag(self, box: Box) -> None:
        x = box.x + box.w - 58
        self.add(f'<rect x="{x:.1f}" y="{box.y - 9:.1f}" width="54" height="17" rx="3" fill="{SPOF}"/>')
        self.text(x + 27, box.y + 4, "⚠ SPOF", 10.5, bold=True, fill="#ffffff")

    def frame(
        self,
        box: Box,
        label: str,
        component: str = "",
        dashed: bool = True,
        hint: str = "",
        fill: str = "none",
        at_bottom: bool = False,
        lines: Sequence[str] = (),
    ) -> None:
        """A frame round a group. Its title sits where no line runs: at the top, at the bottom
        (`at_bottom`, for a group whose members lines reach from above), or as `lines` down its
        left side, beside the members."""
        spof = self.spofs.get(component)
        colour, width = (SPOF, "2.5") if spof is not None else (LINE, "1.2")
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        tip = f"{label}: {hint}" if hint else label
        tip += f". Single point of failure: {spof.explanation}" if spof else ""
        self.add(f"<g><title>{escape(tip)}</title>")
        self.add(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="8" '
            f'fill="{fill}" stroke="{colour}" stroke-width="{width}"{dash}/>'
        )
        ink = colour if spof else INK
        if lines:
            for i, line in enumerate(lines):
                self.text(box.x + 10, box.y + 18 + 14 * i, line, 11.5, bold=True, anchor="start", fill=ink)
        else:
            y = box.y + box.h - 9 if at_bottom else box.y + 16
            self.text(box.x + 10, y, label, 11.5, bold=True, anchor="start", fill=ink)
        if spof is not None:
            self.tag(box)
        self.add("</g>")


@dataclass
class _Parts:
    mailbox: list[str]
    cas: list[str]
    load_balancers: list[str]  # the units
    hosts: dict[str, tuple[str, ...]]  # hypervisor host -> the virtual units it runs
    witness: list[str]
    controllers: list[str]
    sites: list[str]
    copies: dict[str, tuple[int, int]]  # server -> (active, passive)
    described: dict[str, str]

    @classmethod
    def of(cls, scenarios: Sequence[ScenarioReport]) -> _Parts:
        parts = cls([], [], [], {}, [], [], [], {}, {})
        parts.hosts = load_balancer_hosts(scenarios)
        for s in scenarios:
            name, kind = s.component, s.kind
            parts.described[name] = s.description or name
            if kind == "database":
                server = name.partition("@")[2]
                active, passive = parts.copies.get(server, (0, 0))
                is_active = s.description.startswith("active")
                parts.copies[server] = (active + is_active, passive + (not is_active))
            elif kind == "server":
                (parts.cas if name.startswith("cas-") else parts.mailbox).append(name)
            elif kind == "load_balancer" and name not in parts.hosts:
                parts.load_balancers.append(name)
            elif kind == "witness":
                parts.witness.append(name)
            elif kind == "domain_controller":
                parts.controllers.append(name)
            elif kind == "site":
                parts.sites.append(name)
        return parts


def render_svg(recommendation: DesignReport, id_prefix: str, heading: str = "") -> Markup:
    """The design of one recommendation as an accessible SVG element."""
    design = recommendation.design
    parts = _Parts.of(recommendation.failure_scenarios)
    spofs = {s.component: s for s in recommendation.single_points_of_failure}
    svg = _Svg(spofs)
    inner_x0, inner_x1 = MARGIN + 14, WIDTH - MARGIN - 14

    clients = Box(WIDTH / 2 - 170, MARGIN, 340, 46)
    svg.box(
        clients,
        "Clients",
        ["Outlook, OWA, ActiveSync · Internet mail"],
        FILLS["clients"],
        hint="the users' clients and mail from the Internet",
    )
    site_top = clients.y + clients.h + 24
    y = site_top + 32
    reach: list[Box] = []  # the boxes clients go through first

    front = _front(design, parts)
    leave: list[tuple[float, float]] = []  # where lines down to the servers start
    if parts.load_balancers:
        boxes, y, leave = _load_balancers(svg, design, parts, y, inner_x0, inner_x1)
        reach = boxes
    elif front:
        box = Box(WIDTH / 2 - 190, y, 380, 44)
        svg.box(box, front[0], [front[1]], FILLS["front"], hint=front[1])
        reach = [box]
        leave = [box.bottom]
        y = box.y + box.h + 30
    for target in reach:
        svg.line(clients.bottom, target.top)

    cas_boxes: list[Box] = []
    if parts.cas:
        height = _rows_height(len(parts.cas), 62)
        frame = Box(inner_x0 - 6, y, inner_x1 - inner_x0 + 12, height + 44)
        array = "" if design.spec.http_clients else " · CAS array"
        svg.frame(frame, f"Windows NLB cluster{array} (dedicated Client Access servers)", at_bottom=True)
        cas_boxes = _row(len(parts.cas), y + 14, 62, inner_x0, inner_x1)
        model = design.cas_server_model or ""
        for box, name in zip(cas_boxes, parts.cas, strict=False):
            svg.box(box, name, [_cas_roles(design), model], FILLS["cas"], name, parts.described.get(name, ""))
            if leave:
                for start in leave:
                    svg.line(start, box.top)
            else:
                svg.line(clients.bottom, box.top)
        nlb_bottom = frame.y + frame.h
        y = frame.y + frame.h + 30

    height = _rows_height(len(parts.mailbox), 76)
    dag_label = _servers_label(design, bool(parts.cas))
    frame = Box(inner_x0 - 6, y, inner_x1 - inner_x0 + 12, height + (44 if dag_label else 28))
    if dag_label:
        svg.frame(frame, dag_label, at_bottom=True)
    boxes = _row(len(parts.mailbox), y + 14, 76, inner_x0, inner_x1)
    short = {"mailbox": "Mailbox", "client_access": "CAS", "hub_transport": "Hub"}
    roles = " + ".join(short.get(r, r) for r in design.spec.exchange_roles)
    fixed = front is not None and front[2]
    for i, (box, name) in enumerate(zip(boxes, parts.mailbox, strict=False)):
        active, passive = parts.copies.get(name, (0, 0))
        copies = f"{active} active + {passive} passive copies" if passive else f"{active} database copies"
        svg.box(
            box,
            name,
            [roles, design.server_model, copies],
            FILLS["server"],
            name,
            parts.described.get(name, ""),
        )
        if cas_boxes:
            continue
        for start in leave:
            if not fixed or i == 0:
                svg.line(start, box.top)
    if cas_boxes:
        svg.line((WIDTH / 2, nlb_bottom), frame.top)
    y = frame.y + frame.h + 28

    bottom = [*parts.witness, *parts.controllers]
    if bottom:
        boxes = _row(len(bottom), y, 50, inner_x0, inner_x1)
        for box, name in zip(boxes, bottom, strict=False):
            if name in parts.witness:
                where = {
                    "existing": "on an existing server",
                    "buy": "on a server bought for it",
                    "cas_server": "on a Client Access server",
                }.get(design.witness, "")
                svg.box(
                    box,
                    "Witness",
                    ["file share", where],
                    FILLS["witness"],
                    name,
                    parts.described.get(name, ""),
                )
                svg.line(frame.bottom, box.top, dashed=True)
            else:
                svg.box(
                    box,
                    name,
                    ["domain controller, GC"],
                    FILLS["domain_controller"],
                    name,
                    parts.described.get(name, ""),
                )
        y = boxes[-1].y + boxes[-1].h + 20

    site = parts.sites[0] if parts.sites else "site"
    svg.frame(
        Box(MARGIN, site_top, WIDTH - 2 * MARGIN, y - site_top),
        f"Site {site} (one datacenter)",
        site,
        dashed=False,
    )
    height = y + MARGIN
    legend_y = height + 4
    svg.add(
        f'<rect x="{MARGIN}" y="{legend_y - 12:.1f}" width="22" height="14" rx="3" fill="#ffffff" '
        f'stroke="{SPOF}" stroke-width="3"/>'
    )
    svg.text(
        MARGIN + 30, legend_y, "red outline and ⚠ SPOF tag: a single point of failure", 11, anchor="start"
    )
    total = legend_y + MARGIN

    title, desc = _words(recommendation, parts, spofs, heading)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total:.0f}" width="{WIDTH}" '
        f'height="{total:.0f}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'class="diagram" font-family="{FONT}">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{total:.0f}" fill="#ffffff"/>'
    )
    return Markup(head + "".join(svg.parts) + "</svg>")


PAIR_GAP = 80  # between a pair's units: room for its label between the lines they drop
HOST_TITLE = ("Hypervisor", "host {host}")


def _load_balancers(
    svg: _Svg, design: Design, parts: _Parts, y: float, x0: float, x1: float
) -> tuple[list[Box], float, list[tuple[float, float]]]:
    """The load-balancer units, each on its hypervisor host when they are virtual; returns the
    unit boxes (what clients reach first), the y below them, and the points lines to the servers
    leave from: each unit's bottom, or for a pair the middle of the line joining the units'
    drops, with the pair's label above it, between the drops, where no line runs."""
    units = parts.load_balancers
    hosts = parts.hosts
    pair = len(units) == 2
    gap = PAIR_GAP if pair else GAP
    width = 170.0
    boxes = _row(len(units), y, 48, x0, x1, width)
    if pair:
        left = (x0 + x1) / 2 - width - gap / 2
        boxes = [Box(left, y, width, 48), Box(left + width + gap, y, width, 48)]
    if hosts:  # each host's frame: its title down the left, its units beside it
        per_host = [list(hosts[h]) for h in hosts]
        title_w = max(len(HOST_TITLE[0]), max(len(HOST_TITLE[1].format(host=h)) for h in hosts)) * 11.5 * 0.6
        pad = 10 + title_w + 12
        width = min(170.0, (x1 - x0 - (pad + 12) * len(hosts) - 40 * (len(hosts) - 1) - gap) / len(units))
        inners = [len(u) * width + gap * (len(u) - 1) for u in per_host]
        spans = [pad + inner + 12 for inner in inners]
        left = x0 + (x1 - x0 - sum(spans) - 40 * (len(spans) - 1)) / 2
        placed: dict[str, Box] = {}
        for host, host_units, span in zip(hosts, per_host, spans, strict=True):
            frame = Box(left, y, span, 48 + 24)
            svg.frame(
                frame,
                f"Hypervisor host {host}",
                host,
                hint=parts.described.get(host, ""),
                fill=FILLS["host"],
                lines=(HOST_TITLE[0], HOST_TITLE[1].format(host=host)),
            )
            for i, unit in enumerate(host_units):
                placed[unit] = Box(left + pad + i * (width + gap), y + 12, width, 48)
            left += span + 40
        boxes = [placed[u] for u in units]
    model = design.load_balancer_model or ""
    for box, name in zip(boxes, units, strict=False):
        role = parts.described.get(name, "")
        state = "active" if "(active)" in role else "standby" if "(standby)" in role else ""
        svg.box(
            box,
            f"Load balancer {name}",
            [" · ".join(p for p in (model, state) if p)],
            FILLS["load_balancer"],
            name,
            role,
        )
    bottom = max(b.y + b.h for b in boxes) + (12 if hosts else 0)
    if not pair:
        return boxes, bottom + 30, [b.bottom for b in boxes]
    a, b = sorted(boxes, key=lambda box: box.x)
    svg.line((a.x + a.w, a.y + 24), (b.x, b.y + 24), dashed=True)
    words = _pair_lines(parts)
    bus = bottom + 12 + 14 * len(words)
    svg.add(f"<g><title>{escape(_pair_words(parts))}</title>")
    for i, line in enumerate(words):
        svg.text((a.bottom[0] + b.bottom[0]) / 2, bottom + 14 + 14 * i, line, 10.5)
    svg.add("</g>")
    svg.line(a.bottom, (a.bottom[0], bus))
    svg.line(b.bottom, (b.bottom[0], bus))
    svg.line((a.bottom[0], bus), (b.bottom[0], bus))
    return boxes, bus + 30, [((a.bottom[0] + b.bottom[0]) / 2, bus)]


def _pair_lines(parts: _Parts) -> list[str]:
    """The pair's label in lines short enough to sit between the units' drops."""
    words = _pair_words(parts)
    head, _, rest = words.partition(", ")
    if not rest:
        return [head]
    lines = [head + ","]
    if ": " in rest:
        first, _, second = rest.partition(": ")
        return [*lines, first + ":", second]
    return [*lines, rest]


def _pair_words(parts: _Parts) -> str:
    """The label of an active/standby pair: where its virtual units run, when they are virtual."""
    words = "HA pair sharing one virtual IP"
    hosts = {u: host_of(parts.hosts, u) for u in parts.load_balancers}
    placed = [h for h in hosts.values() if h]
    if not placed:
        return words
    if len(set(placed)) == 1:
        return f"{words}, both units on host {placed[0]}: the host fails with both"
    return f"{words}, " + " and ".join(f"{u} on {h}" for u, h in hosts.items() if h)


def _front(design: Design, parts: _Parts) -> tuple[str, str, bool] | None:
    """How clients reach Client Access when there is no load balancer: (title, line, fixed?)."""
    if parts.load_balancers or parts.cas:
        return None
    first = parts.mailbox[0] if parts.mailbox else "the server"
    if design.spec.http_clients:  # 2013 and later: one HTTP namespace, no CAS array
        if design.spec.front is Front.DNS:
            return ("Client namespace, DNS round robin", "every server; a client retries the next", False)
        return (f"Client namespace = {first}", "resolves to this one server alone", True)
    if design.cas_array:
        return ("DNS name of the CAS array", "resolves to every server; no health checks", False)
    return (f"RpcClientAccessServer = {first}", "no CAS array: Outlook goes to this one server", True)


def _cas_roles(design: Design) -> str:
    """A dedicated Client Access server's roles: 2010 also Hub Transport, 2013 Client Access alone."""
    return "Client Access + Hub" if "hub_transport" in design.spec.client_access_roles else "Client Access"


def _servers_label(design: Design, dedicated_cas: bool) -> str:
    if design.dag:
        copies = design.database_copies
        tail = "" if dedicated_cas or not design.cas_array else " · CAS array members"
        return f"Database availability group (DAG), {copies} copies of each database{tail}"
    return ""


def _words(
    recommendation: DesignReport, parts: _Parts, spofs: Mapping[str, SpofReport], heading: str
) -> tuple[str, str]:
    title = f"Diagram of {recommendation.title or recommendation.architecture}"
    if heading:
        title = f"{heading}: {title}"
    pieces = []
    units = [f"{u} (on {host})" if (host := host_of(parts.hosts, u)) else u for u in parts.load_balancers]
    for label, names in (
        ("Load balancers", units),
        ("Hypervisor hosts running them", list(parts.hosts)),
        ("Dedicated Client Access servers", parts.cas),
        ("Exchange servers", parts.mailbox),
        ("Witness", parts.witness),
        ("Domain controllers", parts.controllers),
        ("Site", parts.sites),
    ):
        if names:
            pieces.append(f"{label}: {', '.join(names)}")
    if spofs:
        marked = "; ".join(
            f"{name} ({kind_label(s.kind).lower()}, cuts off {services_text(s.services)})"
            for name, s in spofs.items()
        )
        pieces.append(f"Single points of failure, marked in red with a SPOF tag: {marked}")
    else:
        pieces.append("No single point of failure")
    return title, ". ".join(pieces) + "."
