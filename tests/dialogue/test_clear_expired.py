"""`manage.py clear_expired`: expired sessions and old create-form tokens are deleted, the rest
kept."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from core.models import FormSubmission


@pytest.mark.django_db
def test_old_form_tokens_and_expired_sessions_are_deleted_and_the_rest_kept(make_user):
    user = make_user("officer", "officer")
    old = FormSubmission.objects.create(token=uuid.uuid4(), user=user)
    recent = FormSubmission.objects.create(token=uuid.uuid4(), user=user)
    FormSubmission.objects.filter(pk=old.pk).update(
        at=timezone.now() - timedelta(hours=settings.SESSION_MAX_HOURS, minutes=1)
    )
    FormSubmission.objects.filter(pk=recent.pk).update(
        at=timezone.now() - timedelta(hours=settings.SESSION_MAX_HOURS, minutes=-1)
    )
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    output = StringIO()
    call_command("clear_expired", stdout=output)

    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert "Deleted 1 form token(s)" in output.getvalue()
