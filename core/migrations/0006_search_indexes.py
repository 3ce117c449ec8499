"""PostgreSQL indexes for site-wide search (search/selectors.py): a full-text index on each
large table's searched fields, and trigram indexes so that substring matching (Chinese names
have no spaces to split on) is an index scan too. Built from the same expressions the search
uses, so the planner can match them. Nothing on SQLite, where search is a plain scan."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCHED = {
    ("rounds", "AgendaItem"): ["title", "summary"],
    ("stakeholders", "Organization"): [
        "name",
        "name_fr",
        "name_zh",
        "acronym",
        "acronym_fr",
        "description",
    ],
    ("stakeholders", "Person"): ["full_name", "name_zh", "position"],
    ("followup", "FollowUpProject"): ["title", "objectives", "results"],
    ("followup", "FollowUpAction"): ["title", "description"],
}


def _prefix(app_label, model_name):
    return f"{app_label[:5]}_{model_name.lower()[:12]}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for (app_label, model_name), fields in SEARCHED.items():
        model = apps.get_model(app_label, model_name)
        prefix = _prefix(app_label, model_name)
        schema_editor.add_index(
            model, GinIndex(SearchVector(*fields, config="simple"), name=f"{prefix}_fts")
        )
        # What `icontains` compares: UPPER(column) LIKE UPPER(pattern).
        for field in fields:
            schema_editor.execute(
                f"CREATE INDEX {quote(f'{prefix}_{field[:10]}_trgm')} "
                f"ON {quote(model._meta.db_table)} USING gin (UPPER({quote(field)}) gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for (app_label, model_name), fields in SEARCHED.items():
        prefix = _prefix(app_label, model_name)
        for name in [f"{prefix}_fts", *(f"{prefix}_{field[:10]}_trgm" for field in fields)]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0005_user_language"),
        ("rounds", "0004_acronym_fr"),
        ("stakeholders", "0003_acronym_fr"),
        ("followup", "0004_reminders"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
