"""Create forms sent once: a second sending of the same form (a second click on Save, the
browser resending it) creates nothing and answers as the first did.

Each form that creates a record carries a one-time token (core.forms.SubmittedOnce, drawn new
with the form). The transaction that creates the records first claims the form's tokens
(FormSubmission, unique); a sending whose token is already claimed is led where the first one
led, with a message. Two sendings at the same moment: the second's claim waits in the database
for the first's transaction, then fails, and its own transaction creates nothing. A post
without a token (a script, a page drawn before tokens) is saved as before."""

from contextlib import contextmanager
from uuid import UUID

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.access import visible
from core.models import FormSubmission

TOKEN_FIELD = "form_token"


class AlreadySubmitted(Exception):
    """The form was already sent and saved: `submission` says what it created and where it led
    (None if that is no longer known)."""

    def __init__(self, submission):
        super().__init__(submission)
        self.submission = submission


def _token(form) -> UUID | None:
    if not form.is_bound or TOKEN_FIELD not in form.fields:
        return None
    try:
        return UUID(str(form[TOKEN_FIELD].data))
    except ValueError:
        return None


def _tokens(forms) -> list[UUID]:
    return [token for form in forms if (token := _token(form)) is not None]


def earlier(forms) -> FormSubmission | None:
    """The earlier sending of one of these forms that was saved, if any."""
    tokens = _tokens(forms)
    if not tokens:
        return None
    return FormSubmission.objects.filter(token__in=tokens).select_related("content_type").first()


def refuse_repeat(forms) -> None:
    """AlreadySubmitted if one of these forms was sent and saved before: checked before the
    forms are validated, which a record already created may fail (a round of that number)."""
    found = earlier(forms)
    if found is not None:
        raise AlreadySubmitted(found)


def new_rows(formset) -> list:
    """The forms of a valid formset that create a record when it is saved (as Django's model
    formset decides: changed, and not ticked for removal)."""
    removed = formset.deleted_forms if formset.can_delete else []
    return [form for form in formset.extra_forms if form.has_changed() and form not in removed]


def claim(forms, user) -> list:
    """Claim the tokens of `forms`, the forms whose records this transaction creates: to be
    called in that transaction, before the records are saved. AlreadySubmitted if a token was
    claimed already (by a sending that committed first); the (form, claim) pairs otherwise."""
    claimed = []
    for form in forms:
        token = _token(form)
        if token is None:
            continue
        try:
            with transaction.atomic():
                claimed.append((form, FormSubmission.objects.create(token=token, user=user)))
        except IntegrityError:
            raise AlreadySubmitted(
                FormSubmission.objects.filter(token=token).select_related("content_type").first()
            ) from None
    return claimed


def settle(claimed, url: str) -> None:
    """Once the records are saved, in the same transaction: what each claimed form created,
    and where the sending led."""
    for form, submission in claimed:
        record = getattr(form, "instance", None)
        if record is not None and record.pk is not None:
            submission.content_type = ContentType.objects.get_for_model(record)
            submission.object_id = str(record.pk)
        submission.url = url
        submission.save(update_fields=["content_type", "object_id", "url"])


@contextmanager
def saving_once(forms, user):
    """The transaction in which the records of `forms` (those that create one) are saved, once:
    their tokens are claimed first (AlreadySubmitted if a sending that committed first claimed
    one), and the `settle(url)` it gives, called once the records are saved, notes what each
    created and where the sending led.

        with submissions.saving_once(new_forms, user) as settle:
            form.save()
            settle(url)
    """
    with transaction.atomic():
        claimed = claim(forms, user)
        yield lambda url: settle(claimed, url)


def _record(submission, user):
    """The record the first sending created, if the user may still see it."""
    if submission.content_type is None or not submission.object_id:
        return None
    model = submission.content_type.model_class()
    if model is None:
        return None
    return visible(model, user).filter(pk=submission.object_id).first()


def answer_again(request, submission, *, fallback: str):
    """The answer to a form sent again: where the first sending led (`fallback` if that is not
    known, or the sending was someone else's), saying that nothing was saved twice."""
    own = submission is not None and submission.user_id == request.user.pk
    record = _record(submission, request.user) if own else None
    if record is not None:
        message = _(
            "“%(record)s” was saved when this form was first sent, so it was not saved a "
            "second time."
        ) % {"record": record}
    else:
        message = _("This form was already sent and saved, so it was not saved a second time.")
    messages.info(request, message)
    return redirect(submission.url if own and submission.url else fallback)
