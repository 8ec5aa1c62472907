"""The `advisor` command as a user runs it: output, exit status and error lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from advisor.cli import build_parser, main
from tests.conftest import EXAMPLES, euros_on_a_wrong_pair, make_request


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def write(tmp_path: Path, data: Any, name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_recommend_prints_only_the_response_json_on_standard_output(tmp_path: Path) -> None:
    result = run("recommend", write(tmp_path, make_request()))
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["recommendations"][0]["rank"] == 1
    assert "HiGHS" not in result.stdout.split("{", 1)[0]


def test_recommend_reads_standard_input_given_a_dash() -> None:
    result = run("recommend", "-", stdin=json.dumps(make_request()))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["weighed"]) == 6


def test_analyze_answers_the_seed_case() -> None:
    result = run("analyze", str(EXAMPLES / "seed-dag-only.json"))
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert analysis["architecture"] == "dag_only"
    assert [s["component"] for s in analysis["single_points_of_failure"]] == ["ex-1", "site-1"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "request.json: not valid JSON"),
        (json.dumps(make_request(mailboxes=-3)), "mailboxes:"),
        (json.dumps(make_request(goals=[{"failure": "meteor", "services": ["owa"]}])), "goals.0.failure:"),
        (json.dumps(make_request(catalog="nope")), "catalog: unknown catalog 'nope'"),
        (json.dumps([1]), "(body): must be a JSON object"),
    ],
)
def test_bad_input_exits_2_with_a_line_naming_the_field_and_nothing_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    assert main(["recommend", write(tmp_path, content)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert expected in err
    assert all(line.startswith("advisor: ") for line in err.strip().splitlines())


def test_every_problem_gets_its_own_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = make_request(mailboxes="many", horizon_years=99, surprise=True)
    assert main(["recommend", write(tmp_path, bad)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert {line.split(":")[1].strip() for line in lines} == {"mailboxes", "horizon_years", "surprise"}


@pytest.mark.parametrize("command", ["recommend", "analyze"])
def test_a_body_with_a_schema_problem_is_also_told_its_exchange_does_not_run_on_its_windows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    bad = make_request(
        exchange={"version": "2019"}, windows={"version": "2008R2"}, storage="jbod", database_copies=2
    )
    if command == "analyze":
        bad = {k: v for k, v in bad.items() if k not in ("budget", "goals", "objective", "alternatives")}
        bad["architecture"] = "dag_only"
    assert main([command, write(tmp_path, bad)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    fields = [line.split(":")[1].strip() for line in lines]
    assert fields == ["storage", "windows.version", "exchange.version"]
    assert "Exchange 2019 does not run on Windows Server 2008 R2" in lines[1]


def test_a_wrong_pair_is_named_once_whether_or_not_the_body_has_other_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = {"exchange": {"version": "SE"}, "windows": {"version": "2012R2"}}
    assert main(["recommend", write(tmp_path, make_request(**pair))]) == 2
    alone = capsys.readouterr().err.strip().splitlines()
    assert main(["recommend", write(tmp_path, make_request(**pair, mailboxes=0))]) == 2
    with_other = capsys.readouterr().err.strip().splitlines()
    assert with_other[0].startswith("advisor: mailboxes:") and with_other[1:] == alone
    assert len(alone) == 2


def test_a_budget_in_another_currency_is_named_with_a_wrong_pair_and_other_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for other in ({}, {"mailboxes": 0}):
        assert main(["recommend", write(tmp_path, euros_on_a_wrong_pair(**other))]) == 2
        fields = [line.split(":")[1].strip() for line in capsys.readouterr().err.strip().splitlines()]
        assert fields == [*other, "budget.currency", "windows.version", "exchange.version"]


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "/nonexistent/request.json"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_an_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["recommend", "--frobnicate", "x.json"])
    assert caught.value.code == 2
    assert capsys.readouterr().out == ""


def test_write_lp_writes_each_architectures_model_with_named_constraints(tmp_path: Path) -> None:
    out = tmp_path / "models"
    result = run("recommend", write(tmp_path, make_request()), "--write-lp", str(out))
    assert result.returncode == 0, result.stderr
    written = {p.stem for p in out.glob("*.lp")}
    assert written == {
        "single_server",
        "dag_only",
        "dag_cas_array_dns",
        "dag_cas_array_single_lb",
        "dag_cas_array_lb_pair",
        "dedicated_cas_wnlb",
    }
    text = (out / "dag_cas_array_lb_pair.lp").read_text()
    for name in (
        "choose_one_design",
        "budget_upfront",
        "one_load_balancer_model",
        "cpu_within_ceiling_through_failures_n2_m0_dc0_",
        "memory_through_failures_n2_m0_dc0_",
        "disk_iops_through_failures_n2_m0_dc0_",
        "disks_fit_the_bays_n2_m0_dc0_",
        "mounted_database_limit_n2_m0_dc0_",
        "one_server_platform_n2_m0_dc0_",
        "design_n2_m0_dc0_",
        "Minimize",
    ):
        assert name in text
    assert "__dummy" not in text, "the model is written with its objective"


def test_the_cbc_solver_can_be_chosen(tmp_path: Path) -> None:
    result = run("recommend", write(tmp_path, make_request()), "--solver", "cbc")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["solver"]["name"] == "CBC"


def test_catalog_check_accepts_the_shipped_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check"]) == 0
    assert "is valid" in capsys.readouterr().out


def test_catalog_check_prints_every_problem_with_file_item_and_field(
    catalog_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hardware = catalog_copy / "hardware.toml"
    hardware.write_text(hardware.read_text().replace("price = 5800.00", 'price = "cheap"'))
    assert main(["catalog", "check", str(catalog_copy)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "hardware.toml: server[2] (SRV-MID-2S): price: Not a valid number." in err


def test_a_planners_own_catalog_prices_the_quote(
    catalog_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = catalog_copy / "catalog.toml"
    header.write_text(header.read_text().replace('id = "default"', 'id = "contoso"'))
    licences = catalog_copy / "licences.toml"
    r2_enterprise = 'sku = "WS2008R2-ENT"\ndescription = "Windows Server 2008 R2 Enterprise, per server"\n'
    text = licences.read_text()
    assert r2_enterprise + "price = 3999.00" in text
    licences.write_text(text.replace(r2_enterprise + "price = 3999.00", r2_enterprise + "price = 1999.00"))
    result = run("recommend", write(tmp_path, make_request()), "--catalog", str(catalog_copy))
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["catalog"]["id"] == "contoso"
    lines = [line for r in response["recommendations"] for line in r["bill_of_materials"]]
    assert {line["unit_price"] for line in lines if line["sku"] == "WS2008R2-ENT"} == {1999.0}
    monkeypatch.setenv("ADVISOR_CATALOG", str(catalog_copy))
    from_env = run("recommend", write(tmp_path, make_request()))
    assert json.loads(from_env.stdout)["catalog"]["id"] == "contoso"


def test_a_broken_own_catalog_exits_2(catalog_copy: Path, tmp_path: Path) -> None:
    (catalog_copy / "rules.toml").write_text("nonsense = [")
    result = run("recommend", write(tmp_path, make_request()), "--catalog", str(catalog_copy))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "rules.toml" in result.stderr


def test_the_help_names_every_command() -> None:
    text = build_parser().format_help()
    for command in ("recommend", "analyze", "catalog", "serve"):
        assert command in text


def test_recommend_writes_a_pdf_quote_comparison_to_the_output_file(tmp_path: Path) -> None:
    target = tmp_path / "quote.pdf"
    result = run("recommend", write(tmp_path, make_request()), "--format", "pdf", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert target.read_bytes().startswith(b"%PDF")


def test_recommend_prints_a_csv_quote_to_standard_output(tmp_path: Path) -> None:
    result = run("recommend", write(tmp_path, make_request()), "--format", "csv-summary")
    assert result.returncode == 0, result.stderr
    assert "dag_cas_array_single_lb" in result.stdout


def test_a_binary_export_without_an_output_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["recommend", write(tmp_path, make_request()), "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--output" in err


def test_picking_an_architecture_with_no_design_exits_2_naming_the_pick(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = make_request(windows={"version": "2008R2", "edition": "standard"})
    assert main(["recommend", write(tmp_path, request), "--format", "csv", "--pick", "dag_only"]) == 2
    assert "picks.0" in capsys.readouterr().err


def test_a_cheaper_design_that_misses_a_required_goal_can_be_put_beside_the_recommendations(
    tmp_path: Path,
) -> None:
    result = run(
        "recommend",
        write(tmp_path, make_request()),
        "--format",
        "csv-summary",
        "--pick",
        "dag_cas_array_lb_pair",
        "--pick",
        "dag_only",
    )
    assert result.returncode == 0, result.stderr
    assert "dag_only" in result.stdout and "ex-1" in result.stdout


def test_db_upgrade_creates_the_sqlite_database_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADVISOR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert "schema at revision 0002" in capsys.readouterr().out  # the head: 0002 added accounts
    assert (tmp_path / "instance" / "advisor.sqlite3").exists()


def test_db_upgrade_of_a_corrupt_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 200)
    assert main(["db", "upgrade", "--database-url", f"sqlite:///{bad}"]) == 2
    assert "file is not a database" in capsys.readouterr().err


def test_a_lone_surrogate_in_a_request_file_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = write(tmp_path, json.dumps(make_request(project={"name": "Mail \ud800"})))

    assert main(["recommend", request, "--format", "csv"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("advisor: project.name: holds a lone UTF-16 surrogate")


def test_a_request_file_with_a_byte_order_mark_is_read_as_the_json_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(make_request()).encode())

    assert main(["recommend", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["recommendations"]


@pytest.mark.parametrize("kind", ["invalid UTF-8", "fifo", "link to /dev/zero"])
@pytest.mark.parametrize(
    "command",
    [("catalog", "check", "{catalog}"), ("recommend", "{request}", "--catalog", "{catalog}"), ("serve",)],
)
def test_a_catalog_file_that_is_not_a_text_file_exits_2_with_one_line_and_no_traceback(
    catalog_copy: Path, tmp_path: Path, kind: str, command: tuple[str, ...]
) -> None:
    from tests.unit.test_catalog import break_file

    break_file(catalog_copy, kind)
    request = write(tmp_path, make_request())
    args = [part.format(catalog=catalog_copy, request=request) for part in command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env |= {"ADVISOR_CATALOG": str(catalog_copy), "ADVISOR_INSTANCE_PATH": str(tmp_path / "instance")}
    if command[0] == "serve":
        args += ["--port", "1"]  # never reached: the catalog stops it first

    # A hang would run into the timeout (TimeoutExpired); the answer comes at once.
    result = subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, timeout=60, env=env
    )

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    problem_lines = [line for line in result.stderr.splitlines() if "support.toml" in line]
    assert len(problem_lines) == 1, result.stderr


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    result = run("--version")

    assert result.returncode == 0
    assert result.stdout.strip() == f"advisor {version('exchange-ha-advisor')}"


def test_a_file_that_is_not_json_is_named_by_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, '{"budget": {"amount": 1},\n "goals": [}', name="broken.json")

    assert main(["analyze", path]) == 2

    assert capsys.readouterr().err == (
        f"advisor: {path}: not valid JSON: Expecting value at line 2 column 12\n"
    )


def test_an_analyze_input_given_to_recommend_suggests_analyze(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(EXAMPLES / "seed-dag-only.json")

    assert main(["recommend", path]) == 2

    err = capsys.readouterr().err
    assert f"run `advisor analyze {path}`" in err
    assert all(line.startswith("advisor: ") for line in err.splitlines())


def test_a_recommend_input_given_to_analyze_suggests_recommend(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "contoso-owns-cals.json")

    assert main(["analyze", path]) == 2

    assert f"run `advisor recommend {path}`" in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["0", "-1", "nan", "inf", "soon"])
def test_a_time_limit_that_is_not_a_positive_number_of_seconds_exits_2(limit: str) -> None:
    result = run("recommend", str(EXAMPLES / "contoso-owns-cals.json"), "--time-limit", limit)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "--time-limit" in result.stderr and "seconds" in result.stderr


def test_recommend_given_several_files_says_it_takes_one_with_its_own_usage() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.json"))

    result = run("recommend", *files)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: advisor recommend ")
    assert "one FILE at a time" in result.stderr


def test_an_unknown_option_of_a_command_shows_that_commands_usage() -> None:
    result = run("analyze", str(EXAMPLES / "seed-dag-only.json"), "--frobnicate")

    assert result.returncode == 2
    assert result.stderr.startswith("usage: advisor analyze ")
    assert "--frobnicate" in result.stderr


def test_a_request_nothing_meets_says_on_standard_error_what_the_minimum_budget_is() -> None:
    result = run("recommend", str(EXAMPLES / "small-business.json"))

    assert result.returncode == 0
    assert json.loads(result.stdout)["recommendations"] == []
    assert result.stderr == (
        "advisor: nothing is recommended: no design meets every required goal within 30,000.00 USD "
        "upfront; the least one that does costs 38,286.00 USD upfront (dag_cas_array_single_lb)\n"
        "advisor: warning: Exchange Server 2010 is out of support since 2020-10-13 "
        "(rule lifecycle.support)\n"
        "advisor: warning: Windows Server 2008 R2 is out of support since 2020-01-14 "
        "(rule lifecycle.support)\n"
    )


def test_a_request_no_design_can_meet_at_any_budget_says_so_on_standard_error(tmp_path: Path) -> None:
    impossible = make_request(goals=[{"failure": "site", "services": ["outlook"]}])

    result = run("recommend", write(tmp_path, impossible))

    assert result.returncode == 0
    assert json.loads(result.stdout)["minimum_budget"] is None
    assert "no design meets every required goal at any budget" in result.stderr


def test_the_time_limit_bounds_all_the_solves_of_a_run_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.api.test_admission import slow_solver

    slow_solver(monkeypatch, 0.05)  # max_goals: two solves of 0.05 s, each within 0.08 s
    request = write(tmp_path, make_request(objective="max_goals"))

    assert main(["recommend", request, "--time-limit", "0.08"]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    # Each solve alone fits in 0.08 s: the run fails because they share it (the second solve
    # either starts with too little left and stops at its limit, or finds nothing left).
    assert err in (
        "advisor: solver: the solver reached its 0.08 s time limit before proving the best design\n",
        "advisor: solver: the 0.08 s time limit was used up before the solver could finish\n",
    )


@pytest.mark.parametrize(
    ("exchange", "windows", "ended"),
    [
        ("2010", "2008R2", ["Exchange Server 2010 is out of support", "Windows Server 2008 R2 is"]),
        ("2016", "2016", ["Exchange Server 2016 is out of support since 2025-10-14"]),
        ("SE", "2025", []),
    ],
)
def test_recommend_warns_on_standard_error_of_products_out_of_support_and_stdout_stays_json(
    tmp_path: Path, exchange: str, windows: str, ended: list[str]
) -> None:
    request = make_request(exchange={"version": exchange}, windows={"version": windows})
    result = run("recommend", write(tmp_path, {**request, "budget": {"amount": 10**6}}))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendations"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("advisor: warning:")]
    assert len(warnings) == len(ended), result.stderr
    assert all(any(words in line for line in warnings) for words in ended), result.stderr
    assert all(line.endswith("(rule lifecycle.support)") for line in warnings)
    exported = run("recommend", write(tmp_path, {**request, "budget": {"amount": 10**6}}), "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    assert ("advisor: warning:" in exported.stderr) is bool(ended)


def test_analyze_warns_on_standard_error_when_the_design_is_out_of_support(tmp_path: Path) -> None:
    result = run("analyze", str(EXAMPLES / "seed-dag-only.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["lifecycle"][0]["supported"] is False
    assert "advisor: warning: Exchange Server 2010 is out of support since 2020-10-13" in result.stderr
    se = {
        "architecture": "dag_lb_pair",
        "exchange": {"version": "SE"},
        "windows": {"version": "2025", "edition": "standard"},
        "design": {"exchange_servers": 2},
    }
    answer = run("analyze", write(tmp_path, se))
    assert answer.returncode == 0, answer.stderr
    assert all(entry["supported"] for entry in json.loads(answer.stdout)["lifecycle"])
    assert "warning" not in answer.stderr
