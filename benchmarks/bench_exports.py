"""Time rendering a six-design comparison in each export format (median of several runs).

Run: .venv/bin/python benchmarks/bench_exports.py [--runs N] [--check]
With --check the exit status is 1 when a format misses its target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

from advisor.catalog.registry import CatalogRegistry
from advisor.exports import FORMATS, Comparison, render
from advisor.quotes import compare
from advisor.schemas import parse_request
from advisor.service import Advisor

# Big budget and one preferred goal: all six architectures are feasible and recommended.
SIX_DESIGNS = {
    "budget": {"amount": 1_000_000},
    "goals": [{"failure": "database", "services": ["outlook"], "priority": "preferred"}],
    "environment": {"cals_owned": 300},
    "alternatives": 6,
    "project": {"name": "Benchmark", "customer": "Contoso Ltd", "prepared_by": "Bench"},
}
TARGETS = {"xlsx": 0.3, "pdf": 1.5}


def six_designs() -> Comparison:
    comparison = compare(
        Advisor(CatalogRegistry(own="")), parse_request(SIX_DESIGNS), today=date(2026, 11, 30)
    )
    assert len(comparison.designs) == 6, [d.architecture for d in comparison.designs]
    return comparison


def median_seconds(fmt: str, comparison: Comparison, runs: int) -> float:
    render(fmt, comparison)  # warm up: imports, font registration
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(fmt, comparison)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    comparison = six_designs()
    print(f"six-design comparison, median of {args.runs} runs")
    print(f"{'format':<12} {'median s':>9} {'target s':>9}  result")
    missed = False
    for fmt in FORMATS:
        seconds = median_seconds(fmt, comparison, args.runs)
        target = TARGETS.get(fmt)
        verdict = "" if target is None else ("ok" if seconds < target else "MISSED")
        missed |= verdict == "MISSED"
        shown = f"{target:.1f}" if target is not None else "-"
        print(f"{fmt:<12} {seconds:>9.4f} {shown:>9}  {verdict}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
