"""Migration 0007_many_events keeps every row of a lived-in database and gives it an office
(issue 13, docs/design/many-events.md §3), on SQLite and PostgreSQL.

The world is written through tables reflected from the 0006 schema (Core, not today's models),
then upgraded: every old row keeps every column, the new columns hold the one organisation,
the memberships and event roles are exactly those the old roles meant, the sealed intent's
audit trail still verifies, and downgrading gives back the 0006 rows unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask, current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    select,
)

from roadshow import create_app
from roadshow.db import Base, UTCDateTime
from roadshow.extensions import db
from roadshow.signing import chain, pdf, seal
from roadshow.signing.audit_trail import verify_all_chains
from roadshow.talent.search_index import is_index_object
from tests.core.test_migrations import _postgres_scratch_url

BEFORE = "0006_live_channel_heads"
AFTER = "0007_many_events"
#: the tables the world fills: every domain whose rows must survive the move
LIVED_IN = (
    "districts", "users", "applicant_profiles", "events", "event_districts", "event_phases",
    "tracks", "event_questions", "applications", "application_answers", "application_districts",
    "decks", "review_criteria", "review_settings", "review_assignments", "reviews",
    "review_scores", "selection_decisions", "district_interests", "pitch_sessions",
    "schedule_slots", "live_rooms", "live_events", "live_questions", "live_votes",
    "live_docking_requests", "signing_intents", "signing_audit", "signing_intent_versions",
    "signing_signers", "outbox_messages", "invitations",
)
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, as in test_migrations.py."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        yield from _postgres_scratch_url()


def _app(url: str, tmp_path: Path) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x",
                       "INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})


def _reflect(connection: Connection) -> MetaData:
    """The schema as it is; datetimes read and written as the application does (aware UTC)."""
    metadata = MetaData()
    metadata.reflect(connection)
    for table in metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, DateTime):
                column.type = UTCDateTime()
    return metadata


class World:
    """Writes rows of the 0006 schema, filling the columns a row does not care about."""

    def __init__(self, connection: Connection, metadata: MetaData) -> None:
        self.connection = connection
        self.metadata = metadata
        self.counter = itertools.count(1)

    def _filler(self, table: Table, name: str) -> Any:
        model_column = Base.metadata.tables[table.name].c.get(name)
        kind = model_column.type if model_column is not None else table.c[name].type
        n = next(self.counter)
        if isinstance(kind, Enum):
            return kind.enums[0]
        if isinstance(kind, Boolean):
            return False
        if isinstance(kind, Integer):
            return 1
        if isinstance(kind, Float | Numeric):
            return 1.0
        if isinstance(kind, JSON):
            return {}
        if isinstance(kind, LargeBinary):
            return b"x"
        if isinstance(kind, UTCDateTime | DateTime):
            return T0 + timedelta(minutes=n)
        length = getattr(kind, "length", None) or 40
        return f"{table.name[:8]}-{name[:8]}-{n}"[:length]

    def add(self, table_name: str, **values: Any) -> int:
        table = self.metadata.tables[table_name]
        row = dict(values)
        for column in table.columns:
            if column.name in row or column.nullable or column.server_default is not None:
                continue
            if column.primary_key and isinstance(column.type, Integer) and column.autoincrement:
                continue
            if column.foreign_keys:
                raise AssertionError(f"{table_name}.{column.name} needs a value")
            row[column.name] = self._filler(table, column.name)
        result = self.connection.execute(table.insert().values(**row))
        key = result.inserted_primary_key
        return key[0] if key and len(key) == 1 else 0


def _sealed_trail(world: World, intent_id: int, public_id: str, actor_id: int,
                  identity: seal.SealIdentity) -> dict[str, Any]:
    """Three audit entries of a completed intent, its signed head and its sealed PDF."""
    scope = f"intent:{public_id}"
    prev = chain.GENESIS
    entries = []
    for seq, action in enumerate(("drafted", "signed", "completed"), start=1):
        entry = chain.ChainEntry(seq=seq, action=action, at=T0 + timedelta(hours=seq),
                                 actor_id=actor_id if seq < 3 else None,
                                 actor_label="Liu Organizer <organizer@example.org>",
                                 ip="203.0.113.5", user_agent="pytest", details={"n": seq},
                                 prev_hash=prev)
        digest = chain.entry_hash(scope, entry)
        world.add("signing_audit", intent_id=intent_id, seq=seq, action=action, at=entry.at,
                  actor_id=entry.actor_id, actor_label=entry.actor_label, ip=entry.ip,
                  user_agent=entry.user_agent, details=dict(entry.details), prev_hash=prev,
                  entry_hash=digest)
        entries.append((entry, digest))
        prev = digest
    signature = seal.sign_message(identity, chain.head_message(scope, len(entries), prev))
    document = chain.export_trail(scope, entries, head_signature=signature)
    unsealed = pdf.build_pdf(
        {"reference": "YXZ-2026-001", "title": {"zh": "合作意向书", "en": "Intent of cooperation"}},
        "a" * 64, [],
        [pdf.AuditLine(e.seq, e.at, e.action, e.actor_label, e.ip, e.user_agent, d)
         for e, d in entries],
        "https://roadshow.example/verify-intent", completed_at=T0 + timedelta(hours=3),
        trail_json=json.dumps(document).encode(), zone="Asia/Shanghai")
    sealed = seal.seal_pdf(unsealed, identity, reason="test", location="test", contact="test")
    return {"audit_head": prev, "audit_count": len(entries), "audit_head_signature": signature,
            "sealed_pdf": sealed, "sealed_sha256": hashlib.sha256(sealed).hexdigest()}


def _build_world(connection: Connection, identity: seal.SealIdentity) -> dict[str, int]:
    world = World(connection, _reflect(connection))
    add = world.add
    ids: dict[str, int] = {}
    ids["gulou"] = add("districts", code="gulou", name_zh="鼓楼区", name_en="Gulou District")
    ids["pei"] = add("districts", code="pei", name_zh="沛县", name_en="Pei County")
    ids["organizer"] = add("users", email="organizer@example.org", role="organizer",
                           name="Liu Organizer", active=True)
    ids["organizer2"] = add("users", email="second@example.org", role="organizer",
                            name="Second Organizer", active=True)
    ids["former"] = add("users", email="former@example.org", role="organizer", name="Former",
                        active=False)
    ids["judge1"] = add("users", email="judge1@example.org", role="judge", name="Judge One",
                        active=True)
    ids["judge2"] = add("users", email="judge2@example.org", role="judge", name="Judge Two",
                        active=True)
    ids["recruiter"] = add("users", email="gulou@example.org", role="recruiter",
                           name="Gulou Recruiter", district_id=ids["gulou"], active=True)
    ids["recruiter_nowhere"] = add("users", email="nowhere@example.org", role="recruiter",
                                   name="Recruiter Without District", active=True)
    ids["applicant"] = add("users", email="daniel@example.org", role="applicant",
                           name="Daniel Chen", active=True)
    ids["applicant2"] = add("users", email="mei@example.org", role="applicant", name="Mei Lin",
                            active=True)
    for key in ("applicant", "applicant2"):
        add("applicant_profiles", user_id=ids[key], nationality="US",
            country_of_residence="US")
    # the home page showed the newest *published* event; the office is named after the newest
    ids["event"] = add("events", slug="xuzhou-cloud-roadshow", title_zh="云创荟",
                       title_en="Cloud Roadshow", organizer_name_zh="徐州市人才办",
                       organizer_name_en="Xuzhou Talent Office", published=True,
                       timezone="Asia/Shanghai", created_at=T0)
    ids["draft_event"] = add("events", slug="next-year", title_zh="明年", title_en="Next year",
                             organizer_name_zh="徐州市委人才办",
                             organizer_name_en="Xuzhou Municipal Talent Office",
                             published=False, timezone="Asia/Shanghai",
                             created_at=T0 + timedelta(days=30))
    event = ids["event"]
    for district in ("gulou", "pei"):
        add("event_districts", event_id=event, district_id=ids[district])
    add("event_phases", event_id=event, kind="call", starts_at=T0, ends_at=T0 + timedelta(days=9))
    add("event_phases", event_id=event, kind="review", starts_at=T0 + timedelta(days=9),
        ends_at=T0 + timedelta(days=20))
    ids["track"] = add("tracks", event_id=event, code="ict", name_zh="集成电路", name_en="ICT")
    ids["question"] = add("event_questions", event_id=event, kind="text",
                          prompt_zh="为什么来徐州？", prompt_en="Why Xuzhou?")
    ids["application"] = add("applications", event_id=event, applicant_id=ids["applicant"],
                             track_id=ids["track"], status="finalist", title_en="Low-power IoT",
                             title_zh="低功耗物联网", country="US")
    ids["application2"] = add("applications", event_id=event, applicant_id=ids["applicant2"],
                              track_id=ids["track"], status="submitted", title_en="Batteries",
                              title_zh="电池", country="CA")
    application = ids["application"]
    add("application_answers", application_id=application, question_id=ids["question"],
        text_value="Family")
    add("application_districts", application_id=application, district_id=ids["gulou"])
    add("decks", application_id=application, original_name="deck.pdf", size_bytes=1234)
    ids["criterion"] = add("review_criteria", event_id=event, code="innovation",
                           name_zh="创新性", name_en="Innovation", weight=0.5)
    add("review_settings", event_id=event, judges_per_application=2, finalist_count=30,
        see_other_reviews="never", track_quota={"ict": 3})
    add("review_assignments", event_id=event, application_id=application,
        judge_id=ids["judge1"], round="preliminary")
    ids["review"] = add("reviews", application_id=application, judge_id=ids["judge1"],
                        round="preliminary", status="submitted")
    add("review_scores", review_id=ids["review"], criterion_id=ids["criterion"], value=8.5)
    add("selection_decisions", event_id=event, application_id=application, selected=True,
        decided_by_id=ids["organizer"])
    add("district_interests", application_id=application, district_id=ids["gulou"],
        recruiter_id=ids["recruiter"], level="strong")
    ids["session"] = add("pitch_sessions", event_id=event, title_zh="第一场", title_en="Session 1",
                         track_id=ids["track"], starts_at=T0 + timedelta(days=25),
                         ends_at=T0 + timedelta(days=25, hours=2), status="published",
                         uid="session-1@roadshow")
    add("schedule_slots", session_id=ids["session"], kind="pitch", application_id=application,
        starts_at=T0 + timedelta(days=25), ends_at=T0 + timedelta(days=25, minutes=15),
        uid="slot-1@roadshow")
    ids["room"] = add("live_rooms", session_id=ids["session"], stage={"item": 1}, seq=2,
                      heads={"all": 2})
    add("live_events", room_id=ids["room"], seq=1, kind="stage", audience="all",
        data={"item": 1}, actor_id=ids["organizer"], prev={})
    ids["live_question"] = add("live_questions", room_id=ids["room"], application_id=application,
                               author_id=ids["judge2"], text="How big is the market?")
    add("live_votes", question_id=ids["live_question"], user_id=ids["judge1"])
    add("live_docking_requests", room_id=ids["room"], event_id=event, application_id=application,
        district_id=ids["gulou"], recruiter_id=ids["recruiter"], kind="talk",
        note="Let us talk", proposed_times=[], meeting_uid="meeting-1@roadshow")
    ids["intent"] = add("signing_intents", public_id="p" * 32, reference="YXZ-2026-001",
                        application_id=application, district_id=ids["gulou"],
                        created_by_id=ids["organizer"], state="completed", audit_count=0,
                        audit_head=chain.GENESIS, audit_head_signature="",
                        completed_at=T0 + timedelta(hours=3), content_sha256="a" * 64)
    sealed = _sealed_trail(world, ids["intent"], "p" * 32, ids["organizer"], identity)
    connection.execute(world.metadata.tables["signing_intents"].update()
                       .where(world.metadata.tables["signing_intents"].c.id == ids["intent"])
                       .values(**sealed, sealed_at=T0 + timedelta(hours=3)))
    add("signing_intent_versions", intent_id=ids["intent"], number=1, content={"a": 1},
        content_sha256="a" * 64, draft_fields={}, created_by_id=ids["organizer"])
    add("signing_signers", intent_id=ids["intent"], position=1, role="applicant",
        user_id=ids["applicant"], state="signed")
    add("outbox_messages", to_address="daniel@example.org", subject="Welcome", status="sent")
    expires = T0 + timedelta(days=400)
    ids["inv_judge"] = add("invitations", email="judge3@example.org", name="Judge Three",
                           role="judge", nonce="n" * 43, invited_by_id=ids["organizer"],
                           expires_at=expires)
    ids["inv_recruiter"] = add("invitations", email="pei@example.org", name="Pei Recruiter",
                               role="recruiter", district_id=ids["pei"], nonce="m" * 43,
                               invited_by_id=ids["organizer"], expires_at=expires)
    ids["inv_organizer"] = add("invitations", email="colleague@example.org", name="Colleague",
                               role="organizer", nonce="o" * 43, invited_by_id=ids["organizer"],
                               expires_at=expires)
    return ids


def _snapshot(connection: Connection, tables: dict[str, list[str]] | None = None,
              ) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table (but Alembic's) by primary key; ``tables`` limits the columns."""
    metadata = _reflect(connection)
    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for name, table in metadata.tables.items():
        if name == "alembic_version" or (tables is not None and name not in tables):
            continue
        names = tables[name] if tables else table.c.keys()
        key = [c.name for c in table.primary_key.columns]
        wanted = [table.c[c] for c in dict.fromkeys([*names, *key])]
        rows[name] = {tuple(row[c] for c in key): {c: row[c] for c in names}
                      for row in connection.execute(select(*wanted)).mappings()}
    return rows


def _columns(snapshot: dict[str, dict[tuple[Any, ...], dict[str, Any]]]) -> dict[str, list[str]]:
    return {name: list(next(iter(rows.values())).keys()) if rows else [] for name, rows in
            snapshot.items()}


def _rows(connection: Connection, sql_table: str, *columns: str) -> set[tuple[Any, ...]]:
    table = _reflect(connection).tables[sql_table]
    return {tuple(row) for row in connection.execute(select(*(table.c[c] for c in columns)))}


@pytest.fixture
def migrated(database: str, tmp_path: Path) -> Iterator[tuple[Flask, dict[str, Any]]]:
    app = _app(database, tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        identity = seal.ensure_identity(Path(app.instance_path) / "signing")
        with db.engine.begin() as connection:
            ids = _build_world(connection, identity)
        with db.engine.connect() as connection:
            before = _snapshot(connection)
        yield app, {"ids": ids, "before": before}
        db.session.remove()
        db.engine.dispose()


def _old_rows_unchanged(before: dict[str, dict[tuple[Any, ...], dict[str, Any]]]) -> None:
    with db.engine.connect() as connection:
        after = _snapshot(connection, {name: cols for name, cols in _columns(before).items()
                                       if cols})
    for name, rows in before.items():
        if not rows:
            continue
        assert after[name].keys() == rows.keys(), f"{name}: rows appeared or went"
        for key, row in rows.items():
            changed = {c: (v, after[name][key][c]) for c, v in row.items()
                       if after[name][key][c] != v}
            assert not changed, f"{name} {key}: {changed}"


def test_upgrade_keeps_every_row_and_gives_it_one_office(migrated):
    app, world = migrated
    ids, before = world["ids"], world["before"]
    empty = sorted(name for name in LIVED_IN if not before[name])
    assert not empty, f"the world should hold rows in {empty}"
    upgrade()
    _old_rows_unchanged(before)
    with db.engine.connect() as connection:
        organisations = _rows(connection, "organisations", "id", "slug", "kind", "name_zh",
                              "name_en", "timezone")
        assert len(organisations) == 1
        (office, slug, kind, name_zh, name_en, zone), = organisations
        # named after the newest event, published or not
        assert (slug, kind, name_zh, name_en, zone) == (
            "talent-office", "city_office", "徐州市委人才办", "Xuzhou Municipal Talent Office",
            "Asia/Shanghai")
        assert _rows(connection, "events", "id", "organisation_id", "kind", "stage_call",
                     "stage_review", "stage_schedule", "stage_live", "stage_signing",
                     "alliance_id", "copied_from_id", "archived_at", "archived_by_id") == {
            (ids[e], office, "roadshow", True, True, True, True, True, None, None, None, None)
            for e in ("event", "draft_event")}
        assert _rows(connection, "districts", "code", "organisation_id") == {
            ("gulou", office), ("pei", office)}
        # every organizer, active or not, organises the office; the first active one administers
        assert _rows(connection, "organisation_members", "organisation_id", "user_id", "role") == {
            (office, ids[u], "organizer") for u in ("organizer", "organizer2", "former")}
        assert _rows(connection, "users", "id", "is_platform_admin") == {
            (user_id, key == "organizer") for key, user_id in ids.items()
            if key in {"organizer", "organizer2", "former", "judge1", "judge2", "recruiter",
                       "recruiter_nowhere", "applicant", "applicant2"}}
        # each judge and recruiter keeps every event they could see, recruiters their district
        assert _rows(connection, "event_roles", "event_id", "user_id", "role", "district_id") == {
            (ids[e], ids[u], role, district)
            for e in ("event", "draft_event")
            for u, role, district in (("judge1", "judge", None), ("judge2", "judge", None),
                                      ("recruiter", "recruiter", ids["gulou"]),
                                      ("recruiter_nowhere", "recruiter", None))}
        assert _rows(connection, "invitations", "id", "organisation_id", "event_id") == {
            (ids["inv_judge"], None, ids["event"]), (ids["inv_recruiter"], None, ids["event"]),
            (ids["inv_organizer"], office, None)}
        for table in ("alliances", "alliance_members", "alliance_shares"):
            assert _rows(connection, table, *(["alliance_id"] if table != "alliances"
                                              else ["id"])) == set()
        if connection.dialect.name == "sqlite":  # the rebuilt tables left no row dangling
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        diff = compare_metadata(MigrationContext.configure(connection, opts={
            "compare_type": True,
            # the talent pool's search index (migration 0010) is no model
            "include_name": lambda name, _type, _parents: not is_index_object(name)}),
            Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    results = verify_all_chains(db.session)
    assert [intent.reference for intent in results] == ["YXZ-2026-001"]
    assert all(problems == [] for problems in results.values()), results
    verified = app.test_cli_runner().invoke(args=["signing", "verify-chain"])
    assert verified.exit_code == 0, verified.output
    assert "All 1 audit trail(s) intact (3 entries)." in verified.output


def test_downgrade_gives_back_the_old_rows(migrated):
    _app_, world = migrated
    before = world["before"]
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        after = _snapshot(connection)
    assert after.keys() == before.keys()
    for name, rows in before.items():
        assert after[name] == rows, name
    upgrade()
    _old_rows_unchanged(before)


def test_upgrade_of_an_empty_database_makes_no_office(database, tmp_path):
    app = _app(database, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert _rows(connection, "organisations", "id") == set()
        db.engine.dispose()


def test_downgrade_refuses_when_two_offices_share_a_district_code(migrated):
    _app_, _world = migrated
    # to this revision only: on PostgreSQL the failed downgrade undoes the later ones it ran too
    upgrade(revision=AFTER)
    with db.engine.begin() as connection:
        world = World(connection, _reflect(connection))
        other = world.add("organisations", slug="xiao-county", kind="county_office",
                          name_zh="萧县人才办", name_en="Xiao County Talent Office",
                          timezone="Asia/Shanghai")
        world.add("districts", organisation_id=other, code="gulou", name_zh="鼓楼",
                  name_en="Gulou")
    # through Alembic itself: Flask-Migrate would log the error and exit
    config = current_app.extensions["migrate"].migrate.get_config()
    with pytest.raises(RuntimeError,
                       match="these codes are used by more than one organisation: gulou"):
        command.downgrade(config, BEFORE)
    with db.engine.connect() as connection:
        assert _rows(connection, "alembic_version", "version_num") == {(AFTER,)}
        assert len(_rows(connection, "districts", "id", "organisation_id")) == 3


def test_the_office_takes_the_configured_address(migrated, monkeypatch):
    monkeypatch.setenv("ROADSHOW_MIGRATION_ORGANISATION_SLUG", "xuzhou")
    upgrade()
    with db.engine.connect() as connection:
        assert {slug for (slug,) in _rows(connection, "organisations", "slug")} == {"xuzhou"}
