"""Dialogue officers record the requests NGOs make at consultations and the answers given; the
other roles read them: the roles gain the permissions on consultation requests."""

from django.db import migrations


def grant(apps, schema_editor):
    from core.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0011_remove_data_versions"),
        ("stakeholders", "0002_consultation_requests"),
    ]

    # Going back leaves the grants: the roles follow core/roles.py after every migrate anyway.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
