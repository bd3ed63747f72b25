"""PostgreSQL's search asks its windows of article ids inside the database, through one function
(podium.articles.search.postgresql.NEWEST): a search is one statement instead of two or three.
SQLite is unchanged."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from podium.articles.search.postgresql import CREATE_NEWEST

    schema_editor.execute(CREATE_NEWEST)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from podium.articles.search.postgresql import NEWEST

        schema_editor.execute(f"DROP FUNCTION IF EXISTS {NEWEST}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_coauthors_and_preview_links")]

    operations = [migrations.RunPython(forward, backward)]
