"""The dashboard: where a signed-in user lands."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core import reportcache
from dashboard import caching, selectors


def dashboard(request):
    if not request.user.has_perm("rounds.view_round"):
        # Signed in but given no role yet: say so rather than show an empty dashboard.
        return render(request, "dashboard.html", {"title": _("Dashboard")})
    return reportcache.render_report(
        request,
        caching.DASHBOARD,
        "includes/dashboard_body.html",
        lambda: selectors.dashboard(user=request.user, dialogue_slug=request.GET.get("dialogue")),
        title=_("Dashboard"),
    )
