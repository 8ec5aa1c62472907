"""Load run of the JSON API under gunicorn on loopback: recommendations against /healthz, side by side.

Starts `advisor serve` (gunicorn, the advisor's threaded workers) on 127.0.0.1 and a free port,
then drives it from a bounded pool of threads using http.client (a new connection per request).
The service runs with its default settings but a rate limit no run reaches: the limiter still
counts every request, but one client on loopback must not be refused as a flood would be.
After a warm-up of recommendations, GET /healthz
(the trivial endpoint) and POST /api/v1/recommendations alternate in rounds, so that a machine
whose speed drifts during the run weighs on both alike; the recommendations are varied valid
requests (budget, mailboxes, databases, goals, editions, objective), none of them one the
warm-up sent: the workers have seen requests like them, as a long-running service has (a
worker is recycled after about 20,000 requests; the warm-up gives each of two about 800), but
not these, and no response is cached anywhere. The warm-up's own figures, from cold workers,
are printed too. Each round is bounded by a request count and a
duration. Prints requests/s, p50, p99 and errors for both, the throughput ratio over all rounds
and per round; exits 1 when any request failed (a non-2xx status, a connection error or a
timeout).

Targets (issue 3): recommendation throughput >= 20 % of the trivial endpoint's, p99 < 50 ms at
8 concurrent connections, zero errors. The targets are reported, not enforced: only errors
change the exit status.

    .venv/bin/python benchmarks/load_api.py [--connections 8] [--requests 800] [--rounds 4]
                                            [--warm-up 1600] [--seconds 30] [--workers 2]
                                            [--profile]

`--profile` also profiles the service call (Advisor.recommend) in this process over the same
requests and prints where its time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


@dataclass
class Phase:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def done(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def varied_requests(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Valid requests that differ in budget, size, goals, editions and objective."""
    rng = random.Random(seed)
    goal_sets = [
        [{"failure": "database", "services": ["outlook", "owa"]}],
        [
            {"failure": "database", "services": ["outlook", "owa"]},
            {"failure": "server", "services": ["outlook", "owa", "smtp_inbound"]},
        ],
        [
            {"failure": "server", "services": ["outlook", "activesync"]},
            {"failure": "load_balancer", "services": ["outlook"], "priority": "preferred", "weight": 5},
        ],
        [
            {"failure": "database", "services": ["outlook"]},
            {"failure": "witness", "services": ["outlook", "owa"], "priority": "preferred"},
            {
                "failure": "domain_controller",
                "services": ["smtp_outbound"],
                "priority": "preferred",
                "weight": 2,
            },
        ],
        [],
    ]
    windows = [
        ("2008R2", "any"),
        ("2008R2", "enterprise"),
        ("2012", "any"),
        ("2012R2", "standard"),
        ("2008", "any"),
    ]
    out = []
    for _ in range(count):
        version, edition = rng.choice(windows)
        out.append(
            {
                "budget": {
                    "amount": rng.choice([8000, 20000, 30000, 45000, 80000, 150000]),
                    "applies_to": rng.choice(["upfront", "upfront", "total"]),
                },
                "mailboxes": rng.choice([50, 150, 300, 600, 1200, 2500]),
                "databases": rng.choice([1, 2, 4, 6, 8]),
                "exchange": {"edition": rng.choice(["any", "any", "standard", "enterprise"])},
                "windows": {"version": version, "edition": edition},
                "environment": {
                    "domain_controllers": rng.choice([1, 2]),
                    "witness_host": rng.choice(["existing", "buy"]),
                    "cals_owned": rng.choice([0, 300]),
                },
                "goals": rng.choice(goal_sets),
                "objective": rng.choice(["min_cost", "min_cost", "max_goals"]),
                "alternatives": rng.randint(1, 3),
            }
        )
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    code = f"from advisor.server import serve; raise SystemExit(serve({HOST!r}, {port}, {workers}, False))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_RATE_LIMIT"] = "100000000 per minute"
    server = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            status, _ = call(port, "GET", "/readyz", None)
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not become ready within 60 s")


def call(port: int, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run_phase(
    name: str,
    port: int,
    connections: int,
    limit: int,
    seconds: float,
    make: Callable[[int], tuple[str, str, bytes | None]],
) -> Phase:
    """Closed loop: `connections` threads each send one request at a time until the count or time is up."""
    phase = Phase(name)
    lock = threading.Lock()
    issued = 0
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        nonlocal issued
        while True:
            with lock:
                if issued >= limit or time.monotonic() >= stop_at:
                    return
                index = issued
                issued += 1
            method, path, body = make(index)
            started = time.perf_counter()
            try:
                status, _ = call(port, method, path, body)
                problem = None if 200 <= status < 300 else f"status {status}"
            except OSError as err:
                problem = f"{type(err).__name__}: {err}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                phase.latencies_ms.append(elapsed)
                if problem:
                    phase.errors.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.elapsed_s = time.perf_counter() - began
    return phase


def report(phase: Phase) -> str:
    return (
        f"{phase.name:<34} {phase.done:>6} req  {phase.rate:>8.1f} req/s  "
        f"p50 {phase.percentile(0.50):>7.1f} ms  p99 {phase.percentile(0.99):>7.1f} ms  "
        f"mean {statistics.fmean(phase.latencies_ms) if phase.latencies_ms else float('nan'):>7.1f} ms  "
        f"errors {len(phase.errors)}"
    )


def profile_service(requests: list[dict[str, Any]], top: int = 25) -> str:
    """Where Advisor.recommend spends its time over the benchmark's requests, in this process."""
    from advisor.catalog.registry import CatalogRegistry
    from advisor.contract.responses import dump_recommendations
    from advisor.schemas import parse_request
    from advisor.service import Advisor

    advisor = Advisor(CatalogRegistry(own=""))
    for request in requests[:20]:
        advisor.recommend(parse_request(request))  # warm the caches the way a long-running worker has them
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for request in requests:
        dump_recommendations(advisor.recommend(parse_request(request)))
    profiler.disable()
    per_call = (time.perf_counter() - started) * 1000 / len(requests)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return f"Advisor.recommend: {per_call:.1f} ms per call under the profiler\n{text.getvalue()}"


def merge(name: str, rounds: list[Phase]) -> Phase:
    """One phase from several rounds: every latency, and the time the rounds took in all."""
    whole = Phase(name)
    for part in rounds:
        whole.latencies_ms += part.latencies_ms
        whole.errors += part.errors
        whole.elapsed_s += part.elapsed_s
    return whole


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--requests", type=int, default=800, help="recommendations measured (5x for /healthz)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="alternate the two endpoints this many times")
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long per phase and round")
    parser.add_argument(
        "--warm-up", type=int, default=1600, help="recommendations sent first, unmeasured (other requests)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--profile", action="store_true", help="also profile the service call")
    args = parser.parse_args(argv)

    # The warm-up and the measured run draw from the same distribution but never share a request:
    # the workers know the shapes the requests have (as a long-running service does), not the
    # requests themselves, and nothing caches a response.
    requests = varied_requests(args.requests, seed=7)
    bodies = [json.dumps(r).encode() for r in requests]
    measured = set(bodies)
    warm = [
        body
        for r in varied_requests(args.warm_up, seed=11)
        if (body := json.dumps(r).encode()) not in measured
    ]
    per_round = max(1, args.requests // args.rounds)
    port = free_port()
    server = start_server(port, args.workers)
    trivial_rounds: list[Phase] = []
    advice_rounds: list[Phase] = []
    try:
        warm_up = run_phase(
            "warm-up: recommendations, cold",
            port,
            args.connections,
            len(warm),
            10 * args.seconds,
            lambda i: ("POST", "/api/v1/recommendations", warm[i]),
        )
        for r in range(args.rounds):
            trivial_rounds.append(
                run_phase(
                    "GET /healthz",
                    port,
                    args.connections,
                    per_round * 5,
                    args.seconds,
                    lambda i: ("GET", "/healthz", None),
                )
            )
            offset = r * per_round
            advice_rounds.append(
                run_phase(
                    "POST /api/v1/recommendations",
                    port,
                    args.connections,
                    per_round,
                    args.seconds,
                    lambda i, offset=offset: (
                        "POST",
                        "/api/v1/recommendations",
                        bodies[(offset + i) % len(bodies)],
                    ),
                )
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    trivial = merge("GET /healthz", trivial_rounds)
    advice = merge("POST /api/v1/recommendations", advice_rounds)
    ratio = advice.rate / trivial.rate if trivial.rate else float("nan")
    print(
        f"gunicorn: {args.workers} threaded worker(s) on {HOST}:{port}; {args.connections} connections; "
        f"{os.cpu_count()} CPU(s) shared with this load generator; {args.rounds} alternating rounds "
        f"after a warm-up of {len(warm)} other recommendations"
    )
    print(report(warm_up))
    print(report(trivial))
    print(report(advice))
    rounds = ", ".join(f"{a.rate / t.rate:.0%}" for t, a in zip(trivial_rounds, advice_rounds, strict=True))
    print(f"throughput ratio recommendations / healthz: {ratio:.1%} (target >= 20 %; rounds {rounds})")
    print(f"recommendation p99: {advice.percentile(0.99):.1f} ms (target < 50 ms)")
    failures = warm_up.errors + trivial.errors + advice.errors
    for problem in sorted(set(failures)):
        print(f"error: {problem} x{failures.count(problem)}")
    if args.profile:
        print(profile_service(requests))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
