"""What the site-wide search and the lookup boxes find among follow-up records."""

from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from followup.models import Benchmark, FollowUpAction, FollowUpProject


def action_url(action) -> str:
    """An action is shown on its round's page, or on its project's when it has no round."""
    return (action.round if action.round_id else action.project).get_absolute_url()


def register() -> None:
    register_search(
        Searchable(
            label=_("Benchmarks"),
            model=Benchmark,
            fields=("name", "name_fr", "name_zh", "target", "description"),
            shown="display_name",
            order=50,
        ),
        Searchable(
            label=_("Projects"),
            model=FollowUpProject,
            fields=("title", "objectives", "results"),
            shown="objectives",
            order=70,
            document="search_document",
        ),
        Searchable(
            label=_("Actions"),
            model=FollowUpAction,
            fields=("title", "description"),
            shown="title",
            related=("round__dialogue",),
            order=80,
            url=action_url,
            document="search_document",
        ),
    )
    register_lookup("project", Lookup(model=FollowUpProject, fields=("title", "reference")))
