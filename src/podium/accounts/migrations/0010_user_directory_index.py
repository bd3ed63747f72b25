"""An index of the accounts by (display_name, id): the contributor directory walks it in its
order and asks each account whether it has published, one probe each, so a page costs what it
shows rather than a pass over every published article."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_notification_preferences")]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["display_name", "id"], name="user_directory_idx"),
        ),
    ]
