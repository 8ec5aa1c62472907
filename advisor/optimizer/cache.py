"""What the engine keeps between requests, owned by whoever runs it (the Advisor): bounded,
thread-safe, and keyed by what it was derived from (a catalog by its id and version)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from advisor.assess import Assessment, assess
from advisor.availability import estimate
from advisor.catalog.model import Catalog
from advisor.domain import AvailabilityReport, Design, Quote, Request
from advisor.failures import Simulator
from advisor.pricing import bill_of_materials, cals_to_buy
from advisor.sizing import Demand

V = TypeVar("V")
ASSESSMENTS_KEPT = 4096
DEMANDS_KEPT = 16_384  # a need is six numbers: about 3 MB


class Bounded(Generic[V]):
    """A least-recently-used cache of at most `size` values."""

    def __init__(self, size: int):
        self._size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        # A hit hashes the key twice (the look-up, the move to the end), not three times: the
        # optimizer's keys are long tuples and it looks one up a hundred times a request.
        with self._lock:
            try:
                value = self._values[key]
            except KeyError:
                pass
            else:
                self._values.move_to_end(key)
                return value
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)


def catalog_key(catalog: Catalog) -> tuple[str, str, Catalog]:
    """A catalog's key in the caches: its id and version, and the object itself (two catalogs of
    one id and version loaded from different folders are different price books; a catalog
    compares by identity, and the cache holding it keeps it alive)."""
    return (catalog.id, catalog.version, catalog)


@dataclass
class EngineCache:
    """Simulated shapes, each architecture's structures and layouts, each platform's priced
    servers (`units`: the hardware offered and the price of each need on it), each
    architecture's table of sized needs at a mailbox count and profile (`needs`: by server
    counts, databases and copies), each architecture's selected columns (`selections`, by the
    request fields they read; see `advisor.optimizer._selection`), the bodies of the models
    built over them (`models`; a request solves a copy), the assessments of the designs
    reported (a design is assessed once per the request fields its assessment reads), their
    expected downtime and their bills of materials; and one object per distinct sized need (`demands`)."""

    simulator: Simulator = field(default_factory=Simulator)
    structures: Bounded[object] = field(default_factory=lambda: Bounded(1024))
    units: Bounded[object] = field(default_factory=lambda: Bounded(256))
    needs: Bounded[object] = field(default_factory=lambda: Bounded(2048))
    selections: Bounded[object] = field(default_factory=lambda: Bounded(1024))
    models: Bounded[object] = field(default_factory=lambda: Bounded(512))
    # One object per need's value, whichever architecture's table sized it: the hardware prices
    # a need once per object (`Hardware._priced`), and architectures that share a front and
    # roles size the same needs.
    demands: Bounded[Demand] = field(default_factory=lambda: Bounded(DEMANDS_KEPT))
    # A request reports six to ten designs; a working set of a few hundred varied requests
    # holds thousands, and a least-recently-used cache smaller than the set it cycles through
    # misses every time. An assessment is about 10 KB, so 4,096 of them cost about 40 MB.
    assessments: Bounded[Assessment] = field(default_factory=lambda: Bounded(ASSESSMENTS_KEPT))
    availabilities: Bounded[tuple[Assessment, AvailabilityReport]] = field(
        default_factory=lambda: Bounded(ASSESSMENTS_KEPT)
    )
    # A design's bill of materials (a dozen lines): reported by every request that finds it.
    quotes: Bounded[Quote] = field(default_factory=lambda: Bounded(ASSESSMENTS_KEPT))

    def one_of(self, demand: Demand) -> Demand:
        """The one object kept for a need of this value (`demand` itself the first time)."""
        return self.demands.get(demand, lambda: demand)

    def assess(self, design: Design, request: Request, catalog: Catalog) -> Assessment:
        """`advisor.assess.assess`, kept: keyed by the design and every request field it reads
        (sizes, profile, storage, environment, Exchange version), so two requests that differ in
        budget, goals, objective or editions share it. Callers never change an assessment."""
        env = request.environment
        key = (
            catalog_key(catalog),
            design,
            design.layout,  # a design compares without its layout; its assessment depends on it
            request.platform.exchange_version,
            request.databases,
            request.mailboxes,
            request.mailbox_profile,
            request.storage,
            env.domain_controllers,
            env.sites,
            env.hypervisor_hosts,
        )
        return self.assessments.get(key, lambda: assess(design, request, catalog, self.simulator))

    def quote(self, design: Design, request: Request, catalog: Catalog) -> Quote:
        """`advisor.pricing.bill_of_materials`, kept: keyed by the design and every request field
        it reads (the Exchange and Windows versions, the CALs to buy, the horizon), so requests
        that differ in budget, goals, objective, sizes or editions share it. A quote is frozen."""
        p = request.platform
        key = (
            catalog_key(catalog),
            design,
            p.exchange_version,
            p.windows_version,
            cals_to_buy(request),
            request.horizon_years,
        )
        return self.quotes.get(key, lambda: bill_of_materials(design, request, catalog))

    def availability(self, assessment: Assessment, request: Request, catalog: Catalog) -> AvailabilityReport:
        """`advisor.availability.estimate` of an assessment, kept: keyed by the assessment itself
        and every request field the estimate reads (storage, hypervisor hosts), so a design's
        downtime is worked out once whether it is a candidate, a recommendation or both.

        An assessment is kept and shared, never changed, so it is keyed by identity; its entry
        holds it, so while the entry lasts no other object can have its id."""
        key = (id(assessment), request.storage, request.environment.hypervisor_hosts, catalog_key(catalog))

        def make() -> tuple[Assessment, AvailabilityReport]:
            return assessment, estimate(assessment.analysis, assessment.doubles, None, request, catalog)

        return self.availabilities.get(key, make)[1]
