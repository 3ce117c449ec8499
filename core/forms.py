"""Form pieces every app shares: who-changed-what stamps, stale-edit refusal, scoped choices,
create forms sent once."""

import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, TOTAL_FORM_COUNT
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.access import keep_hidden, visible
from core.history import changes_since
from core.models import TrackedModel, VersionedModel, stored_version_if_stale
from core.nul import NamesNul
from core.references import RESTRICTED_LABEL, guarded_relations, may_follow, unrestricted
from core.submissions import TOKEN_FIELD

# No record gains this many rows of one kind in one sending (a round's agenda items, a
# delegation's members): a post that claims more is refused ("Please submit at most … forms.")
# before the forms are built, instead of Django's default of building up to 2,000.
MAX_ROWS = 200


class BoundedRows:
    """An inline formset taking the rows its record has, and at most MAX_ROWS more, however
    many a post claims: a record given many rows by the API or an import stays editable."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a post claiming more than MAX_ROWS rows needs the recorded rows counted (as the
        # formset reads them, not the post's INITIAL_FORMS, which a forged post sets).
        management = self.management_form if self.is_bound else None
        if (
            management is not None
            and management.is_valid()
            and management.cleaned_data[TOTAL_FORM_COUNT] > MAX_ROWS
        ):
            self.max_num = self.absolute_max = len(self.get_queryset()) + MAX_ROWS


def inline_rows(parent_model, model, *, formset=forms.BaseInlineFormSet, **options):
    """`inlineformset_factory`, bounded to the recorded rows and MAX_ROWS more (BoundedRows)."""
    bounded = type(formset.__name__, (BoundedRows, formset), {"__doc__": formset.__doc__})
    return forms.inlineformset_factory(
        parent_model,
        model,
        formset=bounded,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
        **options,
    )


def stamp(obj, user, *, is_new: bool) -> None:
    """Record who created and who last changed a record."""
    if not isinstance(obj, TrackedModel):
        return
    if is_new and obj.created_by_id is None:
        obj.created_by = user
    obj.updated_by = user


# The code of the version check's refusals (VersionCheckedForm.version_refused).
VERSION_REFUSED = "version"


class ExpectedVersion(forms.IntegerField):
    """The version a page was shown: never a change of the record's own. A row whose other
    values are its values now is then left unsaved, rather than written again (stamped as the
    sender's, its version raised) because someone else saved it since the page was opened."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionCheckedForm(NamesNul, forms.ModelForm):
    """Refuses a save based on a version someone else has since changed, and says what changed."""

    expected_version = ExpectedVersion(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(self.instance, VersionedModel):
            del self.fields["expected_version"]  # nothing to compare: the model keeps no version
        elif self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if "expected_version" not in self.fields:
            return cleaned
        expected = cleaned.get("expected_version")
        # A row of a formset ticked to be removed is checked as a save is: removing a record
        # someone else changed since the page was opened would destroy their change unseen.
        removing = bool(cleaned.get(DELETION_FIELD_NAME))
        if self.instance.pk and expected is None:
            # Without it, the save would overwrite whatever someone else saved meanwhile. The
            # field is hidden, so its own error would not show: the form says it instead.
            self.errors.pop("expected_version", None)
            raise ValidationError(
                _(
                    "Version: this field is required to remove a record, and this page did not "
                    "send it, so the record was not removed. Reload the page and remove it again."
                )
                if removing
                else _(
                    "Version: this field is required to save a change, and this page did not "
                    "send it, so your changes were not saved. Reload the page and make them again."
                ),
                code=VERSION_REFUSED,
            )
        if self.instance.pk and not removing and not self.changed_data:
            # Every value sent is the record's value now: saving it overwrites nothing, however
            # often it was saved since (a section's rows the user left alone, read once more).
            return cleaned
        if self.instance.pk and stored_version_if_stale(self.instance, expected) is not None:
            current = type(self.instance)._base_manager.get(pk=self.instance.pk)
            # The page now shows what changed; saving again applies the user's entries on top
            # of the current version (or removes the record as it is now).
            self.data = self.data.copy()
            self.data[self.add_prefix("expected_version")] = current.version
            user = getattr(self, "user", None)
            raise ValidationError(
                stale_message(current, expected, user=user, removing=removing),
                code=VERSION_REFUSED,
            )
        return cleaned

    def version_refused(self) -> bool:
        """Whether the version check refused this form (its record changed since, or no
        version was sent)."""
        return any(
            error.code == VERSION_REFUSED
            for error in self.errors.as_data().get(NON_FIELD_ERRORS, [])
        )


class VersionCheckedRemovals:
    """A formset whose rows ticked to be removed are version-checked as a save is
    (VersionCheckedForm): a row someone else changed since the page was opened is not removed,
    its refusal shown on the row, and nothing of the formset saved; other rows' entries kept.

    Django leaves the errors of a row to be deleted out of the formset's validity; a refused
    removal is said again above the rows, which makes the formset invalid."""

    def clean(self):
        super().clean()
        if any(
            isinstance(form, VersionCheckedForm)
            and form.cleaned_data.get(DELETION_FIELD_NAME)
            and form.version_refused()
            for form in self.forms
        ):
            raise ValidationError(
                _("A row was not removed and nothing was saved: see the row below."),
                code=VERSION_REFUSED,
            )


class ShownRowsOnly:
    """A formset whose posted rows are those it showed: a row id that is not one of them
    (another record's row, one removed or marked above the user's clearance since the page was
    opened) is refused, rather than left out of a save the page then reports as done."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = form.fields[self.model._meta.pk.name]
        row.queryset = self.get_queryset().prefetch_related(None)
        row.error_messages["invalid_choice"] = _(
            "This record was removed, or is no longer one you may see, since you opened the "
            "page, so nothing was saved. Copy what you typed, then reload the page to see the "
            "records as they are now."
        )

    def clean(self):
        super().clean()
        # Said about the row, not beside its id, which no page shows.
        name = self.model._meta.pk.name
        for form in self.initial_forms:
            if name in form.errors:
                for message in form.errors.pop(name):
                    form.add_error(None, message)


def changes_described(current, expected, *, user=None) -> list[str]:
    """What changed in the record since version `expected`, and who changed it, one change a
    line (of the versions the user may see)."""
    return [
        _("%(field)s: “%(old)s” → “%(new)s” (by %(user)s)") % change
        for change in changes_since(current, expected, user=user)
    ]


def changes_said(current, expected, *, user=None) -> str:
    """ "What they changed: …", said after a refusal, or nothing if no change the user may see."""
    changes = changes_described(current, expected, user=user)
    if not changes:
        return ""
    return _("What they changed: %(changes)s.") % {"changes": "; ".join(changes)}


def stale_message(current, expected, *, user=None, removing=False) -> str:
    described = "; ".join(changes_described(current, expected, user=user))
    if removing:
        return _(
            "Someone else saved this record after you opened the page, so it was not removed. "
            "What they changed: %(changes)s. Check the record as it is now, and remove it "
            "again if you still mean to."
        ) % {"changes": described or _("no field values")}
    return _(
        "Someone else saved this record while you were editing it, so your changes were not "
        "saved. What they changed: %(changes)s. Your entries are kept below: check them "
        "against the new values and save again."
    ) % {"changes": described or _("no field values")}


class OneTimeToken(forms.UUIDField):
    """A create form's one-time token: drawn new with each form, sent back as it was. Never a
    change of the form's own (an empty new row stays empty), never an error (a token that is
    not one is no token)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return None

    def has_changed(self, initial, data):
        return False


class SubmittedOnce(forms.BaseForm):
    """A form that creates a record carries a one-time token, so that the same form sent twice
    creates it once (core/submissions.py: the views claim the token with the save)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            self.fields[TOKEN_FIELD] = OneTimeToken()


class ScopedForm(SubmittedOnce, VersionCheckedForm):
    """A model form for the product's own pages, for one signed-in user.

    Every record a user can pick is one they may see, and a new or edited record can only be
    marked at a level they are cleared for, so nobody can file a record out of their own reach.
    A new record's form carries a one-time token (SubmittedOnce).
    """

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope_fields(self, user)
        marking = self.fields.get("security_marking")
        if marking is not None:
            marking.choices = [
                (value, label) for value, label in marking.choices if value in user.visible_markings
            ]


class RestrictedWidget(forms.Widget):
    """Shows that a reference is there without showing what it refers to."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<span class="restricted-reference">{}</span>', RESTRICTED_LABEL)

    def value_from_datadict(self, data, files, name):
        return None


class KeptReference(forms.Field):
    """A reference to a record the user may not see: shown as the placeholder and kept as it is
    on save, whatever the request posts (so an edit neither drops it nor fails on it)."""

    widget = RestrictedWidget

    def __init__(self, kept, **kwargs):
        super().__init__(required=False, disabled=True, **kwargs)
        self.kept = kept

    def clean(self, value):
        return self.kept

    def has_changed(self, initial, data):
        return False


def _keeping(clean, user, instance, name):
    """A multiple-choice field's clean that keeps the hidden records already linked."""

    def clean_keeping(value):
        return keep_hidden(user, instance, name, clean(value))

    return clean_keeping


def scope_fields(form, user) -> None:
    """Limit every choice of `form` to what `user` may see, and keep the references of its
    record that the user may not follow: a single one shows as the placeholder, hidden members
    of a many-to-many stay linked after the save."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            field.queryset = visible(queryset, user)
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return
    relations = {f.name: f for f in guarded_relations(type(instance))}
    for name, field in list(form.fields.items()):
        relation = relations.get(name)
        if relation is None:
            continue
        with unrestricted():
            if relation.many_to_many:
                current = list(getattr(instance, name).all())
            else:
                current = [getattr(instance, name)] if getattr(instance, relation.attname) else []
        hidden = [obj for obj in current if not may_follow(user, obj)]
        if not hidden:
            continue
        if relation.many_to_many:
            field.clean = _keeping(field.clean, user, instance, name)
        else:
            form.fields[name] = KeptReference(hidden[0], label=field.label)


def scoped_form_class(form_class, user):
    """`form_class` with its choices scoped to `user` and hidden references kept (the admin's
    forms are classes made per request; the user reaches them here)."""

    bases = (form_class,) if issubclass(form_class, NamesNul) else (NamesNul, form_class)

    class Scoped(*bases):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.user = user
            scope_fields(self, user)

    Scoped.__name__ = form_class.__name__
    return Scoped
