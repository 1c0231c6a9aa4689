"""The talent pool's full-text index, in each database's own machinery (issue 14).

One text per person, its *document*: the name in characters, in Latin letters and in pinyin
(word by word, each word marked ``^word$`` so that a two-character query such as 张伟 can match
a name's start or end as a three-character trigram, and with the spaces taken out), then the
employer, position, field, school and city. The document is computed by the database from the
row itself, so every write keeps it current, whoever makes it (a form, an import, a merge, an
erasure):

- SQLite: an FTS5 virtual table ``talent_people_fts`` with the ``trigram`` tokenizer (Chinese
  has no spaces between words, so any three characters must match), its rowid the person's id,
  filled by triggers on ``talent_people``;
- PostgreSQL: a GIN index with ``pg_trgm``'s operator class on the document expression, which
  ``LIKE '%...%'`` on the same expression uses.

Beside it, on both, an index in the list's order within an office that also holds the
filters' columns: a page of the people list, and its count, read the index, not every row.

Created by migration 0010 and, for the tests' schema made from the models, by
:func:`create`. No Flask here; SQL only.
"""

# ruff: noqa: S608 - SQL built from this module's constants, never from input
from __future__ import annotations

from sqlalchemy import Connection, literal_column
from sqlalchemy.sql.elements import ColumnElement

FTS_TABLE = "talent_people_fts"
PG_INDEX = "ix_talent_people_search"
#: the people list's order within an office: a page of the list reads 50 rows of it
LIST_INDEX = "ix_talent_people_list_order"
#: ... and holds the filters' columns, so a filter reads the index alone, not each row
LIST_COLUMNS = ("organisation_id, name_pinyin, name_en, id, withdrawn_at, erased_at, category, "
                "degree, source, residence_country, native_code, station_id, confirmed_at")
LIST_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {LIST_INDEX} ON talent_people ({LIST_COLUMNS})"
TRIGGERS = ("talent_people_fts_insert", "talent_people_fts_update", "talent_people_fts_delete")
#: the columns the document is made of: an update of any of them updates the document
COLUMNS = ("name_zh", "name_en", "name_pinyin", "employer", "position", "field", "school",
           "residence_city")


def document_sql(row: str = "talent_people") -> str:
    """The document of the row ``row`` (a table name, or ``new`` in a trigger) as SQL."""

    def col(name: str) -> str:
        return f"coalesce({row}.{name}, '')" if row else f"coalesce({name}, '')"

    def words(name: str) -> str:
        return f"replace(trim({col(name)}), ' ', '$ ^')"

    return ("lower('^' || " + col("name_zh") + " || '$ ^' || " + words("name_en")
            + " || '$ ^' || " + words("name_pinyin") + " || '$ ' || replace("
            + col("name_pinyin") + ", ' ', '') || ' ' || replace(" + col("name_en")
            + ", ' ', '') || ' | ^' || " + col("employer") + " || ' | ^' || " + col("position")
            + " || ' | ^' || " + col("field") + " || ' | ^' || " + col("school")
            + " || ' | ^' || " + col("residence_city") + ")")


def document() -> ColumnElement[str]:
    """The document of ``talent_people`` in a query, written as the PostgreSQL index is (the
    planner uses an expression index only for the same expression)."""
    return literal_column(document_sql(""))


def create(connection: Connection) -> None:
    """Create the index on this connection's database (the tables exist already)."""
    connection.exec_driver_sql(LIST_INDEX_SQL)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON talent_people USING gin "
            f"(({document_sql('')}) gin_trgm_ops)")
        return
    connection.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(document, tokenize='trigram')")
    new = document_sql("new")
    insert, update, delete = TRIGGERS
    connection.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS {insert} AFTER INSERT ON talent_people BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.id, {new}); END")
    connection.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS {update} AFTER UPDATE OF {', '.join(COLUMNS)} "
        f"ON talent_people BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; "
        f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.id, {new}); END")
    connection.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS {delete} AFTER DELETE ON talent_people BEGIN "
        f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END")
    # rows written before the index existed (an upgrade of a database with people in it)
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, document) SELECT id, {document_sql('talent_people')} "
        f"FROM talent_people WHERE id NOT IN (SELECT rowid FROM {FTS_TABLE})")


def forget(connection: Connection, person_id: int) -> None:
    """Take an erased person out of the index. SQLite: their row of the FTS table goes (the
    update trigger wrote one of the cleared record). PostgreSQL: the document is computed from
    the row, whose fields are cleared: nothing is left to find."""
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", (person_id,))


def drop(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP INDEX IF EXISTS {LIST_INDEX}")
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")
        return  # the extension may serve others: it stays
    for trigger in TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def is_index_object(name: str | None) -> bool:
    """Whether a table or index named ``name`` belongs to these indexes (the schema comparison of
    the migrations' tests and autogenerate leave them alone: they are not in the models)."""
    return bool(name) and (str(name).startswith(FTS_TABLE) or name in (PG_INDEX, LIST_INDEX))
