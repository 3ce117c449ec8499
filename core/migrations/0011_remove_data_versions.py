"""The shared page cache is gone: drop the triggers it installed on every table after each
migrate, the functions they ran, and its table of data versions."""

from django.db import migrations

TRIGGERS = ("dialogue_data_written", "dialogue_data_truncated", "dialogue_data_version")
FUNCTIONS = ("dialogue_note_write", "dialogue_raise_versions", "dialogue_raise_truncated")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return  # the triggers were only ever installed on PostgreSQL
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for trigger in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger)} ON {quote(table)}")
        for function in FUNCTIONS:
            cursor.execute(f"DROP FUNCTION IF EXISTS {quote(function)}()")


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0010_search_documents_move_to_models"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="DataVersion"),
    ]
