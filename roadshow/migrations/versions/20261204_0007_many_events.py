"""many events, many offices (issue 13): organisations, their members, per-event roles,
alliances and their shares; events and districts belong to an office; platform administrators;
invitations to an office or an event

What was there keeps its meaning (docs/design/many-events.md §3): a database holding anything
gets one organisation (slug ``ROADSHOW_MIGRATION_ORGANISATION_SLUG``, default ``talent-office``,
named after the newest event's organizer) that owns every event and district; every organizer
becomes its member; every judge and recruiter gets a role in every event (each could see every
event before); the active organizer with the lowest id becomes platform administrator; pending
invitations go to the office (organizers) or to the event the home page showed (judges,
recruiters). An empty database gets no organisation.

SQLite rebuilds the changed tables (batch mode). Dropping the old ``events`` table with foreign
keys enforced would run its ON DELETE CASCADE into every event's rows, so foreign keys are off
while the tables are rebuilt, and checked (any dangling row is logged) before they are turned on
again.

Revision ID: 0007_many_events
Revises: 0006_live_channel_heads
Create Date: 2026-12-04 16:20:00

"""
import logging
import os
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from roadshow.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0007_many_events'
down_revision = '0006_live_channel_heads'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

DEFAULT_SLUG = 'talent-office'
DEFAULT_NAME_ZH = '人才办'
DEFAULT_NAME_EN = 'Talent office'
DEFAULT_TIMEZONE = 'Asia/Shanghai'

organisation_kind = sa.Enum('city_office', 'county_office', 'university_office',
                            name='organisation_kind')
organisation_role = sa.Enum('organizer', name='organisation_role')
event_role = sa.Enum('organizer', 'judge', 'recruiter', name='event_role')
event_kind = sa.Enum('roadshow', 'symposium', 'promotion', name='event_kind')
share_kind = sa.Enum('joint_event', 'event_report', 'judge_pool', name='share_kind')
NEW_ENUMS = (organisation_kind, organisation_role, event_role, event_kind, share_kind)
NEW_TABLES = ('alliance_shares', 'event_roles', 'organisation_members', 'alliance_members',
              'organisations', 'alliances')


class DistrictCodesClashError(RuntimeError):
    """Downgrading would put two offices' districts with one code under a global unique code."""


def _is_sqlite():
    return op.get_bind().dialect.name == 'sqlite'


def _foreign_keys(on):
    """SQLite: turn foreign key enforcement on or off (outside a transaction, where it counts)."""
    if not _is_sqlite():
        return
    with op.get_context().autocommit_block():
        if on:
            # the tables are rebuilt and committed by now: report, do not undo half of it
            broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').fetchall()
            if broken:
                log.error('rows whose foreign keys point nowhere (table, rowid, parent, '
                          'constraint): %s', broken[:20])
        op.get_bind().exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


# lightweight tables for the data moves (the models may change after this revision)
_organisations = sa.table(
    'organisations', sa.column('id', sa.Integer), sa.column('slug', sa.String),
    sa.column('kind', organisation_kind), sa.column('name_zh', sa.String),
    sa.column('name_en', sa.String), sa.column('timezone', sa.String),
    sa.column('created_at', UTCDateTime()))
_organisation_members = sa.table(
    'organisation_members', sa.column('organisation_id', sa.Integer),
    sa.column('user_id', sa.Integer), sa.column('role', organisation_role),
    sa.column('created_at', UTCDateTime()))
_event_roles = sa.table(
    'event_roles', sa.column('event_id', sa.Integer), sa.column('user_id', sa.Integer),
    sa.column('role', event_role), sa.column('district_id', sa.Integer),
    sa.column('created_at', UTCDateTime()))
_events = sa.table(
    'events', sa.column('id', sa.Integer), sa.column('organizer_name_zh', sa.String),
    sa.column('organizer_name_en', sa.String), sa.column('timezone', sa.String),
    sa.column('published', sa.Boolean), sa.column('created_at', UTCDateTime()),
    sa.column('organisation_id', sa.Integer))
_districts = sa.table('districts', sa.column('id', sa.Integer),
                      sa.column('organisation_id', sa.Integer))
_users = sa.table('users', sa.column('id', sa.Integer), sa.column('role', sa.String),
                  sa.column('district_id', sa.Integer), sa.column('active', sa.Boolean),
                  sa.column('email', sa.String), sa.column('is_platform_admin', sa.Boolean))
_invitations = sa.table('invitations', sa.column('id', sa.Integer), sa.column('role', sa.String),
                        sa.column('organisation_id', sa.Integer), sa.column('event_id', sa.Integer))


def _role_text(column):
    """The account role as text (PostgreSQL keeps it in the ``role`` enum)."""
    return sa.cast(column, sa.String)


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'admin'")
        for enum in NEW_ENUMS:
            enum.create(op.get_bind(), checkfirst=True)
    _foreign_keys(False)
    _create_tables()
    organisation_id = _the_organisation()
    _events_belong_to(organisation_id)
    _districts_belong_to(organisation_id)
    _platform_admin()
    _memberships_and_event_roles(organisation_id)
    _invitations_target(organisation_id)
    _foreign_keys(True)


def _create_tables():
    pg = op.get_bind().dialect.name == 'postgresql'

    def kind(enum):
        # the types exist already on PostgreSQL
        return postgresql.ENUM(*enum.enums, name=enum.name, create_type=False) if pg else enum

    op.create_table(
        'alliances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alliances')),
        sa.UniqueConstraint('slug', name=op.f('uq_alliances_slug')),
    )
    op.create_table(
        'organisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('kind', kind(organisation_kind), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_organisations_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
        sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug')),
    )
    op.create_table(
        'alliance_members',
        sa.Column('alliance_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('joined_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('left_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'],
                                name=op.f('fk_alliance_members_alliance_id_alliances'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_alliance_members_organisation_id_organisations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('alliance_id', 'organisation_id',
                                name=op.f('pk_alliance_members')),
    )
    op.create_index(op.f('ix_alliance_members_organisation_id'), 'alliance_members',
                    ['organisation_id'], unique=False)
    op.create_table(
        'organisation_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', kind(organisation_role), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'],
                                name=op.f('fk_organisation_members_granted_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_organisation_members_organisation_id_organisations'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_organisation_members_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_members')),
        sa.UniqueConstraint('organisation_id', 'user_id', 'role',
                            name=op.f('uq_organisation_members_organisation_id_user_id_role')),
    )
    op.create_index(op.f('ix_organisation_members_user_id'), 'organisation_members', ['user_id'],
                    unique=False)
    op.create_table(
        'alliance_shares',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('alliance_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('kind', kind(share_kind), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind = 'judge_pool' OR event_id IS NOT NULL",
                           name=op.f('ck_alliance_shares_event_for_event_kinds')),
        sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'],
                                name=op.f('fk_alliance_shares_alliance_id_alliances'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_alliance_shares_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_alliance_shares_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_alliance_shares_organisation_id_organisations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_shares')),
        sa.UniqueConstraint(
            'alliance_id', 'organisation_id', 'kind', 'event_id',
            name=op.f('uq_alliance_shares_alliance_id_organisation_id_kind_event_id')),
    )
    op.create_index(op.f('ix_alliance_shares_event_id'), 'alliance_shares', ['event_id'],
                    unique=False)
    op.create_table(
        'event_roles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', kind(event_role), nullable=False),
        sa.Column('district_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("role = 'recruiter' OR district_id IS NULL",
                           name=op.f('ck_event_roles_district_only_for_recruiters')),
        sa.ForeignKeyConstraint(['district_id'], ['districts.id'],
                                name=op.f('fk_event_roles_district_id_districts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_event_roles_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'],
                                name=op.f('fk_event_roles_granted_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_event_roles_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_roles')),
        sa.UniqueConstraint('event_id', 'user_id', 'role',
                            name=op.f('uq_event_roles_event_id_user_id_role')),
    )
    op.create_index('ix_event_roles_event_id_role', 'event_roles', ['event_id', 'role'],
                    unique=False)
    op.create_index(op.f('ix_event_roles_user_id'), 'event_roles', ['user_id'], unique=False)

    # new columns, nullable or with server defaults until they are filled
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', kind(event_kind), server_default='roadshow',
                                      nullable=False))
        for stage in ('call', 'review', 'schedule', 'live', 'signing'):
            batch_op.add_column(sa.Column(f'stage_{stage}', sa.Boolean(),
                                          server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('alliance_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('copied_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('archived_by_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_platform_admin', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))


def _now():
    return datetime.now(UTC)


def _the_organisation():
    """The one office that holds what was there; None on an empty database."""
    bind = op.get_bind()
    held = any(bind.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first()
               for name in ('events', 'districts', 'users'))
    if not held:
        return None
    newest = bind.execute(
        sa.select(_events.c.organizer_name_zh, _events.c.organizer_name_en, _events.c.timezone)
        .order_by(_events.c.created_at.desc(), _events.c.id.desc()).limit(1)).first()
    name_zh = (newest.organizer_name_zh or '').strip() if newest else ''
    name_en = (newest.organizer_name_en or '').strip() if newest else ''
    slug = os.environ.get('ROADSHOW_MIGRATION_ORGANISATION_SLUG', '').strip() or DEFAULT_SLUG
    organisation_id = bind.execute(
        _organisations.insert().values(
            slug=slug, kind='city_office', name_zh=name_zh or DEFAULT_NAME_ZH,
            name_en=name_en or DEFAULT_NAME_EN,
            timezone=(newest.timezone if newest and newest.timezone else DEFAULT_TIMEZONE),
            created_at=_now())
        .returning(_organisations.c.id)).scalar_one()
    log.info('Every event and district now belongs to the organisation %r (%s)', slug,
             name_en or DEFAULT_NAME_EN)
    return organisation_id


def _events_belong_to(organisation_id):
    if organisation_id is not None:
        op.get_bind().execute(_events.update().values(organisation_id=organisation_id))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_events_organisation_id'), ['organisation_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'],
                                    ondelete='RESTRICT')
        batch_op.create_foreign_key(batch_op.f('fk_events_alliance_id_alliances'), 'alliances',
                                    ['alliance_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_events_copied_from_id_events'), 'events',
                                    ['copied_from_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_events_archived_by_id_users'), 'users',
                                    ['archived_by_id'], ['id'], ondelete='SET NULL')


def _districts_belong_to(organisation_id):
    if organisation_id is not None:
        op.get_bind().execute(_districts.update().values(organisation_id=organisation_id))
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_districts_code'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_districts_organisation_id_code'),
                                          ['organisation_id', 'code'])
        batch_op.create_foreign_key(batch_op.f('fk_districts_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'],
                                    ondelete='RESTRICT')


def _platform_admin():
    bind = op.get_bind()
    first = bind.execute(
        sa.select(_users.c.id, _users.c.email)
        .where(_role_text(_users.c.role) == 'organizer', _users.c.active.is_(True))
        .order_by(_users.c.id).limit(1)).first()
    if first is None:
        return
    bind.execute(_users.update().where(_users.c.id == first.id).values(is_platform_admin=True))
    log.info('%s is now platform administrator (roadshow admin grant|revoke <email> changes it)',
             first.email)


def _memberships_and_event_roles(organisation_id):
    if organisation_id is None:
        return
    bind = op.get_bind()
    now = _now()
    organizers = bind.execute(
        sa.select(_users.c.id).where(_role_text(_users.c.role) == 'organizer')
        .order_by(_users.c.id)).scalars().all()
    if organizers:
        bind.execute(_organisation_members.insert(), [
            {'organisation_id': organisation_id, 'user_id': user_id, 'role': 'organizer',
             'created_at': now} for user_id in organizers])
    staff = bind.execute(
        sa.select(_users.c.id, _role_text(_users.c.role).label('role'), _users.c.district_id)
        .where(_role_text(_users.c.role).in_(('judge', 'recruiter')))
        .order_by(_users.c.id)).all()
    events = bind.execute(sa.select(_events.c.id).order_by(_events.c.id)).scalars().all()
    rows = [{'event_id': event_id, 'user_id': person.id, 'role': person.role,
             'district_id': person.district_id if person.role == 'recruiter' else None,
             'created_at': now}
            for event_id in events for person in staff]
    if rows:
        bind.execute(_event_roles.insert(), rows)


def _invitations_target(organisation_id):
    bind = op.get_bind()
    shown = bind.execute(
        sa.select(_events.c.id).where(_events.c.published.is_(True))
        .order_by(_events.c.created_at.desc(), _events.c.id.desc()).limit(1)).scalar()
    if shown is None:
        shown = bind.execute(sa.select(_events.c.id).order_by(
            _events.c.created_at.desc(), _events.c.id.desc()).limit(1)).scalar()
    to_event = _role_text(_invitations.c.role).in_(('judge', 'recruiter'))
    if shown is not None:
        bind.execute(_invitations.update().where(to_event).values(event_id=shown))
    # organizers' invitations, and any invitation when there is no event to invite to
    bind.execute(_invitations.update().where(_invitations.c.event_id.is_(None))
                 .values(organisation_id=organisation_id))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_invitations_organisation_id_organisations'),
                                    'organisations', ['organisation_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_invitations_event_id_events'), 'events',
                                    ['event_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(batch_op.f('ck_invitations_one_target'),
                                         '(organisation_id IS NULL) <> (event_id IS NULL)')


def downgrade():
    bind = op.get_bind()
    clash = bind.execute(sa.text(
        'SELECT code FROM districts GROUP BY code HAVING COUNT(*) > 1 ORDER BY code')).scalars().all()
    if clash:
        raise DistrictCodesClashError(
            'Cannot downgrade: district codes are unique per organisation now, and these codes '
            f'are used by more than one organisation: {", ".join(clash)}. Rename them first.')
    _foreign_keys(False)
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_invitations_one_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_invitations_event_id_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_invitations_organisation_id_organisations'),
                                 type_='foreignkey')
        batch_op.drop_column('event_id')
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_platform_admin')
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_districts_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_districts_organisation_id_code'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_districts_code'), ['code'])
        batch_op.drop_column('organisation_id')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_archived_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_events_copied_from_id_events'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_events_alliance_id_alliances'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_events_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_organisation_id'))
        for column in ('archived_by_id', 'archived_at', 'copied_from_id', 'alliance_id',
                       'stage_signing', 'stage_live', 'stage_schedule', 'stage_review',
                       'stage_call', 'kind', 'organisation_id'):
            batch_op.drop_column(column)
    op.drop_index(op.f('ix_event_roles_user_id'), table_name='event_roles')
    op.drop_index(op.f('ix_event_roles_event_id_role'), table_name='event_roles')
    op.drop_index(op.f('ix_alliance_shares_event_id'), table_name='alliance_shares')
    op.drop_index(op.f('ix_organisation_members_user_id'), table_name='organisation_members')
    op.drop_index(op.f('ix_alliance_members_organisation_id'), table_name='alliance_members')
    for table in NEW_TABLES:
        op.drop_table(table)
    if bind.dialect.name == 'postgresql':
        # 'admin' stays in the role type: PostgreSQL cannot drop an enum value, and it is harmless
        for enum in NEW_ENUMS:
            enum.drop(bind, checkfirst=True)
    _foreign_keys(True)
