"""A material has a file in each language (English, French, Chinese), kept in the private
"materials" store. The one file a material had goes to the first language the material exists
in (English if none is ticked), and is copied from the default store (MEDIA_ROOT) to the private
one; the copy left in MEDIA_ROOT, served by nothing, may be deleted once the migration is done."""

from django.core.files.storage import storages
from django.db import migrations, models
from django.db.models import F, Q

import core.documents
import core.storage
import rounds.models.visits

# The language a material's one file belonged to: the first it exists in, English if none.
SLOTS = [
    ("file_en", Q(in_english=True)),
    ("file_fr", Q(in_english=False, in_french=True)),
    ("file_zh", Q(in_english=False, in_french=False, in_chinese=True)),
    ("file_en", Q(in_english=False, in_french=False, in_chinese=False)),
]
LANGUAGE_FIELDS = ["file_zh", "file_fr", "file_en"]  # the last one present wins


def moved(name, source, target):
    """Copy a stored file from one store to the other, if it is not there yet; its name."""
    if not target.exists(name) and source.exists(name):
        with source.open(name, "rb") as content:
            return target.save(name, content)
    return name


def file_to_language(apps, schema_editor):
    source, target = storages["default"], storages["materials"]
    for model_name in ("Material", "HistoricalMaterial"):
        model = apps.get_model("rounds", model_name)
        for slot, condition in SLOTS:
            model.objects.exclude(file="").filter(condition).update(**{slot: F("file")})
    Material = apps.get_model("rounds", "Material")
    for material in Material.objects.exclude(file=""):
        for slot in LANGUAGE_FIELDS:
            name = getattr(material, slot).name
            if name:
                stored = moved(name, source, target)
                if stored != name:
                    Material.objects.filter(pk=material.pk).update(**{slot: stored})


def language_to_file(apps, schema_editor):
    source, target = storages["materials"], storages["default"]
    for model_name in ("Material", "HistoricalMaterial"):
        model = apps.get_model("rounds", model_name)
        for slot in LANGUAGE_FIELDS:
            model.objects.exclude(**{slot: ""}).update(file=F(slot))
    Material = apps.get_model("rounds", "Material")
    for material in Material.objects.exclude(file=""):
        stored = moved(material.file.name, source, target)
        if stored != material.file.name:
            Material.objects.filter(pk=material.pk).update(file=stored)


def file_field(label):
    return models.FileField(
        blank=True,
        storage=core.storage.materials_storage,
        upload_to=rounds.models.visits.material_file_name,
        validators=[core.documents.validate_document],
        verbose_name=label,
    )


def history_field(label):
    return models.TextField(
        blank=True,
        max_length=100,
        validators=[core.documents.validate_document],
        verbose_name=label,
    )


LABELS = {"file_en": "English file", "file_fr": "French file", "file_zh": "Chinese file"}


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0008_material_version"),
    ]

    operations = [
        *(
            migrations.AddField(model_name="material", name=name, field=file_field(label))
            for name, label in LABELS.items()
        ),
        *(
            migrations.AddField(
                model_name="historicalmaterial", name=name, field=history_field(label)
            )
            for name, label in LABELS.items()
        ),
        migrations.RunPython(file_to_language, language_to_file, elidable=True),
        migrations.RemoveField(model_name="historicalmaterial", name="file"),
        migrations.RemoveField(model_name="material", name="file"),
    ]
