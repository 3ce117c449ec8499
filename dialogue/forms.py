"""Form pieces every app shares: who-changed-what stamps, stale-edit refusal, scoped choices."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dialogue.access import visible
from dialogue.history import changes_since
from dialogue.models import TrackedModel


def stamp(obj, user, *, is_new: bool) -> None:
    """Record who created and who last changed a record."""
    if not isinstance(obj, TrackedModel):
        return
    if is_new and obj.created_by_id is None:
        obj.created_by = user
    obj.updated_by = user


class VersionCheckedForm(forms.ModelForm):
    """Refuses a save based on a version someone else has since changed, and says what changed."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = type(self.instance)._base_manager.get(pk=self.instance.pk)
            if current.version != expected:
                # The page now shows what changed; saving again applies the user's entries on
                # top of the current version.
                self.data = self.data.copy()
                self.data[self.add_prefix("expected_version")] = current.version
                user = getattr(self, "user", None)
                raise ValidationError(stale_message(current, expected, user=user))
        return cleaned


def stale_message(current, expected, *, user=None) -> str:
    changes = changes_since(current, expected, user=user)
    described = "; ".join(
        _("%(field)s: “%(old)s” → “%(new)s” (by %(user)s)") % change for change in changes
    )
    return _(
        "Someone else saved this record while you were editing it, so your changes were not "
        "saved. What they changed: %(changes)s. Your entries are kept below: check them "
        "against the new values and save again."
    ) % {"changes": described or _("no field values")}


class ScopedForm(VersionCheckedForm):
    """A model form for the product's own pages, for one signed-in user.

    Every record a user can pick is one they may see, and a new or edited record can only be
    marked at a level they are cleared for, so nobody can file a record out of their own reach.
    """

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                field.queryset = visible(queryset, user)
        marking = self.fields.get("security_marking")
        if marking is not None:
            marking.choices = [
                (value, label) for value, label in marking.choices if value in user.visible_markings
            ]
