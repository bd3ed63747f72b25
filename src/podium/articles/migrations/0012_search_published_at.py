"""PostgreSQL's search table keeps each article's publication time beside its tokens, so a
search reads that table alone instead of joining every match to its article row to ask whether
readers may see it yet (podium.articles.search.postgresql). The published articles are indexed
again. SQLite's FTS5 table is unchanged."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from podium.articles.search.index import recreate

    recreate(schema_editor, apps.get_model("articles", "Article").objects.all())


def backward(apps, schema_editor):
    # The code before this migration does not write the column, which is NOT NULL: drop it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_search DROP COLUMN IF EXISTS published_at")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_conversation")]

    operations = [migrations.RunPython(forward, backward)]
