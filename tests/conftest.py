"""Fixtures shared by every test: an app on a real database, users by role, real SMTP.

The database is SQLite by default; ``ROADSHOW_TEST_DATABASE_URL`` points the same tests at
PostgreSQL. Services that a test needs (PostgreSQL, Redis) make it skip when absent, unless
``ROADSHOW_REQUIRE_SERVICES`` is set (CI sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import pickle
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from werkzeug.security import generate_password_hash

from roadshow import create_app
from roadshow.accounts.models import User
from roadshow.accounts.roles import Role
from roadshow.db import Base, utcnow
from roadshow.extensions import db as _db
from roadshow.talent import search_index

pytest_plugins = ["tests.many_events_fixtures", "tests.compiled_once"]

TEST_PASSWORD = "Correct-horse-42"
_PASSWORD_HASH = generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:1000")


def services_required() -> bool:
    return os.environ.get("ROADSHOW_REQUIRE_SERVICES", "") not in ("", "0", "false")


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


#: this run's prefix for every Redis key and channel, so two runs sharing one Redis never meet
REDIS_NAMESPACE = (f"roadshow-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}-"
                   f"{secrets.token_hex(3)}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the database -----------------------------------------------------------------------

@contextmanager
def scratch_postgres_database(base_url: str, label: str) -> Iterator[str]:
    """A PostgreSQL database of this run's own, named uniquely beside ``base_url``'s and dropped
    afterwards, so two runs (or two xdist workers) on one server never touch each other's tables."""
    from sqlalchemy.engine import make_url

    from roadshow.config import normalise_database_url

    url = make_url(normalise_database_url(base_url))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{url.database}_{label}_{worker}_{os.getpid()}_{secrets.token_hex(3)}".lower()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure to connect means "absent"
        admin.dispose()
        skip_or_fail(f"database at {url.render_as_string()} unreachable: {error}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("ROADSHOW_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with scratch_postgres_database(url, "run") as scratch:
        yield scratch


@pytest.fixture(scope="session")
def _schema(database_url: str) -> None:
    """Create the schema once per run from the models."""
    import roadshow

    roadshow._import_models()
    engine = create_engine(database_url)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        search_index.create(connection)  # the database's own, outside the models
    engine.dispose()
    return


def _empty_tables(database_url: str) -> None:
    engine = _db.engine
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # DELETE, not TRUNCATE: truncating the ~50 tables made new files for each and took
            # over a second per test, most of the PostgreSQL run; deleting a test's few rows
            # takes milliseconds. Foreign-key triggers are off for the transaction (every table
            # is emptied), and every sequence restarts, as TRUNCATE ... RESTART IDENTITY did.
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            connection.exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in tables))  # noqa: S608 - our own tables' names
            connection.exec_driver_sql(
                "SELECT setval(c.oid, 1, false) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()")
        else:
            # Plain statements: each app has an engine of its own, so compiling ~90 DELETE
            # constructs again took a third of an empty test's time.
            for table in tables:
                connection.exec_driver_sql(f'DELETE FROM "{table.name}"')  # noqa: S608 - our own tables' names


@pytest.fixture
def app_config(database_url: str, tmp_path: Path, smtp_server: SMTPCapture) -> dict[str, Any]:
    """Settings for the test app; a test may change them before asking for ``app``."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_server.port,
        "MAIL_FROM": "Roadshow <roadshow@example.org>",
        "PUBLIC_BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "REDIS_URL": None,
        "REDIS_NAMESPACE": REDIS_NAMESPACE,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def _fresh_globals(sender: Flask, **_extra: Any) -> None:
    vars(g._get_current_object()).clear()


@pytest.fixture
def app(app_config: dict[str, Any], _schema: None, database_url: str) -> Iterator[Flask]:
    application = create_app(app_config)
    # Requests reuse the test's app context, hence its ``g``; start each with an empty ``g`` as in
    # production, so two clients never share a signed-in user, a locale or a time zone.
    request_started.connect(_fresh_globals, application)
    with application.app_context():
        try:
            yield application
        finally:
            _db.session.remove()
            _empty_tables(database_url)
            _db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Any:
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test that touches the app's database is a ``db`` test (it runs again on PostgreSQL).

    Marked as each test is collected, so ``-m db`` sees the mark: the ordering hook below runs
    last, after pytest has already selected by mark (marking there left ``-m db`` nothing)."""
    if "app" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.db)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The ``slow`` tests go first (after pytest-randomly's shuffle, keeping its order within
    each group): xdist then starts the long ones while the others can still fill the other
    workers, instead of one of them coming last and leaving a worker alone for its minute."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# --- people -----------------------------------------------------------------------------

@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: Role | str = Role.APPLICANT, *, email: str | None = None, name: str | None = None,
             locale: str = "en", timezone: str = "Asia/Shanghai", district: Any = None,
             verified: bool = True, **fields: Any) -> User:
        counter["n"] += 1
        role = Role(role)
        user = User(
            email=email or f"{role.value}{counter['n']}@example.org",
            password_hash=_PASSWORD_HASH, role=role,
            name=name or f"{role.value.title()} {counter['n']}",
            locale=locale, timezone=timezone, district=district,
            email_verified_at=utcnow() if verified else None, **fields,
        )
        from tests.many_events_fixtures import adopt  # the plugin, loaded by pytest_plugins

        adopt(user)  # organizers, judges, recruiters: of the default test organisation (issue 13)
        _db.session.add(user)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_district(app: Flask) -> Callable[..., Any]:
    from roadshow.districts.models import District

    counter = {"n": 0}

    def make(code: str | None = None, name_zh: str = "鼓楼区", name_en: str = "Gulou District") -> District:
        counter["n"] += 1
        district = District(code=code or f"d{counter['n']}", name_zh=name_zh, name_en=name_en)
        _db.session.add(district)
        _db.session.commit()
        return district

    return make


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user: User, password: str = TEST_PASSWORD) -> Any:
        response = self.client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "login failed"
        return response

    def logout(self) -> Any:
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., User]) -> Callable[..., tuple[FlaskClient, User]]:
    """``client, user = login_as("judge")``: a fresh client signed in as a new user of that role."""

    def login(role: Role | str | User, **fields: Any) -> tuple[FlaskClient, User]:
        user = role if isinstance(role, User) else make_user(role, **fields)
        client = app.test_client()
        Auth(client).login(user)
        return client, user

    return login


# --- real SMTP ----------------------------------------------------------------------------

class SMTPCapture:
    """An aiosmtpd server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPCapture]:
    capture = SMTPCapture()
    capture.controller.start()
    yield capture
    capture.controller.stop()


@pytest.fixture
def mailbox(smtp_server: SMTPCapture) -> SMTPCapture:
    """The SMTP capture, emptied for this test."""
    smtp_server.clear()
    return smtp_server


# --- Redis --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("ROADSHOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis at {url} unreachable: {error}")
    return url


# --- the browser ----------------------------------------------------------------------------

CHROMIUM = os.environ.get("ROADSHOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",
    # the live stage's video: a synthetic camera and microphone, allowed without a prompt
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole run: Playwright's sync API runs one session per thread, so
    every browser test shares it instead of starting its own."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- the demo, loaded once per test run --------------------------------------------------------

_DEMO: dict[str, Any] = {}


def _shared_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A folder every xdist worker of this run shares (None outside xdist): the workers' base
    temporary folders are siblings, and the run's id keeps two runs at once apart."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return None
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{run}"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Holds an exclusive lock on the file across processes (fcntl: POSIX only, as the tests)."""
    import fcntl

    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def loaded_demo(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    """The demo in this test's (empty) database; returns its printed logins.

    Loading it takes some 20 s, so the first test of a process loads it and keeps its rows and
    uploaded files; the next ones get those rows inserted (a copy each: a test may change them)
    and the files copied into their own upload folder."""
    import shutil

    from roadshow.demo.commands import load_demo

    uploads = Path(app.config["UPLOAD_FOLDER"])
    signing_keys = Path(app.instance_path) / "signing"
    tables = Base.metadata.sorted_tables

    def load_and_keep(files: Path) -> list[tuple[str, str, str]]:
        logins = load_demo(_db.session)
        with _db.engine.connect() as connection:
            rows = {table.name: [dict(row._mapping) for row in connection.execute(
                table.select().order_by(*table.primary_key.columns))] for table in tables}
        shutil.copytree(uploads, files, dirs_exist_ok=True)
        # the platform's seal key signed the demo's trails: a copy of the rows needs the same key
        # (each test's app has its own instance folder, and so its own key)
        seal_keys = files.with_name(files.name + "-seal")
        shutil.copytree(signing_keys, seal_keys, dirs_exist_ok=True)
        _DEMO.update(logins=logins, rows=rows, files=files, seal_keys=seal_keys)
        return list(logins)

    if not _DEMO:
        shared = _shared_run_dir(tmp_path_factory)
        if shared is None:  # a single process: nobody to share with
            return load_and_keep(tmp_path_factory.mktemp("demo-uploads"))
        # xdist: the first worker to get here loads the demo and leaves its rows and files for
        # the others of this run, which copy them instead of loading it again (~18 s each)
        snapshot = shared / f"demo-{_db.engine.dialect.name}.pickle"
        with _exclusive(shared / "demo.lock"):
            if not snapshot.exists():
                logins = load_and_keep(shared / f"demo-{_db.engine.dialect.name}-uploads")
                partial = snapshot.with_suffix(".partial")
                partial.write_bytes(pickle.dumps(dict(_DEMO)))
                partial.replace(snapshot)
                return logins
            _DEMO.update(pickle.loads(snapshot.read_bytes()))  # noqa: S301 (written by this run)
    with _db.engine.connect() as connection:
        # the rows reference each other in cycles (an office's creator, a user's office): the
        # keys are checked when the copy is complete, not row by row
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.exec_driver_sql("SET session_replication_role = replica")
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
        with connection.begin():
            for table in tables:
                if _DEMO["rows"][table.name]:
                    connection.execute(table.insert(), _DEMO["rows"][table.name])
            if postgres:  # the ids were given: move the sequences on
                for table in tables:
                    if "id" in table.columns and _DEMO["rows"][table.name]:
                        quoted = f'"{table.name}"'  # our own tables' names
                        connection.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), (SELECT max(id) FROM {quoted}))")  # noqa: E501, S608
        if postgres:
            connection.exec_driver_sql("SET session_replication_role = DEFAULT")
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            assert not problems, problems
        connection.commit()
    shutil.copytree(_DEMO["files"], uploads, dirs_exist_ok=True)
    shutil.copytree(_DEMO["seal_keys"], signing_keys, dirs_exist_ok=True)
    return list(_DEMO["logins"])
