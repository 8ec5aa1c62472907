"""Every export carries each design's servers and load, its database copy layout, and shows the
degraded outcome in words and in a colour of its own."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from advisor.domain import OUTCOMES
from advisor.exports import Comparison, DesignColumn, render
from advisor.exports.to_pdf import OUTCOME_FILLS
from advisor.exports.to_xlsx import OUTCOME_COLOURS


def design(comparison: Comparison, architecture: str) -> DesignColumn:
    return next(d for d in comparison.designs if d.architecture == architecture)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_pages(comparison: Comparison) -> list[str]:
    reader = PdfReader(io.BytesIO(render("pdf", comparison).content))
    return [flat(page.extract_text()) for page in reader.pages]


def design_text(pages: list[str], column: DesignColumn) -> str:
    """The pages of one design's section, from its title to the next section's."""
    title = f"{column.label}: {column.architecture} —"
    start = next(i for i, page in enumerate(pages) if title in page)
    end = next(
        (
            i
            for i in range(start + 1, len(pages))
            if re.search(r"Option [A-Z]: \S+ —|Price basis and", pages[i])
        ),
        len(pages),
    )
    return " ".join(pages[start:end])


def test_the_comparison_carries_the_responses_servers_and_copy_layout(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    for column, report in zip(six.designs, six_response["recommendations"], strict=True):
        assert [s.name for s in column.servers] == [s["name"] for s in report["servers"]]
        assert [s.worst_failure.active_mailboxes for s in column.servers] == [
            s["worst_failure"]["active_mailboxes"] for s in report["servers"]
        ]
        assert [
            (db.database, [(c.server, c.preference) for c in db.copies]) for db in column.copy_layout
        ] == [
            (db["database"], [(c["server"], c["preference"]) for c in db["copies"]])
            for db in report["copy_layout"]
        ]


def test_the_json_export_gives_each_server_failures_load_as_the_response_does(
    six: Comparison, six_response: dict[str, Any]
) -> None:
    data = json.loads(render("json", six).content)
    for exported, report in zip(data["designs"], six_response["recommendations"], strict=True):
        assert [s.get("load") for s in exported["failure_scenarios"]] == [
            s.get("load") for s in report["failure_scenarios"]
        ]
    scenarios = {s["component"]: s for s in data["designs"][1]["failure_scenarios"]}
    assert scenarios["ex-1"]["load"]["ex-2"]["active_mailboxes"] == 300
    assert "load" not in scenarios["witness"]


def test_each_pdf_design_section_has_its_servers_and_load_and_copy_layout(six: Comparison) -> None:
    pages = pdf_pages(six)
    assert sum(page.count("Servers and load") for page in pages) == len(six.designs)
    assert sum(page.count("Database copy layout") for page in pages) == len(six.designs)
    dag = design(six, "dag_only")
    text = design_text(pages, dag)
    assert "Server Model and roles Capacity Normal load After the worst failure Sizing" in text
    ex1 = text.split("Sizing ex-1 ", 1)[1]
    assert ex1.startswith("SRV-ENTRY-1S Mailbox, Client Access and Hub Transport")
    assert "150 active mailboxes CPU" in ex1 and "300 active mailboxes CPU" in ex1
    assert "when ex-2 fails within sizing" in ex1
    assert "Preference 1 is the copy that is active in normal operation" in text
    assert "For example, if ex-1 fails, db-1 and db-3 become active on ex-2." in text
    assert "Database Mailboxes Size (GB) ex-1 ex-2 db-1 75 242 1 active 2 db-2 75 242 2 1 active" in text
    assert "Total 300 968 4 copies, 2 active 4 copies, 2 active" in text


def test_the_pdf_says_degraded_and_how_far_a_server_runs_past_its_sizing(degraded: Comparison) -> None:
    pages = pdf_pages(degraded)
    text = design_text(pages, design(degraded, "dag_cas_array_single_lb"))
    assert "degraded: stays up but slow: a surviving server runs past its sizing" in text
    assert re.search(
        r"ex-2 Exchange server ex-2 \(Mailbox, Client Access and Hub Transport\) degraded degraded", text
    )
    assert "PAST SIZING memory at 139% of its sizing (44.4 of 32 GB) when ex-2 fails" in text


def test_the_pdf_fills_a_degraded_cell_with_a_colour_of_its_own(degraded: Comparison) -> None:
    assert set(OUTCOME_FILLS) == set(OUTCOMES)
    assert len({fill.hexval() for fill in OUTCOME_FILLS.values()}) == len(OUTCOMES)
    fill = OUTCOME_FILLS["degraded"]
    operator = f"{fill.red:g} {fill.green:g} {fill.blue:g} rg".encode()
    reader = PdfReader(io.BytesIO(render("pdf", degraded).content))
    streams = b"".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]
    numbers = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", streams)
    assert any(
        all(
            abs(float(got) - want) < 1e-3
            for got, want in zip(found, (fill.red, fill.green, fill.blue), strict=True)
        )
        for found in numbers
    ), operator


@pytest.fixture(scope="module")
def degraded_book(degraded: Comparison) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render("xlsx", degraded).content))


def sheet_of(column: DesignColumn) -> str:
    return f"{column.label.removeprefix('Option ')} {column.architecture}"


def block(
    book: openpyxl.Workbook, column: DesignColumn, title: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A titled table of a design sheet: its header and its rows, up to the blank row after it."""
    sheet = book[sheet_of(column)]
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == title)
    header = next(i for i in range(at + 1, len(rows)) if rows[i][0] in ("Server", "Database"))
    end = next((i for i in range(header + 1, len(rows)) if not any(rows[i])), len(rows))
    width = len([v for v in rows[header] if v is not None])
    return [str(v) for v in rows[header][:width]], [r[:width] for r in rows[header + 1 : end]]


def test_each_design_sheet_has_its_servers_capacity_and_load_marked_past_sizing(
    degraded_book: openpyxl.Workbook, degraded: Comparison
) -> None:
    column = design(degraded, "dag_cas_array_single_lb")
    head, rows = block(degraded_book, column, "Servers and load")
    assert head == [
        "Server",
        "Measure",
        "Capacity",
        "Normal",
        "After the worst failure",
        "Server failed",
        "Within capacity",
        "Notes",
    ]
    ex1 = {r[1]: dict(zip(head, r, strict=True)) for r in rows if r[0] == "ex-1"}
    server = column.servers[0]
    assert ex1["Active mailboxes"]["Capacity"] == server.capacity.mailboxes
    assert (ex1["Active mailboxes"]["Normal"], ex1["Active mailboxes"]["After the worst failure"]) == (
        500,
        1000,
    )
    assert ex1["Memory (GB)"]["Capacity"] == 32
    assert ex1["Memory (GB)"]["After the worst failure"] == pytest.approx(44.4)
    assert ex1["Memory (GB)"]["Within capacity"] == "no" and ex1["Disk IOPS"]["Within capacity"] == "yes"
    assert {r["Server failed"] for r in ex1.values()} == {"ex-2"}
    assert ex1["Active mailboxes"]["Notes"] == (
        "SRV-ENTRY-1S: Mailbox, Client Access and Hub Transport. "
        "PAST SIZING: memory at 139% of its sizing (44.4 of 32 GB) when ex-2 fails"
    )
    assert len(rows) == 6 * len(column.servers)


def test_the_seed_sized_servers_are_within_their_capacity(six: Comparison) -> None:
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", six).content))
    column = design(six, "dag_only")
    head, rows = block(book, column, "Servers and load")
    mailboxes = {r[0]: dict(zip(head, r, strict=True)) for r in rows if r[1] == "Active mailboxes"}
    assert {name: (r["Normal"], r["After the worst failure"]) for name, r in mailboxes.items()} == {
        "ex-1": (150, 300),
        "ex-2": (150, 300),
    }
    assert mailboxes["ex-1"]["Server failed"] == "ex-2"
    assert all(r[6] == "yes" for r in rows)


def test_each_design_sheet_has_its_copy_layout_grid(
    degraded_book: openpyxl.Workbook, degraded: Comparison, six: Comparison
) -> None:
    column = design(degraded, "dag_cas_array_single_lb")
    head, rows = block(degraded_book, column, "Database copy layout")
    assert head == ["Database", "Copies by activation preference", "Mailboxes", "Size (GB)", "ex-1", "ex-2"]
    grid = {r[0]: r for r in rows}
    assert grid["db-1"] == ("db-1", "ex-1 (1, active), ex-2 (2)", 250, 172.2, 1, 2)
    assert grid["db-2"][4:] == (2, 1)
    assert grid["Total"][2:] == (1000, 688.8, "4 copies, 2 active", "4 copies, 2 active")
    sheet = degraded_book[sheet_of(column)]
    texts = [c for r in sheet.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert any("Preference 1 is the copy that is active in normal operation" in t for t in texts)
    book = openpyxl.load_workbook(io.BytesIO(render("xlsx", six).content))
    head, rows = block(book, design(six, "single_server"), "Database copy layout")
    assert head[4:] == ["ex-1"] and [r[4] for r in rows[:-1]] == [1, 1, 1, 1]


def test_a_degraded_scenario_cell_says_degraded_on_a_fill_of_its_own(
    degraded_book: openpyxl.Workbook,
) -> None:
    assert set(OUTCOME_COLOURS) == set(OUTCOMES)
    sheet = degraded_book["Scenarios"]
    head = [c.value for c in sheet[1]]
    outlook = head.index("Outlook")
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if (r[1].value, r[2].value) == ("dag_cas_array_single_lb", "ex-1")
    )
    assert row[outlook].value == "degraded"
    assert row[outlook].fill.fgColor.rgb == "FF" + OUTCOME_COLOURS["degraded"].lstrip("#")
    survivors = row[head.index("Load on the surviving servers")].value
    assert survivors.startswith("ex-2 then carries 1,000 active mailboxes")
    assert "past its sizing: memory at 139%" in survivors


def test_the_csv_summary_has_each_designs_server_load(six: Comparison, degraded: Comparison) -> None:
    rows = {
        r[0]: r[1:] for r in csv.reader(io.StringIO(render("csv-summary", six).content.decode("utf-8-sig")))
    }
    dag = [d.architecture for d in six.designs].index("dag_only")
    assert rows["server_load"][dag] == (
        "ex-1: 150 active mailboxes normally, 300 when ex-2 fails (within sizing); "
        "ex-2: 150 active mailboxes normally, 300 when ex-1 fails (within sizing)"
    )
    rows = {
        r[0]: r[1:]
        for r in csv.reader(io.StringIO(render("csv-summary", degraded).content.decode("utf-8-sig")))
    }
    lb = [d.architecture for d in degraded.designs].index("dag_cas_array_single_lb")
    assert rows["server_load"][lb].count("(PAST SIZING)") == 2


def _drawn(column: DesignColumn) -> list[str]:
    from reportlab.graphics.shapes import String

    from advisor.exports.diagram import design_diagram
    from advisor.exports.to_pdf import fonts

    return [s.text for s in design_diagram(column, fonts()).contents if isinstance(s, String)]


def test_the_pdf_diagram_draws_each_virtual_unit_on_its_host(six: Comparison) -> None:
    pair = design(six, "dag_cas_array_lb_pair")
    assert pair.design.load_balancer_model == "LB-VIRTUAL"
    texts = _drawn(pair)
    assert {"host hv-1", "host hv-2", "lb-1", "lb-2", "HA pair, one virtual IP"} <= set(texts)
    assert texts.count("load balancer active") == 1 and texts.count("load balancer standby") == 1
    assert "hv-1" not in texts  # a host is the frame around its unit, not a load balancer of its own


def test_the_pdf_diagram_marks_a_lone_host_as_a_single_point_of_failure(six: Comparison) -> None:
    single = design(six, "dag_cas_array_single_lb")
    assert "hv-1" in {s.component for s in single.single_points_of_failure}
    assert "host hv-1: SPOF" in _drawn(single)
