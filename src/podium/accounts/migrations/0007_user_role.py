"""Roles become a column: members of the "Beheerders" group become administrators, members of
"Redactie" editors (administrator wins when someone was in both), everyone else a contributor.
The two groups carried no permissions, only the role; they are removed so that nothing can read
a stale role from them. Reversing recreates the groups from the column."""

from django.db import migrations, models

EDITORS_GROUP = "Redactie"
ADMINISTRATORS_GROUP = "Beheerders"


def roles_from_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    for name, role in ((EDITORS_GROUP, "editor"), (ADMINISTRATORS_GROUP, "administrator")):
        User.objects.filter(groups__name=name).update(role=role)
    Group.objects.filter(name__in=(EDITORS_GROUP, ADMINISTRATORS_GROUP)).delete()


def groups_from_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("accounts", "User")
    for name, role in ((EDITORS_GROUP, "editor"), (ADMINISTRATORS_GROUP, "administrator")):
        group, _ = Group.objects.get_or_create(name=name)
        group.user_set.add(*User.objects.filter(role=role))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_email_change_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("contributor", "contributor"),
                    ("editor", "editor"),
                    ("administrator", "administrator"),
                ],
                db_index=True,
                default="contributor",
                help_text="Editors work at the desk; administrators also manage the site in the admin.",
                max_length=16,
                verbose_name="role",
            ),
        ),
        migrations.RunPython(roles_from_groups, groups_from_roles),
    ]
