"""The result page's servers and load, database copy layout, and the degraded outcome."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from advisor.domain import OUTCOMES
from advisor.web import codec, present
from tests.web.conftest import result_url
from tests.web.tables import card, table

# 1000 heavy mailboxes on entry servers, no server goal: the cheapest designs keep a DAG that
# survives a server's loss only slowly, the survivor past its memory sizing.
DEGRADED = {
    "mailboxes": "1000",
    "mailbox_profile.messages_per_day": "500",
    "mailbox_profile.mailbox_size_gb": "0.25",
    "goal.server.outlook": "none",
    "goal.server.owa": "none",
    "goal.server.smtp_inbound": "none",
    "goal.load_balancer.outlook": "none",
    "budget.amount": "100000",
}


def page_and_answer(client: FlaskClient, advisor: Any, **changes: str) -> tuple[str, dict[str, Any]]:
    url = result_url(client, **changes)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True), advisor.recommend(codec.decode(url.split("r=", 1)[1]))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_outcome_has_a_label_a_mark_and_a_meaning() -> None:
    for names in (present.OUTCOME_LABELS, present.OUTCOME_MARKS, present.OUTCOME_HELP):
        assert set(names) == set(OUTCOMES)
    assert len(set(present.OUTCOME_MARKS.values())) == len(OUTCOMES)


def test_the_seed_case_servers_carry_150_mailboxes_each_and_300_after_the_other_fails(
    client: FlaskClient, advisor: Any
) -> None:
    html, answer = page_and_answer(client, advisor)
    first = answer["recommendations"][0]
    servers = table(card(html, 1), "servers")
    assert servers.caption.startswith("Each server's capacity")
    rows = {row["Server"]: row for row in servers.rows}
    assert list(rows) == [s["name"] for s in first["servers"]] == ["ex-1", "ex-2"]
    for name, other in (("ex-1", "ex-2"), ("ex-2", "ex-1")):
        row = rows[name]
        assert row["Normal load"].startswith("150 active mailboxes")
        assert row["After the worst failure"].startswith("300 active mailboxes")
        assert row["After the worst failure"].endswith(f"when {other} fails")
        assert row["Sizing"] == "✓ Within sizing"
        report = next(s for s in first["servers"] if s["name"] == name)
        assert row["Model and roles"] == f"{report['model']} Mailbox, Client Access and Hub Transport"
        assert f"{report['capacity']['mailboxes']} mailboxes" in row["Capacity"]
        assert f"{report['capacity']['memory_gb']:g} GB memory" in row["Capacity"]
        assert f"{report['capacity']['iops']:g} IOPS" in row["Capacity"]
        assert f"{report['capacity']['disk_gb']:,.0f} GB disk" in row["Capacity"]


def test_the_copy_layout_is_a_grid_of_activation_preferences_like_the_calculators(
    client: FlaskClient, advisor: Any
) -> None:
    html, answer = page_and_answer(client, advisor)
    first = answer["recommendations"][0]
    section = card(html, 1).split('id="design-1-layout"', 1)[1].split("</section>", 1)[0]
    layout = table(section, "layout")
    assert layout.heads == ["Database", "Mailboxes", "Size", "ex-1", "ex-2"]
    rows = {row["Database"]: row for row in layout.rows}
    assert rows["db-1"]["ex-1"] == "1 active" and rows["db-1"]["ex-2"] == "2"
    assert rows["db-2"]["ex-1"] == "2" and rows["db-2"]["ex-2"] == "1 active"
    for db in first["copy_layout"]:
        assert rows[db["database"]]["Mailboxes"] == str(db["mailboxes"])
        assert rows[db["database"]]["Size"] == f"{db['size_gb']:g} GB"
    assert layout.feet == [
        {
            "Database": "Total",
            "Mailboxes": "300",
            "Size": "968 GB",
            "ex-1": "4 copies, 2 active",
            "ex-2": "4 copies, 2 active",
        }
    ]
    words = text_of(section)
    assert "Preference 1 is the copy that is active in normal operation" in words
    assert "becomes active on its surviving copy with the lowest number" in words
    assert "For example, if ex-1 fails, db-1 and db-3 become active on ex-2." in words
    assert 'scope="row">db-1</th>' in section and 'scope="col" class="num">ex-1</th>' in section
    assert 'role="region" aria-label="Database copy layout, design 1 (table)" tabindex="0"' in section


def test_a_server_without_a_copy_of_a_database_has_an_empty_cell_that_says_so(advisor: Any) -> None:
    from advisor.schemas import parse_analysis

    report = advisor.service.analyze(
        parse_analysis(
            {
                "architecture": "dag_only",
                "mailboxes": 600,
                "databases": 3,
                "design": {"exchange_servers": 3, "database_copies": 2},
                "goals": [],
            }
        )
    )
    grid = present.layout_grid(report)
    assert grid.servers == ("ex-1", "ex-2", "ex-3")
    assert all(sum(p is None for p in row.preferences) == 1 for row in grid.rows)
    assert [grid.copies_on(i)[0] for i in range(3)] == [2, 2, 2]


def test_a_degraded_failure_reads_as_degraded_without_colour(client: FlaskClient, advisor: Any) -> None:
    html, answer = page_and_answer(client, advisor, **DEGRADED)
    first = answer["recommendations"][0]
    assert any(
        "degraded" in s["outcomes"].values() for s in first["failure_scenarios"] if s["component"] == "ex-2"
    )
    section = card(html, 1).split('id="design-1-scenarios"', 1)[1].split("</section>", 1)[0]
    assert '<span class="outcome outcome-degraded">↓ Degraded</span> stays up but slow' in section
    scenarios = table(section, "scenarios")
    ex2 = next(row for row in scenarios.rows if row["If this fails…"].startswith("Exchange server ex-2"))
    assert ex2["Outlook"] == "↓ Degraded" and ex2["Outlook"] != "↻ Failover"
    assert "ex-1 then carries 1,000 active mailboxes" in ex2["Why"]
    assert "past its sizing: memory at 139% of its sizing (44.4 of 32 GB)" in ex2["Why"]
    assert 'class="outcome outcome-degraded"><span aria-hidden="true">↓</span> Degraded' in section


def test_a_server_past_its_sizing_says_how_far_and_after_which_failure(
    client: FlaskClient, advisor: Any
) -> None:
    html, answer = page_and_answer(client, advisor, **DEGRADED)
    report = answer["recommendations"][0]["servers"][0]
    assert not report["worst_failure"]["within_sizing"]
    rows = {row["Server"]: row for row in table(card(html, 1), "servers").rows}
    row = rows["ex-1"]
    assert row["Sizing"] == "▲ Past sizing memory at 139% of its sizing (44.4 of 32 GB) when ex-2 fails"
    assert row["After the worst failure"].startswith("1,000 active mailboxes")
    assert f"{report['capacity']['mailboxes']} mailboxes" in row["Capacity"]
    assert 'class="past-row"' in card(html, 1)


def test_a_single_server_has_no_failure_to_carry_and_a_layout_of_one_column(advisor: Any) -> None:
    from advisor.schemas import parse_analysis

    report = advisor.service.analyze(parse_analysis({"architecture": "single_server", "goals": []}))
    (row,) = present.server_rows(report)
    assert row.worst.when == "no other server's failure moves load to it"
    assert present.layout_grid(report).servers == ("ex-1",)
    assert present.failover_example(report.copy_layout) == (
        "For example, if ex-1 fails, db-1, db-2, db-3 and db-4 have no other copy and go down."
    )


def test_a_saved_scenario_shows_the_stored_servers_and_layout(client: FlaskClient) -> None:
    from tests.web.test_scenarios_web import saved_id, unique

    scenario = saved_id(client, unique("Degraded DAG"), **DEGRADED)
    html = client.get(f"/scenarios/{scenario}").get_data(as_text=True)
    rows = {row["Server"]: row for row in table(card(html, 1), "servers").rows}
    assert rows["ex-1"]["Sizing"].startswith("▲ Past sizing memory at 139%")
    layout = {row["Database"]: row for row in table(card(html, 1), "layout").rows}
    assert layout["db-1"]["ex-1"] == "1 active"
    assert "↓ Degraded" in card(html, 1)
