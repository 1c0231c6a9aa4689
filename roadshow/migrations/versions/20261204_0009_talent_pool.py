"""the talent pool (issue 14, docs/design/talent-pool.md)

The tables of the pool: people, their industries, consents, changes and contact log, the liaison
stations and their members, the access log, saved searches and alliance shares of the pool. Every
table is new, so the downgrade drops them (and, on PostgreSQL, their enum types).

Revision ID: 0009_talent_pool
Revises: 0008_calendar_invite_event
Create Date: 2026-12-04 21:55:39

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0009_talent_pool'
down_revision = '0008_calendar_invite_event'
branch_labels = None
depends_on = None

talent_degree = sa.Enum('bachelor', 'master', 'doctorate', 'other', name='talent_degree')
talent_category = sa.Enum('official', 'high_level', 'business', 'student', 'returnee',
                          name='talent_category')
talent_source = sa.Enum('application', 'import', 'recommendation', 'self_nomination', 'station',
                        'visit', name='talent_source')
talent_contact_kind = sa.Enum('call', 'visit', 'message', 'event', name='talent_contact_kind')
station_role = sa.Enum('head', 'deputy', 'officer', name='station_role')
NEW_ENUMS = (talent_degree, talent_category, talent_source, talent_contact_kind, station_role)


def _pg():
    return op.get_bind().dialect.name == 'postgresql'


def kind(enum):
    """The enum column type; on PostgreSQL the type is created once, before the tables."""
    return postgresql.ENUM(*enum.enums, name=enum.name, create_type=False) if _pg() else enum


def upgrade():
    if _pg():
        for enum in NEW_ENUMS:
            enum.create(op.get_bind(), checkfirst=True)
    op.create_table('talent_industries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_talent_industries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['talent_industries.id'], name=op.f('fk_talent_industries_parent_id_talent_industries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_industries')),
    sa.UniqueConstraint('organisation_id', 'code', name=op.f('uq_talent_industries_organisation_id_code'))
    )
    op.create_table('talent_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('category', kind(talent_category), nullable=True),
    sa.Column('contacts_shared', sa.Boolean(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_talent_shares_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_talent_shares_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_shares'))
    )
    with op.batch_alter_table('talent_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_shares_alliance_id'), ['alliance_id'], unique=False)

    op.create_table('talent_stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('city_zh', sa.String(length=120), nullable=False),
    sa.Column('city_en', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_talent_stations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_stations')),
    sa.UniqueConstraint('organisation_id', 'slug', name=op.f('uq_talent_stations_organisation_id_slug'))
    )
    op.create_table('talent_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=True),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('name_pinyin', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.String(length=16), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('native_code', sa.String(length=6), nullable=True),
    sa.Column('residence_country', sa.String(length=2), nullable=False),
    sa.Column('residence_city', sa.String(length=120), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('degree', kind(talent_degree), nullable=True),
    sa.Column('school', sa.String(length=200), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('category', kind(talent_category), nullable=False),
    sa.Column('source', kind(talent_source), nullable=False),
    sa.Column('recommended_by', sa.String(length=200), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('languages', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('confirmed_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('erased_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retained_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_talent_people_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['talent_stations.id'], name=op.f('fk_talent_people_station_id_talent_stations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_talent_people_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_people'))
    )
    with op.batch_alter_table('talent_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_people_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_people_native_code'), ['native_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_people_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_people_user_id'), ['user_id'], unique=False)

    op.create_table('talent_saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('query', sa.JSON(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_talent_saved_searches_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_talent_saved_searches_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_saved_searches'))
    )
    with op.batch_alter_table('talent_saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_saved_searches_owner_id'), ['owner_id'], unique=False)

    op.create_table('talent_station_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', kind(station_role), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['station_id'], ['talent_stations.id'], name=op.f('fk_talent_station_members_station_id_talent_stations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_talent_station_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_station_members'))
    )
    with op.batch_alter_table('talent_station_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_station_members_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_station_members_user_id'), ['user_id'], unique=False)

    op.create_table('talent_access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_talent_access_log_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_talent_access_log_person_id_talent_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_talent_access_log_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_access_log'))
    )
    with op.batch_alter_table('talent_access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_access_log_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('talent_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_talent_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_talent_changes_person_id_talent_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_changes'))
    )
    with op.batch_alter_table('talent_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_changes_person_id'), ['person_id'], unique=False)

    op.create_table('talent_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('wording_zh', sa.Text(), nullable=False),
    sa.Column('wording_en', sa.Text(), nullable=False),
    sa.Column('given_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('given_via', sa.String(length=40), nullable=False),
    sa.Column('withdrawn_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_talent_consents_person_id_talent_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_consents'))
    )
    with op.batch_alter_table('talent_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_consents_person_id'), ['person_id'], unique=False)

    op.create_table('talent_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('kind', kind(talent_contact_kind), nullable=False),
    sa.Column('happened_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('next_step', sa.String(length=300), nullable=True),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('done_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_talent_contacts_officer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_talent_contacts_person_id_talent_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_contacts'))
    )
    with op.batch_alter_table('talent_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_contacts_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_contacts_person_id'), ['person_id'], unique=False)

    op.create_table('talent_person_industries',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('industry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['industry_id'], ['talent_industries.id'], name=op.f('fk_talent_person_industries_industry_id_talent_industries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_talent_person_industries_person_id_talent_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'industry_id', name=op.f('pk_talent_person_industries'))
    )


def downgrade():
    op.drop_table('talent_person_industries')
    with op.batch_alter_table('talent_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_contacts_person_id'))
        batch_op.drop_index(batch_op.f('ix_talent_contacts_officer_id'))

    op.drop_table('talent_contacts')
    with op.batch_alter_table('talent_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_consents_person_id'))

    op.drop_table('talent_consents')
    with op.batch_alter_table('talent_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_changes_person_id'))

    op.drop_table('talent_changes')
    with op.batch_alter_table('talent_access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_access_log_organisation_id'))

    op.drop_table('talent_access_log')
    with op.batch_alter_table('talent_station_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_station_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_talent_station_members_station_id'))

    op.drop_table('talent_station_members')
    with op.batch_alter_table('talent_saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_saved_searches_owner_id'))

    op.drop_table('talent_saved_searches')
    with op.batch_alter_table('talent_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_people_user_id'))
        batch_op.drop_index(batch_op.f('ix_talent_people_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_talent_people_native_code'))
        batch_op.drop_index(batch_op.f('ix_talent_people_email'))

    op.drop_table('talent_people')
    op.drop_table('talent_stations')
    with op.batch_alter_table('talent_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_shares_alliance_id'))

    op.drop_table('talent_shares')
    op.drop_table('talent_industries')
    if _pg():
        for enum in NEW_ENUMS:
            enum.drop(op.get_bind(), checkfirst=True)
