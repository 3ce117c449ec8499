from django.db import migrations
from django.db.models.functions import TruncMonth, TruncYear


def first_days(apps, schema_editor):
    """A date known to the month or the year becomes the first day of that period, as
    BenchmarkEvent.save() now stores it (core.models.PreciseDates)."""
    BenchmarkEvent = apps.get_model("followup", "BenchmarkEvent")
    for precision, first_day in (("month", TruncMonth), ("year", TruncYear)):
        BenchmarkEvent.objects.filter(date_precision=precision).update(date=first_day("date"))


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0007_commitments"),
    ]

    operations = [
        migrations.RunPython(first_days, migrations.RunPython.noop),
    ]
