from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

EDITORS = "Redactie"
ADMINISTRATORS = "Beheerders"


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in (EDITORS, ADMINISTRATORS):
        Group.objects.get_or_create(name=name)
    Site = apps.get_model("sites", "Site")
    host = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": host, "name": "Podium"})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
