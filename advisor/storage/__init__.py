"""Saved scenarios: SQLite by default (a WAL file in the instance folder), PostgreSQL by URL."""

from __future__ import annotations

import logging
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event, func, make_url, select, text, update
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from advisor.contract.responses import dump_recommendations, load_recommendations
from advisor.domain import (
    IdempotencyConflict,
    IdempotencyKey,
    Recommendations,
    SavedScenario,
    ScenarioNotFound,
    StorageError,
)
from advisor.storage.accounts import AccountStore
from advisor.storage.models import IdempotencyRow, ScenarioRow

__all__ = [
    "AccountStore",
    "ScenarioPage",
    "ScenarioStore",
    "StorageError",
    "configured_url",
    "default_instance_path",
    "default_url",
    "new_id",
    "normalise_url",
    "open_store",
]

log = logging.getLogger("advisor.storage")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
# Any fixed number: every instance that migrates one PostgreSQL database takes the same lock.
_MIGRATION_LOCK = 0x4144_5649  # "ADVI"


def new_id() -> str:
    """128 random bits, URL-safe: unguessable, so a link is the only way to find a scenario."""
    return secrets.token_urlsafe(16)


def new_share_token() -> str:
    """256 random bits, URL-safe: the read-only share link's secret."""
    return secrets.token_urlsafe(32)


_SHARE = re.compile(r"^[A-Za-z0-9_-]{43}$")


ENV_DATABASE_URL = "ADVISOR_DATABASE_URL"
ENV_INSTANCE_PATH = "ADVISOR_INSTANCE_PATH"


def default_url(instance_path: str | Path) -> str:
    return f"sqlite:///{Path(instance_path) / 'advisor.sqlite3'}"


def default_instance_path() -> Path:
    """$ADVISOR_INSTANCE_PATH, else the project's instance/ folder (where Flask puts it too)."""
    configured = os.environ.get(ENV_INSTANCE_PATH)
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "instance"


def configured_url(instance_path: str | Path | None = None) -> str:
    """$ADVISOR_DATABASE_URL (PostgreSQL for more than one instance), else the SQLite file."""
    return os.environ.get(ENV_DATABASE_URL) or default_url(instance_path or default_instance_path())


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside one writer; busy_timeout makes concurrent writers wait
    # their turn instead of failing; synchronous=FULL keeps every acknowledged commit on disk.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# The schemes people paste, and the SQLAlchemy driver each means here (psycopg 3 is installed).
_SCHEMES = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "sqlite": "sqlite",
}
_URL_FORMS = "use postgresql://USER@HOST/DATABASE or sqlite:///PATH"


def normalise_url(url: str) -> str:
    """A database URL as SQLAlchemy takes it: `postgres://` and `postgresql://` (the forms
    hosting providers give) mean psycopg 3; StorageError for a URL the advisor cannot use."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _SCHEMES:
        shown = f"{scheme}://" if sep else repr(url if len(url) <= 60 else url[:60] + "…")
        raise StorageError(f"the database URL ({shown}…) is not one the advisor can use: {_URL_FORMS}")
    normal = f"{_SCHEMES[scheme.lower()]}://{rest}"
    try:
        make_url(normal)
    except ArgumentError:
        raise StorageError(f"the database URL cannot be read: {_URL_FORMS}") from None
    return normal


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; None for other databases and in-memory ones."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[1] if "///" in url else ""
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path.split("?", 1)[0])


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for `url`. With `create=False` a SQLite file is only ever opened, never made:
    a file deleted under a running service is an error, not a new, empty database."""
    url = normalise_url(url)
    path = sqlite_file(url)
    if url.startswith("sqlite"):
        if path is not None:
            folder = path.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StorageError(f"cannot create the database folder {folder}: {err.strerror}") from None
            if not create:
                url = f"sqlite:///file:{quote(str(path))}?mode=rw&uri=true"
            else:
                _private_file(path)
        engine = create_engine(url, connect_args={"timeout": 15}, pool_pre_ping=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _private_file(path: Path) -> None:
    """Make a new SQLite file readable and writable by its owner only (it holds password hashes
    and token digests; SQLite would make it, and its journals after it, as the umask allows).
    A file that exists is left as it is."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as err:
        raise StorageError(f"cannot create the database {path}: {err.strerror}") from None


def upgrade(engine: Engine) -> str:
    """Apply every migration not yet applied; return the schema revision now in place."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            revision = MigrationContext.configure(connection).get_current_revision()
    except (DatabaseError, OperationalError) as err:
        raise StorageError(
            f"the database at {_safe(engine)} cannot be opened or migrated: {_reason(err)}"
        ) from None
    except CommandError as err:  # a revision this version does not know: made by a newer one?
        raise StorageError(
            f"the database at {_safe(engine)} has a schema this version of the advisor does not know "
            f"({err}); use the version that made it, or another database"
        ) from None
    return revision or ""


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head() or ""


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _reason(err: Exception) -> str:
    original = getattr(err, "orig", None)
    return str(original or err).strip().splitlines()[0]


@dataclass(frozen=True)
class ScenarioPage:
    items: list[SavedScenario]
    total: int
    limit: int
    offset: int


def _record(row: ScenarioRow) -> SavedScenario:
    """A row as a saved scenario: its result is read back through the response contract (the
    result as it was stored; the catalog columns repeat its price book for queries)."""
    return SavedScenario(
        id=row.id,
        name=row.name,
        notes=row.notes,
        request=row.request,
        result=load_recommendations(row.response),
        created_at=row.created_at.replace(tzinfo=UTC) if row.created_at.tzinfo is None else row.created_at,
        updated_at=row.updated_at.replace(tzinfo=UTC) if row.updated_at.tzinfo is None else row.updated_at,
        repriced_from=row.repriced_from,
        owner_id=row.owner_id,
        share_token=row.share_token,
    )


class ScenarioStore:
    """Saved scenarios; every write is one transaction, and a stored result never changes.

    On SQLite, `file` is the database file opened at start: before each transaction the store
    checks the path still names that file (an open connection would go on writing into a file
    deleted from under it, and every save acknowledged since would be lost).
    """

    def __init__(self, engine: Engine, file: Path | None = None):
        self.engine = engine
        self.file = file
        self._identity = _identity(file) if file is not None else None
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.accounts = AccountStore(self._transaction)

    def _same_file(self) -> None:
        if self.file is None:
            return
        now = _identity(self.file)
        if now is None:
            raise StorageError(f"the database file {self.file} is gone (deleted or moved since the start)")
        if now != self._identity:
            raise StorageError(
                f"the database file {self.file} is not the one opened at start (replaced since); "
                "restart the service to use it"
            )

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        self._same_file()
        try:
            with self._sessions.begin() as session:
                yield session
        except IntegrityError:
            raise
        except DBAPIError as err:
            # Lost connections, a locked or malformed file: the operator's problem, not the caller's.
            raise StorageError(f"the database is unavailable: {_reason(err)}") from None

    def add(
        self,
        name: str,
        notes: str,
        request: dict[str, Any],
        result: Recommendations,
        repriced_from: str | None = None,
        owner: int | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> SavedScenario:
        """Keep a scenario for `owner` (None: saved without accounts). With `idempotency`, the
        key is kept in the same transaction: a second save under the key (from any instance)
        answers the scenario the first one saved, and a key used with another body is refused."""
        now = datetime.now(UTC)
        catalog = result.catalog
        row = ScenarioRow(
            id=new_id(),
            name=name,
            notes=notes,
            request=request,
            response=dump_recommendations(result),
            catalog_id=catalog.id,
            catalog_version=catalog.version,
            catalog_as_of=catalog.as_of,
            catalog_currency=catalog.currency,
            created_at=now,
            updated_at=now,
            repriced_from=repriced_from,
            owner_id=owner,
            share_token=new_share_token(),
        )
        try:
            with self._transaction() as session:
                session.add(row)
                if idempotency is not None:
                    session.flush()
                    session.add(
                        IdempotencyRow(
                            owner_key=idempotency.owner,
                            key=idempotency.key,
                            body_hash=idempotency.body_hash,
                            scenario_id=row.id,
                            created_at=now,
                        )
                    )
        except IntegrityError:
            if idempotency is not None:
                # Another save under the same key committed first: answer what it saved.
                first = self.replayed(idempotency)
                if first is not None:
                    return first
            if repriced_from is None:
                raise
            # The original was deleted while it was being re-priced: there is nothing to link to.
            raise ScenarioNotFound(repriced_from) from None
        return SavedScenario(
            row.id, name, notes, request, result, now, now, repriced_from, owner, row.share_token
        )

    def replayed(self, idempotency: IdempotencyKey) -> SavedScenario | None:
        """The scenario an earlier save under this key made, or None if there was none;
        IdempotencyConflict if the key came with another body."""
        with self._transaction() as session:
            found = session.scalars(
                select(IdempotencyRow).where(
                    IdempotencyRow.owner_key == idempotency.owner, IdempotencyRow.key == idempotency.key
                )
            ).first()
            if found is None:
                return None
            if found.body_hash != idempotency.body_hash:
                raise IdempotencyConflict(idempotency.key)
            row = session.get(ScenarioRow, found.scenario_id)
            return _record(row) if row is not None else None

    @staticmethod
    def _row(
        session: Session, scenario_id: str, owner: int | None = None, for_update: bool = False
    ) -> ScenarioRow:
        """The row of a saved scenario `owner` may see (None: any); a malformed id is not even
        looked up, and another account's scenario is as unknown as one never saved."""
        row = (
            session.get(ScenarioRow, scenario_id, with_for_update=for_update)
            if _ID.match(scenario_id)
            else None
        )
        if row is None or (owner is not None and row.owner_id != owner):
            raise ScenarioNotFound(scenario_id)
        return row

    def get(self, scenario_id: str, owner: int | None = None) -> SavedScenario:
        """A saved scenario; with `owner`, only one that account saved."""
        with self._transaction() as session:
            return _record(self._row(session, scenario_id, owner))

    def shared(self, share_token: str) -> SavedScenario:
        """The scenario whose read-only share link carries `share_token`."""
        with self._transaction() as session:
            row = (
                session.scalars(select(ScenarioRow).where(ScenarioRow.share_token == share_token)).first()
                if _SHARE.match(share_token)
                else None
            )
            if row is None:
                raise ScenarioNotFound(share_token)
            return _record(row)

    def list(
        self, limit: int = 20, offset: int = 0, name: str | None = None, owner: int | None = None
    ) -> ScenarioPage:
        """Newest first; `name` filters by a case-insensitive part of the name, `owner` to one
        account's scenarios."""
        query = select(ScenarioRow)
        count = select(func.count()).select_from(ScenarioRow)
        if owner is not None:
            query = query.where(ScenarioRow.owner_id == owner)
            count = count.where(ScenarioRow.owner_id == owner)
        if name:
            pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(ScenarioRow.name.ilike(pattern, escape="\\"))
            count = count.where(ScenarioRow.name.ilike(pattern, escape="\\"))
        query = (
            query.order_by(ScenarioRow.created_at.desc(), ScenarioRow.id.desc()).limit(limit).offset(offset)
        )
        with self._transaction() as session:
            rows = session.scalars(query).all()
            total = session.scalar(count) or 0
            return ScenarioPage([_record(r) for r in rows], total, limit, offset)

    def update(
        self, scenario_id: str, name: str | None = None, notes: str | None = None, owner: int | None = None
    ) -> SavedScenario:
        """Rename or annotate; the request and the stored result are never changed."""
        with self._transaction() as session:
            row = self._row(session, scenario_id, owner, for_update=True)
            if name is not None:
                row.name = name
            if notes is not None:
                row.notes = notes
            row.updated_at = datetime.now(UTC)
            return _record(row)

    def give_unowned(self, owner: int) -> int:
        """Give every scenario saved without accounts to `owner`; how many there were."""
        with self._transaction() as session:
            result = session.execute(
                update(ScenarioRow).where(ScenarioRow.owner_id.is_(None)).values(owner_id=owner)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def delete(self, scenario_id: str, owner: int | None = None) -> None:
        with self._transaction() as session:
            session.delete(self._row(session, scenario_id, owner))

    def close(self) -> None:
        self.engine.dispose()

    def check(self) -> None:
        """Fail now, with a clear message, if the database is unreadable or not migrated."""
        self._same_file()
        try:
            with self.engine.connect() as connection:
                current = MigrationContext.configure(connection).get_current_revision()
                if current != head_revision():  # before any table is read: say what to do
                    raise StorageError(
                        f"the database at {_safe(self.engine)} is at schema revision {current!r}, "
                        f"not {head_revision()!r}: run `advisor db upgrade`"
                    )
                connection.execute(select(func.count()).select_from(ScenarioRow)).scalar()
        except (DatabaseError, OperationalError) as err:
            raise StorageError(
                f"the database at {_safe(self.engine)} is unreadable: {_reason(err)}"
            ) from None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def open_store(url: str, migrate: bool = True) -> ScenarioStore:
    """Open (and by default migrate) the database at `url`, checking it is usable. A SQLite
    file is made here, at start, if there is none (and the log says so); never afterwards."""
    url = normalise_url(url)
    file = sqlite_file(url)
    if file is not None and not migrate and not file.exists():
        raise StorageError(f"there is no database at {file}: run `advisor db upgrade`")
    if file is not None and migrate and not file.exists():
        upgrade_engine = make_engine(url)
        try:
            upgrade(upgrade_engine)
        finally:
            upgrade_engine.dispose()
        log.warning("no database at %s: created a new, empty one", file)
    engine = make_engine(url, create=False)
    if migrate:
        upgrade(engine)
    store = ScenarioStore(engine, file)
    store.check()
    # No pooled connection may cross a fork: gunicorn preloads the app and forks its workers,
    # and each must open connections of its own (SQLite forbids sharing one across a fork).
    engine.dispose()
    return store
