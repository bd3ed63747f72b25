"""The search index in its bounded-work layout (podium.articles.search): both databases hold the
same Python-made tokens (stems and Dutch compound parts), so they give the same answers.

- SQLite: the FTS5 table again, now with `detail=column` (no positions: no query needs them).
- PostgreSQL: `title` and `meta` tokens (for ranking) and `vector`/`meta_vector` as literal
  tsvectors of those tokens (GIN on `vector`), instead of the text parsed by `podium_dutch`.

The published articles are indexed again at the end."""

from django.db import migrations

SQLITE_OLD = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5("
    "title, meta, body, tokenize = 'unicode61 remove_diacritics 2')"
)
PG_OLD = [
    "CREATE TABLE IF NOT EXISTS articles_search ("
    " article_id bigint PRIMARY KEY,"
    " snippet_source text NOT NULL DEFAULT '',"
    " vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS articles_search_vector_gin ON articles_search USING gin (vector)",
    "ALTER TABLE articles_search ADD COLUMN IF NOT EXISTS meta_vector tsvector "
    "GENERATED ALWAYS AS (ts_filter(vector, '{a,b}')) STORED",
]


def forward(apps, schema_editor):
    from podium.articles.search.index import recreate

    recreate(schema_editor, apps.get_model("articles", "Article").objects.all())


def backward(apps, schema_editor):
    # The old layout, empty: run the previous release's rebuild_index() after going back.
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    schema_editor.execute("DROP TABLE IF EXISTS articles_search")
    for sql in [SQLITE_OLD] if vendor == "sqlite" else PG_OLD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_search_meta_vector")]

    operations = [migrations.RunPython(forward, backward)]
