"""The stored search document of what rounds/search.py searches, with its GIN index and the
trigram indexes that substring matching uses (core/search.py): indexes on PostgreSQL only."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import core.search


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0004_acronym_fr"),
        # Drops the column of the same name and the indexes that migrations made before.
        ("dialogue", "0010_search_documents_move_to_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.search.SearchDocument("title", "summary"),
                output_field=core.search.SearchDocumentField(),
                serialize=False,
            ),
        ),
        migrations.AddIndex(
            model_name="agendaitem",
            index=core.search.SearchIndex(fields=["search_document"], name="agendaitem_search"),
        ),
        migrations.AddIndex(
            model_name="agendaitem",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("title"), name="gin_trgm_ops"
                ),
                name="agendaitem_title_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="agendaitem",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("summary"), name="gin_trgm_ops"
                ),
                name="agendaitem_summary_trgm",
            ),
        ),
    ]
