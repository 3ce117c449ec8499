from django.db import migrations
from django.db.models.functions import TruncMonth, TruncYear


def first_days(apps, schema_editor):
    """A date known to the month or the year becomes the first day of that period, as
    Consultation.save() now stores it (core.models.PreciseDates)."""
    Consultation = apps.get_model("stakeholders", "Consultation")
    for precision, first_day in (("month", TruncMonth), ("year", TruncYear)):
        Consultation.objects.filter(date_precision=precision).update(date=first_day("date"))


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_search_document"),
    ]

    operations = [
        migrations.RunPython(first_days, migrations.RunPython.noop),
    ]
