"""A stored full-text document on each large searched table, replacing migration 0006's
expression indexes.

Search matched on `to_tsvector(...)` through an expression index, but PostgreSQL computed that
vector again for every row found: once to recheck the condition (the trigram half of it is
lossy) and once to rank. "rights" finds 2,700 actions at scale 1, and the vector was most of
the page's SQL. A generated column keeps it once, written with the row; the search ranks and
matches on the column (search/selectors.py, `StoredDocument`). The expression is the one
Django's `SearchVector(*fields, config="simple")` builds, so ranks are unchanged; a test
compares the two. Nothing on SQLite, where search is a plain scan. The trigram indexes stay.

The searched fields and index names are copied from migration 0006 rather than imported: a
migration keeps the schema it was written for.
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


def create(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, prefix, fields in _tables(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(f'{prefix}_fts')}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {quote(COLUMN)} tsvector "
            f"GENERATED ALWAYS AS ({_document(quote, fields)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(f'{prefix}_doc')} ON {table} USING gin ({quote(COLUMN)})"
        )


def drop(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, prefix, fields in _tables(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {quote(COLUMN)}")
        schema_editor.execute(
            f"CREATE INDEX {quote(f'{prefix}_fts')} ON {table} "
            f"USING gin (({_document(quote, fields)}))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0007_data_versions"),
        ("rounds", "0004_acronym_fr"),
        ("stakeholders", "0003_acronym_fr"),
        ("followup", "0005_open_actions_by_due_date"),
    ]

    operations = [migrations.RunPython(create, drop)]
