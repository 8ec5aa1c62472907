"""`advisor users`: add, list, revoke accounts, give one a new token or a web password."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.domain import AccountExists, AccountNotFound, FieldProblem, InvalidInput, StorageError

if TYPE_CHECKING:
    from advisor.accounts import Accounts
    from advisor.storage import ScenarioStore

EXIT_OK, EXIT_USAGE = 0, 2
HELP = "accounts for ADVISOR_AUTH=tokens"
DESCRIPTION = (
    "Accounts of the service, in its database ($ADVISOR_DATABASE_URL, or the SQLite file in the "
    "instance folder, as `advisor serve` uses). A token is printed once, alone on standard output, "
    "and kept only as a hash: store it where you keep secrets."
)


def add_parser(sub: argparse._SubParsersAction[Any], parser_class: type[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help=HELP, description=DESCRIPTION)
    users_sub: argparse._SubParsersAction[Any] = users.add_subparsers(
        dest="users_command", required=True, metavar="SUBCOMMAND", parser_class=parser_class
    )

    def command(name: str, help_text: str, description: str, named: bool = True) -> None:
        p = users_sub.add_parser(name, help=help_text, description=description)
        if named:
            p.add_argument("name", metavar="NAME", help="the account's name")
        p.add_argument("--database-url", metavar="URL", help="the database (default: $ADVISOR_DATABASE_URL)")

    command(
        "add",
        "create an account and print its API token",
        "Create an account NAME (1 to 64 letters, digits and . _ @ -) and print its API token alone "
        "on standard output.",
    )
    command("list", "list the accounts", "One line per account: name, status, created, password.", False)
    command(
        "revoke",
        "revoke an account's token and password",
        "The account's token and password stop working at once (its web sessions end); its saved "
        "scenarios stay its own and their share links keep working. `users token` makes it active again.",
    )
    command(
        "token",
        "print a new API token for an account",
        "Replace the account's API token (the old one stops working, and its web sessions end) and "
        "print the new one alone on standard output.",
    )
    command(
        "claim",
        "give the scenarios saved before accounts to an account",
        "Scenarios saved while ADVISOR_AUTH was off belong to no account, so with tokens only their "
        "share links reach them: give them all to NAME.",
    )
    command(
        "password",
        "set the password an account signs in to the web pages with",
        "Read a password (12 to 1024 characters) from the terminal, asked twice, or the first line of "
        "standard input when it is not a terminal; kept as a salted scrypt hash.",
    )


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != first:
            raise InvalidInput([FieldProblem("password", "the two passwords typed differ")])
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _store(url: str | None) -> ScenarioStore:
    from advisor.storage import configured_url, open_store

    return open_store(url or configured_url())


def run(args: argparse.Namespace) -> int:
    """The exit status of `advisor users SUBCOMMAND`."""
    from advisor.accounts import Accounts

    try:
        store = _store(args.database_url)
        if args.users_command == "claim":
            _claim(store, args)
        else:
            ACTIONS[args.users_command](Accounts(store.accounts), args)
    except (AccountExists, AccountNotFound, StorageError) as err:
        print(f"advisor: users: {err}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidInput as err:
        for problem in err.problems:
            print(f"advisor: users: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _add(accounts: Accounts, args: argparse.Namespace) -> None:
    _, token = accounts.add(args.name)
    print(token)


def _list(accounts: Accounts, args: argparse.Namespace) -> None:
    for account in accounts.list():
        status = "active" if account.active else "revoked"
        created = account.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        password = "password" if account.has_password else "no password"
        print(f"{account.name}\t{status}\t{created}\t{password}")


def _revoke(accounts: Accounts, args: argparse.Namespace) -> None:
    accounts.revoke(args.name)
    print(f"advisor: users: {args.name} revoked: its token and password no longer work", file=sys.stderr)


def _token(accounts: Accounts, args: argparse.Namespace) -> None:
    was_active = accounts.store.credentials(args.name).account.active
    _, token = accounts.new_token(args.name)
    if not was_active:
        print(f"advisor: users: {args.name} was revoked and is active again with this token", file=sys.stderr)
    print(token)


def _password(accounts: Accounts, args: argparse.Namespace) -> None:
    accounts.store.credentials(args.name)  # an unknown name is said before a password is asked for
    accounts.set_password(args.name, _read_password())
    print(f"advisor: users: {args.name} can now sign in with the password", file=sys.stderr)


def _claim(store: ScenarioStore, args: argparse.Namespace) -> None:
    account = store.accounts.credentials(args.name).account
    given = store.give_unowned(account.id)
    print(f"advisor: users: gave {given} scenario(s) saved without accounts to {args.name}", file=sys.stderr)


ACTIONS: dict[str, Callable[[Accounts, argparse.Namespace], None]] = {
    "add": _add,
    "list": _list,
    "revoke": _revoke,
    "token": _token,
    "password": _password,
}
