"""Standing dialogues and the rounds at which they meet."""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import (
    DatePrecision,
    MarkedModel,
    MarkedQuerySet,
    NamedInLanguages,
    PreciseDates,
    Side,
    TrackedModel,
    VersionedModel,
    reader_language,
)
from core.text import WORD, plain


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

    def side_name(self, side) -> str:
        """The party that a side (core.models.Side) stands for in this dialogue, by name in the
        reader's language: "Canada" for the lead side of the JCHR, "China" for its partner,
        "Canada and China" for both. Every page, form and export names a side through this."""
        if not side:
            return ""
        # A recording page names the sides of every row: each name is worked out once per
        # dialogue read, for its parties as they now are and the reader's language.
        key = (
            side,
            reader_language(),
            self.__dict__.get("lead_party"),
            self.__dict__.get("partner_party"),
        )
        names = self.__dict__.setdefault("_side_names", {})
        if key not in names:
            names[key] = self._side_name(side)
        return names[key]

    def _side_name(self, side) -> str:
        # Only the names the side needs: a country's name is looked up in the reader's language.
        lead = self.lead_party.name if side in (Side.LEAD, Side.JOINT) else ""
        partner = self.partner_party.name if side in (Side.PARTNER, Side.JOINT) else ""
        if side == Side.LEAD and lead:
            return str(lead)
        if side == Side.PARTNER and partner:
            return str(partner)
        if side == Side.JOINT and lead and partner:
            return gettext("%(lead)s and %(partner)s") % {"lead": lead, "partner": partner}
        return str(Side(side).label)

    def side_choices(self, choices):
        """A side field's choices named for this dialogue's parties (the empty choice kept)."""
        return [(value, self.side_name(value) if value else label) for value, label in choices]

    def clean(self):
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The last year cannot be before the first year.")
        if self.lead_party and self.lead_party == self.partner_party:
            errors["partner_party"] = _("The partner party must differ from the lead party.")
        if errors:
            raise ValidationError(errors)


# Words that only say that a round's number follows: "round 10", "R 10", "séance 10", "no 10".
NUMBER_WORDS = frozenset({"round", "rounds", "r", "seance", "seances", "no", "n", "nr", "number"})
# A round's number, perhaps with a prefix or an ordinal ending: "10", "R10", "10th", "10e".
NUMBERED = re.compile(r"(r|round|seance)?([0-9]+)(st|nd|rd|th|e|er|re|eme)?")
YEARS = range(1900, 2101)
LARGEST_NUMBER = 32767  # what the number column holds: a larger one is no round's


@dataclass(frozen=True)
class RoundQuery:
    """What a text typed to find a round asks for: numbers, years and words, each of which
    must hold ("JCHR round 9", "Canada-China 2005"). Words are kept as typed (`typed`) and
    folded (`words`: lower case, no accents; punctuation separates words)."""

    numbers: frozenset[int]
    years: frozenset[int]
    words: tuple[str, ...]
    typed: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "RoundQuery":
        numbers, years, words, typed = set(), set(), [], []
        for token in WORD.findall(unicodedata.normalize("NFKC", text or "")):
            folded = plain(token)
            numbered = NUMBERED.fullmatch(folded)
            if numbered and not numbered[1] and not numbered[3] and int(numbered[2]) in YEARS:
                years.add(int(numbered[2]))
            elif numbered:
                numbers.add(int(numbered[2]))
            elif folded not in NUMBER_WORDS:
                words.append(folded)
                typed.append(token)
        return cls(frozenset(numbers), frozenset(years), tuple(words), tuple(typed))

    @property
    def impossible(self) -> bool:
        """Whether it asks for what no round can be (two numbers, a number past the column)."""
        return (
            len(self.numbers) > 1
            or len(self.years) > 1
            or any(number > LARGEST_NUMBER for number in self.numbers)
        )


def starts_a_word(word: str, text: str) -> bool:
    """Whether a word of the (folded) `text` begins with `word`: "chin" is in "Canada–China",
    "ue" in "UE-Chine" but not in "Dialogue". Chinese, written without spaces, may match
    anywhere."""
    if not word.isascii():
        return word in text
    return any(found.startswith(word) for found in WORD.findall(text))


def starts_a_word_in(field: str, word: str) -> Q:
    """The same in the database, for a field as stored: at its start or after a space."""
    if not word.isascii():
        return Q(**{f"{field}__icontains": word})
    return Q(**{f"{field}__istartswith": word}) | Q(**{f"{field}__icontains": f" {word}"})


class RoundQuerySet(MarkedQuerySet):
    # Searched with the dialogue's names: a round's own text (a place, its summary).
    TEXT_FIELDS = ("cities", "summary")

    def matching(self, text: str):
        """The rounds that `text` names: the one rule of every round picker, list search and
        lookup. A number ("10", "round 10", "R10", "séance 10") is the round's number; a year
        (1900 to 2100) its start date's year; every other word must begin a word of the
        dialogue's names or acronyms (in any language, whatever the case, accents or
        punctuation: "Canada-China" finds "Canada–China"), or of the round's cities or summary.

        One query for the dialogues' names (compared here, so alike on every database), then
        the rounds' own."""
        query = RoundQuery.parse(text)
        if query.impossible:
            return self.none()
        rounds = self
        if query.numbers:
            rounds = rounds.filter(number__in=query.numbers)
        if query.years:
            rounds = rounds.filter(start_date__year__in=query.years)
        if not query.words:
            return rounds
        names = {
            pk: plain(" ".join(parts))
            for pk, *parts in Dialogue.objects.values_list(
                "pk", "name", "name_fr", "name_zh", "acronym", "acronym_fr"
            )
        }
        for word, typed in zip(query.words, query.typed, strict=True):
            dialogues = [pk for pk, folded in names.items() if starts_a_word(word, folded)]
            if len(dialogues) == len(names):
                continue  # a word of every dialogue's name ("China") narrows nothing
            match = Q(dialogue__in=dialogues)
            for field in self.TEXT_FIELDS:
                for variant in dict.fromkeys((typed.casefold(), word)):  # "genève", "geneve"
                    match |= starts_a_word_in(field, variant)
            rounds = rounds.filter(match)
        return rounds


class Round(PreciseDates, VersionedModel, MarkedModel):
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
        help_text=_(
            "If the sources give only a month or a year, choose Month or Year: any day of it "
            "may be entered, and the first is kept."
        ),
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

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    precise_dates = ("start_date", "end_date")

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

    # What its name (__str__) reads besides its own fields: fetched with it where records are
    # listed by name (core/history.py recent_changes).
    named_with = ("dialogue",)

    def __str__(self):
        # gettext, not the lazy _: a matrix names a thousand rounds, and a lazy string formatted
        # costs several times a plain one.
        if self.number:
            return gettext("%(dialogue)s, round %(number)s (%(year)s)") % {
                "dialogue": self.dialogue,
                "number": self.number,
                "year": self.start_date.year,
            }
        return gettext("%(dialogue)s, round of %(date)s") % {
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
