"""What follows a round: cooperation projects, concrete actions, and benchmarks of progress."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    DatePrecision,
    MarkedModel,
    MarkedQuerySet,
    NamedInLanguages,
    PreciseDates,
    Side,
    VersionedModel,
    period_bounds,
    reader_language,
)
from core.search import search_indexes, stored_document


class FollowUpProject(VersionedModel, MarkedModel):
    """A technical-assistance or cooperation project arising from the dialogue."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"), max_length=50, blank=True, help_text=_("The agency's project number.")
    )
    lead_agency = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    partner_organizations = models.ManyToManyField(
        "stakeholders.Organization",
        verbose_name=_("partner organizations"),
        blank=True,
        related_name="partner_projects",
    )
    topics = models.ManyToManyField(
        "rounds.Topic", verbose_name=_("topics"), blank=True, related_name="projects"
    )
    originating_rounds = models.ManyToManyField(
        "rounds.Round", verbose_name=_("originating rounds"), blank=True, related_name="projects"
    )
    proposed_by = models.CharField(
        _("proposed by"), max_length=10, choices=Side.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_cad = models.DecimalField(
        _("budget (CAD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    objectives = models.TextField(_("objectives"), blank=True)
    objectives_fr = models.TextField(_("objectives in French"), blank=True)
    results = models.TextField(_("results"), blank=True)
    search_document = stored_document("title", "objectives", "results")  # followup/search.py

    history = HistoricalRecords(
        m2m_fields=[topics, originating_rounds], excluded_fields=["search_document"]
    )

    # Where a project may go from each status; a new record may start at any (history is
    # entered after the fact).
    TRANSITIONS = {
        Status.PROPOSED: {Status.APPROVED, Status.CANCELLED},
        Status.APPROVED: {Status.ACTIVE, Status.PROPOSED, Status.CANCELLED},
        Status.ACTIVE: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: {Status.ACTIVE},
        Status.CANCELLED: {Status.PROPOSED},
    }
    CLOSED = {Status.COMPLETED, Status.CANCELLED}

    class Meta:
        verbose_name = _("follow-up project")
        verbose_name_plural = _("follow-up projects")
        ordering = ["-start_date", "title"]
        indexes = search_indexes("project", "title", "objectives", "results")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="followup_project_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_cad__isnull=True) | Q(budget_cad__gte=0),
                name="followup_project_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("followup:project_detail", args=[self.pk])

    def name_in(self, language: str | None = None) -> tuple[str, str]:
        """The title to show and the language it is in: French where recorded for a French
        reader, else English (as NamedInLanguages does for names)."""
        if (language or reader_language()) == "fr" and self.title_fr:
            return self.title_fr, "fr"
        return self.title, "en"

    @property
    def display_name(self) -> str:
        return self.name_in()[0]

    @property
    def display_objectives(self) -> str:
        if reader_language() == "fr" and self.objectives_fr:
            return self.objectives_fr
        return self.objectives

    @property
    def next_statuses(self) -> list:
        return [s for s in self.Status if s in self.TRANSITIONS[self.Status(self.status)]]

    def clean(self):
        errors = {}
        loaded = getattr(self, "_loaded_status", None)
        if self.pk and loaded and self.status != loaded:
            errors.update(self._transition_errors(self.Status(loaded)))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.status in (self.Status.ACTIVE, self.Status.COMPLETED) and not self.start_date:
            errors["start_date"] = _("An active or completed project needs its start date.")
        if self.status == self.Status.COMPLETED and not self.end_date:
            errors["end_date"] = _("A completed project needs its end date.")
        if errors:
            raise ValidationError(errors)

    def _transition_errors(self, loaded) -> dict:
        if self.status not in self.TRANSITIONS[loaded]:
            allowed = ", ".join(
                str(label)
                for value, label in self.Status.choices
                if value in self.TRANSITIONS[loaded]
            )
            return {
                "status": _(
                    "A project cannot go from “%(old)s” to “%(new)s”. From “%(old)s” it can "
                    "become: %(allowed)s."
                )
                % {"old": loaded.label, "new": self.Status(self.status).label, "allowed": allowed}
            }
        return {}


class FollowUpActionQuerySet(MarkedQuerySet):
    """The one definition of an open action (`FollowUpAction.OPEN_STATUSES`) and of an overdue
    one (open, and due before today: due today is not yet overdue)."""

    def open(self):
        """Actions still to be done: open or in progress."""
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        """Open actions whose due date is before `today` (by default, today)."""
        return self.open().filter(due_date__lt=today or timezone.localdate())


class FollowUpAction(VersionedModel, MarkedModel):
    """A concrete action with an owner and a due date, from a round and/or within a project."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    # Not yet done, nor dropped. Read through `open()`, `overdue()` and `is_open` only.
    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("arising from round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_actions",
    )
    project = models.ForeignKey(
        FollowUpProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    commitment = models.ForeignKey(
        "rounds.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followup_actions",
        help_text=_("The commitment made at a round that this action follows up, if any."),
    )
    # Who owns it: the assignee, a user who acts on follow-up and is reminded of it, and
    # optionally the organization that carries it out. `owner_person` (a stakeholder, not a
    # user) is what records made before the assignee kept; it is shown and exported, and
    # no longer asked for by the product's form.
    owner_organization = models.ForeignKey(
        "stakeholders.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text=_("Optional: the organization that carries it out."),
    )
    owner_person = models.ForeignKey(
        "stakeholders.Person",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        help_text=_("Kept from earlier records: the assignee owns the action."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followup_actions",
        help_text=_("The person who owns it, a user of this application; they are reminded of it."),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    search_document = stored_document("title", "description")  # followup/search.py

    objects = FollowUpActionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="followup_action_done_has_completion_date",
                violation_error_message=_(
                    "A done action needs its completion date, and only a done action has one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(round__isnull=False) | Q(project__isnull=False),
                name="followup_action_has_round_or_project",
                violation_error_message=_("An action arises from a round or belongs to a project."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # Every action by due date, the list's own order: its first page read from the
            # start of the index (120 ms to 40 for 30,000 actions, sorting them all joined).
            models.Index(fields=["due_date", "id"], name="followup_action_due"),
            # The list filtered by status counts its rows from the index alone, the marking
            # (the reader's clearance) included: 3.8 ms to under 1 for 7,500 open actions.
            # The marking is carried, not searched by: no other query is drawn to this index.
            models.Index(
                fields=["status"], include=["security_marking"], name="followup_action_status_mark"
            ),
            # The list unfiltered counts every action within the reader's clearance (30,000 at
            # scale 1) from this index's conditions rather than by testing each entry of
            # another: 7-10 ms to 5 on a slow machine.
            models.Index(fields=["security_marking"], name="followup_action_marking"),
            # Open actions by due date: the dashboard's and the overdue list's order, read
            # from the start of the index instead of sorting half the table. Its condition is
            # OPEN_STATUSES (a test holds them together).
            models.Index(
                fields=["due_date"],
                condition=Q(status__in=["open", "in_progress"]),
                name="followup_action_open_due",
            ),
            *search_indexes("action", "title", "description"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("followup:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """The one-record form of `FollowUpActionQuerySet.open`."""
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """The one-record form of `FollowUpActionQuerySet.overdue`."""
        return self.is_open and self.due_date < (today or timezone.localdate())

    def days_overdue(self, today: datetime.date | None = None) -> int | None:
        """How many days past its due date an overdue action is; None for one that is not."""
        today = today or timezone.localdate()
        return (today - self.due_date).days if self.is_overdue(today) else None

    def clean(self):
        errors = {}
        if not self.round_id and not self.project_id:
            errors["round"] = _("Choose the round it arises from, the project, or both.")
        if self.status == self.Status.DONE and not self.completed_on:
            errors["completed_on"] = _("A done action needs its completion date.")
        elif self.status != self.Status.DONE and self.completed_on:
            errors["completed_on"] = _("Only a done action has a completion date.")
        elif self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = _("The completion date cannot be in the future.")
        if self.due_date and self.round_id:
            earliest, _latest = period_bounds(self.round.start_date, self.round.date_precision)
            if self.due_date < earliest:
                errors["due_date"] = _(
                    "The due date cannot be before the round it arises from (%(date)s)."
                ) % {"date": self.round.start_date.isoformat()}
        if errors:
            raise ValidationError(errors)


class Benchmark(NamedInLanguages, MarkedModel):
    """An objective indicator of progress, tied to topics."""

    class Kind(models.TextChoices):
        TREATY = "treaty", _("Treaty")
        LEGISLATION = "legislation", _("Legislation")
        CONSTITUTION = "constitution", _("Constitution")
        INSTITUTION = "institution", _("Institution")
        PRACTICE = "practice", _("Practice")

    class Status(models.TextChoices):
        NOT_MET = "not_met", _("Not met")
        PARTLY_MET = "partly_met", _("Partly met")
        MET = "met", _("Met")

    name = models.CharField(_("name"), max_length=250)
    name_fr = models.CharField(_("name in French"), max_length=250, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=250, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    topics = models.ManyToManyField(
        "rounds.Topic", verbose_name=_("topics"), blank=True, related_name="benchmarks"
    )
    commitment = models.ForeignKey(
        "rounds.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="benchmarks",
        help_text=_("The commitment made at a round that this benchmark measures, if any."),
    )
    target = models.TextField(_("what counts as met"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_MET
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        ordering = ["name"]
        # Unique among the benchmarks of one marking, which anyone filing at that marking may
        # see: unique across markings, a name refused would confirm a hidden benchmark's name.
        constraints = [
            models.UniqueConstraint(
                fields=["name", "security_marking"],
                name="followup_benchmark_unique_name",
                violation_error_message=_("A benchmark with this name and marking exists."),
            )
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("followup:benchmark_detail", args=[self.pk])


class BenchmarkEvent(PreciseDates, MarkedModel):
    """A dated event that moved a benchmark forward or back, with its source."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", _("Signature")
        RATIFICATION = "ratification", _("Ratification")
        RESERVATION = "reservation", _("Reservation")
        LEGISLATION = "legislation", _("Legislation")
        AMENDMENT = "amendment", _("Constitutional amendment")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        FORWARD = "forward", _("Forward")
        BACKWARD = "backward", _("Back")
        NEUTRAL = "neutral", _("Neither")

    benchmark = models.ForeignKey(
        Benchmark, verbose_name=_("benchmark"), on_delete=models.CASCADE, related_name="events"
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.FORWARD
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("Where this is reported; required.")
    )
    source_url = models.URLField(_("source address"), blank=True)
    search_document = stored_document("title", "description", "source")  # followup/search.py

    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("benchmark event")
        verbose_name_plural = _("benchmark events")
        ordering = ["benchmark", "date"]
        indexes = search_indexes("bmevent", "title", "description")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}" if self.date else self.title

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("An event that moved a benchmark cannot be future.")})


class ReminderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A reminder is as visible as its action."""
        return self.filter(action__in=FollowUpAction.objects.visible_to(user))


class Reminder(models.Model):
    """That an action's reminder went out on a day: at most one per action per day."""

    action = models.ForeignKey(
        FollowUpAction,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    day = models.DateField(_("day"))
    recipient = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["action", "day"], name="followup_reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.action} — {self.day:%Y-%m-%d}"
