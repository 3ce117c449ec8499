"""API tokens in the admin, with when each was created, last used and expires."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from api.authentication import token_expires_at


class TokenAdmin(DrfTokenAdmin):
    list_display = ["key", "user", "created", "last_used", "expires"]
    list_select_related = ["user", "use"]

    @admin.display(description=_("last used"), ordering="use__last_used_at")
    def last_used(self, token):
        use = getattr(token, "use", None)
        return use.last_used_at if use else None

    @admin.display(description=_("expires"), ordering="created")
    def expires(self, token):
        return token_expires_at(token)


admin.site.unregister(TokenProxy)
admin.site.register(TokenProxy, TokenAdmin)
