"""What an architecture is, as one typed value: its servers, DAG, client front, load balancers,
witness rule and the rules it cites. The values themselves live in `advisor.architectures`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Front(Enum):
    """How clients reach the servers that answer them."""

    ONE_SERVER = "one_server"  # the client name (2010: RpcClientAccessServer) points at one server
    DNS = "dns"  # a name DNS resolves to every server, with no load balancer
    LOAD_BALANCER = "load_balancer"  # one or two load-balancer units in front of the servers
    WINDOWS_NLB = "windows_nlb"  # Windows Network Load Balancing on the client access servers


class WitnessPlacement(Enum):
    """Where a DAG that needs a witness and whose request says "buy" puts it."""

    BOUGHT_SERVER = "buy"  # a small member server bought for it
    CLIENT_ACCESS_SERVER = "cas_server"  # a Client Access server outside the DAG (2010's default)


@dataclass(frozen=True, eq=False)
class ArchitectureSpec:
    """One named architecture (DESIGN.md): everything the engine needs to know about it.

    Every module asks the spec; none compares an architecture's name. Each spec is made once
    (advisor.architectures) and compares by identity, so shapes keyed by one hash quickly.
    """

    name: str
    title: str
    description: str
    versions: tuple[str, ...]  # the Exchange versions that offer it
    dag: bool
    front: Front
    load_balancer_units: int  # 0, 1, or 2 (an active/standby pair)
    cas_array: bool  # whether clients reach a CAS array name (the Exchange 2010 object)
    dedicated_client_access: bool  # Client Access servers of their own in front of the mailbox servers
    rules: tuple[str, ...]  # rule ids (rules.toml) the architecture rests on
    exchange_roles: tuple[str, ...]  # roles on each Exchange (mailbox) server
    client_access_roles: tuple[str, ...] = ()  # roles on each dedicated Client Access server
    witness_when_bought: WitnessPlacement = WitnessPlacement.BOUGHT_SERVER
    baseline: bool = False  # the architecture others are compared with (one server)
    min_client_access_servers: int = 0
    # 2013 and later: every client speaks HTTP to a namespace (no CAS array object, no
    # RpcClientAccessServer); an HTTP client retries the next address DNS gave it.
    http_clients: bool = False

    def __str__(self) -> str:
        return self.name

    @property
    def min_exchange_servers(self) -> int:
        return 2 if self.dag else 1

    @property
    def ha_pair(self) -> bool:
        """Whether its load balancers must be able to form an active/standby pair."""
        return self.load_balancer_units == 2

    @property
    def transport_on_client_access(self) -> bool:
        """Whether mail flows through the dedicated Client Access servers (2010: Hub Transport
        runs there) rather than through the mailbox servers."""
        return "hub_transport" in self.client_access_roles

    def needs_witness(self, members: int) -> bool:
        """Only a DAG with an even number of members needs a witness (rule dag.witness)."""
        return self.dag and members % 2 == 0

    def witness_for(self, members: int, host: str) -> str:
        """Where the witness lives for a DAG of `members` and the request's witness host."""
        if not self.needs_witness(members):
            return "none"
        if host == "existing":
            return "existing"
        return self.witness_when_bought.value
