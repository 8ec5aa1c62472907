"""The `advisor` command: recommend, analyze, catalog check and serve."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from advisor.catalog import (
    ENV_CATALOG,
    CatalogRegistry,
    InvalidCatalog,
    load_catalog,
    shipped_catalogs_dir,
)
from advisor.domain import InvalidInput, SolverFailed, UnknownCatalog
from advisor.optimizer import SOLVERS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
Exchange HA design-cost advisor: which Exchange high-availability architecture to buy for a
budget, what it costs line by line, and which single points of failure remain.
"""
EPILOG = f"""\
environment:
  {ENV_CATALOG}=PATH   use your own price book (a catalog folder) as the default catalog
  ADVISOR_HOST, ADVISOR_PORT, ADVISOR_WORKERS   defaults for `advisor serve`

exit status: 0 success, 1 the solver failed, 2 bad input (one line per problem on stderr)
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="advisor",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        "--time-limit", type=float, default=10.0, metavar="SECONDS", help="time limit per solve (default 10)"
    )
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

    serve = sub.add_parser("serve", help="run the web service (gunicorn)")
    serve.add_argument("--host", default=os.environ.get("ADVISOR_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("ADVISOR_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("ADVISOR_WORKERS", "2")))
    return parser


def _read_json(file: str) -> Any:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except OSError as err:
        raise InvalidInput([_problem("FILE", f"cannot read {file}: {err.strerror}")]) from None
    except UnicodeDecodeError:
        raise InvalidInput([_problem("FILE", f"{file} is not UTF-8 text")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidInput(
            [_problem("(body)", f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}")]
        ) from None


def _problem(field: str, message: str) -> Any:
    from advisor.domain import FieldProblem

    return FieldProblem(field, message)


def _advisor(catalog: Path | None) -> Any:
    from advisor.service import Advisor

    return Advisor(CatalogRegistry(catalog))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "recommend":
            advisor = _advisor(args.catalog)
            advisor.solver = args.solver
            advisor.time_limit = args.time_limit
            out = advisor.recommend(_read_json(args.file), write_lp=args.write_lp)
        elif args.command == "analyze":
            out = _advisor(args.catalog).analyze(_read_json(args.file))
        elif args.command == "catalog":
            return _check(args.path)
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
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def _check(path: Path | None) -> int:
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


def _serve(args: argparse.Namespace) -> int:
    print("advisor: serve: the web service is not part of this build yet", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
