"""Token authentication with a lifetime, recording when each token was last used."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from api.models import TokenUse

# A token's last use is written at most this often, to spare a write on every call.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)


def token_expires_at(token) -> datetime.datetime:
    return token.created + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication; a token older than API_TOKEN_LIFETIME_DAYS is refused (401)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        now = timezone.now()
        if token_expires_at(token) <= now:
            raise AuthenticationFailed(
                _("This token has expired; ask an administrator for a new one.")
            )
        last = TokenUse.objects.filter(token=token).values_list("last_used_at", flat=True).first()
        if last is None or now - last >= USE_RECORDED_EVERY:
            TokenUse.objects.update_or_create(token=token, defaults={"last_used_at": now})
        return user, token
