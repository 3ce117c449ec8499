"""The site-wide search page."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.pagecache import shared_page
from search import selectors


@shared_page
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    groups = selectors.search(query=query, user=request.user) if query else []
    return render(
        request,
        "search.html",
        {"query": query, "groups": groups, "title": _("Search")},
    )
