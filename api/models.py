"""What the API keeps of its own: when each token was last used."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenUse(models.Model):
    """When an API token last authenticated a call; written at most once a minute per token."""

    token = models.OneToOneField(
        "authtoken.Token",
        verbose_name=_("token"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="use",
    )
    last_used_at = models.DateTimeField(_("last used"))

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        default_permissions = ()

    def __str__(self):
        return f"{self.token.user} {self.last_used_at:%Y-%m-%d %H:%M}"
