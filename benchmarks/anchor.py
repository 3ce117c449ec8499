"""The anchor page: a plain Django `ListView` of 50 rounds with their dialogue and a minimal
template, which the list pages are measured against (at most three times its median).

It is no page of the product: `URLCONF` adds it to the project's URLs for the benchmark alone
(`override_settings(ROOT_URLCONF=...)` in benchmarks/pages.py), and the production image
leaves benchmarks/ out, so no user can reach it.
"""

from django.template import engines
from django.urls import path
from django.views.generic import ListView

from dialogue import urls as project_urls
from rounds.models import Round

TEMPLATE = """<!doctype html>
<title>Rounds</title>
<table>
{% for round in object_list %}<tr><td>{{ round.dialogue }}</td><td>{{ round.number }}</td>
<td>{{ round.start_date }}</td><td>{{ round.get_status_display }}</td></tr>
{% endfor %}</table>
"""


class AnchorRoundList(ListView):
    """Fifty rounds and their dialogue, as Django's generic view shows them."""

    queryset = Round.objects.select_related("dialogue").order_by("-start_date", "pk")
    paginate_by = 50

    def get_template_names(self):
        # A template object rather than a name: benchmarks/ is not an app with templates.
        return engines["django"].from_string(TEMPLATE)


# The project's URLs and the anchor's, for `override_settings(ROOT_URLCONF=URLCONF)`.
URLCONF = __name__
URL = "/bench/anchor/rounds/"
urlpatterns = [
    path(URL.lstrip("/"), AnchorRoundList.as_view(), name="bench_anchor"),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
handler500 = project_urls.handler500
