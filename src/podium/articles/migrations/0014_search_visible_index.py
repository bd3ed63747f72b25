"""An index of (id, state, published_at): SQLite's search asks it, for each of a query's newest
matches, whether readers may see the article yet, instead of reading the article's row
(podium.articles.search.sqlite)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_submission_terms")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "state", "published_at"], name="article_visible_idx"),
        ),
    ]
