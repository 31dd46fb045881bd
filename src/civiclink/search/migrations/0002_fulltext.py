"""The full-text structures beside the index table, maintained by triggers so that every write (a save, a bulk
insert, a raw INSERT of the benchmark) keeps them in step: FTS5 on SQLite, a weighted tsvector on PostgreSQL.

PostgreSQL has no stemmer for Bosnian, Croatian, Serbian, Macedonian or Albanian; the folded text goes through the
`simple` configuration (lower case, no stop words, no stemming) in every language, and queries match prefixes.

On SQLite, a later migration that alters the table makes Django copy it into a new one and drop the old, which drops
these triggers: such a migration must create them again (and run the FTS5 'rebuild' command).
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
        folded_title, folded_body, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_searchentry_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, folded_title, folded_body)
        VALUES (new.id, new.folded_title, new.folded_body);
    END""",
    """CREATE TRIGGER search_searchentry_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, folded_title, folded_body)
        VALUES ('delete', old.id, old.folded_title, old.folded_body);
    END""",
    """CREATE TRIGGER search_searchentry_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, folded_title, folded_body)
        VALUES ('delete', old.id, old.folded_title, old.folded_body);
        INSERT INTO search_searchentry_fts(rowid, folded_title, folded_body)
        VALUES (new.id, new.folded_title, new.folded_body);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER search_searchentry_fts_update",
    "DROP TRIGGER search_searchentry_fts_delete",
    "DROP TRIGGER search_searchentry_fts_insert",
    "DROP TABLE search_searchentry_fts",
]

POSTGRESQL = [
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION search_searchentry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := setweight(to_tsvector('simple', NEW.folded_title), 'A')
            || setweight(to_tsvector('simple', NEW.folded_body), 'B');
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER search_searchentry_vector BEFORE INSERT OR UPDATE ON search_searchentry
        FOR EACH ROW EXECUTE FUNCTION search_searchentry_vector()""",
    "CREATE INDEX search_searchentry_vector_gin ON search_searchentry USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX search_searchentry_vector_gin",
    "DROP TRIGGER search_searchentry_vector ON search_searchentry",
    "DROP FUNCTION search_searchentry_vector()",
    "ALTER TABLE search_searchentry DROP COLUMN search_vector",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
