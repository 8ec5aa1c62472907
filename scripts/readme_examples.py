"""Regenerate (or, with --check, verify) the example outputs embedded in README.md.

Each example sits between `<!-- example: COMMAND -->` and `<!-- /example -->` markers; the
command is run in process and its JSON replaces the fenced block, so the README shows real
output and a test fails when code and README drift apart.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- example: (?P<command>[^>]+?) -->\n)```json\n.*?\n```\n(?=<!-- /example -->)", re.S)


def summary(response: dict[str, Any]) -> dict[str, Any]:
    """The recommend excerpt the README shows: the products' support, ranks, servers and editions,
    costs, single points of failure, statuses."""
    recommendations = response["recommendations"]
    return {
        "lifecycle": recommendations[0]["lifecycle"] if recommendations else [],
        "minimum_budget": response["minimum_budget"],
        "recommendations": [
            {
                "rank": r["rank"],
                "architecture": r["architecture"],
                "design": {
                    k: r["design"][k] for k in ("exchange_servers", "windows_edition", "exchange_edition")
                },
                "cost": {k: r["cost"][k] for k in ("upfront", "annual", "total", "budget_left")},
                "single_points_of_failure": [s["component"] for s in r["single_points_of_failure"]],
            }
            for r in recommendations
        ],
        "weighed": [{"architecture": w["architecture"], "status": w["status"]} for w in response["weighed"]],
    }


def output(command: str) -> str:
    """What the command prints: the CLI's own parse and dump, or the API's answer."""
    from advisor.catalog.registry import CatalogRegistry
    from advisor.contract.responses import dump_analysis, dump_recommendations
    from advisor.schemas import parse_analysis, parse_request
    from advisor.service import Advisor

    advisor = Advisor(CatalogRegistry(own=""))
    verb, file = command.split()[:2]
    data = json.loads((ROOT / file).read_text())
    if verb == "analyze":
        result: Any = dump_analysis(advisor.analyze(parse_analysis(data)))
    elif verb == "recommend-summary":
        result = summary(dump_recommendations(advisor.recommend(parse_request(data))))
    elif verb == "api-post":
        result = _api_post(command.split()[2], data)
    else:
        raise SystemExit(f"unknown example command {command!r}")
    return json.dumps(result, indent=2)


def _api_post(path: str, data: Any) -> Any:
    """POST through the real app (Flask's test client): what curl would print."""
    import tempfile

    from advisor.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"ADVISOR_DATABASE_URL": f"sqlite:///{folder}/readme.sqlite3", "ADVISOR_CATALOG": ""}
        )
        answer = app.test_client().post(path, json=data, headers={"X-Request-ID": "readme-example"})
        app.extensions["scenarios"].store.close()
        return answer.get_json()


def render(text: str) -> str:
    return BLOCK.sub(lambda m: f"{m.group(1)}```json\n{output(m.group('command'))}\n```\n", text)


def main(argv: list[str]) -> int:
    text = README.read_text()
    fresh = render(text)
    if "--check" in argv:
        if fresh != text:
            print("README.md examples are stale: run python scripts/readme_examples.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
