"""Downloading a whole dialogue as JSON (the format `import_dialogue` reads)."""

from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse

from core.access import get_visible_or_404
from exchange.exchange import export_dialogue
from rounds.models import Dialogue


@permission_required("rounds.view_dialogue", raise_exception=True)
def dialogue_export(request, slug):
    """The dialogue, its rounds and everything under them that the user may see, as JSON."""
    dialogue = get_visible_or_404(Dialogue, request.user, slug=slug)
    response = JsonResponse(
        export_dialogue(dialogue, user=request.user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{dialogue.slug}.json"'
    return response
