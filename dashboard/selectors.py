"""The dashboard's figures: one dialogue's last and next rounds, overdue actions, coverage."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.access import visible
from core.models import Side, within_clearance
from followup.models import FollowUpAction, FollowUpProject
from reports.case_answers import case_answers, case_chart
from rounds.models import AgendaItem, Commitment, Dialogue, Round, Topic
from rounds.selectors import home_dialogue
from stakeholders.models import Consultation

COVERAGE_ROUNDS = 3


def dashboard(*, user, dialogue_slug=None) -> dict:
    """The dashboard's figures for one dialogue, in a fixed number of queries."""
    today = timezone.localdate()
    dialogue = home_dialogue(user, dialogue_slug)
    rounds = visible(Round, user).filter(dialogue=dialogue).select_related("dialogue")
    held = rounds.filter(status=Round.Status.HELD, start_date__lte=today)
    last = held.order_by("-start_date").first()
    upcoming = rounds.filter(start_date__gt=today).exclude(status=Round.Status.CANCELLED)
    context = {
        "dialogue": dialogue,
        "dialogues": Dialogue.objects.order_by("name"),
        "last_round": last,
        "next_round": upcoming.order_by("start_date").first(),
        "last_topics": _topics_with_history(last, user) if last else [],
        "overdue": visible(FollowUpAction, user)
        .overdue(today)
        .select_related("round__dialogue", "owner_organization", "assignee")
        .order_by("due_date")[:10],
        "coverage": _coverage(held, user),
        "undebriefed": held.annotate(
            debriefed=Exists(
                visible(Consultation, user).filter(
                    round=OuterRef("pk"), kind=Consultation.Kind.DEBRIEFING
                )
            )
        )
        .filter(debriefed=False)
        .order_by("start_date"),
        "case_rates": None,
        **_open_commitments(rounds, user),
    }
    if user.is_case_officer:
        rates = case_answers(held, user=user)
        context["case_rates"] = rates
        context["case_chart"] = case_chart(rates)
    return context


def _open_commitments(rounds, user) -> dict:
    """The commitments still open at the dialogue's rounds, each side's oldest first: what to
    press for, and what we owe."""
    still_open = (
        visible(Commitment, user)
        .open()
        .filter(within_clearance(user, "round"), round__in=rounds.values("pk"))
        .select_related("round__dialogue")
        .order_by("round__start_date", "pk")
    )
    counts = still_open.aggregate(
        partner=Count("pk", filter=Q(side=Side.PARTNER)),
        ours=Count("pk", filter=Q(side=Side.LEAD)),
    )
    return {
        "partner_commitments": still_open.filter(side=Side.PARTNER)[:5],
        "our_commitments": still_open.filter(side=Side.LEAD)[:5],
        "commitment_counts": counts,
    }


def _topics_with_history(last, user) -> list:
    before = within_clearance(user, "agenda_items", "agenda_items__round") & Q(
        agenda_items__round__dialogue=last.dialogue_id,
        agenda_items__round__start_date__lt=last.start_date,
    )
    # Select the last round's topics through a subquery, so that the count below walks its own
    # join over every round rather than the one the selection used.
    in_last = AgendaItem.topics.through.objects.filter(
        within_clearance(user, "agendaitem"), agendaitem__round=last
    ).values("topic_id")
    return list(
        Topic.objects.filter(pk__in=in_last)
        .annotate(raised_before=Count("agenda_items__round", filter=before, distinct=True))
        .order_by("-raised_before", "name")
    )


@dataclass
class Coverage:
    topics: list
    covered: set

    @property
    def percent(self) -> int | None:
        return round(100 * len(self.covered) / len(self.topics)) if self.topics else None


def _coverage(held, user) -> Coverage:
    """Share of the thematic topics of the last rounds that have a follow-up project."""
    recent = list(held.order_by("-start_date").values_list("pk", flat=True)[:COVERAGE_ROUNDS])
    topics = list(
        Topic.objects.filter(
            within_clearance(user, "agenda_items"),
            agenda_items__round__in=recent,
            agenda_items__segment=AgendaItem.Segment.THEMATIC,
            standing=False,
        )
        .annotate(covered=Exists(visible(FollowUpProject, user).filter(topics=OuterRef("pk"))))
        .distinct()
        .order_by("name")
    )
    return Coverage(topics=topics, covered={t.pk for t in topics if t.covered})
