"""API tokens expire after API_TOKEN_LIFETIME_DAYS, and the admin shows their creation and use."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token

from api.models import TokenUse

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user):
    return Token.objects.create(user=make_user("pat", "planner"))


def call(client, token):
    return client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token.key}")


def age(token, **delta):
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(**delta))


def test_the_lifetime_is_ninety_days_by_default(settings):
    assert settings.API_TOKEN_LIFETIME_DAYS == 90


def test_a_token_past_its_lifetime_is_refused_with_401(client, token, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    age(token, days=30, minutes=1)
    response = call(client, token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == (
        "This token has expired; ask an administrator for a new one."
    )


def test_a_token_within_its_lifetime_is_accepted(client, token, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    age(token, days=29)
    assert call(client, token).status_code == 200


def test_its_last_use_is_recorded_at_most_once_a_minute(client, token):
    before = timezone.now()
    call(client, token)
    first = TokenUse.objects.get(token=token).last_used_at
    assert first >= before
    call(client, token)
    assert TokenUse.objects.get(token=token).last_used_at == first
    earlier = first - datetime.timedelta(minutes=2)
    TokenUse.objects.filter(token=token).update(last_used_at=earlier)
    call(client, token)
    assert TokenUse.objects.get(token=token).last_used_at > first


def test_the_admin_shows_when_each_token_was_created_last_used_and_expires(
    admin_client, client, token
):
    call(client, token)
    response = admin_client.get("/admin/authtoken/tokenproxy/")
    assert response.status_code == 200
    for heading in ("Created", "Last used", "Expires"):
        assert f">{heading}<" in response.text
    expires = timezone.localtime(token.created + datetime.timedelta(days=90))
    assert f'class="field-expires nowrap">{date_format(expires)}' in response.text
