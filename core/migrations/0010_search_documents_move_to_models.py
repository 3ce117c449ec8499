"""The search documents and indexes that migrations 0006 and 0008 made on the domain apps' tables
are now declared on the models themselves (core/search.py), and each domain app's migration
makes them again (rounds 0005, stakeholders 0004, followup 0006). This drops what 0006 and 0008
made there, so that their column and index names are free; the pg_trgm extension stays.
Nothing on SQLite, where they made nothing.

The searched fields and index names are copied from 0006 and 0008, not imported: a migration
keeps the schema it was written for.
"""

from django.db import migrations

COLUMN = "search_document"
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


def _document(quote, fields):
    text = " || ' ' || ".join(f"COALESCE({quote(field)}::text, '')" for field in fields)
    return f"to_tsvector('simple'::regconfig, {text})"


def _tables(apps, schema_editor):
    """(quoted table, index prefix, fields) of each searched table; none on SQLite."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for (app_label, model_name), fields in SEARCHED.items():
        table = schema_editor.quote_name(apps.get_model(app_label, model_name)._meta.db_table)
        yield table, _prefix(app_label, model_name), fields


def drop(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, prefix, fields in _tables(apps, schema_editor):
        # The document's GIN index (0008's `<prefix>_doc`) goes with its column.
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {quote(COLUMN)}")
        for field in fields:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(f'{prefix}_{field[:10]}_trgm')}")


def create(apps, schema_editor):
    """What 0006 and 0008 left: the generated column, its index, and the trigram indexes."""
    quote = schema_editor.quote_name
    for table, prefix, fields in _tables(apps, schema_editor):
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {quote(COLUMN)} tsvector "
            f"GENERATED ALWAYS AS ({_document(quote, fields)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(f'{prefix}_doc')} ON {table} USING gin ({quote(COLUMN)})"
        )
        for field in fields:
            schema_editor.execute(
                f"CREATE INDEX {quote(f'{prefix}_{field[:10]}_trgm')} "
                f"ON {table} USING gin (UPPER({quote(field)}) gin_trgm_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0009_access_log_records"),
        ("rounds", "0004_acronym_fr"),
        ("stakeholders", "0003_acronym_fr"),
        ("followup", "0005_open_actions_by_due_date"),
    ]

    operations = [migrations.RunPython(drop, create)]
