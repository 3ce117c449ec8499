"""Standing dialogues and the rounds at which they meet."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import (
    DatePrecision,
    MarkedModel,
    NamedInLanguages,
    TrackedModel,
    VersionedModel,
)


class Dialogue(NamedInLanguages, TrackedModel):
    """A standing dialogue between two parties, or a plurilateral forum, that meets in rounds."""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral")
        PLURILATERAL = "plurilateral", _("Plurilateral")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        UNKNOWN = "unknown", _("Not known")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    acronym_fr = models.CharField(_("acronym in French"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BILATERAL)
    lead_party = CountryField(_("lead party"))
    partner_party = CountryField(_("partner party"))
    other_parties = CountryField(
        _("other parties"),
        multiple=True,
        blank=True,
        help_text=_("For a plurilateral forum: the parties besides the lead and the partner."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True, help_text=_("Leave empty if unknown.")
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True, help_text=_("Leave empty while it continues.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)
    source_note = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("Where the facts come from, and what is unverified."),
    )

    history = HistoricalRecords()

    # Reference data: everyone with the view permission reads all of it (core.access.visible).
    unrestricted_reading = True

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="rounds_dialogue_end_year_after_start",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self):
        return self.display_acronym or self.display_name

    def get_absolute_url(self):
        return reverse("rounds:dialogue_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The last year cannot be before the first year.")
        if self.lead_party and self.lead_party == self.partner_party:
            errors["partner_party"] = _("The partner party must differ from the lead party.")
        if errors:
            raise ValidationError(errors)


class Round(VersionedModel, MarkedModel):
    """One meeting of a dialogue."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Interpretation(models.TextChoices):
        CONSECUTIVE = "consecutive", _("Consecutive")
        SIMULTANEOUS = "simultaneous", _("Simultaneous")
        MIXED = "mixed", _("Both consecutive and simultaneous")

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("dialogue"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("Its number in the dialogue's sequence; leave empty if the sources omit it."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("dates known to the"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("If the sources give only a month, enter its first day and choose Month."),
    )
    host_country = CountryField(_("host country"), blank=True)
    cities = models.CharField(
        _("cities"), max_length=200, blank=True, help_text=_("Separate several with commas.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="held")
    interpretation_mode = models.CharField(
        _("interpretation"), max_length=16, choices=Interpretation.choices, blank=True
    )
    public_statement = models.BooleanField(
        _("public statement issued"),
        default=False,
        help_text=_("Whether the parties made a public statement about the round."),
    )
    summary = models.TextField(_("summary"), blank=True)
    source_note = models.TextField(_("sources"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["dialogue__name", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "number"],
                name="rounds_round_unique_number",
                violation_error_message=_("This dialogue already has a round with this number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="rounds_round_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["start_date"])]

    def __str__(self):
        if self.number:
            return _("%(dialogue)s, round %(number)s (%(year)s)") % {
                "dialogue": self.dialogue,
                "number": self.number,
                "year": self.start_date.year,
            }
        return _("%(dialogue)s, round of %(date)s") % {
            "dialogue": self.dialogue,
            "date": self.start_date.strftime("%Y-%m") if self.start_date else "?",
        }

    def get_absolute_url(self):
        return reverse("rounds:round_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.start_date and self.dialogue_id:
            dialogue = self.dialogue
            if dialogue.start_year and self.start_date.year < dialogue.start_year:
                errors["start_date"] = _(
                    "This dialogue began in %(year)s; a round cannot start before then."
                ) % {"year": dialogue.start_year}
            elif dialogue.end_year and self.start_date.year > dialogue.end_year:
                errors["start_date"] = _(
                    "This dialogue ended in %(year)s; a round cannot start after then."
                ) % {"year": dialogue.end_year}
        if (
            self.status == self.Status.HELD
            and self.start_date
            and self.start_date > timezone.localdate()
        ):
            errors["status"] = _("A round that starts in the future cannot have been held yet.")
        if errors:
            raise ValidationError(errors)
