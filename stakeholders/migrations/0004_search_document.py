"""The stored search document of what stakeholders/search.py searches, with its GIN index and the
trigram indexes that substring matching uses (core/search.py): indexes on PostgreSQL only."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import core.search


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0003_acronym_fr"),
        # Drops the column of the same name and the indexes that migrations made before.
        ("dialogue", "0010_search_documents_move_to_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.search.SearchDocument(
                    "name", "name_fr", "name_zh", "acronym", "acronym_fr", "description"
                ),
                output_field=core.search.SearchDocumentField(),
                serialize=False,
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.search.SearchDocument("full_name", "name_zh", "position"),
                output_field=core.search.SearchDocumentField(),
                serialize=False,
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(fields=["search_document"], name="organization_search"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"
                ),
                name="organization_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name_fr"), name="gin_trgm_ops"
                ),
                name="organization_name_fr_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name_zh"), name="gin_trgm_ops"
                ),
                name="organization_name_zh_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("acronym"), name="gin_trgm_ops"
                ),
                name="organization_acronym_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("acronym_fr"), name="gin_trgm_ops"
                ),
                name="organization_acronym_fr_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("description"), name="gin_trgm_ops"
                ),
                name="organization_description_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=core.search.SearchIndex(fields=["search_document"], name="person_search"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("full_name"), name="gin_trgm_ops"
                ),
                name="person_full_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("name_zh"), name="gin_trgm_ops"
                ),
                name="person_name_zh_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=core.search.SearchIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("position"), name="gin_trgm_ops"
                ),
                name="person_position_trgm",
            ),
        ),
    ]
