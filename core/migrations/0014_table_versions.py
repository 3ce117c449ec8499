"""The versions of the tables the cached reports read (core/reportcache.py). Their triggers are
put on after every migrate, from the reports' declarations; going back takes them off first."""

from django.db import migrations, models


def remove_triggers(apps, schema_editor):
    from core.reportcache import remove_triggers

    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0013_staff_follows_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableVersion",
            fields=[
                (
                    "table",
                    models.CharField(
                        max_length=63, primary_key=True, serialize=False, verbose_name="table"
                    ),
                ),
                ("version", models.BigIntegerField(verbose_name="version")),
            ],
            options={
                "verbose_name": "table version",
                "verbose_name_plural": "table versions",
            },
        ),
        # Going back, the triggers come off before the table they write goes.
        migrations.RunPython(migrations.RunPython.noop, remove_triggers, elidable=True),
    ]
