"""Copy-layout and sizing timings in one run, each against its target as a ratio.

    .venv/bin/python benchmarks/bench_layout.py [--rounds N]

Targets (issue 11): the layouts of a new shape of 40 databases x 8 servers x 3 copies within
250 ms and of 100 databases x 16 servers within 2 s, and a whole recommendation of a request of
each such shape, on a fresh advisor (nothing cached), within the same; a warm request of the
README example stays within the throughput issue's 25 ms. Every figure is the median of
`--rounds` (each on a fresh cache where it says "new"); a solve that hits its time limit would
say so in the response's `solver.status` and is reported. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.catalog.registry import CatalogRegistry  # noqa: E402
from advisor.layout import layouts  # noqa: E402
from advisor.schemas import parse_request  # noqa: E402
from advisor.service import Advisor  # noqa: E402

README_EXAMPLE = ROOT / "examples" / "contoso-owns-cals.json"


def shape_request(mailboxes: int, databases: int, copies: int) -> dict[str, Any]:
    return {
        "budget": {"amount": 10_000_000},
        "mailboxes": mailboxes,
        "databases": databases,
        "database_copies": copies,
        "goals": [{"failure": "server", "services": ["outlook", "owa"]}],
    }


def median_ms(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    registry = CatalogRegistry(own="")
    rows: list[tuple[str, float, float, str]] = []

    for servers, databases, copies, target in ((8, 40, 3, 250.0), (16, 100, 2, 2000.0), (16, 100, 3, 2000.0)):
        ms = median_ms(lambda s=servers, d=databases, c=copies: layouts.__wrapped__(s, d, c), args.rounds)
        found = layouts(servers, databases, copies)
        rows.append(
            (
                f"layouts of a new {databases} x {servers} x {copies} shape",
                ms,
                target,
                f"{len(found)} layouts",
            )
        )

    for mailboxes, databases, copies, target in ((8000, 40, 3, 250.0), (30000, 100, 2, 2000.0)):
        request = parse_request(shape_request(mailboxes, databases, copies))
        statuses: set[str] = set()

        def fresh(r: Any = request, seen: set[str] = statuses) -> None:
            layouts.cache_clear()  # the process keeps layouts too: a new shape is new to both
            answer = Advisor(registry).recommend(r)
            seen.add(answer.solver.status)

        ms = median_ms(fresh, args.rounds)
        rows.append(
            (
                f"recommend, new advisor, {mailboxes} mailboxes in {databases} x {copies}",
                ms,
                target,
                "solver " + ", ".join(sorted(statuses)),
            )
        )

    warm = Advisor(registry)
    example = parse_request(json.loads(README_EXAMPLE.read_text()))
    warm.recommend(example)
    ms = median_ms(lambda: warm.recommend(example), args.rounds * 4)
    rows.append(("recommend, warm, README example", ms, 25.0, ""))

    missed = 0
    print(f"{'figure':<62} {'median ms':>10} {'target ms':>10} {'ratio':>7}")
    for name, ms, target, note in rows:
        ratio = ms / target
        missed += ratio > 1
        print(f"{name:<62} {ms:>10.1f} {target:>10.0f} {ratio:>7.2f}  {note}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
