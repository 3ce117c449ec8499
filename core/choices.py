"""A choice field's label in the reader's language, looked up in a table made once a language.

Django's `get_FOO_display()` builds the field's whole list of choices again for every call,
and hashes each lazy label, which translates it: on a topic's page, which shows the segment of
a hundred agenda items, that was a sixth of the page's time. `install_choice_labels` gives every
model's choice fields a `get_FOO_display()` (the public method Django lets a model define
itself) that reads `choice_label`, whose tables are made once for each field and language.
What it returns is what Django's returns: the choice's label, or the value itself when it is no
choice.
"""

from functools import cache, partialmethod

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@cache
def _labels(field, language: str | None) -> dict:
    # Built while `language` is active (choice_label passes the active one): str() translates.
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


def choice_label(field, value):
    """The label of `value` among `field`'s choices, in the active language, as
    `get_FOO_display()` gives it: the value itself when it is no choice."""
    labels = _labels(field, get_language())
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def _display_method(field):
    def display(self):
        return choice_label(field, getattr(self, field.attname))

    display.__name__ = f"get_{field.name}_display"
    display.__doc__ = f"The label of the record's {field.name} in the reader's language."
    return display


def install_choice_labels(models) -> None:
    """For each model's fields with fixed choices (Django's own field classes), a
    `get_FOO_display()` that reads `choice_label`. A method the model defines itself is kept,
    as Django keeps it; fields of other libraries keep theirs."""
    for model in models:
        for field in model._meta.local_fields:
            # Choices given as a list (normalised by Django); not a callable's, read afresh.
            if not field.choices or not isinstance(field.choices, (list, tuple)):
                continue
            if not type(field).__module__.startswith("django.db.models"):
                continue
            name = f"get_{field.name}_display"
            # Django's own method is a partialmethod of Model._get_FIELD_display.
            if isinstance(model.__dict__.get(name), partialmethod):
                setattr(model, name, _display_method(field))
