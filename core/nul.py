"""A NUL character posted in a form is refused on the form's field, with the entries kept.

PostgreSQL text cannot hold NUL, and psycopg raises on any query given one, so a NUL must be
refused before a field looks anything up with it. A CharField refuses it with its own
validator; the lookup fields refuse it before searching (core/lookups.py); every other field
would say something beside the point ("Enter a whole number"), so the forms of the product and
of the admin say instead what is wrong (NamesNul)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

MESSAGE = ProhibitNullCharactersValidator.message  # Django's "Null characters are not allowed."
CODE = ProhibitNullCharactersValidator.code


def contains_nul(value) -> bool:
    """Whether a posted value (text, a list of them, an uploaded file's name) holds a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, UploadedFile):
        return "\x00" in (value.name or "")
    if isinstance(value, (list, tuple)):
        return any(contains_nul(item) for item in value)
    return False


def refuse_nul(value) -> None:
    if contains_nul(value):
        raise forms.ValidationError(MESSAGE, code=CODE)


class NamesNul:
    """A form mixin: a field posted with a NUL shows the NUL's message, whatever its type, and
    a hidden one says it above the form, naming the field (a hidden field's own errors are not
    drawn beside it)."""

    def nul_posted(self) -> bool:
        """Whether anything posted holds a NUL: one pass over the post (nearly always none)
        before the field by field look, which each of a formset's forms would otherwise make
        over the whole post."""
        for source in (self.data, self.files):
            items = (
                source.lists()
                if hasattr(source, "lists")
                else ((name, [value]) for name, value in source.items())
            )
            for name, values in items:
                # Text straight away (nearly everything posted), anything else as it is read.
                if "\x00" in name or any(
                    "\x00" in value if isinstance(value, str) else contains_nul(value)
                    for value in values
                ):
                    return True
        return False

    def drop_posted_non_keys(self, name, field) -> None:
        """A refused choice of records is drawn again without the values that are no record's
        key (a NUL, "abc" for a number): the admin's widgets look their value up to draw it,
        and would fail on one. The choice's error says what was wrong; the keys are kept."""
        if getattr(field, "queryset", None) is None or hasattr(field, "_find"):
            return  # not a choice of records, or a lookup field, which draws what was typed
        key = self.add_prefix(name)
        if key not in self.data:
            return
        model = field.queryset.model
        target = model._meta.get_field(getattr(field, "to_field_name", None) or model._meta.pk.name)
        values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data[key]]
        kept = []
        for value in values if isinstance(values, (list, tuple)) else [values]:
            try:
                if not contains_nul(value):
                    target.get_prep_value(target.to_python(value))
                    kept.append(value)
            except (ValidationError, ValueError, TypeError):
                pass
        if len(kept) == len(values):
            return
        self.data = self.data.copy()
        if hasattr(self.data, "setlist"):
            self.data.setlist(key, kept)
        elif kept:
            self.data[key] = kept if isinstance(values, (list, tuple)) else kept[0]
        else:
            self.data.pop(key, None)

    def posted(self, name) -> list:
        """What was posted for a field, as sent: a checkbox's widget reads any text as ticked,
        a split widget posts its parts under names of its own."""
        key = self.add_prefix(name)
        found = []
        for source in (self.data, self.files):
            for posted in source:
                if posted == key or posted.startswith(f"{key}_"):
                    values = source.getlist(posted) if hasattr(source, "getlist") else None
                    found.extend(values if values is not None else [source[posted]])
        return found

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        if self.nul_posted():
            self.name_nul()
        for name in list(self._errors):
            field = self.fields.get(name)
            if field is not None and not field.disabled:
                self.drop_posted_non_keys(name, field)

    def name_nul(self) -> None:
        """Each field posted with a NUL says so: on the field, or above the form if hidden."""
        for name, field in self.fields.items():
            if field.disabled or not contains_nul(self.posted(name)):
                continue
            self.cleaned_data.pop(name, None)
            self._errors.pop(name, None)
            self.drop_posted_non_keys(name, field)
            if field.widget.is_hidden:
                message = _("%(field)s: null characters are not allowed.") % {
                    "field": field.label or name
                }
                self._errors.setdefault(
                    forms.forms.NON_FIELD_ERRORS,
                    self.error_class(error_class="nonfield", renderer=self.renderer),
                ).append(message)
            else:
                self._errors[name] = self.error_class([MESSAGE], renderer=self.renderer)
