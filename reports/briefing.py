"""The briefing pack of a round: what a head of delegation reads before it."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from core import reading
from core.access import visible
from core.models import within_clearance
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from rounds.models import CaseRaising, Round, Topic
from rounds.selectors import ROUND_LABEL_FIELDS, TopicLink, round_page

# A printed briefing lists the open actions due soonest; the action list has the rest.
BRIEFING_ACTIONS = 50


@dataclass
class TopicHistory:
    topic: Topic
    earlier_rounds: list
    projects: list  # [(title, status)]
    project_markings: set = field(default_factory=set)

    @property
    def shown_markings(self) -> set:
        """The markings of the projects named in `projects_text` (read as text, not records)."""
        return self.project_markings

    # A briefing lists dozens of topics with their rounds and projects: written here as text,
    # each line costs the template one variable rather than a loop.
    @property
    def earlier_text(self) -> str:
        return ", ".join(
            f"{r.number} ({r.start_date.year})" if r.number else str(r.start_date.year)
            for r in self.earlier_rounds
        )

    @property
    def projects_text(self) -> str:
        return "; ".join(f"{title} ({status})" for title, status in self.projects)


def briefing_pack(*, round_, user) -> dict:
    """What an officer takes into a round: its agenda and delegations, each topic's history in
    the dialogue's earlier rounds, open actions, the benchmarks' state and, for Case officers
    only, the cases with their last answers."""
    page = round_page(round_=round_, user=user)
    topics = {
        topic.pk: topic
        for items in page["segments"].values()
        for item in items
        for topic in item.topics.all()
    }
    earlier = (
        TopicLink.objects.filter(
            within_clearance(user, "agendaitem", "agendaitem__round"),
            topic__in=list(topics),
            agendaitem__round__dialogue=round_.dialogue_id,
            agendaitem__round__start_date__lt=round_.start_date,
        )
        .values_list("topic_id", "agendaitem__round_id")
        .distinct()
    )
    rounds_by_topic = defaultdict(set)
    for topic_id, round_id in earlier:
        rounds_by_topic[topic_id].add(round_id)
    rounds = visible(Round, user).in_bulk({pk for ids in rounds_by_topic.values() for pk in ids})
    # Titles and statuses only: at scale a topic has a dozen projects and a pack thirty topics.
    projects_by_topic = defaultdict(list)
    project_markings = defaultdict(set)
    for topic_id, project_id, title, status, marking in (
        FollowUpProject.topics.through.objects.filter(
            topic__in=list(topics), followupproject__in=visible(FollowUpProject, user)
        )
        .order_by("followupproject__title", "followupproject_id")
        .values_list(
            "topic_id",
            "followupproject_id",
            "followupproject__title",
            "followupproject__status",
            "followupproject__security_marking",
        )
    ):
        projects_by_topic[topic_id].append((title, FollowUpProject.Status(status).label))
        project_markings[topic_id].add(marking)
        reading.note(FollowUpProject, project_id, marking)  # shown as text, not as a record
    histories = [
        TopicHistory(
            topic=topic,
            earlier_rounds=sorted(
                (rounds[pk] for pk in rounds_by_topic[topic.pk] if pk in rounds),
                key=lambda r: r.start_date,
            ),
            projects=projects_by_topic[topic.pk],
            project_markings=project_markings[topic.pk],
        )
        for topic in sorted(topics.values(), key=lambda t: t.name)
    ]
    # The dialogue's actions, and those of projects that arose from its rounds. The rounds'
    # and projects' ids are read first (a few dozen each): the actions are then found through
    # their round and project indexes, instead of by reading every open action and joining,
    # and no join multiplies the rows for a DISTINCT to sort.
    dialogue_rounds = list(
        Round.objects.filter(dialogue=round_.dialogue_id).values_list("pk", flat=True)
    )
    dialogue_projects = list(
        FollowUpProject.originating_rounds.through.objects.filter(round__in=dialogue_rounds)
        .values_list("followupproject_id", flat=True)
        .distinct()
    )
    open_actions = (
        visible(FollowUpAction, user)
        .open()
        .filter(Q(round__in=dialogue_rounds) | Q(project__in=dialogue_projects))
        .select_related("round__dialogue", "project", "owner_organization", "owner_person")
        .order_by("due_date", "pk")
    )
    events = visible(BenchmarkEvent, user).order_by("-date")
    benchmarks = (
        visible(Benchmark, user)
        .filter(topics__in=list(topics))
        .distinct()
        .prefetch_related(Prefetch("events", queryset=events))
    )
    return {
        **page,
        "histories": histories,
        "open_actions": open_actions[:BRIEFING_ACTIONS],
        "open_action_count": open_actions.count(),
        "benchmarks": benchmarks,
        "cases": _last_answers(round_, user) if user.is_case_officer else None,
    }


def _last_answers(round_, user) -> list:
    """Each case raised in this dialogue up to this round, with its latest raising."""
    raised = visible(CaseRaising, user).filter(
        within_clearance(user, "round", "case"),
        round__dialogue=round_.dialogue_id,
        round__start_date__lte=round_.start_date,
    )
    # Each case's latest raising, found from the raisings' ids (a subquery per raising for its
    # case's latest cost more); only those are read as records, and so noted as read.
    latest = {}
    for pk, case_id in raised.order_by("case_id", "-round__start_date", "-pk").values_list(
        "pk", "case_id"
    ):
        latest.setdefault(case_id, pk)
    answers = list(
        raised.filter(pk__in=list(latest.values()))
        .select_related("case")
        .only(
            "round_id",
            "security_marking",
            "case__security_marking",
            "response",
            "response_date",
            "response_summary",
            "case__name",
            "case__name_zh",
        )
        .order_by("case__name", "case_id")
    )
    # Hundreds of cases share a few rounds: each round is read, and labelled, once.
    rounds = (
        Round.objects.select_related("dialogue")
        .only(*ROUND_LABEL_FIELDS, "security_marking")
        .in_bulk({answer.round_id for answer in answers})
    )
    labels = {pk: str(found) for pk, found in rounds.items()}
    for answer in answers:
        answer.round_label = labels[answer.round_id]
    return answers
