"""Issue 15's table in one run: the advisor against a bare Flask JSON echo, same gunicorn set-up.

Starts two services on 127.0.0.1, each gunicorn with the advisor's threaded worker class and
the same worker and thread counts: a bare Flask app whose one route answers the JSON body it
gets (the anchor), and `advisor serve`'s own app (rate limit out of reach, as in load_api.py).
The advisor gets a warm-up of other varied requests first (a long-running service has seen
requests like them). Then, in each of three rounds, one after the other with the same
connections (closed loop, a new connection per request):

* the echo anchor, posting the README example;
* the advisor, posting the README example (warm: the same request again and again);
* the advisor, posting never-seen valid requests (budgets, sizes, goals, editions and
  objectives vary; no body is sent twice in the whole run);
* a fresh advisor service (started for the round, then stopped): its first 250 varied
  requests, against the warm service's never-seen rate of the same round;
* `advisor recommend examples/small-business.json`, three times (wall time; Python keeps its
  bytecode, as it does by default, after one untimed run: see `cli_wall`).

Worker CPU per request is the workers' user+system time over the phase (from /proc) divided
by the requests answered. Every figure is printed as min / median / max over the three rounds.
The machine's other load weighs on both sides of each ratio alike, not on the absolute times.

    .venv/bin/python benchmarks/throughput.py [--seconds 20] [--connections 8] [--workers 2]
                                              [--warm-up 800]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_api import HOST, ROOT, Phase, call, free_port, run_phase, varied_requests

ECHO = """
from flask import Flask, jsonify, request
from advisor.server import AdvisorServer, gunicorn_options
app = Flask("echo")
@app.post("/echo")
def echo():
    return jsonify(request.get_json())
@app.get("/readyz")
def ready():
    return jsonify(status="ok")
AdvisorServer(app, {**gunicorn_options(HOST, PORT, WORKERS, 5.0), "logconfig_dict": {"version": 1}}).run()
"""
ADVISOR = "from advisor.server import serve; raise SystemExit(serve(HOST, PORT, WORKERS, False))"
README_EXAMPLE = ROOT / "examples" / "small-business.json"
FRESH_REQUESTS = 250
CLI_RUNS = 3


def start(code: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """A gunicorn service from `code` on `port`, once /readyz answers 200."""
    source = code.replace("HOST", repr(HOST)).replace("PORT", str(port)).replace("WORKERS", str(workers))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_RATE_LIMIT"] = "100000000 per minute"
    server = subprocess.Popen(
        [sys.executable, "-c", source], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"a service exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if call(port, "GET", "/readyz", None)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("a service did not become ready within 90 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)


def worker_cpu(master: int) -> float:
    """Seconds of CPU (user + system) the master's worker processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@dataclass
class Measured:
    phase: Phase
    cpu_ms: float  # worker CPU per request


def measure(
    name: str,
    server: subprocess.Popen[bytes],
    port: int,
    args: argparse.Namespace,
    limit: int,
    make: Callable[[int], tuple[str, str, bytes | None]],
) -> Measured:
    before = worker_cpu(server.pid)
    phase = run_phase(name, port, args.connections, limit, args.seconds, make)
    used = worker_cpu(server.pid) - before
    return Measured(phase, used * 1000 / phase.done if phase.done else float("nan"))


def cli_wall() -> list[float]:
    """The CLI's wall time on the README example, as a planner's shell runs it: Python keeps the
    bytecode it compiles (PYTHONDONTWRITEBYTECODE, which this machine's environment sets, is left
    out), so one untimed run first compiles what the command imports, as a first use would."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = []
    for run in range(CLI_RUNS + 1):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "advisor.cli", "recommend", str(README_EXAMPLE)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if run:
            out.append(time.perf_counter() - started)
    return out


def spread(values: list[float], unit: str = "", digits: int = 1, percent: bool = False) -> str:
    """min / median / max of a figure's values."""

    def show(v: float) -> str:
        return f"{v:.{digits}%}" if percent else f"{v:.{digits}f}{unit}"

    return f"{show(min(values))} / {show(statistics.median(values))} / {show(max(values))}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each measured phase")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of every service")
    parser.add_argument(
        "--warm-up", type=int, default=800, help="varied requests the warm advisor gets first"
    )
    args = parser.parse_args(argv)
    rounds = 3

    readme = README_EXAMPLE.read_bytes()
    seen: set[bytes] = set()

    def fresh_bodies(count: int, seed: int) -> list[bytes]:
        """Varied valid requests, none of them sent before in this run."""
        out = []
        for r in varied_requests(count * 2, seed=seed):
            body = json.dumps(r).encode()
            if body not in seen:
                seen.add(body)
                out.append(body)
            if len(out) == count:
                break
        return out

    warm = fresh_bodies(args.warm_up, seed=11)
    cap = int(args.seconds * 400)  # more than a phase can answer: phases end on time
    echo_port, advisor_port = free_port(), free_port()
    echo = start(ECHO, echo_port, args.workers)
    advisor = start(ADVISOR, advisor_port, args.workers)
    results: dict[str, list[float]] = {}
    failures: list[str] = []

    def note(key: str, value: float) -> None:
        results.setdefault(key, []).append(value)

    try:
        warmed = run_phase(
            "warm-up",
            advisor_port,
            args.connections,
            len(warm),
            30 * args.seconds,
            lambda i: ("POST", "/api/v1/recommendations", warm[i]),
        )
        failures += warmed.errors
        for r in range(rounds):
            anchor = measure("echo", echo, echo_port, args, cap, lambda i: ("POST", "/echo", readme))
            example = measure(
                "readme",
                advisor,
                advisor_port,
                args,
                cap,
                lambda i: ("POST", "/api/v1/recommendations", readme),
            )
            unseen = fresh_bodies(cap, seed=1000 + r)
            never = measure(
                "never-seen",
                advisor,
                advisor_port,
                args,
                len(unseen),
                lambda i, unseen=unseen: ("POST", "/api/v1/recommendations", unseen[i]),
            )
            fresh_port = free_port()
            cold_server = start(ADVISOR, fresh_port, args.workers)
            cold_bodies = fresh_bodies(FRESH_REQUESTS, seed=2000 + r)
            try:
                cold = run_phase(
                    "fresh",
                    fresh_port,
                    args.connections,
                    len(cold_bodies),
                    30 * args.seconds,
                    lambda i, b=cold_bodies: ("POST", "/api/v1/recommendations", b[i]),
                )
            finally:
                stop(cold_server)
            for m in (anchor, example, never):
                failures += m.phase.errors
            failures += cold.errors
            note("echo req/s", anchor.phase.rate)
            note("readme req/s", example.phase.rate)
            note("never-seen req/s", never.phase.rate)
            note("readme / echo", example.phase.rate / anchor.phase.rate)
            note("never-seen / echo", never.phase.rate / anchor.phase.rate)
            note("p99 readme", example.phase.percentile(0.99))
            note("p99 never-seen", never.phase.percentile(0.99))
            note("fresh req/s", cold.rate)
            note("fresh / warm", cold.rate / never.phase.rate)
            note("cpu echo", anchor.cpu_ms)
            note("cpu readme", example.cpu_ms)
            note("cpu never-seen", never.cpu_ms)
            for wall in cli_wall():
                note("cli wall", wall)
    finally:
        stop(advisor)
        stop(echo)

    print(
        f"{args.workers} gunicorn workers (advisor.api.worker.AdvisorWorker) per service, "
        f"{args.connections} connections, closed loop, {rounds} interleaved rounds of {args.seconds:g} s; "
        f"{os.cpu_count()} CPUs shared with the load generator; warm-up {warmed.done} requests "
        f"({warmed.rate:.1f} req/s cold)"
    )
    print(f"{'figure':<56}{'target':<12}min / median / max")
    rows = [
        ("README example req/s / echo req/s", ">= 25 %", spread(results["readme / echo"], percent=True)),
        (
            "never-seen requests req/s / echo req/s",
            ">= 20 %",
            spread(results["never-seen / echo"], percent=True),
        ),
        ("p99, README example, warm", "<= 25 ms", spread(results["p99 readme"], " ms")),
        ("p99, never-seen requests", "<= 50 ms", spread(results["p99 never-seen"], " ms")),
        (
            f"fresh server's first {FRESH_REQUESTS} / warm never-seen rate",
            ">= 60 %",
            spread(results["fresh / warm"], percent=True),
        ),
        ("worker CPU per request, README example", "<= 3 ms", spread(results["cpu readme"], " ms", 2)),
        ("worker CPU per request, never-seen", "<= 3 ms", spread(results["cpu never-seen"], " ms", 2)),
        (
            "advisor recommend (small-business) wall",
            "<= 0.35 s",
            spread(results["cli wall"], " s", 3),
        ),
    ]
    for name, target, values in rows:
        print(f"{name:<56}{target:<12}{values}")
    print(
        "rates (req/s): echo "
        + spread(results["echo req/s"])
        + "; README "
        + spread(results["readme req/s"])
        + "; never-seen "
        + spread(results["never-seen req/s"])
        + "; fresh "
        + spread(results["fresh req/s"])
    )
    print("worker CPU per request, echo: " + spread(results["cpu echo"], " ms", 2))
    for problem in sorted(set(failures)):
        print(f"error: {problem} x{failures.count(problem)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
