"""Choice labels (core/choices.py): every model's get_FOO_display() says what Django's own does."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.db.models import CharField, Model
from django.utils import translation

from core.choices import install_choice_labels
from rounds.models import AgendaItem, Round

CHOICE_FIELDS = [
    (model, field)
    for model in apps.get_models(include_auto_created=True)
    for field in model._meta.local_fields
    if field.choices and type(field).__module__.startswith("django.db.models")
]


def test_the_project_has_choice_fields_to_check():
    names = {(model.__name__, field.name) for model, field in CHOICE_FIELDS}
    assert ("AgendaItem", "segment") in names
    assert ("Round", "status") in names
    assert ("HistoricalRound", "status") in names


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_label_is_the_one_django_gives(language):
    """Each choice, a value that is no choice, blank and None, in English and French, against
    Django's own Model._get_FIELD_display (the method the installed ones stand in for)."""
    with translation.override(language):
        for model, field in CHOICE_FIELDS:
            record = model()
            installed = getattr(record, f"get_{field.name}_display")
            assert installed.__name__ == f"get_{field.name}_display", (model, field)
            for value in [*(value for value, _label in field.flatchoices), "no-such", "", None]:
                setattr(record, field.attname, value)
                assert installed() == Model._get_FIELD_display(record, field), (model, field, value)


def test_a_label_follows_the_language_of_the_page():
    item = AgendaItem(segment=AgendaItem.Segment.THEMATIC)
    with translation.override("en"):
        english = item.get_segment_display()
    with translation.override("fr"):
        french = item.get_segment_display()
    assert english == "Thematic discussion"
    assert french == "Discussion thématique"


def test_a_method_the_model_defines_itself_and_choices_read_afresh_are_left_alone():
    def choices():
        return [("a", "A")]

    class Mine(Model):
        status = Round._meta.get_field("status").clone()
        kind = CharField(max_length=5, choices=choices)

        class Meta:
            app_label = "rounds"

        def __str__(self):
            return self.status

        def get_status_display(self):
            return "my own"

    try:
        install_choice_labels([Mine])
        assert Mine(status="held").get_status_display() == "my own"
        # Django's own method still reads a callable's choices afresh.
        assert isinstance(Mine.__dict__["get_kind_display"], partialmethod)
        assert Mine(kind="a").get_kind_display() == "A"
    finally:
        apps.all_models["rounds"].pop("mine", None)
        apps.clear_cache()
