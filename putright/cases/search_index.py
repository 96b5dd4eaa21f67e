"""issue 16, search: each complaint's words in the database's own full-text index.

One document per complaint, in two parts: its words (the reference, the summary, the
description, its points' summaries, the customer's names and postcode) and the staff's
notes (the triage note, the contacts' summaries). On SQLite it is an FTS5 table (``rowid``
the complaint's id, columns ``body`` and ``notes``); on PostgreSQL a ``tsvector`` (the
words weighted A, the notes B) with a GIN index. Every character that is not a letter or a
digit separates words on both, and accents are dropped (FTS5's ``remove_diacritics``;
PostgreSQL's ``unaccent`` extension).

Triggers keep it current in the same transaction as the change, whatever makes it: a
service's save, a queryset ``update()`` (anonymising blanks text that way, and the index
forgets the words), a bulk COPY. On PostgreSQL they are ``ENABLE ALWAYS``, so they also
run while the bulk writers turn the foreign key triggers off (``session_replication_role =
replica``), and inserts and deletes are statement triggers that refresh a whole batch in
one statement. SQLite drops a table's triggers when a migration rebuilds the table, so
``ensure`` (run after every ``migrate``) puts back any that are missing and then rebuilds
the index, since changes made without them were not seen.
"""

# Every statement here is built from this module's own table, column and trigger names; no
# value from outside reaches it (the search's words go as parameters, in selectors.search).
# ruff: noqa: S608

from __future__ import annotations

from string import Template

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "cases_complaint_search"
COMPLAINT, CUSTOMER, POINT, CONTACT = "cases_complaint", "cases_customer", "cases_point", "cases_contact"
#: A complaint update that changes none of these leaves its document as it was.
COMPLAINT_TEXT = ("reference", "summary", "description", "triage_note", "customer_id")
CUSTOMER_TEXT = ("first_name", "last_name", "postcode")
LIKE = "putright_search_%"


def _parts(aggregate: str) -> tuple[str, str]:
    """The SQL of a complaint ``c`` (joined to its customer ``cu``)'s words and notes."""
    points = f"(SELECT {aggregate}(p.summary, ' ') FROM {POINT} p WHERE p.complaint_id = c.id)"  # nosec B608
    contacts = f"(SELECT {aggregate}(k.summary, ' ') FROM {CONTACT} k WHERE k.complaint_id = c.id)"  # nosec B608
    body = f"c.reference, c.summary, c.description, cu.first_name, cu.last_name, cu.postcode, {points}"
    return body, f"c.triage_note, {contacts}"


# SQLite -----------------------------------------------------------------------------------

_SQLITE_BODY, _SQLITE_NOTES = _parts("group_concat")


def _sqlite_concat(parts: str) -> str:
    return " || ' ' || ".join(f"coalesce({part.strip()}, '')" for part in _split(parts))


def _split(parts: str) -> list[str]:
    """Split a list of SQL expressions on the commas outside parentheses."""
    found, depth, current = [], 0, ""
    for ch in parts:
        if ch == "," and depth == 0:
            found.append(current)
            current = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        current += ch
    return [*found, current]


def _sqlite_fill(where: str) -> str:
    return (
        f"INSERT INTO {TABLE}(rowid, body, notes) SELECT c.id, {_sqlite_concat(_SQLITE_BODY)}, "  # nosec B608
        f"{_sqlite_concat(_SQLITE_NOTES)} FROM {COMPLAINT} c JOIN {CUSTOMER} cu ON cu.id = c.customer_id "
        f"WHERE {where}"
    )


def _sqlite_refresh(complaint: str) -> str:
    return f"DELETE FROM {TABLE} WHERE rowid = {complaint}; {_sqlite_fill(f'c.id = {complaint}')};"  # nosec B608


def _sqlite_triggers() -> dict[str, str]:
    of_complaint = ", ".join(COMPLAINT_TEXT)
    of_customer = ", ".join(CUSTOMER_TEXT)
    triggers = {
        "putright_search_complaint_insert": (
            f"AFTER INSERT ON {COMPLAINT} BEGIN {_sqlite_refresh('NEW.id')} END"
        ),
        "putright_search_complaint_update": (
            f"AFTER UPDATE OF {of_complaint} ON {COMPLAINT} BEGIN {_sqlite_refresh('NEW.id')} END"
        ),
        "putright_search_complaint_delete": (
            f"AFTER DELETE ON {COMPLAINT} BEGIN DELETE FROM {TABLE} WHERE rowid = OLD.id; END"  # nosec B608
        ),
        "putright_search_customer_update": (
            f"AFTER UPDATE OF {of_customer} ON {CUSTOMER} BEGIN "  # nosec B608
            f"DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM {COMPLAINT} WHERE customer_id = NEW.id); "
            f"{_sqlite_fill('c.customer_id = NEW.id')}; END"
        ),
    }
    for table, name in ((POINT, "point"), (CONTACT, "contact")):
        triggers |= {
            f"putright_search_{name}_insert": (
                f"AFTER INSERT ON {table} BEGIN {_sqlite_refresh('NEW.complaint_id')} END"
            ),
            f"putright_search_{name}_update": (
                f"AFTER UPDATE OF summary, complaint_id ON {table} BEGIN "
                f"{_sqlite_refresh('OLD.complaint_id')} {_sqlite_refresh('NEW.complaint_id')} END"
            ),
            f"putright_search_{name}_delete": (
                f"AFTER DELETE ON {table} BEGIN {_sqlite_refresh('OLD.complaint_id')} END"
            ),
        }
    return triggers


# PostgreSQL -------------------------------------------------------------------------------

_PG_BODY, _PG_NOTES = _parts("string_agg")


def _pg_vector(parts: str, weight: str) -> str:
    # Accents go (unaccent, as FTS5's remove_diacritics): "Zoe" finds "Zoë".
    words = f"unaccent(regexp_replace(concat_ws(' ', {parts}), '[^[:alnum:]]+', ' ', 'g'))"
    return f"setweight(to_tsvector('simple', {words}), '{weight}')"


_PG_FUNCTIONS = Template("""
CREATE OR REPLACE FUNCTION putright_search_refresh(ids bigint[]) RETURNS void AS $$$$
    DELETE FROM $table s WHERE s.complaint_id = ANY(ids)
        AND NOT EXISTS (SELECT 1 FROM $complaint c WHERE c.id = s.complaint_id);
    INSERT INTO $table (complaint_id, document)
        SELECT c.id, $document
        FROM $complaint c JOIN $customer cu ON cu.id = c.customer_id
        WHERE c.id = ANY(ids)
    ON CONFLICT (complaint_id) DO UPDATE SET document = EXCLUDED.document;
$$$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION putright_search_added() RETURNS trigger AS $$$$
BEGIN
    IF TG_TABLE_NAME = '$complaint' THEN
        PERFORM putright_search_refresh(ARRAY(SELECT id FROM changed));
    ELSE
        PERFORM putright_search_refresh(ARRAY(SELECT DISTINCT complaint_id FROM changed));
    END IF;
    RETURN NULL;
END;
$$$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION putright_search_removed() RETURNS trigger AS $$$$
BEGIN
    IF TG_TABLE_NAME = '$complaint' THEN
        DELETE FROM $table WHERE complaint_id IN (SELECT id FROM changed);
    ELSE
        PERFORM putright_search_refresh(ARRAY(SELECT DISTINCT complaint_id FROM changed));
    END IF;
    RETURN NULL;
END;
$$$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION putright_search_changed() RETURNS trigger AS $$$$
BEGIN
    IF TG_TABLE_NAME = '$complaint' THEN
        PERFORM putright_search_refresh(ARRAY[NEW.id]);
    ELSIF TG_TABLE_NAME = '$customer' THEN
        PERFORM putright_search_refresh(ARRAY(SELECT id FROM $complaint WHERE customer_id = NEW.id));
    ELSE
        PERFORM putright_search_refresh(ARRAY[OLD.complaint_id, NEW.complaint_id]);
    END IF;
    RETURN NULL;
END;
$$$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION putright_search_emptied() RETURNS trigger AS $$$$
BEGIN
    TRUNCATE $table;
    RETURN NULL;
END;
$$$$ LANGUAGE plpgsql;
""").substitute(
    table=TABLE,
    complaint=COMPLAINT,
    customer=CUSTOMER,
    document=f"{_pg_vector(_PG_BODY, 'A')} || {_pg_vector(_PG_NOTES, 'B')}",
)


def _distinct(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def _pg_triggers() -> dict[str, tuple[str, str]]:
    """Each trigger's name: (its table, the rest of its CREATE TRIGGER)."""
    triggers = {
        "putright_search_complaint_emptied": (
            COMPLAINT,
            "AFTER TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION putright_search_emptied()",
        ),
        "putright_search_customer_changed": (
            CUSTOMER,
            (
                f"AFTER UPDATE OF {', '.join(CUSTOMER_TEXT)} ON {{t}} FOR EACH ROW "
                f"WHEN ({_distinct(CUSTOMER_TEXT)}) EXECUTE FUNCTION putright_search_changed()"
            ),
        ),
    }
    of_item = ("summary", "complaint_id")
    changing = {COMPLAINT: COMPLAINT_TEXT, POINT: of_item, CONTACT: of_item}
    for table, columns in changing.items():
        name = table.removeprefix("cases_")
        triggers |= {
            f"putright_search_{name}_added": (
                table,
                (
                    "AFTER INSERT ON {t} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT "
                    "EXECUTE FUNCTION putright_search_added()"
                ),
            ),
            f"putright_search_{name}_removed": (
                table,
                (
                    "AFTER DELETE ON {t} REFERENCING OLD TABLE AS changed FOR EACH STATEMENT "
                    "EXECUTE FUNCTION putright_search_removed()"
                ),
            ),
            f"putright_search_{name}_changed": (
                table,
                (
                    f"AFTER UPDATE OF {', '.join(columns)} ON {{t}} FOR EACH ROW "
                    f"WHEN ({_distinct(columns)}) EXECUTE FUNCTION putright_search_changed()"
                ),
            ),
        }
    return triggers


# Both -------------------------------------------------------------------------------------


def trigger_names(connection: BaseDatabaseWrapper) -> set[str]:
    """The triggers the index needs on this database."""
    return set(_sqlite_triggers() if connection.vendor == "sqlite" else _pg_triggers())


def installed_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", (LIKE,))
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", (LIKE,))
        return {row[0] for row in cursor.fetchall()}


def _table_exists(connection: BaseDatabaseWrapper) -> bool:
    return TABLE in connection.introspection.table_names()


def _create_triggers(connection: BaseDatabaseWrapper, names: set[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, body in _sqlite_triggers().items():
                if name in names:
                    cursor.execute(f"CREATE TRIGGER {name} {body}")
            return
        cursor.execute(_PG_FUNCTIONS)
        for name, (table, body) in _pg_triggers().items():
            if name in names:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} {body.format(t=table)}")
                # Also while the bulk writers skip the foreign key triggers (cases.bulk).
                cursor.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}")


def rebuild(connection: BaseDatabaseWrapper) -> None:
    """Every complaint's document written afresh, in one statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {TABLE}")  # nosec B608
            cursor.execute(_sqlite_fill("1"))
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")  # nosec B608
        else:
            cursor.execute(f"TRUNCATE {TABLE}")
            cursor.execute(
                f"INSERT INTO {TABLE} (complaint_id, document) "  # nosec B608
                f"SELECT c.id, {_pg_vector(_PG_BODY, 'A')} || {_pg_vector(_PG_NOTES, 'B')} "
                f"FROM {COMPLAINT} c JOIN {CUSTOMER} cu ON cu.id = c.customer_id"
            )
            cursor.execute(f"ANALYZE {TABLE}")


def install(connection: BaseDatabaseWrapper) -> None:
    """The index's table, its triggers, and a document for every complaint already written."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tokens = "unicode61 remove_diacritics 2"
            cursor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, notes, tokenize = '{tokens}')")
        else:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")  # trusted: the owner may
            columns = "complaint_id bigint PRIMARY KEY, document tsvector NOT NULL"
            cursor.execute(f"CREATE TABLE {TABLE} ({columns})")
            cursor.execute(f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)")
    _create_triggers(connection, trigger_names(connection))
    rebuild(connection)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, (table, _) in _pg_triggers().items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for function in ("refresh(bigint[])", "added()", "removed()", "changed()", "emptied()"):
                cursor.execute(f"DROP FUNCTION IF EXISTS putright_search_{function}")
        else:
            for name in _sqlite_triggers():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def ensure(connection: BaseDatabaseWrapper) -> bool:
    """Put back any trigger a migration dropped (SQLite rebuilds a table to alter it) and, if
    one was missing, rebuild the index. Returns whether anything was missing."""
    if not _table_exists(connection):
        return False
    missing = trigger_names(connection) - installed_triggers(connection)
    if not missing:
        return False
    _create_triggers(connection, missing)
    rebuild(connection)
    return True
