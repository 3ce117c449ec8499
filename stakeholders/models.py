"""The people and organizations around a dialogue: delegations and civil-society consultations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import (
    DatePrecision,
    MarkedModel,
    NamedInLanguages,
    PreciseDates,
    SecurityMarking,
    Side,
    TrackedModel,
    VersionedModel,
    period_bounds,
    within_clearance,
)
from core.references import shown, unrestricted
from core.search import search_indexes, stored_document

DELEGATION_SIDES = [(Side.LEAD.value, Side.LEAD.label), (Side.PARTNER.value, Side.PARTNER.label)]


def _check_no_cycle(instance, field: str, message):
    """Raise if following ``field`` upwards from ``instance`` comes back to it."""
    seen = {instance.pk} if instance.pk else set()
    node = getattr(instance, field)
    while node is not None:
        if node is instance or node.pk in seen:
            raise ValidationError({field: message})
        seen.add(node.pk)
        node = getattr(node, field)


class Organization(NamedInLanguages, TrackedModel):
    """A ministry, agency, party organ, GONGO, NGO, academic body or international organization."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or department")
        AGENCY = "agency", _("Government agency")
        EMBASSY = "embassy", _("Embassy or mission")
        LEGISLATURE = "legislature", _("Legislature")
        JUDICIARY = "judiciary", _("Court or procuratorate")
        PARTY = "party", _("Party organ")
        GONGO = "gongo", _("Government-organized NGO")
        NGO = "ngo", _("Non-governmental organization")
        ACADEMIC = "academic", _("Academic or research body")
        INTERNATIONAL = "international", _("International organization")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=250)
    name_fr = models.CharField(_("name in French"), max_length=250, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=250, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    acronym_fr = models.CharField(_("acronym in French"), max_length=30, blank=True)
    country = CountryField(
        _("country"), blank=True, help_text=_("Leave empty for an international organization.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # What stakeholders/search.py searches.
    search_document = stored_document(
        "name", "name_fr", "name_zh", "acronym", "acronym_fr", "description"
    )

    history = HistoricalRecords(excluded_fields=["search_document"])

    # Reference data: everyone with the view permission reads all of it (core.access.visible).
    unrestricted_reading = True

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = search_indexes(
            "organization", "name", "name_fr", "name_zh", "acronym", "acronym_fr", "description"
        )
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="stakeholders_organization_unique_name",
                violation_error_message=_("An organization with this name and country exists."),
            )
        ]

    def __str__(self):
        acronym = self.display_acronym
        return f"{self.display_name} ({acronym})" if acronym else self.display_name

    def get_absolute_url(self):
        return reverse("stakeholders:organization_detail", args=[self.pk])

    def clean(self):
        _check_no_cycle(
            self, "parent", _("An organization cannot be its own parent, even indirectly.")
        )


class Person(MarkedModel):
    """Someone who took part in a dialogue."""

    full_name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese characters"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=250, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    country = CountryField(_("country"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    search_document = stored_document("full_name", "name_zh", "position")  # stakeholders/search.py

    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        indexes = [
            # The list's order: its first page is read from the index, not sorted from all.
            models.Index(fields=["full_name"], name="stakeholders_person_name_idx"),
            *search_indexes("person", "full_name", "name_zh", "position"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.name_zh})" if self.name_zh else self.full_name

    def get_absolute_url(self):
        return reverse("stakeholders:person_detail", args=[self.pk])


class Delegation(MarkedModel):
    """One side's delegation to a round; the head's rank shows a side raising or lowering it."""

    class HeadRank(models.IntegerChoices):
        # Higher is more senior, so that a chart of ranks reads upwards.
        MINISTER = 8, _("Minister")
        VICE_MINISTER = 7, _("Deputy minister or vice-minister")
        ASSISTANT_MINISTER = 6, _("Assistant deputy minister or assistant minister")
        AMBASSADOR = 5, _("Ambassador")
        DIRECTOR_GENERAL = 4, _("Director general")
        DEPUTY_DIRECTOR_GENERAL = 3, _("Deputy director general")
        DIRECTOR = 2, _("Director")
        OFFICER = 1, _("Officer")

    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    side = models.CharField(_("side"), max_length=10, choices=DELEGATION_SIDES)
    head = models.ForeignKey(
        Person,
        verbose_name=_("head of delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_delegations",
    )
    head_title = models.CharField(_("head's title as recorded"), max_length=250, blank=True)
    head_rank = models.PositiveSmallIntegerField(
        _("head's rank"), choices=HeadRank.choices, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["round", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "side"],
                name="stakeholders_delegation_one_per_side",
                violation_error_message=_("This round already has a delegation for that side."),
            )
        ]

    # What its name (__str__) reads besides its own fields: fetched with it where records are
    # listed by name (core/history.py recent_changes).
    named_with = ("round__dialogue",)

    def __str__(self):
        if not self.round_id:
            return str(self.pk)
        return f"{self.round.dialogue.side_name(self.side)} — {self.round}"


class DelegationMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A membership is as protected as its delegation, its round and the person named."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(person__isnull=True) | within_clearance(user, "person"),
            within_clearance(user, "delegation", "delegation__round"),
        )


class DelegationMember(VersionedModel, TrackedModel):
    """A person, or an organization whose representative is not named, in a delegation."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head")
        MEMBER = "member", _("Member")
        PRESENTER = "presenter", _("Presenter")
        INTERPRETER = "interpreter", _("Interpreter")
        NGO = "ngo", _("NGO representative")
        OBSERVER = "observer", _("Observer")

    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization at the time"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    position_at_time = models.CharField(_("position at the time"), max_length=250, blank=True)

    objects = DelegationMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "person"],
                condition=Q(person__isnull=False),
                name="stakeholders_member_once_per_delegation",
                violation_error_message=_("This person is already in this delegation."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="stakeholders_member_person_or_organization",
                violation_error_message=_("Give the person, the organization, or both."),
            ),
        ]

    # What its name (__str__) reads besides its own fields: fetched with it where records are
    # listed by name (core/history.py recent_changes).
    named_with = ("person", "organization")

    def __str__(self):
        return str(self.person or self.organization or "")

    def is_visible_to(self, user) -> bool:
        """The one-record form of `DelegationMemberQuerySet.visible_to`."""
        with unrestricted():
            delegation, person = self.delegation, self.person
            return (
                delegation.is_visible_to(user)
                and delegation.round.is_visible_to(user)
                and (person is None or person.is_visible_to(user))
            )

    def clean(self):
        if not self.person_id and not self.organization_id:
            raise ValidationError({"person": _("Give the person, the organization, or both.")})
        if (
            self.role == self.Role.HEAD
            and self.delegation_id
            and self.delegation.head_id
            and self.person_id != self.delegation.head_id
        ):
            raise ValidationError(
                {
                    "role": _("This delegation's head is %(head)s.")
                    % {"head": shown(self.delegation.head)}
                }
            )


class Consultation(PreciseDates, VersionedModel, MarkedModel):
    """Engagement with NGOs and civil society around a round: briefings, debriefings, meetings.

    Versioned: officers come back to a debriefing to record the answers to its requests, and
    two of them doing so at once must not overwrite each other (core.models.VersionedModel)."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("Pre-dialogue briefing")
        DEBRIEFING = "debriefing", _("Post-dialogue debriefing")
        ROUNDTABLE = "roundtable", _("Roundtable")
        WORKSHOP = "workshop", _("Workshop")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        TELECONFERENCE = "teleconference", _("Teleconference")
        VIDEO = "video", _("Video conference")
        WRITTEN = "written", _("In writing")

    dialogue = models.ForeignKey(
        "rounds.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        help_text=_("The round it prepared or followed; empty for one between rounds."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    convened_by = models.ForeignKey(
        Organization,
        verbose_name=_("convened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="convened_consultations",
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations present"),
        blank=True,
        related_name="consultations",
    )
    summary = models.TextField(_("summary"), blank=True)
    security_marking = models.CharField(
        _("security marking"),
        max_length=16,
        choices=SecurityMarking.choices,
        default=SecurityMarking.PROTECTED_A,
        help_text=_("NGO briefings are held in confidence; Protected A by default."),
    )
    search_document = stored_document("kind", "location", "summary")  # stakeholders/search.py

    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-date"]
        indexes = search_indexes("consultation", "location", "summary")

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date:%Y-%m-%d}" if self.date else str(self.pk)

    def clean(self):
        errors = {}
        if self.round_id and self.dialogue_id and self.round.dialogue_id != self.dialogue_id:
            errors["round"] = _("The round must belong to the consultation's dialogue.")
        elif self.round_id and self.date:
            earliest, latest = period_bounds(self.date, self.date_precision)
            precision = self.round.date_precision
            start_latest = period_bounds(self.round.start_date, precision)[1]
            end_earliest = period_bounds(self.round.end_date or self.round.start_date, precision)[0]
            if self.kind == self.Kind.BRIEFING and earliest > start_latest:
                errors["date"] = _("A pre-dialogue briefing cannot come after the round starts.")
            if self.kind == self.Kind.DEBRIEFING and latest < end_earliest:
                errors["date"] = _("A post-dialogue debriefing cannot come before the round ends.")
        if errors:
            raise ValidationError(errors)


class ConsultationRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A request is as protected as the consultation it was made at."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(within_clearance(user, "consultation"))


class ConsultationRequest(VersionedModel, TrackedModel):
    """One thing the organizations asked for at a consultation, and the answer, if any."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="request_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("request"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    objects = ConsultationRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request from a consultation")
        verbose_name_plural = _("requests from consultations")
        ordering = ["consultation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True, answer="")
                | (Q(answered_on__isnull=False) & ~Q(answer="")),
                name="stakeholders_request_answer_has_date",
                violation_error_message=_("An answer needs its date, and a date its answer."),
            )
        ]

    def __str__(self):
        return self.text[:80]

    def is_visible_to(self, user) -> bool:
        """The one-record form of `ConsultationRequestQuerySet.visible_to`."""
        with unrestricted():
            return self.consultation.is_visible_to(user)

    @property
    def answered(self) -> bool:
        return self.answered_on is not None

    def clean(self):
        errors = {}
        # A consultation being created with its requests is not saved yet, but it is set here.
        consultation = (
            self.consultation
            if self.consultation_id or type(self).consultation.is_cached(self)
            else None
        )
        if self.answer and not self.answered_on:
            errors["answered_on"] = _("Give the date the answer was given.")
        elif self.answered_on and not self.answer:
            errors["answer"] = _("Say what the answer was.")
        elif (
            self.answered_on
            and consultation is not None
            and consultation.date
            and self.answered_on < consultation.date
        ):
            errors["answered_on"] = _(
                "An answer cannot come before the consultation (%(date)s)."
            ) % {"date": consultation.date.isoformat()}
        elif self.answered_on and self.answered_on > timezone.localdate():
            errors["answered_on"] = _("The answer date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
