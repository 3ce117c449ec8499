"""Create the five roles as groups with the model permissions DESIGN.md implies."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from core.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from core.roles import ADMINISTRATORS, ROLES

    names = [*ROLES, ADMINISTRATORS]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("dialogue", "0001_initial"),
        ("rounds", "0002_initial"),
        ("stakeholders", "0001_initial"),
        ("followup", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
