"""The `advisor` command: recommend, analyze, catalog check and serve."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from advisor import jsontext
from advisor.catalog.errors import InvalidCatalog
from advisor.catalog.registry import ENV_CATALOG, CatalogRegistry, shipped_catalogs_dir
from advisor.domain import SOLVERS, FieldProblem, InvalidInput, LifecycleReport, SolverFailed, UnknownCatalog

if TYPE_CHECKING:
    from advisor.service import Advisor

T = TypeVar("T")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# The export formats, listed here so `--help` needs no import of the renderers.
EXPORT_FORMATS = ("json", "csv", "csv-summary", "xlsx", "pdf")

DESCRIPTION = """\
Exchange HA design-cost advisor: which Exchange high-availability architecture to buy for a
budget, what it costs line by line, and which single points of failure remain.
"""
EPILOG = f"""\
environment:
  {ENV_CATALOG}=PATH   use your own price book (a catalog folder) as the default catalog
  ADVISOR_DATABASE_URL   saved scenarios in this database (default: SQLite in the instance folder)
  ADVISOR_INSTANCE_PATH  the instance folder (default: instance/ beside the package)
  ADVISOR_HOST, ADVISOR_PORT, ADVISOR_WORKERS   defaults for `advisor serve`
  ADVISOR_AUTH=tokens|off   accounts (`advisor users`); needed to serve beyond loopback

exit status: 0 success, 1 the solver failed, 2 bad input (one line per problem on stderr)
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exchange-ha-advisor")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


class _Version(argparse.Action):
    """--version, whose package metadata is read (and imported) only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        sys.stdout.write(f"advisor {_version()}\n")
        parser.exit()


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="advisor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show program's version number and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def catalog_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--catalog",
            metavar="PATH",
            type=Path,
            help=f"a catalog folder to price from (default: ${ENV_CATALOG} or the shipped one)",
        )

    rec = sub.add_parser(
        "recommend",
        help="recommend the best designs for a request (JSON)",
        description="Weigh every architecture for the request in FILE and print the response JSON.",
    )
    rec.add_argument("file", metavar="FILE", help="request JSON file, or - for standard input")
    catalog_option(rec)
    rec.add_argument(
        "--solver", choices=SOLVERS, default="highs", help="MILP solver: HiGHS in process (default) or CBC"
    )
    rec.add_argument(
        "--time-limit",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="seconds the run's solves may take in all, above 0 (default 10)",
    )
    rec.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        metavar="FORMAT",
        help="write a quote comparison instead of the response JSON: " + ", ".join(EXPORT_FORMATS),
    )
    rec.add_argument(
        "--output",
        metavar="PATH",
        type=Path,
        help="file for --format (needed for xlsx and pdf; text formats default to standard output)",
    )
    rec.add_argument(
        "--pick",
        action="append",
        metavar="ARCHITECTURE",
        dest="picks",
        help="compare this architecture's best design (repeatable; default: the recommendations)",
    )
    rec.add_argument("--paper", choices=("A4", "Letter"), default="A4", help="PDF and XLSX paper size")
    rec.add_argument(
        "--write-lp",
        metavar="DIR",
        type=Path,
        help="write each architecture's model as DIR/<architecture>.lp",
    )

    ana = sub.add_parser(
        "analyze",
        help="cost and failure analysis of one concrete design",
        description="Print what the design in FILE costs and survives, without optimising.",
    )
    ana.add_argument("file", metavar="FILE", help="design JSON file, or - for standard input")
    catalog_option(ana)

    cat = sub.add_parser("catalog", help="catalog commands")
    cat_sub = cat.add_subparsers(
        dest="catalog_command", required=True, metavar="SUBCOMMAND", parser_class=_Parser
    )
    check = cat_sub.add_parser(
        "check",
        help="validate a catalog folder",
        description="Validate a catalog and print every problem with its file, item and field.",
    )
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        metavar="PATH",
        help="catalog folder (default: the shipped default catalog)",
    )

    db = sub.add_parser("db", help="saved-scenario database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND", parser_class=_Parser)
    up = db_sub.add_parser(
        "upgrade",
        help="create or migrate the database",
        description="Apply every migration not yet applied to the saved-scenario database "
        "($ADVISOR_DATABASE_URL, or the SQLite file in the instance folder).",
    )
    up.add_argument(
        "--database-url", metavar="URL", help="database to migrate (default: $ADVISOR_DATABASE_URL)"
    )

    from advisor import cli_users

    cli_users.add_parser(sub, _Parser)

    serve = sub.add_parser("serve", help="run the web service (gunicorn)")
    serve.add_argument("--host", help="address to bind (default: $ADVISOR_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $ADVISOR_PORT or 8000)")
    serve.add_argument(
        "--workers", type=int, help="gunicorn worker processes (default: $ADVISOR_WORKERS or 2)"
    )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="run Flask's development server instead of gunicorn (never in production)",
    )
    return parser


def _read_json(file: str) -> Any:
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as err:
        raise InvalidInput([_problem("FILE", f"cannot read {file}: {err.strerror}")]) from None
    try:
        text = jsontext.decode_utf8(raw, file)
    except jsontext.NotJson:
        raise InvalidInput([_problem("FILE", f"{file} is not UTF-8 text")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        where = "standard input" if file == "-" else file
        raise InvalidInput(
            [_problem(where, f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}")]
        ) from None
    except RecursionError:
        raise InvalidInput([_problem(file, "not valid JSON: it nests too deeply")]) from None
    problems = jsontext.check_text(data, text)
    if problems:
        raise InvalidInput(problems)
    return data


def _problem(field: str, message: str) -> FieldProblem:
    return FieldProblem(field, message)


def _advisor(catalog: Path | None) -> Advisor:
    from advisor.service import Advisor

    return Advisor(CatalogRegistry(catalog))


def _parsed(parse: Callable[[Any], T], data: Any, advisor: Advisor) -> T:
    """`parse(data)`; its problems, when it has some, with what the catalog says of the body's
    budget currency and its Exchange and Windows versions, so one run names them all."""
    from advisor.schemas import with_catalog_problems

    try:
        return parse(data)
    except InvalidInput as err:
        raise InvalidInput(with_catalog_problems(err.problems, data, advisor.catalog_problems)) from None


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the (sub)command given, whose usage an error about its arguments shows."""
    found = parser
    nested = (
        getattr(args, "catalog_command", None)
        or getattr(args, "db_command", None)
        or getattr(args, "users_command", None)
    )
    for name in (args.command, nested):
        subs = [a for a in found._actions if isinstance(a, argparse._SubParsersAction)]
        if name is None or not subs:
            break
        found = subs[0].choices[name]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    extra_files = [u for u in unknown if not u.startswith("-")]
    if extra_files == unknown and extra_files and getattr(args, "file", None) is not None:
        files = [args.file, *extra_files]
        _command_parser(parser, args).error(
            f"give one FILE at a time, not {len(files)} ({', '.join(files)}): "
            f"run `advisor {args.command}` once per file"
        )
    if unknown:
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        if args.command == "recommend":
            advisor = _advisor(args.catalog)
            advisor.solver = args.solver
            advisor.time_limit = args.time_limit
            data = _read_json(args.file)
            from advisor.optimizer.solve import time_budget

            with _suggesting(args.command, args.file, data), time_budget(args.time_limit):
                if args.format:
                    return _export(advisor, args, data)
                from advisor.contract.responses import dump_recommendations
                from advisor.schemas import parse_request

                parsed = _parsed(parse_request, data, advisor)
                out = dump_recommendations(advisor.recommend(parsed, write_lp=args.write_lp))
            _say_when_nothing_is_recommended(out, data)
            _warn_out_of_support(advisor.lifecycle(parsed))  # whatever is recommended, or nothing
        elif args.command == "analyze":
            data = _read_json(args.file)
            from advisor.contract.responses import dump_analysis
            from advisor.schemas import parse_analysis

            with _suggesting(args.command, args.file, data):
                advisor = _advisor(args.catalog)
                report = advisor.analyze(_parsed(parse_analysis, data, advisor))
                out = dump_analysis(report)
            _warn_out_of_support(report.lifecycle)
        elif args.command == "catalog":
            return _check(args.path)
        elif args.command == "db":
            return _db_upgrade(args.database_url)
        elif args.command == "users":
            from advisor import cli_users

            return cli_users.run(args)
        else:
            return _serve(args)
    except InvalidInput as err:
        for problem in err.problems:
            print(f"advisor: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except UnknownCatalog as err:
        print(f"advisor: catalog: {err}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidCatalog as err:
        for p in err.problems:
            print(f"advisor: catalog {err.path}: {p}", file=sys.stderr)
        return EXIT_USAGE
    except SolverFailed as err:
        print(f"advisor: solver: {err}", file=sys.stderr)
        return EXIT_FAILED
    try:
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (`| head`) left early: not an error of ours, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


@contextmanager
def _suggesting(command: str, file: str, data: Any) -> Iterator[None]:
    """Problems showing the input is the other command's: one line saying to run that one."""
    try:
        yield
    except InvalidInput as err:
        if not isinstance(data, dict):
            raise
        if command == "recommend":
            named = next((f for f in ("architecture", "design") if f in data), None)
            hint = f"unknown field for recommend: this is an analyze input; run `advisor analyze {file}`"
            dropped = {"architecture", "design"} - {named}
        else:
            named = "architecture" if "architecture" not in data and "goals" in data else None
            hint = (
                f"missing: this looks like a recommend input; run `advisor recommend {file}`, or add "
                "an architecture (and a design) to analyze one"
            )
            dropped = set()
        if named is None:
            raise
        problems = [
            _problem(p.field, hint) if p.field == named else p for p in err.problems if p.field not in dropped
        ]
        raise InvalidInput(problems) from None


def _warn_out_of_support(support: Iterable[LifecycleReport]) -> None:
    """Designs on a product out of support say so on standard error, whether printed as JSON or
    written as a quote (the JSON has it in each design's `lifecycle` and first among its notes)."""
    for entry in support:
        if not entry.supported:
            print(
                f"advisor: warning: {entry.product} is out of support since {entry.end_of_support} "
                "(rule lifecycle.support)",
                file=sys.stderr,
            )


def _say_when_nothing_is_recommended(response: dict[str, Any], request: dict[str, Any]) -> None:
    """An empty list is a valid answer, but a person should hear why: on standard error."""
    if response["recommendations"]:
        return
    minimum = response.get("minimum_budget")
    if minimum is None:
        print(
            "advisor: nothing is recommended: no design meets every required goal at any budget; "
            "`weighed[].reasons` says why for each architecture",
            file=sys.stderr,
        )
        return
    from advisor.domain import format_money, money_to_cents

    def money(amount: float) -> str:
        return f"{format_money(money_to_cents(amount), minimum['currency'])} {minimum['applies_to']}"

    print(
        "advisor: nothing is recommended: no design meets every required goal within "
        f"{money(request['budget']['amount'])}; the least one that does costs "
        f"{money(minimum['amount'])} ({minimum['architecture']})",
        file=sys.stderr,
    )


def _export(advisor: Advisor, args: argparse.Namespace, data: Any) -> int:
    """A quote comparison file; raises InvalidInput for bad requests, picks or options."""
    from advisor.quotes import quote
    from advisor.schemas import parse_request

    if args.output is None and args.format in ("xlsx", "pdf"):
        raise InvalidInput(
            [_problem("--output", f"--format {args.format} writes a binary file: give --output PATH")]
        )
    parsed = _parsed(parse_request, data, advisor)
    rendered = quote(advisor, parsed, args.format, args.picks, paper=args.paper)
    _warn_out_of_support(advisor.lifecycle(parsed))
    if args.output is None:
        sys.stdout.buffer.write(rendered.content)
        return EXIT_OK
    try:
        args.output.write_bytes(rendered.content)
    except OSError as err:
        raise InvalidInput([_problem("--output", f"cannot write {args.output}: {err.strerror}")]) from None
    print(
        f"advisor: wrote {args.output} ({rendered.media_type}, {len(rendered.content)} bytes)",
        file=sys.stderr,
    )
    return EXIT_OK


def _db_upgrade(url: str | None) -> int:
    from advisor.storage import StorageError, configured_url, make_engine, upgrade

    target = url or configured_url()
    try:
        engine = make_engine(target)
        revision = upgrade(engine)
    except StorageError as err:
        print(f"advisor: db: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{engine.url.render_as_string(hide_password=True)}: schema at revision {revision}")
    engine.dispose()
    return EXIT_OK


def _check(path: Path | None) -> int:
    from advisor.catalog.loader import load_catalog

    folder = path or shipped_catalogs_dir() / "default"
    try:
        catalog = load_catalog(folder)
    except InvalidCatalog as err:
        for problem in err.problems:
            print(f"{folder}: {problem}", file=sys.stderr)
        print(f"{folder}: {len(err.problems)} problem(s)", file=sys.stderr)
        return EXIT_USAGE
    items = (
        len(catalog.servers)
        + len(catalog.windows)
        + len(catalog.exchange_servers)
        + len(catalog.exchange_cals)
        + len(catalog.load_balancers)
    )
    print(
        f"{folder}: catalog {catalog.id} version {catalog.version} ({catalog.currency}, as of "
        f"{catalog.as_of}) is valid: {items} priced items, {len(catalog.rules)} rules"
    )
    return EXIT_OK


SERVE_DEFAULTS = {
    "host": ("ADVISOR_HOST", "127.0.0.1"),
    "port": ("ADVISOR_PORT", "8000"),
    "workers": ("ADVISOR_WORKERS", "2"),
}


def _serve(args: argparse.Namespace) -> int:
    """Options win over ADVISOR_* variables, which win over the defaults."""
    settings: dict[str, Any] = {}
    for name, (variable, default) in SERVE_DEFAULTS.items():
        value = getattr(args, name)
        if value is None:
            text = os.environ.get(variable) or default
            if name == "host":
                value = text
            else:
                try:
                    value = int(text)
                except ValueError:
                    print(f"advisor: serve: {variable}: must be an integer, not {text!r}", file=sys.stderr)
                    return EXIT_USAGE
        settings[name] = value
    from advisor.server import serve

    return serve(settings["host"], settings["port"], settings["workers"], args.dev)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
