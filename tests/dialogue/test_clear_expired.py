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


@pytest.mark.django_db
def test_a_form_drawn_before_the_session_ended_is_refused_after_signing_in_again(
    make_user, settings
):
    """The command's premise: once the session that drew a form has ended, its page cannot be
    sent again, since signing in again gives a new CSRF token (review of 414da79)."""
    import re
    import time

    from django.test import Client
    from django.urls import reverse

    from core.middleware import SIGNED_IN_AT

    CSRF = r'name="csrfmiddlewaretoken" value="([^"]+)"'

    make_user("planner", "planner")
    client = Client(enforce_csrf_checks=True)

    def sign_in(client):
        """Through the sign-in page, as a person does: a new CSRF token with each sign-in."""
        login = client.get(reverse("login"))
        token = re.search(CSRF, login.content.decode())[1]
        signed_in = client.post(
            reverse("login"),
            {
                "username": "planner",
                "password": "a long test password 1",
                "csrfmiddlewaretoken": token,
            },
        )
        assert signed_in.status_code == 302

    sign_in(client)
    page = client.get(reverse("followup:project_create")).content.decode()
    old = re.search(CSRF, page)[1]
    assert 'name="form_token"' in page
    # The session reaches SESSION_MAX_HOURS: the next request signs the user out.
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_MAX_HOURS * 3600 - 1
    session.save()
    assert client.get(reverse("followup:project_list")).status_code == 302
    sign_in(client)
    again = client.post(reverse("followup:project_create"), {"csrfmiddlewaretoken": old})
    assert again.status_code == 403
    page = client.get(reverse("followup:project_create")).content.decode()
    new = re.search(CSRF, page)[1]
    assert (
        client.post(reverse("followup:project_create"), {"csrfmiddlewaretoken": new}).status_code
        == 200
    )
