"""What the site-wide search and the lookup boxes find among follow-up records."""

from django.utils.translation import gettext_lazy as _

from core.registry import Lookup, Searchable, register_lookup, register_search
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject


def action_context(action) -> str:
    """Where an action comes from: its round (dialogue, number, year), else its project."""
    return str(action.round if action.round_id else action.project)


def event_url(event) -> str | None:
    return event.benchmark.get_absolute_url()  # None for a benchmark the reader may not see


def event_context(event) -> str:
    return f"{event.benchmark}, {event.date:%Y}" if event.date else str(event.benchmark)


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
            context=lambda project: project.get_status_display(),
        ),
        Searchable(
            label=_("Actions"),
            model=FollowUpAction,
            fields=("title", "description"),
            shown="title",
            related=("round__dialogue", "project"),
            order=80,
            document="search_document",
            context=action_context,
        ),
        Searchable(
            label=_("Benchmark events"),
            model=BenchmarkEvent,
            fields=("title", "description", "source"),
            shown="description",
            related=("benchmark",),
            order=55,
            url=event_url,
            document="search_document",
            context=event_context,
        ),
    )
    register_lookup("project", Lookup(model=FollowUpProject, fields=("title", "reference")))
