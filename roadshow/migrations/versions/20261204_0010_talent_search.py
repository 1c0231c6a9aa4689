"""the talent pool's full-text search (issue 14, docs/design/talent-pool.md)

One document per person (names in characters, Latin letters and pinyin, employer, position,
field, school, city; see roadshow/talent/search_index.py), computed by the database from the
row, so every write keeps it current. SQLite: an FTS5 virtual table with the trigram tokenizer,
filled by triggers on talent_people (and, here, from the rows already there). PostgreSQL: the
pg_trgm extension and a GIN trigram index on the document expression. On both, an index in the
people list's order within an office, holding the filters' columns. The SQL is written out here as it was at this revision.

Revision ID: 0010_talent_search
Revises: 0009_talent_pool
Create Date: 2026-12-04 22:10:00

"""
# ruff: noqa: S608 - SQL built from this module's constants, never from input
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_talent_search'
down_revision = '0009_talent_pool'
branch_labels = None
depends_on = None

PG_DOCUMENT = "lower('^' || coalesce(name_zh, '') || '$ ^' || replace(trim(coalesce(name_en, '')), ' ', '$ ^') || '$ ^' || replace(trim(coalesce(name_pinyin, '')), ' ', '$ ^') || '$ ' || replace(coalesce(name_pinyin, ''), ' ', '') || ' ' || replace(coalesce(name_en, ''), ' ', '') || ' | ^' || coalesce(employer, '') || ' | ^' || coalesce(position, '') || ' | ^' || coalesce(field, '') || ' | ^' || coalesce(school, '') || ' | ^' || coalesce(residence_city, ''))"
NEW_DOCUMENT = "lower('^' || coalesce(new.name_zh, '') || '$ ^' || replace(trim(coalesce(new.name_en, '')), ' ', '$ ^') || '$ ^' || replace(trim(coalesce(new.name_pinyin, '')), ' ', '$ ^') || '$ ' || replace(coalesce(new.name_pinyin, ''), ' ', '') || ' ' || replace(coalesce(new.name_en, ''), ' ', '') || ' | ^' || coalesce(new.employer, '') || ' | ^' || coalesce(new.position, '') || ' | ^' || coalesce(new.field, '') || ' | ^' || coalesce(new.school, '') || ' | ^' || coalesce(new.residence_city, ''))"
ROW_DOCUMENT = "lower('^' || coalesce(talent_people.name_zh, '') || '$ ^' || replace(trim(coalesce(talent_people.name_en, '')), ' ', '$ ^') || '$ ^' || replace(trim(coalesce(talent_people.name_pinyin, '')), ' ', '$ ^') || '$ ' || replace(coalesce(talent_people.name_pinyin, ''), ' ', '') || ' ' || replace(coalesce(talent_people.name_en, ''), ' ', '') || ' | ^' || coalesce(talent_people.employer, '') || ' | ^' || coalesce(talent_people.position, '') || ' | ^' || coalesce(talent_people.field, '') || ' | ^' || coalesce(talent_people.school, '') || ' | ^' || coalesce(talent_people.residence_city, ''))"
COLUMNS = 'name_zh, name_en, name_pinyin, employer, position, field, school, residence_city'


def upgrade():
    op.execute('CREATE INDEX ix_talent_people_list_order ON talent_people '
               '(organisation_id, name_pinyin, name_en, id, withdrawn_at, erased_at, category, '
               'degree, source, residence_country, native_code, station_id, confirmed_at)')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(f'CREATE INDEX ix_talent_people_search ON talent_people USING gin '
                   f'(({PG_DOCUMENT}) gin_trgm_ops)')
        return
    op.execute("CREATE VIRTUAL TABLE talent_people_fts USING fts5(document, tokenize='trigram')")
    op.execute(f'CREATE TRIGGER talent_people_fts_insert AFTER INSERT ON talent_people BEGIN '
               f'INSERT INTO talent_people_fts(rowid, document) VALUES (new.id, {NEW_DOCUMENT}); END')
    op.execute(f'CREATE TRIGGER talent_people_fts_update AFTER UPDATE OF {COLUMNS} '
               f'ON talent_people BEGIN DELETE FROM talent_people_fts WHERE rowid = old.id; '
               f'INSERT INTO talent_people_fts(rowid, document) VALUES (new.id, {NEW_DOCUMENT}); END')
    op.execute('CREATE TRIGGER talent_people_fts_delete AFTER DELETE ON talent_people BEGIN '
               'DELETE FROM talent_people_fts WHERE rowid = old.id; END')
    op.execute(f'INSERT INTO talent_people_fts(rowid, document) SELECT id, {ROW_DOCUMENT} '
               f'FROM talent_people')


def downgrade():
    op.execute('DROP INDEX IF EXISTS ix_talent_people_list_order')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_talent_people_search')
        return  # pg_trgm stays: other databases' objects may use it
    for trigger in ('talent_people_fts_insert', 'talent_people_fts_update',
                    'talent_people_fts_delete'):
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.execute('DROP TABLE IF EXISTS talent_people_fts')
