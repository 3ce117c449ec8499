"""The site-wide search page."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from search import selectors


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    groups = selectors.search(query=query, user=request.user) if query else []
    return render(
        request,
        "search.html",
        {"query": query, "groups": groups, "title": _("Search")},
    )
