from django.db import migrations, models
from django.db.models.functions import TruncMonth, TruncYear


def first_days(apps, schema_editor):
    """A round's dates known to the month or the year become the first day of that period, as
    Round.save() now stores them (core.models.PreciseDates)."""
    Round = apps.get_model("rounds", "Round")
    for precision, first_day in (("month", TruncMonth), ("year", TruncYear)):
        Round.objects.filter(date_precision=precision).update(
            start_date=first_day("start_date"), end_date=first_day("end_date")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0006_commitments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalround",
            name="date_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                default="day",
                help_text="If the sources give only a month or a year, choose Month or Year: any day of it may be entered, and the first is kept.",
                max_length=8,
                verbose_name="dates known to the",
            ),
        ),
        migrations.AlterField(
            model_name="round",
            name="date_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                default="day",
                help_text="If the sources give only a month or a year, choose Month or Year: any day of it may be entered, and the first is kept.",
                max_length=8,
                verbose_name="dates known to the",
            ),
        ),
        migrations.RunPython(first_days, migrations.RunPython.noop),
    ]
