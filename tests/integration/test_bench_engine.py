"""benchmarks/bench_engine.py's HiGHS figure replays exactly the models the requests solve."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.catalog.registry import CatalogRegistry
from advisor.schemas import parse_request
from advisor.service import Advisor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_engine


def test_the_highs_replay_runs_each_model_the_requests_hand_highs_once_and_times_it() -> None:
    requests = bench_engine.varied_requests(4)
    advisor = Advisor(CatalogRegistry(own=""), solver="highs")
    solves = sum(advisor.recommend(parse_request(r)).solver.solves for r in requests)
    runs, summed, median = bench_engine.highs_replay_ms(requests, repeats=1)
    assert runs == solves > 0
    assert 0 < median <= summed
