"""Materials are versioned: a save prepared from an older version is refused (core.models)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0007_date_precision_first_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmaterial",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="material",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
