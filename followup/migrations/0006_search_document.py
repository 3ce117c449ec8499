"""The stored search document of what followup/search.py searches, with its GIN index and the
trigram indexes that substring matching uses (core/search.py): indexes on PostgreSQL only."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import core.search


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_open_actions_by_due_date"),
        # Drops the column of the same name and the indexes that migrations made before.
        ("dialogue", "0010_search_documents_move_to_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupaction",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.search.SearchDocument("title", "description"),
                output_field=core.search.SearchDocumentField(),
                serialize=False,
            ),
        ),
        migrations.AddField(
            model_name="followupproject",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.search.SearchDocument("title", "objectives", "results"),
                output_field=core.search.SearchDocumentField(),
                serialize=False,
            ),
        ),
        migrations.AddIndex(
            model_name="followupaction",
            index=core.search.SearchIndex(fields=["search_document"], name="action_search"),
        ),
        migrations.AddIndex(
            model_name="followupaction",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("title"), name="gin_trgm_ops"
                ),
                name="action_title_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="followupaction",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("description"), name="gin_trgm_ops"
                ),
                name="action_description_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="followupproject",
            index=core.search.SearchIndex(fields=["search_document"], name="project_search"),
        ),
        migrations.AddIndex(
            model_name="followupproject",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("title"), name="gin_trgm_ops"
                ),
                name="project_title_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="followupproject",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("objectives"), name="gin_trgm_ops"
                ),
                name="project_objectives_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="followupproject",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("results"), name="gin_trgm_ops"
                ),
                name="project_results_trgm",
            ),
        ),
    ]
