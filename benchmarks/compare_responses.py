"""Record the API's answers to a few hundred varied requests, or compare them with a recording.

Every answer must stay byte-identical across a change to the engine or the web layer, apart
from the solver's timing (`solver.solve_ms`, set to 0 before comparing). The requests vary
Exchange and Windows versions, editions, sizes, budgets, goals, objectives, copies and
storage; some are invalid on purpose (their problem documents are compared too). Each body
is sent through the Flask test client to /api/v1/recommendations, and a share of them as
analyses of the recommended design to /api/v1/analyses.

    .venv/bin/python benchmarks/compare_responses.py record /tmp/answers.json [--count 400]
    .venv/bin/python benchmarks/compare_responses.py compare /tmp/answers.json

`compare` exits 1 and names the first differing field of each differing answer.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLATFORMS = [
    ("2010", "2008R2"),
    ("2010", "2008"),
    ("2010", "2012"),
    ("2010", "2012R2"),
    ("2013", "2012R2"),
    ("2013", "2008R2"),
    ("2016", "2016"),
    ("2016", "2012"),
    ("2019", "2019"),
    ("2019", "2022"),
    ("SE", "2025"),
    ("SE", "2022"),
    ("2016", "2025"),  # not supported: a 422 naming the field
]
TIMING = re.compile(r'("solve_ms":\s*)[0-9.eE+-]+')
REQUEST_ID = re.compile(r'("request_id":\s*)"[0-9a-f]+"')  # a problem's id differs on every request
SERVICES = ["outlook", "owa", "activesync", "smtp_inbound", "smtp_outbound"]
FAILURES = ["database", "server", "load_balancer", "witness", "domain_controller", "site"]


def varied(count: int, seed: int) -> list[dict[str, Any]]:
    """Requests that differ in every field the engine reads; a few are invalid."""
    rng = random.Random(seed)
    editions = ["any", "any", "standard", "enterprise"]
    out = []
    for _ in range(count):
        exchange, windows = rng.choice(PLATFORMS)
        goals = []
        for failure in rng.sample(FAILURES, rng.randint(0, 3)):
            goal: dict[str, Any] = {"failure": failure, "services": rng.sample(SERVICES, rng.randint(1, 3))}
            if rng.random() < 0.4:
                goal["priority"] = "preferred"
                goal["weight"] = rng.randint(1, 9)
            goals.append(goal)
        request: dict[str, Any] = {
            "budget": {
                "amount": rng.choice([3000, 8000, 20000, 30000, 45000, 80000, 150000, 400000]),
                "applies_to": rng.choice(["upfront", "upfront", "total"]),
            },
            "horizon_years": rng.choice([1, 3, 5]),
            "exchange": {"version": exchange, "edition": rng.choice(editions)},
            "windows": {"version": windows, "edition": rng.choice(editions)},
            "mailboxes": rng.choice([50, 150, 300, 600, 1200, 2500, 6000]),
            "databases": rng.choice([1, 2, 4, 6, 8, 12]),
            "environment": {
                "domain_controllers": rng.choice([1, 2]),
                "witness_host": rng.choice(["existing", "buy"]),
                "sites": rng.choice([1, 1, 1, 2]),
                "cals_owned": rng.choice([0, 300]),
                "hypervisor_hosts": rng.choice([0, 1, 2, 3]),
            },
            "goals": goals,
            "objective": rng.choice(["min_cost", "min_cost", "max_goals", "min_downtime"]),
            "alternatives": rng.randint(1, 4),
        }
        if rng.random() < 0.3:
            request["mailbox_profile"] = {
                "messages_per_day": rng.choice([50, 100, 200, 500]),
                "mailbox_size_gb": rng.choice([1, 2, 5, 10]),
            }
        if rng.random() < 0.3:
            request["database_copies"] = rng.choice([2, 3, 4])
            request["storage"] = rng.choice(["raid", "jbod"])
        out.append(request)
    return out


def answers(count: int) -> dict[str, Any]:
    from advisor.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "ADVISOR_DATABASE_URL": f"sqlite:///{folder}/compare.db",
                "ADVISOR_RATE_LIMIT": "100000000 per minute",
            }
        )
        client = app.test_client()
        examples = [json.loads(p.read_text()) for p in sorted((ROOT / "examples").glob("*.json"))]
        bodies = examples + varied(count, seed=2026)
        recorded: dict[str, Any] = {}
        for index, body in enumerate(bodies):
            path = "/api/v1/analyses" if "architecture" in body else "/api/v1/recommendations"
            response = client.post(path, json=body)
            recorded[f"{index} {path}"] = _entry(response)
            answer = response.get_json(silent=True) or {}
            if path.endswith("recommendations") and answer.get("recommendations") and index % 3 == 0:
                first = answer["recommendations"][0]
                analysis = {k: v for k, v in body.items() if k not in ("budget", "objective", "alternatives")}
                analysis.update(architecture=first["architecture"], design=first["design"])
                again = client.post("/api/v1/analyses", json=analysis)
                recorded[f"{index} /api/v1/analyses"] = _entry(again)
        return recorded


def _entry(response: Any) -> dict[str, Any]:
    """The answer's status, media type and exact text, the solver's timing set to 0 and a
    problem's request id to "-"."""
    text = REQUEST_ID.sub(r'\g<1>"-"', TIMING.sub(r"\g<1>0", response.get_data(as_text=True)))
    return {"status": response.status_code, "content_type": response.content_type, "text": text}


def first_text_difference(a: str, b: str) -> str:
    """Where two answers part: the first differing field when both are JSON, else the offset."""
    try:
        found = first_difference(json.loads(a), json.loads(b))
    except ValueError:
        found = None
    if found:
        return found
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"bytes differ at {at}: {a[at : at + 60]!r} != {b[at : at + 60]!r}"


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{where or '.'}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{where or '.'}: keys {list(a)} != {list(b)}"
        for key in a:
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=400)
    args = parser.parse_args(argv)
    if args.action == "record":
        recorded = answers(args.count)
        args.path.write_text(json.dumps(recorded))
        statuses = [e["status"] for e in recorded.values()]
        print(f"recorded {len(recorded)} answers ({statuses.count(200)} of them 200) in {args.path}")
        return 0
    before = json.loads(args.path.read_text())
    count = len(before)
    now = answers(args.count)
    differing = 0
    for key in sorted(set(before) | set(now)):
        if key not in before or key not in now:
            print(f"{key}: only {'now' if key in now else 'before'}")
            differing += 1
            continue
        old, new = before[key], now[key]
        if old != new:
            same = old["text"] == new["text"]
            where = "status or type" if same else first_text_difference(old["text"], new["text"])
            print(f"{key}: {where}")
            differing += 1
    print(f"{count} answers compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
