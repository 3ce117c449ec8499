"""The briefing pack of a round: what a head of delegation reads before it, in the order they
read it. The page (templates/reports/round_briefing.html) and the Word document
(reports/briefing_docx.py) show the same sections, each labelled with the highest marking of
what it shows; the reads are the same for both, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import reading
from core.access import visible
from core.formats import written_date
from core.models import DatePrecision, SecurityMarking, Side, period_bounds, within_clearance
from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject
from reports.overlap import raised_elsewhere
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    Topic,
)
from rounds.selectors import TopicLink, previous_round
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    Organization,
    Person,
)

# A printed briefing lists the open actions due soonest; the action list has the rest.
BRIEFING_ACTIONS = 50
# The partner's oldest open commitments on the agenda's topics: the things to press.
TO_PRESS = 3
# How far back the other dialogues with the same partner are read for the overlap.
OVERLAP_YEARS = 2
# The language a partner reads its materials in, where the product keeps that language.
PARTNER_LANGUAGES = {"CN": "zh", "TW": "zh", "HK": "zh", "MO": "zh"}

# The pack's sections, in a head of delegation's reading order (the cases for Case officers).
SECTIONS = {
    "summary": _("Summary"),
    "topics": _("Agenda topics: history and open business"),
    "ngo": _("NGO input since the last round"),
    "materials": _("Materials for this round and the last"),
    "cases": _("Cases to raise"),
    "actions": _("Open follow-up actions"),
}


@dataclass
class Section:
    key: str
    title: str
    marking: str  # the highest marking of what the section shows (a SecurityMarking value)

    @property
    def marking_label(self) -> str:
        return SecurityMarking(self.marking).label


def round_label(round_) -> str:
    """A round named within its dialogue: "10 (2026)", or its year when it has no number."""
    if round_.number:
        return f"{round_.number} ({round_.start_date.year})"
    return str(round_.start_date.year)


def side_names(dialogue) -> dict:
    """Each side named by its party: "Canada", "China" (in the reader's language)."""
    return {
        Side.LEAD: dialogue.lead_party.name,
        Side.PARTNER: dialogue.partner_party.name,
        Side.JOINT: Side.JOINT.label,
    }


@dataclass
class HeadRank:
    """The partner's head of delegation's rank at this round and at the earlier rounds."""

    current: int | None
    earlier: list  # [(round label, rank label)], latest first
    previous_value: int | None = None  # the latest earlier rank, to compare
    shown_markings: set = field(default_factory=set)  # of the delegations read as text

    @property
    def current_label(self) -> str:
        return Delegation.HeadRank(self.current).label if self.current else ""

    @property
    def dropped(self) -> bool:
        return bool(self.current and self.previous_value and self.current < self.previous_value)

    @property
    def earlier_text(self) -> str:
        return "; ".join(f"{label}: {rank}" for label, rank in self.earlier)


@dataclass
class TopicBrief:
    topic: Topic
    earlier_rounds: list
    last_items: list  # the agenda items on it at the latest earlier round
    commitments: list  # open, both sides
    projects: list  # [(title, status)]
    benchmarks: list
    elsewhere: list  # rounds of other dialogues with the same partner
    shown_markings: set = field(default_factory=set)  # of the records read as text
    facts: list = field(default_factory=list)  # [(label, text)]: what the page and document say

    @property
    def earlier_text(self) -> str:
        return ", ".join(round_label(r) for r in self.earlier_rounds)

    @property
    def last_round(self):
        return self.earlier_rounds[-1] if self.earlier_rounds else None

    @property
    def last_label(self) -> str:
        return round_label(self.last_round) if self.last_round else ""

    @property
    def projects_text(self) -> str:
        return "; ".join(f"{title} ({status})" for title, status in self.projects)

    @property
    def elsewhere_text(self) -> str:
        """Each other dialogue once, with its rounds: "EU–China …: 40 (2026), 41 (2026)"."""
        by_dialogue = {}
        for found in self.elsewhere:
            _dialogue, labels = by_dialogue.setdefault(found.dialogue_id, (found.dialogue, []))
            labels.append(round_label(found))
        return "; ".join(f"{d}: {', '.join(labels)}" for d, labels in by_dialogue.values())


@dataclass
class MaterialRow:
    material: Material
    round_text: str
    side: str
    languages: str
    missing: bool  # not in the partner's language


def briefing_pack(*, round_, user) -> dict:
    """Everything the pack shows, by section, with each section's marking."""
    dialogue = round_.dialogue
    sides = side_names(dialogue)
    sections = {}

    segments = _agenda(round_, user=user)
    previous = previous_round(round_, user=user)
    topics = {
        topic.pk: topic
        for items in segments.values()
        for item in items
        for topic in item.topic_list
    }
    briefs, commitments = _topic_briefs(round_, topics, sides, user=user)
    to_press = sorted(
        (c for c in commitments if c.side == Side.PARTNER),
        key=lambda c: (c.round.start_date, c.due_date or datetime.date.max, c.pk),
    )[:TO_PRESS]
    found = list(
        visible(Delegation, user).filter(round=round_).select_related("head").order_by("side")
    )
    delegations = [(d, _head(d, user), sides.get(d.side, "")) for d in found]
    head_rank = _head_rank(round_, found, user=user)
    heads = [(delegation, head) for delegation, head, _side in delegations]
    summary = reading.section_marking(user, round_, segments, to_press, heads, head_rank)
    sections["summary"] = Section("summary", SECTIONS["summary"], summary)
    sections["topics"] = Section(
        "topics", SECTIONS["topics"], reading.section_marking(user, briefs)
    )

    with reading.reading() as part:
        ngo = _ngo_input(round_, previous, user=user)
    sections["ngo"] = Section("ngo", SECTIONS["ngo"], part.highest(user))

    with reading.reading() as part:
        materials = _materials(round_, previous, sides, user=user)
    sections["materials"] = Section("materials", SECTIONS["materials"], part.highest(user))

    cases = None
    if user.is_case_officer:
        with reading.reading() as part:
            cases = _last_answers(round_, user)
        sections["cases"] = Section("cases", SECTIONS["cases"], part.highest(user))

    with reading.reading() as part:
        actions, action_count = _open_actions(round_, user=user)
    sections["actions"] = Section("actions", SECTIONS["actions"], part.highest(user))

    return {
        "dialogue": dialogue,
        "sides": sides,
        "previous_round": previous,
        "segments": segments,
        "delegations": delegations,
        "head_rank": head_rank,
        "to_press": to_press,
        "topic_briefs": briefs,
        **ngo,
        "materials": materials,
        "partner_language": _partner_language(dialogue),
        "cases": cases,
        "open_actions": actions,
        "open_action_count": action_count,
        "today": timezone.localdate(),
        "sections": sections,
        "marking": max((s.marking for s in sections.values()), key=_order),
    }


def _agenda(round_, *, user) -> dict:
    """The round's agenda items by segment, each with its topics (a list)."""
    items = (
        visible(AgendaItem, user)
        .filter(round=round_)
        .only("title", "segment", "order", "security_marking", "round_id")
        .prefetch_related(Prefetch("topics", to_attr="topic_list"))
        .order_by("order", "pk")
    )
    segments = defaultdict(list)
    labels = {value: str(label) for value, label in AgendaItem.Segment.choices}
    for item in items:
        segments[labels[item.segment]].append(item)
    return dict(segments)


def _order(marking) -> int:
    return reading.ORDER.index(marking) if marking in reading.ORDER else -1


def _head(delegation, user):
    """The head of a delegation, if the user may see the person; None otherwise."""
    head = delegation.head
    return head if head is not None and head.is_visible_to(user) else None


def _head_rank(round_, delegations, *, user) -> HeadRank:
    """The partner head's rank here and at the dialogue's earlier rounds (latest first): one
    query, the earlier delegations read as values and noted as read."""
    current = next((d.head_rank for d in delegations if d.side == Side.PARTNER), None)
    earlier = []
    values = []
    markings = set()
    for pk, rank, marking, round_id, round_marking, number, start in (
        visible(Delegation, user)
        .filter(
            within_clearance(user, "round"),
            round__dialogue=round_.dialogue_id,
            round__start_date__lt=round_.start_date,
            side=Side.PARTNER,
            head_rank__isnull=False,
        )
        .order_by("-round__start_date")
        .values_list(
            "pk",
            "head_rank",
            "security_marking",
            "round_id",
            "round__security_marking",
            "round__number",
            "round__start_date",
        )[:5]
    ):
        reading.note(Delegation, pk, marking)
        reading.note(Round, round_id, round_marking)
        markings |= {marking, round_marking}
        label = f"{number} ({start.year})" if number else str(start.year)
        earlier.append((label, Delegation.HeadRank(rank).label))
        values.append(rank)
    return HeadRank(
        current=current,
        earlier=earlier,
        previous_value=values[0] if values else None,
        shown_markings=markings,
    )


def _topic_briefs(round_, topics, sides, *, user) -> tuple[list, list]:
    """Per topic of the agenda: the dialogue's earlier rounds that raised it, what each side
    said at the latest of them, the open commitments on it, its projects, its benchmarks and
    what the other dialogues with the same partner raised on it lately. Also every open
    commitment found (for the things to press)."""
    topic_ids = list(topics)
    links = (
        TopicLink.objects.filter(
            within_clearance(user, "agendaitem", "agendaitem__round"),
            topic__in=topic_ids,
            agendaitem__round__dialogue=round_.dialogue_id,
            agendaitem__round__start_date__lt=round_.start_date,
        )
        .values_list(
            "topic_id", "agendaitem_id", "agendaitem__round_id", "agendaitem__security_marking"
        )
        .distinct()
    )
    rounds_by_topic = defaultdict(set)
    items_by_topic = defaultdict(list)  # (round id, item id)
    text_markings = defaultdict(set)  # of the records read as text, by topic
    for topic_id, item_id, round_id, marking in links:
        rounds_by_topic[topic_id].add(round_id)
        items_by_topic[topic_id].append((round_id, item_id))
        # The item places the topic at its round ("raised at earlier rounds"): what the
        # section says comes from it, so its marking counts, as a record shown does.
        text_markings[topic_id].add(marking)
        reading.note(AgendaItem, item_id, marking)
    rounds = (
        visible(Round, user)
        .only("number", "start_date", "date_precision", "security_marking", "dialogue_id")
        .in_bulk({pk for ids in rounds_by_topic.values() for pk in ids})
    )
    earlier = {
        topic_id: sorted(
            (rounds[pk] for pk in rounds_by_topic[topic_id] if pk in rounds),
            key=lambda r: (r.start_date, r.pk),
        )
        for topic_id in topic_ids
    }
    # What each side said on it the last time it was raised: the items of its latest round.
    last_ids = {}
    for topic_id, found in earlier.items():
        if found:
            latest = found[-1].pk
            last_ids[topic_id] = sorted(i for r, i in items_by_topic[topic_id] if r == latest)
    items = (
        AgendaItem.objects.filter(pk__in={i for ids in last_ids.values() for i in ids})
        .only("title", "our_points", "partner_answer", "round_id", "security_marking")
        .in_bulk()
    )
    # The open commitments made under the dialogue's earlier items on these topics.
    commitments = list(
        visible(Commitment, user)
        .open()
        .filter(agenda_item__in={i for pairs in items_by_topic.values() for _r, i in pairs})
        .select_related("round")
        .only(
            "side",
            "undertaken_by",
            "text",
            "due_date",
            "status",
            "agenda_item_id",
            "security_marking",
            "round",
            "round__number",
            "round__start_date",
            "round__security_marking",
        )
        .order_by("round__start_date", "due_date", "pk")
    )
    for commitment in commitments:
        commitment.side_name = sides.get(commitment.side, "")
        commitment.round_text = round_label(commitment.round)
        commitment.due_text = written_date(commitment.due_date)
    # Titles and statuses only: at scale a topic has a dozen projects and a pack thirty topics.
    projects_by_topic = defaultdict(list)
    for topic_id, project_id, title, status, marking in (
        FollowUpProject.topics.through.objects.filter(
            topic__in=topic_ids, followupproject__in=visible(FollowUpProject, user)
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
        text_markings[topic_id].add(marking)
        reading.note(FollowUpProject, project_id, marking)  # shown as text, not as a record
    benchmark_links = list(
        Benchmark.topics.through.objects.filter(
            topic__in=topic_ids, benchmark__in=visible(Benchmark, user)
        ).values_list("topic_id", "benchmark_id")
    )
    events = visible(BenchmarkEvent, user).order_by("-date", "-pk")
    benchmarks = (
        visible(Benchmark, user)
        .prefetch_related(Prefetch("events", queryset=events))
        .in_bulk({pk for _topic, pk in benchmark_links})
    )
    for benchmark in benchmarks.values():
        benchmark.latest_text = _latest_event(benchmark)
    benchmarks_by_topic = defaultdict(list)
    for topic_id, pk in benchmark_links:
        if pk in benchmarks:
            benchmarks_by_topic[topic_id].append(benchmarks[pk])
    until = period_bounds(round_.start_date, round_.date_precision)[1]
    elsewhere = raised_elsewhere(
        user=user,
        partner=round_.dialogue.partner_party,
        topics=topic_ids,
        since=_years_before(round_.start_date, OVERLAP_YEARS),
        until=until,
        besides=round_.dialogue_id,
    )
    briefs = []
    for topic in topics.values():  # in the agenda's order
        item_ids = {i for _r, i in items_by_topic[topic.pk]}
        briefs.append(
            TopicBrief(
                topic=topic,
                earlier_rounds=earlier[topic.pk],
                last_items=[items[i] for i in last_ids.get(topic.pk, []) if i in items],
                commitments=[c for c in commitments if c.agenda_item_id in item_ids],
                projects=projects_by_topic[topic.pk],
                benchmarks=sorted(benchmarks_by_topic[topic.pk], key=lambda b: b.display_name),
                elsewhere=elsewhere.get(topic.pk, []),
                shown_markings=text_markings[topic.pk],
            )
        )
    none = _("None")
    labels = {
        "earlier": _("Raised at earlier rounds"),
        "first": _("First time in this dialogue"),
        "not_recorded": _("Not recorded"),
        "answered": _("What %(side)s answered") % {"side": sides[Side.PARTNER]},
        "commitments": _("Open commitments"),
        "projects": _("Follow-up projects"),
        "benchmarks": _("Benchmarks"),
        "elsewhere": _("Other dialogues with %(partner)s, last two years")
        % {"partner": sides[Side.PARTNER]},
    }
    for brief in briefs:
        brief.facts = _brief_facts(brief, sides, labels, none)
    return briefs, commitments


def _brief_facts(brief, sides, labels, none) -> list:
    """What the page and the document say of one topic, as (label, text) pairs: the page's
    thirty topics are written here once rather than drawn cell by cell by the template."""
    facts = [(labels["earlier"], brief.earlier_text or labels["first"])]
    for item in brief.last_items:
        said = _("What %(side)s said at round %(round)s") % {
            "side": sides[Side.LEAD],
            "round": brief.last_label,
        }
        facts.append((said, item.our_points or labels["not_recorded"]))
        facts.append((labels["answered"], item.partner_answer or labels["not_recorded"]))
    commitments = "\n".join(
        f"{c.side_name}: {c.text} ("
        + _("round %(round)s") % {"round": c.round_text}
        + (f"; {_('due by')} {c.due_text}" if c.due_text else "")
        + ")"
        for c in brief.commitments
    )
    benchmarks = "\n".join(f"{b.display_name}: {b.latest_text}" for b in brief.benchmarks)
    facts += [
        (labels["commitments"], commitments or none),
        (labels["projects"], brief.projects_text or none),
        (labels["benchmarks"], benchmarks or none),
        (labels["elsewhere"], brief.elsewhere_text or none),
    ]
    return facts


def _latest_event(benchmark) -> str:
    """A benchmark's status and its latest event, as one line."""
    event = next(iter(benchmark.events.all()), None)
    if event is None:
        return _("%(status)s; no event recorded") % {"status": benchmark.get_status_display()}
    return _("%(status)s; latest: %(date)s, %(event)s (%(direction)s)") % {
        "status": benchmark.get_status_display(),
        "date": written_date(event.date, event.date_precision),
        "event": event.title,
        "direction": event.get_direction_display(),
    }


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; the calendar's first day if that is before it."""
    if day.year - years < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _ngo_input(round_, previous, *, user) -> dict:
    """The consultations of the dialogue since the previous round, up to this one's start, and
    the requests of its consultations that are still unanswered."""
    consultations = visible(Consultation, user).filter(
        dialogue=round_.dialogue_id,
        date__lte=period_bounds(round_.start_date, round_.date_precision)[1],
    )
    if previous is not None:
        consultations = consultations.filter(date__gte=previous.start_date)
    requests = (
        visible(ConsultationRequest, user)
        .filter(consultation__dialogue=round_.dialogue_id, answered_on__isnull=True)
        .select_related("consultation")
        .only(
            "text",
            "consultation",
            "consultation__kind",
            "consultation__date",
            "consultation__date_precision",
            "consultation__security_marking",
        )
        .order_by("consultation__date", "consultation_id", "order", "pk")
    )
    consultations = list(consultations.prefetch_related("organizations").order_by("date", "pk"))
    for consultation in consultations:
        consultation.date_text = written_date(consultation.date, consultation.date_precision)
        consultation.organizations_text = ", ".join(
            str(o) for o in consultation.organizations.all()
        )
    requests = list(requests)
    for request in requests:
        made_at = request.consultation
        request.made_at_text = f"{made_at.get_kind_display()}, " + written_date(
            made_at.date, made_at.date_precision
        )
    return {"consultations": consultations, "unanswered_requests": requests}


def _partner_language(dialogue):
    return PARTNER_LANGUAGES.get(dialogue.partner_party.code)


def _materials(round_, previous, sides, *, user) -> list:
    """The materials of this round and the last: who provided each, the languages it exists
    in, and whether it is missing in the partner's language."""
    partner_language = _partner_language(round_.dialogue)
    labels = {code: label for code, (_flag, _file, label) in Material.LANGUAGES.items()}
    wanted = [round_.pk] + ([previous.pk] if previous is not None else [])
    rows = []
    for material in (
        visible(Material, user)
        .filter(round__in=wanted)
        .only(
            "round_id",
            "title",
            "provided_by",
            "in_english",
            "in_french",
            "in_chinese",
            "security_marking",
        )
        .order_by("-round__start_date", "title", "pk")
    ):
        languages = material.languages
        rows.append(
            MaterialRow(
                material=material,
                round_text=_("This round") if material.round_id == round_.pk else _("Last round"),
                side=sides.get(material.provided_by, ""),
                languages=", ".join(str(labels[code]) for code in languages),
                missing=bool(partner_language) and partner_language not in languages,
            )
        )
    return rows


def _open_actions(round_, *, user) -> tuple[list, int]:
    """The dialogue's open actions, and those of projects that arose from its rounds, due
    soonest (the overdue first): rows of text (action, from, assigned to, owner, due, status).

    The rounds' and projects' ids are read first (a few dozen each): the actions are then found
    through their round and project indexes, instead of by reading every open action and
    joining. The actions are read as values, and noted as read (core.reading)."""
    rounds = list(Round.objects.filter(dialogue=round_.dialogue_id).values_list("pk", flat=True))
    dialogue_projects = list(
        FollowUpProject.originating_rounds.through.objects.filter(round__in=list(rounds))
        .values_list("followupproject_id", flat=True)
        .distinct()
    )
    open_actions = (
        visible(FollowUpAction, user)
        .open()
        .filter(Q(round__in=list(rounds)) | Q(project__in=dialogue_projects))
        .order_by("due_date", "pk")
    )
    fields = (
        "pk",
        "security_marking",
        "title",
        "due_date",
        "status",
        "round_id",
        "round__security_marking",
        "round__number",
        "round__start_date",
        "round__dialogue__name",
        "round__dialogue__name_fr",
        "round__dialogue__acronym",
        "round__dialogue__acronym_fr",
        "project_id",
        "project__title",
        "project__security_marking",
        "owner_person_id",
        *_NAMED,
    )
    # The owners and the person assigned are read by a subquery each: joining their three
    # tables as well made PostgreSQL's planning of the query longer than its execution.
    named = open_actions.annotate(
        **{name: Subquery(query.values(column)[:1]) for name, (query, column) in _named().items()}
    )
    shown = list(named.values_list(*fields)[:BRIEFING_ACTIONS])
    today = timezone.localdate()
    seen = set(user.visible_markings)
    statuses = {value: str(label) for value, label in FollowUpAction.Status.choices}
    overdue = _("overdue")
    rows = []
    for row in shown:
        found = dict(zip(fields, row, strict=True))
        reading.note(FollowUpAction, found["pk"], found["security_marking"])
        sources = []
        if found["round_id"] and found["round__security_marking"] in seen:
            reading.note(Round, found["round_id"], found["round__security_marking"])
            sources.append(str(_round_from(found)))
        if found["project_id"] and found["project__security_marking"] in seen:
            reading.note(FollowUpProject, found["project_id"], found["project__security_marking"])
            sources.append(found["project__title"])
        owner = []
        if found["owner_organization_name"]:
            acronym = found["owner_organization_acronym"]
            name = found["owner_organization_name"]
            owner.append(f"{name} ({acronym})" if acronym else name)
        if found["owner_person_id"] and found["owner_person_marking"] in seen:
            reading.note(Person, found["owner_person_id"], found["owner_person_marking"])
            owner.append(found["owner_person_name"])
        assigned = " ".join(
            filter(None, (found["assignee_first_name"], found["assignee_last_name"]))
        )
        due = found["due_date"].isoformat()
        if found["due_date"] < today:
            due += f" ({overdue})"
        rows.append(
            (
                found["title"],
                "; ".join(sources),
                assigned or found["assignee_username"] or "—",
                " — ".join(owner) or "—",
                due,
                statuses[found["status"]],
            )
        )
    count = len(rows) if len(rows) < BRIEFING_ACTIONS else open_actions.count()
    return rows, count


_NAMED = (
    "owner_organization_name",
    "owner_organization_acronym",
    "owner_person_name",
    "owner_person_marking",
    "assignee_first_name",
    "assignee_last_name",
    "assignee_username",
)


def _named() -> dict:
    """What `_open_actions` reads of each action's owners and assignee: (rows, column)."""
    organization = Organization.objects.filter(pk=OuterRef("owner_organization_id"))
    person = Person.objects.filter(pk=OuterRef("owner_person_id"))
    assignee = get_user_model().objects.filter(pk=OuterRef("assignee_id"))
    return {
        "owner_organization_name": (organization, "name"),
        "owner_organization_acronym": (organization, "acronym"),
        "owner_person_name": (person, "full_name"),
        "owner_person_marking": (person, "security_marking"),
        "assignee_first_name": (assignee, "first_name"),
        "assignee_last_name": (assignee, "last_name"),
        "assignee_username": (assignee, "username"),
    }


def _round_from(found: dict) -> Round:
    """A round, with its dialogue, from the values read with an action: enough to name it."""
    dialogue = Dialogue(
        name=found["round__dialogue__name"],
        name_fr=found["round__dialogue__name_fr"],
        acronym=found["round__dialogue__acronym"],
        acronym_fr=found["round__dialogue__acronym_fr"],
    )
    return Round(
        pk=found["round_id"],
        number=found["round__number"],
        start_date=found["round__start_date"],
        dialogue=dialogue,
    )


def _last_answers(round_, user) -> list:
    """Each case raised in this dialogue up to this round, with its latest raising: rows of
    text (case, last raised, answer, answer received, days it took). Every raising is read as
    values in one query, the latest of each case kept and noted as read (core.reading)."""
    # The rounds' ids first (a few dozen): the raisings are then found through their round's
    # index, where a join on the dialogue read every raising of every dialogue.
    rounds_up_to = list(
        visible(Round, user)
        .filter(dialogue=round_.dialogue_id, start_date__lte=round_.start_date)
        .values_list("pk", flat=True)
    )
    raised = visible(CaseRaising, user).filter(
        within_clearance(user, "case"), round__in=rounds_up_to
    )
    fields = (
        "pk",
        "case_id",
        "security_marking",
        "case__security_marking",
        "case__name",
        "case__name_zh",
        "round_id",
        "response",
        "response_date",
        "response_summary",
    )
    raisings = raised.order_by("case_id", "-round__start_date", "-pk")
    if connection.features.can_distinct_on_fields:
        raisings = raisings.distinct("case_id")  # only each case's latest, found by PostgreSQL
    latest = {}
    for row in raisings.values_list(*fields):
        latest.setdefault(row[1], row)
    # Hundreds of cases share a few rounds: each round is read, and labelled, once.
    rounds = Round.objects.only("number", "start_date", "end_date", "security_marking").in_bulk(
        {row[6] for row in latest.values()}
    )
    for found in rounds.values():
        found.dialogue = round_.dialogue
    labels = {pk: str(found) for pk, found in rounds.items()}
    responses = {value: str(label) for value, label in CaseRaising.Response.choices}
    answers = []
    for (
        pk,
        case_id,
        marking,
        case_marking,
        name,
        name_zh,
        round_id,
        response,
        date,
        summary,
    ) in latest.values():
        reading.note(CaseRaising, pk, marking)
        reading.note(CaseOfConcern, case_id, case_marking)
        raised_at = rounds[round_id]
        ended = raised_at.end_date or raised_at.start_date
        answer = responses[response] + (f": {summary}" if summary else "")
        answers.append(
            (
                f"{name} ({name_zh})" if name_zh else name,
                labels[round_id],
                answer,
                date.isoformat() if date else "—",
                str((date - ended).days) if date else "—",
            )
        )
    answers.sort(key=lambda row: (row[0].casefold(), row))
    return answers


def next_planned_round(round_, *, user):
    """The dialogue's next planned round from `round_` (itself if it is planned), as far as the
    user may see; None if none is planned.

    A round planned only to the month or the year is stored at the period's first day: one
    planned for "2027" is still ahead of a round held in March 2027, so a planned round counts
    if its period ends on or after this round's start."""
    start = round_.start_date
    ahead = (
        Q(start_date__gte=start)
        | Q(date_precision=DatePrecision.MONTH, start_date__gte=start.replace(day=1))
        | Q(date_precision=DatePrecision.YEAR, start_date__gte=start.replace(month=1, day=1))
    )
    return (
        visible(Round, user)
        .filter(ahead, dialogue=round_.dialogue_id, status=Round.Status.PLANNED)
        .order_by("start_date", "pk")
        .first()
    )
