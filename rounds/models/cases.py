"""Cases of concern: people whose detention was raised, and each raising with its answer.

Sensitive: Protected B by default, visible to Case officers only.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    CaseOfficersOnly,
    CaseQuerySet,
    MarkedModel,
    SecurityMarking,
    Side,
    VersionedModel,
    period_bounds,
)
from core.search import search_indexes, stored_document


class CaseOfConcern(CaseOfficersOnly, VersionedModel, MarkedModel):
    """A person whose detention one side raised with the other."""

    class Category(models.TextChoices):
        POLITICAL = "political", _("Political dissent")
        RELIGIOUS = "religious", _("Religion or belief")
        ETHNIC = "ethnic", _("Ethnic minority")
        LABOUR = "labour", _("Labour activism")
        EXPRESSION = "expression", _("Journalist, writer or online expression")
        LAWYER = "lawyer", _("Lawyer or rights defender")
        OTHER = "other", _("Other")

    class Detention(models.TextChoices):
        PRISON = "prison", _("Prison sentence")
        REEDUCATION = "reeducation", _("Re-education through labour")
        PRE_TRIAL = "pre_trial", _("Pre-trial or administrative detention")
        HOUSE_ARREST = "house_arrest", _("House arrest or surveillance")
        PSYCHIATRIC = "psychiatric", _("Psychiatric detention")
        UNKNOWN = "unknown", _("Unknown")

    class Status(models.TextChoices):
        DETAINED = "detained", _("Detained")
        RELEASED = "released", _("Released")
        DECEASED = "deceased", _("Deceased")
        UNKNOWN = "unknown", _("Unknown")

    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese characters"), max_length=100, blank=True)
    aliases = models.TextField(_("other names"), blank=True, help_text=_("One per line."))
    province = models.CharField(_("province or region"), max_length=100, blank=True)
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    detention_type = models.CharField(
        _("detention"), max_length=16, choices=Detention.choices, default=Detention.UNKNOWN
    )
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    sentence = models.CharField(_("sentence"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DETAINED
    )
    summary = models.TextField(_("summary"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    security_marking = models.CharField(
        _("security marking"),
        max_length=16,
        choices=SecurityMarking.choices,
        default=SecurityMarking.PROTECTED_B,
    )

    search_document = stored_document("name", "name_zh", "aliases", "province")

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("case of concern")
        verbose_name_plural = _("cases of concern")
        ordering = ["name"]
        indexes = search_indexes("case", "name", "name_zh", "aliases")

    def __str__(self):
        return f"{self.name} ({self.name_zh})" if self.name_zh else self.name

    def get_absolute_url(self):
        return reverse("rounds:case_detail", args=[self.pk])

    def names(self) -> list[str]:
        """Every name this person is known by: romanized, in characters, and the aliases."""
        return [self.name, self.name_zh, *self.aliases.splitlines()]

    def probable_duplicates(self, among=None) -> list["CaseOfConcern"]:
        """Other cases sharing one of this person's names, in any order of the name's parts.

        The same person raised in several dialogues (or spelled another way) is one case.
        ``among`` is the cases to compare with (those the reader may see), all if not given.
        """
        keys = {key for key in map(name_key, self.names()) if key}
        if not keys:
            return []
        cases = CaseOfConcern._base_manager.all() if among is None else among
        others = cases.exclude(pk=self.pk).only(
            "pk", "name", "name_zh", "aliases", "security_marking"
        )
        return [case for case in others if keys & set(map(name_key, case.names()))]

    def clean(self):
        if self.detained_on and self.detained_on > timezone.localdate():
            raise ValidationError({"detained_on": _("The detention date cannot be in the future.")})


def name_key(name: str) -> str:
    """A name compared loosely: case, width, punctuation and the order of its parts ignored
    ("Wang Dan", "WANG dan" and "Dan Wang" match; so do full-width and half-width forms)."""
    parts = re.split(
        r"[\s\-\u2010\u2011.\u00b7,'\u2019]+", unicodedata.normalize("NFKC", name or "").casefold()
    )
    return " ".join(sorted(part for part in parts if part))


class CaseRaising(CaseOfficersOnly, MarkedModel):
    """One time a case was raised at a round, and the answer the other side gave."""

    class Response(models.TextChoices):
        NONE = "none", _("No answer")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        INFORMATION = "information", _("Information provided")
        RELEASE_REPORTED = "release_reported", _("Release reported")
        REJECTED = "rejected", _("Refused to answer")

    case = models.ForeignKey(
        CaseOfConcern,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="raisings",
    )
    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="case_raisings",
    )
    raised_by = models.CharField(
        _("raised by"), max_length=10, choices=Side.choices, default=Side.LEAD
    )
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default=Response.NONE
    )
    response_date = models.DateField(_("answer received on"), null=True, blank=True)
    response_summary = models.TextField(_("answer in summary"), blank=True)
    security_marking = models.CharField(
        _("security marking"),
        max_length=16,
        choices=SecurityMarking.choices,
        default=SecurityMarking.PROTECTED_B,
    )

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("raising of a case")
        verbose_name_plural = _("raisings of cases")
        ordering = ["case", "round__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "round"],
                name="rounds_caseraising_once_per_round",
                violation_error_message=_("This case is already recorded as raised at that round."),
            ),
            models.CheckConstraint(
                condition=Q(response="none", response_date__isnull=True)
                | (~Q(response="none") & Q(response_date__isnull=False)),
                name="rounds_caseraising_answer_has_date",
                violation_error_message=_("An answer needs its date, and only an answer has one."),
            ),
        ]

    # What its name (__str__) reads besides its own fields: fetched with it where records are
    # listed by name (core/history.py recent_changes).
    named_with = ("case", "round__dialogue")

    def __str__(self):
        return f"{self.case} — {self.round}" if self.case_id and self.round_id else str(self.pk)

    def clean(self):
        errors = {}
        if self.round_id and self.round.status != self.round.Status.HELD:
            errors["round"] = _("A case can only be raised at a round that was held.")
        if self.response != self.Response.NONE and not self.response_date:
            errors["response_date"] = _("Give the date the answer was received.")
        elif self.response == self.Response.NONE and self.response_date:
            errors["response_date"] = _("Leave the date empty while there is no answer.")
        elif self.response_date and self.round_id:
            earliest, _latest = period_bounds(self.round.start_date, self.round.date_precision)
            if self.response_date < earliest:
                errors["response_date"] = _(
                    "An answer cannot come before the round at which the case was raised "
                    "(%(date)s)."
                ) % {"date": self.round.start_date.isoformat()}
        if errors:
            raise ValidationError(errors)
