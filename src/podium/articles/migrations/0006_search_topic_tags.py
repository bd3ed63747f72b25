"""The search index again, now with each article's topics as tags (`_t12`), so that a topic
filter is one more term the index intersects instead of a look-up per match
(podium.articles.search.text.topic_tag). The published articles are indexed again."""

from django.db import migrations


def forward(apps, schema_editor):
    from podium.articles.search.index import recreate

    recreate(schema_editor, apps.get_model("articles", "Article").objects.all())


def backward(apps, schema_editor):
    # 0005's layout differs only in the tags: the same table without them still serves.
    pass


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_tokens")]

    operations = [migrations.RunPython(forward, backward)]
