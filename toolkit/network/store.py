"""The persistent store: the apps' saved state and learning-network sessions.

SQLAlchemy 2.x ORM over a SQLite file in the user's data folder, or over any
database URL in ``TOOLKIT_DATABASE_URL`` (PostgreSQL in a shared deployment).
The schema is created and upgraded by the Alembic migrations in
``toolkit/network/migrations`` each time a :class:`Store` opens.

Secrets: state tokens, resume tokens, idempotency keys and facilitator keys are
kept only as SHA-256 digests, compared in constant time, and never logged
(the engine hides bound parameters from its error messages).

SQLite: WAL journal, a 30-second busy timeout and ``BEGIN IMMEDIATE`` for every
transaction, so writers in several processes wait their turn instead of failing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from toolkit.content.rules import rules
from toolkit.domain.record import ServiceRecord
from toolkit.network.codes import CODE_EXAMPLE, format_code, new_session_code, normalise_code
from toolkit.network.private import private_data_home, private_file, private_folder
from toolkit.network.summary import (
    ANONYMOUS_NAME,
    SessionInfo,
    SessionSummary,
    Submission,
    hidden_component_keys,
    shown_names,
    summarise,
)

APP_NAME = "employment-support-toolkit"
DATABASE_FILE = "toolkit.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The newest migration's revision (a test checks it against Alembic's own head). A
#: database already at it opens without loading Alembic (about 11 MB per process).
SCHEMA_HEAD = "0004"
SQLITE_BUSY_TIMEOUT_S = 30
#: Largest saved app state, as JSON text.
MAX_STATE_BYTES = 1_000_000
_MAX_TOKEN_LENGTH = 256
#: Key of the PostgreSQL advisory lock held while migrating (any fixed 64-bit number).
_MIGRATION_LOCK = 0x746F6F6C6B6974  # "toolkit"


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """Something the caller asked of the store cannot be done; the message says why."""


class StoreUnavailable(StoreError):
    """The database could not be opened or reached."""


class WrongKey(StoreError):
    """Unknown session code or wrong facilitator key (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__(
            "No session matches that code and facilitator key: check both and try again."
        )


class UnknownSession(StoreError):
    """No open session has the code a commissioner typed."""

    def __init__(self) -> None:
        super().__init__(
            f"No session has that code: check it with the facilitator (codes look like {CODE_EXAMPLE})."
        )


class ConsentRequired(StoreError):
    """A submission was sent without the commissioner's consent to share it."""

    def __init__(self) -> None:
        super().__init__(
            "Consent is needed before figures are shared: the session's facilitator will see "
            "your service's cost, people supported and job outcomes (and your service's name "
            "unless you choose to be anonymous), and they will count towards the pooled figures."
        )


class SessionClosed(StoreError):
    """The session takes no new figures: the facilitator closed it, or it is full."""

    def __init__(self, full: int | None = None) -> None:
        super().__init__(
            f"This session is full: it takes figures from at most {full} services. Ask the "
            "facilitator if your service should be added."
            if full is not None
            else "This session is closed: the facilitator is no longer taking figures. Ask them "
            "if you still need to share or correct yours (you can still withdraw them)."
        )


class InvalidInput(StoreError, ValueError):
    """A title, name, token or state the store cannot accept."""


# --------------------------------------------------------------------------- schema


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class AppState(Base):
    """One app's saved state for one token (the token kept only as a digest)."""

    __tablename__ = "app_state"

    app: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LearningSession(Base):
    __tablename__ = "learning_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    session_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    facilitator_key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: When the facilitator closed it to new figures (None: open).
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: Most services it takes (None: no cap).
    max_services: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Group totals of outcome parts hidden at some release: they stay hidden.
    hidden_pooled: Mapped[list[str]] = mapped_column(JSON, default=list)


class SubmissionRow(Base):
    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("session_id", "resume_token_hash"),
        UniqueConstraint("session_id", "idempotency_key_hash"),
        Index(None, "session_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(32), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("learning_session.id", ondelete="CASCADE"))
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    idempotency_key_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    consented_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class CreatedSession:
    """A new session: give ``code`` to commissioners; keep ``facilitator_key`` private."""

    code: str
    facilitator_key: str
    title: str
    date: dt.date | None

    def __repr__(self) -> str:  # never print the key by accident
        return f"CreatedSession(code={self.code!r}, title={self.title!r}, date={self.date!r})"


def _random_text(nbytes: int) -> str:
    """``secrets.token_urlsafe(nbytes)``, drawn again if it starts with "-" (which would
    read as a flag on the command line)."""
    while True:
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def submission_token_digest(resume_token: str, code: str) -> str:
    """The digest a submission is kept under: an HMAC of the app's token and the session code.

    It differs from the app state's digest of the same token (:func:`_digest`) and from
    session to session, so nobody reading the database can join a submission to the
    app's saved entries, or one session's submission to another's.
    """
    key = resume_token.encode("utf-8")
    return hmac.new(key, b"submission\0" + code.encode("utf-8"), hashlib.sha256).hexdigest()


def _scoped_digest(idempotency_key: str, submitter: str | None) -> str:
    """An idempotency key's digest, scoped to its submitter (one commissioner's retry only)."""
    return _digest(f"{submitter or ''}\0{idempotency_key}")


def _well_formed(token: object) -> bool:
    return isinstance(token, str) and 0 < len(token) <= _MAX_TOKEN_LENGTH


#: Compared against when a session code is unknown, so both failures take the same time.
_DUMMY_DIGEST = _digest("no such session")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _text(value: object, what: str, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{what}: enter some text")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what}: must be text")
    text_value = " ".join(value.split())
    limit = rules().validation.max_name_length
    if len(text_value) > limit:
        raise InvalidInput(f"{what}: keep it to {limit} characters or fewer")
    return text_value


def data_home() -> Path:
    """Folder of the default SQLite file: ``TOOLKIT_DATA_HOME``, else the per-user data folder."""
    return private_data_home(create=False)


def default_url() -> str:
    """``TOOLKIT_DATABASE_URL`` if set, else a SQLite file in :func:`data_home`."""
    url = os.environ.get("TOOLKIT_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_home() / DATABASE_FILE}"


def _driver_url(url: str) -> str:
    """PostgreSQL URLs use psycopg 3 unless a driver is named."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redacted(url: str) -> str:
    """A database URL safe to show (password hidden)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL we cannot parse is shown as nothing
        return "(unreadable database URL)"


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in url
    if not in_memory:
        path = Path(database).expanduser()
        private_folder(path.parent)
        private_file(path)
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        **({"poolclass": StaticPool} if in_memory else {"pool_size": 5, "max_overflow": 20}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, say when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Overwrite deleted rows (a withdrawal), so their figures are not left in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        if not in_memory:
            for _attempt in range(50):
                try:
                    cursor.execute("PRAGMA journal_mode = WAL")
                    break
                except Exception:  # another process is switching it; retry
                    time.sleep(0.1)
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock at the start, so a transaction that reads then writes never
        # fails half-way with "database is locked": it waits (busy timeout) before it starts.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_engine(url: str) -> Engine:
    url = _driver_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # No pool: a connection is opened for each transaction and closed after it. On the
    # shared routes every app kernel has its own engine, and a pooled connection kept an
    # idle PostgreSQL backend (about 26 MB) per open page; a loopback or in-cluster connect
    # costs a few milliseconds, and the apps use the store on clicks, not per keystroke.
    return create_engine(url, hide_parameters=True, poolclass=NullPool)


def _from_alembic(exc: BaseException) -> bool:
    """An error raised by Alembic (imported only when a migration runs)."""
    return type(exc).__module__.split(".")[0] == "alembic"


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# --------------------------------------------------------------------------- the store


class Store:
    """The toolkit's database. Safe to share between threads; each process opens its own."""

    def __init__(self, url: str | None = None):
        self.url = _driver_url(url or default_url())
        try:
            self.engine = make_engine(self.url)
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            self._migrate()
        except Exception as exc:
            if not isinstance(exc, (SQLAlchemyError, OSError)) and not _from_alembic(exc):
                raise
            cause = getattr(exc, "orig", None) or exc
            detail = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
            raise StoreUnavailable(
                f"could not open the toolkit's database at {redacted(self.url)}: "
                f"{type(cause).__name__} {detail}".rstrip()
            ) from None

    def _at_head(self) -> bool:
        """True when the database's schema is already the newest (no migration to run)."""
        try:
            with self.engine.connect() as connection:
                found = connection.execute(text("SELECT version_num FROM alembic_version"))
                return [row[0] for row in found] == [SCHEMA_HEAD]
        except SQLAlchemyError:  # a new database: no version table yet
            return False

    def _migrate(self) -> None:
        """Bring the schema to the newest migration, one process at a time."""
        if self._at_head():
            return
        from alembic import command

        config = _alembic_config(self.url)
        with self.engine.begin() as connection:
            # SQLite: BEGIN IMMEDIATE already holds the write lock. PostgreSQL: a lock for
            # this transaction, so two processes never create the same table at once.
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        """Close the pooled connections (the store can still be used; it reconnects)."""
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def _retrying(self, work: Any, attempts: int = 5) -> Any:
        """Run ``work(session)`` in a transaction, again if a concurrent writer got there first."""
        for attempt in range(attempts):
            try:
                with self._transaction() as session:
                    return work(session)
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
            except OperationalError as exc:
                # PostgreSQL serialization failures and deadlocks are worth one more go.
                code = getattr(getattr(exc, "orig", None), "sqlstate", None)
                if code not in ("40001", "40P01") or attempt == attempts - 1:
                    raise
            time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------- app state

    def new_token(self) -> str:
        """A long, unguessable token (256 random bits, URL-safe text).

        Never starts with "-", so it can follow a command-line flag (``--resume-token T``).
        """
        return _random_text(32)

    def save_state(self, app: str, token: str, state: dict) -> None:
        """Save (or replace) the JSON ``state`` of ``app`` for ``token``, in one transaction."""
        app_name = _text(app, "app", required=True)
        if app_name is None or len(app_name) > 64:
            raise InvalidInput("app: give the app's short name (64 characters or fewer)")
        if not _well_formed(token):
            raise InvalidInput("token: use a token from new_token()")
        if not isinstance(state, dict):
            raise InvalidInput("state: must be a dict")
        try:
            encoded = json.dumps(state, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"state: cannot be saved as JSON ({exc})") from None
        if len(encoded.encode("utf-8")) > MAX_STATE_BYTES:
            raise InvalidInput(f"state: larger than {MAX_STATE_BYTES:,} bytes")
        plain = json.loads(encoded)
        token_hash = _digest(token)

        def work(session: Session) -> None:
            row = session.get(AppState, (app_name, token_hash))
            now = _now()
            if row is None:
                session.add(
                    AppState(
                        app=app_name,
                        token_hash=token_hash,
                        state=plain,
                        created_at=now,
                        updated_at=now,
                    )
                )
            else:
                row.state = plain
                row.updated_at = now

        self._retrying(work)

    def load_state(self, app: str, token: str) -> dict | None:
        """The saved state, or None for an unknown (or malformed) token."""
        if not _well_formed(token) or not isinstance(app, str):
            return None
        token_hash = _digest(token)
        with self._transaction() as session:
            row = session.get(AppState, (" ".join(app.split()), token_hash))
            # A database that compares text without case (MySQL's default collation, some
            # PostgreSQL setups) could hand back a row for a different token: check the
            # stored digest byte for byte, in constant time, before trusting the row.
            if row is None or not hmac.compare_digest(
                row.token_hash.encode("ascii", "replace"), token_hash.encode("ascii")
            ):
                return None
            return dict(row.state)

    # ------------------------------------------------------------------- sessions

    def create_session(
        self, title: str, date: dt.date | None = None, max_services: int | None = None
    ) -> CreatedSession:
        """Open a session. The facilitator key is returned once and stored only as a digest."""
        clean_title = _text(title, "title", required=True)
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            raise InvalidInput("date: must be a date")
        if max_services is not None and (not isinstance(max_services, int) or max_services < 1):
            raise InvalidInput("max services: give a whole number of 1 or more")
        key = self.new_token()

        def work(session: Session) -> str:
            code = new_session_code()
            session.add(
                LearningSession(
                    code=code,
                    title=clean_title,
                    session_date=date,
                    facilitator_key_hash=_digest(key),
                    created_at=_now(),
                    max_services=max_services,
                    hidden_pooled=[],
                )
            )
            return code

        code = self._retrying(work)  # a clash of codes (1 in 10^17) just draws another
        return CreatedSession(format_code(code), key, clean_title or "", date)

    def _session_row(self, session: Session, code: str) -> LearningSession | None:
        normalised = normalise_code(code)
        if normalised is None:
            return None
        return session.scalars(
            select(LearningSession).where(LearningSession.code == normalised)
        ).one_or_none()

    def _authorised(self, session: Session, code: str, facilitator_key: str) -> LearningSession:
        row = self._session_row(session, code)
        given = _digest(facilitator_key) if _well_formed(facilitator_key) else _digest("")
        expected = row.facilitator_key_hash if row is not None else _DUMMY_DIGEST
        if not hmac.compare_digest(expected, given) or row is None:
            raise WrongKey()
        return row

    def submit(
        self,
        code: str,
        record: ServiceRecord,
        display_name: str | None,
        anonymous: bool,
        consent: bool,
        resume_token: str | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        """Share a service's figures with a session; returns the submission id.

        The same ``idempotency_key`` from the same submitter (a double click) returns
        the first submission unchanged. The same ``resume_token`` in the same session
        updates that submission, so each commissioner has at most one per session.
        A closed or full session refuses with :class:`SessionClosed`.
        """
        if consent is not True:
            raise ConsentRequired()
        if not isinstance(record, ServiceRecord):
            raise InvalidInput("record: must be a validated ServiceRecord")
        for what, secret in (("resume_token", resume_token), ("idempotency_key", idempotency_key)):
            if secret is not None and not _well_formed(secret):
                raise InvalidInput(f"{what}: use a token from new_token()")
        anonymous = bool(anonymous)
        name = (
            None
            if anonymous
            else (_text(display_name, "display name", required=False) or record.name)
        )
        stored = record.model_dump(mode="json")
        if anonymous:
            stored["name"] = ANONYMOUS_NAME  # an anonymous service's name is never kept

        def work(session: Session) -> str:
            parent = self._session_row(session, code)
            if parent is None:
                raise UnknownSession()
            resume_hash = (
                submission_token_digest(resume_token, parent.code) if resume_token else None
            )
            idempotency_hash = (
                _scoped_digest(idempotency_key, resume_hash) if idempotency_key else None
            )
            if idempotency_hash is not None:
                earlier = session.scalars(
                    select(SubmissionRow).where(
                        SubmissionRow.session_id == parent.id,
                        SubmissionRow.idempotency_key_hash == idempotency_hash,
                    )
                ).one_or_none()
                if earlier is not None:
                    return earlier.submission_id
            if parent.closed_at is not None:
                raise SessionClosed()
            now = _now()
            mine = self._own_row(session, parent, resume_token) if resume_token else None
            if mine is not None:
                mine.record = stored
                mine.display_name = name
                mine.anonymous = anonymous
                mine.resume_token_hash = resume_hash
                mine.consented_at = now
                mine.updated_at = now
                if idempotency_hash is not None:
                    mine.idempotency_key_hash = idempotency_hash
                self._remember_hidden(session, parent)
                return mine.submission_id
            if parent.max_services is not None:
                taken = len(self._rows(session, parent))
                if taken >= parent.max_services:
                    raise SessionClosed(full=parent.max_services)
            submission_id = _random_text(16)
            session.add(
                SubmissionRow(
                    submission_id=submission_id,
                    session_id=parent.id,
                    display_name=name,
                    anonymous=anonymous,
                    record=stored,
                    resume_token_hash=resume_hash,
                    idempotency_key_hash=idempotency_hash,
                    consented_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
            session.flush()
            self._remember_hidden(session, parent)
            return submission_id

        return self._retrying(work)

    def _own_row(
        self, session: Session, parent: LearningSession, resume_token: str
    ) -> SubmissionRow | None:
        """The submission a commissioner's token made in this session (older rows: plain digest)."""
        for digest in (submission_token_digest(resume_token, parent.code), _digest(resume_token)):
            row = session.scalars(
                select(SubmissionRow).where(
                    SubmissionRow.session_id == parent.id,
                    SubmissionRow.resume_token_hash == digest,
                )
            ).one_or_none()
            if row is not None:
                return row
        return None

    def _rows(self, session: Session, parent: LearningSession) -> list[SubmissionRow]:
        return list(
            session.scalars(
                select(SubmissionRow)
                .where(SubmissionRow.session_id == parent.id)
                .order_by(SubmissionRow.created_at, SubmissionRow.id)
            ).all()
        )

    def _remember_hidden(self, session: Session, parent: LearningSession) -> None:
        """Record the group totals hidden now, so they stay hidden (see ``disclosure``)."""
        now_hidden = hidden_component_keys(self._submissions(session, parent))
        before = set(parent.hidden_pooled or [])
        if not now_hidden <= before:
            parent.hidden_pooled = sorted(before | now_hidden)

    def withdraw(self, code: str, submission_id: str | None, resume_token: str) -> bool:
        """Delete a submission (its figures leave every view and export). False if no match.

        ``submission_id`` may be None: the token alone finds the commissioner's own
        submission. A submission stored without a token cannot be withdrawn this way.
        """
        if not _well_formed(resume_token) or not (
            submission_id is None or _well_formed(submission_id)
        ):
            return False

        def work(session: Session) -> bool:
            parent = self._session_row(session, code)
            if parent is None:
                hmac.compare_digest(_DUMMY_DIGEST, _digest(resume_token))
                return False
            row = self._own_row(session, parent, resume_token)
            if row is None or row.resume_token_hash is None:
                hmac.compare_digest(_DUMMY_DIGEST, _digest(resume_token))  # same time either way
                return False
            if submission_id is not None and not hmac.compare_digest(
                row.submission_id.encode("utf-8"), submission_id.encode("utf-8")
            ):
                return False
            session.delete(row)
            return True

        removed = self._retrying(work)
        if removed:
            self._checkpoint()
        return removed

    def _checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database and empty it (after a deletion)."""
        if self.engine.dialect.name != "sqlite":
            return
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except SQLAlchemyError:  # a reader holds the log open: the next checkpoint will do
            pass

    # ------------------------------------------------------------------- facilitator controls

    def close_session(self, code: str, facilitator_key: str) -> None:
        """Take no new (or changed) figures from now on; withdrawals still work."""

        def work(session: Session) -> None:
            parent = self._authorised(session, code, facilitator_key)
            parent.closed_at = parent.closed_at or _now()

        self._retrying(work)

    def reopen_session(self, code: str, facilitator_key: str) -> None:
        """Take figures again after :meth:`close_session` (a size cap still applies)."""

        def work(session: Session) -> None:
            self._authorised(session, code, facilitator_key).closed_at = None

        self._retrying(work)

    def max_services(self, code: str, facilitator_key: str) -> int | None:
        """The session's size cap (None: no cap)."""
        with self._transaction() as session:
            return self._authorised(session, code, facilitator_key).max_services

    def set_max_services(self, code: str, facilitator_key: str, most: int | None) -> None:
        """Cap how many services may share (None: no cap)."""
        if most is not None and (not isinstance(most, int) or most < 1):
            raise InvalidInput("max services: give a whole number of 1 or more")

        def work(session: Session) -> None:
            self._authorised(session, code, facilitator_key).max_services = most

        self._retrying(work)

    def delete_session(self, code: str, facilitator_key: str) -> None:
        """Delete the session and every submission to it."""

        def work(session: Session) -> None:
            parent = self._authorised(session, code, facilitator_key)
            for row in self._rows(session, parent):
                session.delete(row)
            session.flush()  # the rows first: else the cascade empties them before their DELETE
            session.delete(parent)

        self._retrying(work)
        self._checkpoint()

    def _submissions(self, session: Session, parent: LearningSession) -> list[Submission]:
        rows = self._rows(session, parent)
        names = shown_names([(row.anonymous, row.display_name) for row in rows])
        return [
            Submission(
                submission_id=row.submission_id,
                shown_as=shown,
                anonymous=row.anonymous,
                display_name=None if row.anonymous else row.display_name,
                record=ServiceRecord.model_validate(row.record),
                submitted_at=_aware(row.created_at),
                updated_at=_aware(row.updated_at),
            )
            for row, shown in zip(rows, names, strict=True)
        ]

    def submissions_for(self, code: str, facilitator_key: str) -> list[Submission]:
        """A session's submissions in submission order; :class:`WrongKey` on a bad code or key.

        These are the raw figures: anything shown to people should go through
        :meth:`session_summary` (or :func:`toolkit.network.summary.summarise`), which applies
        disclosure control.
        """
        with self._transaction() as session:
            parent = self._authorised(session, code, facilitator_key)
            return self._submissions(session, parent)

    def session_info(self, code: str, facilitator_key: str) -> SessionInfo:
        with self._transaction() as session:
            parent = self._authorised(session, code, facilitator_key)
            return SessionInfo(
                parent.code, parent.title, parent.session_date, parent.closed_at is not None
            )

    def session_summary(self, code: str, facilitator_key: str) -> SessionSummary:
        """The session's summary (see :func:`toolkit.network.summary.summarise`) with disclosure control."""
        with self._transaction() as session:
            parent = self._authorised(session, code, facilitator_key)
            info = SessionInfo(
                parent.code, parent.title, parent.session_date, parent.closed_at is not None
            )
            submissions = self._submissions(session, parent)
            once_hidden = list(parent.hidden_pooled or [])
        return summarise(info, submissions, once_hidden=once_hidden)


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def default_store() -> Store:
    """The process's store for :func:`default_url` (one per URL, opened on first use)."""
    url = _driver_url(default_url())
    with _stores_lock:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = Store(url)
        return store


# The programme's tables live on the same Base; importing registers them (migration 0003).
import toolkit.network.programme.tables  # noqa: E402

# Spend maps shared into a session (migration 0004).
import toolkit.network.spend_tables  # noqa: E402, F401
