"""An index of the article-topic table by (topic, article): a topic's articles in article order,
so a topic's bounded count (the topic page, the topics page) merges it with the published
articles' (id, state, published_at) index, and the topic page checks each newest article's topic
by one probe. Django's own indexes on that table are (article, topic) and (topic) alone, and
the auto-created table has no Meta to declare one in, hence SQL (the same on SQLite and
PostgreSQL)."""

from django.db import migrations

INDEX = "article_topics_topic_article_idx"


def _table(apps):  # type: ignore[no-untyped-def]
    return apps.get_model("articles", "Article").topics.through._meta.db_table


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {quote(INDEX)} ON {quote(_table(apps))} "
        f"({quote('topic_id')}, {quote('article_id')})"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_search_newest_function")]

    operations = [migrations.RunPython(create, drop)]
