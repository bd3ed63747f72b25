"""PostgreSQL: `articles_search.meta_vector`, the title and meta part (lead, author, topics) of the
search vector, for "read more" (podium.articles.related.similar_article_ids): small enough to stay
in the table's row, so comparing an article with the recent ones no longer reads and ranks each
one's whole (TOASTed) body vector.

A stored generated column: PostgreSQL keeps it in step wherever `vector` is written, and fills it
for the existing rows when the column is added. Weights A and B are exactly the title and meta
parts of `vector` (see search._PG_VECTOR). Nothing to do on SQLite, whose FTS5 table has the
title and meta columns apart already."""

from django.db import migrations

PG_ADD = (
    "ALTER TABLE articles_search ADD COLUMN IF NOT EXISTS meta_vector tsvector "
    "GENERATED ALWAYS AS (ts_filter(vector, '{a,b}')) STORED"
)
PG_DROP = "ALTER TABLE articles_search DROP COLUMN IF EXISTS meta_vector"


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_ADD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_desk_indexes")]

    operations = [migrations.RunPython(add, drop)]
