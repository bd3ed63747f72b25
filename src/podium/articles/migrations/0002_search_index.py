"""The full-text search index (see podium.articles.search): an FTS5 table on SQLite, a tsvector
table with a GIN index and the `podium_dutch` text search configuration on PostgreSQL. Not a
Django model: only podium.articles.search reads and writes it. Replaced by 0005, which also
indexes the existing published articles."""

from django.db import migrations, transaction

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5("
    "title, meta, body, tokenize = 'unicode61 remove_diacritics 2')"
)

PG_CREATE = [
    "CREATE TABLE IF NOT EXISTS articles_search ("
    " article_id bigint PRIMARY KEY,"
    " snippet_source text NOT NULL DEFAULT '',"
    " vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS articles_search_vector_gin ON articles_search USING gin (vector)",
]


def _try(connection, sql):
    """Run `sql` in a savepoint; a failure (no privilege, extension not installed) is not fatal."""
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(sql)
        return True
    except Exception:
        return False


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        # unaccent folds accents ("financiële" = "financiele"); without it (a server lacking the
        # contrib module, or a user who may not create extensions) the Python stems still match.
        _try(connection, "CREATE EXTENSION IF NOT EXISTS unaccent")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
            has_unaccent = cursor.fetchone() is not None
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'podium_dutch'")
            if cursor.fetchone() is None:
                cursor.execute("CREATE TEXT SEARCH CONFIGURATION podium_dutch (COPY = pg_catalog.dutch)")
                if has_unaccent:
                    cursor.execute(
                        "ALTER TEXT SEARCH CONFIGURATION podium_dutch "
                        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem"
                    )
        for sql in PG_CREATE:
            schema_editor.execute(sql)
    # The articles are indexed by 0005, which replaced this index's layout.


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor in ("sqlite", "postgresql"):
        schema_editor.execute("DROP TABLE IF EXISTS articles_search")
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS podium_dutch")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("accounts", "0001_initial"),
        ("topics", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
