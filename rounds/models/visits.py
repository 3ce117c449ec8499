"""Site visits made around a round, and the materials the sides exchanged."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core import documents
from core.models import MarkedModel, Side, VersionedModel, period_bounds
from core.search import search_indexes, stored_document
from core.storage import materials_storage


class SiteVisit(VersionedModel, MarkedModel):
    """A visit or side meeting made around a round to study a subject in depth."""

    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="site_visits",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("region or province"), max_length=120, blank=True)
    country = CountryField(_("country"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    topics = models.ManyToManyField(
        "rounds.Topic", verbose_name=_("topics studied"), blank=True, related_name="site_visits"
    )
    institutions = models.ManyToManyField(
        "stakeholders.Organization",
        verbose_name=_("institutions visited"),
        blank=True,
        related_name="site_visits",
    )
    institutions_note = models.TextField(
        _("other places visited"),
        blank=True,
        help_text=_("Places not recorded as organizations, e.g. “a prison”, “hospitals”."),
    )
    search_document = stored_document("city", "region", "purpose", "institutions_note")

    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["round", "start_date", "pk"]
        indexes = search_indexes("sitevisit", "city", "region", "purpose")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="rounds_sitevisit_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(city="") | ~Q(region=""),
                name="rounds_sitevisit_has_place",
                violation_error_message=_("Give the city, the region, or both."),
            ),
        ]

    # What its name (__str__) reads besides its own fields: fetched with it where records are
    # listed by name (core/history.py recent_changes).
    named_with = ("round__dialogue",)

    def __str__(self):
        place = self.city or self.region
        return f"{place} ({self.round})" if self.round_id else place

    def clean(self):
        errors = {}
        if not self.city and not self.region:
            errors["city"] = _("Give the city, the region, or both.")
        if self.end_date and not self.start_date:
            errors["start_date"] = _("Give the start date when an end date is given.")
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class MaterialVersion:
    """A material in one language, as a page lists it."""

    code: str
    label: str
    exists: bool
    url: str  # the download view's address; empty without a file
    kind: str  # the file's kind as a person names it ("PDF")


def material_file_name(material, filename: str) -> str:
    """Where an uploaded file is stored: a name of its own, never the one it was uploaded
    under (the download names it after the material), so no two uploads meet."""
    extension = documents.extension_of(filename)
    return f"{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


def material_file_field(verbose_name):
    return models.FileField(
        verbose_name,
        upload_to=material_file_name,
        storage=materials_storage,
        blank=True,
        validators=[documents.validate_document],
    )


class Material(VersionedModel, MarkedModel):
    """A document exchanged at a round: the languages it exists in, and a file for each."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        REPORT = "report", _("Report or paper")
        LEGAL_TEXT = "legal_text", _("Law or legal text")
        STATISTICS = "statistics", _("Statistics")
        CASE_LIST = "case_list", _("List of cases")
        STATEMENT = "statement", _("Statement")
        OTHER = "other", _("Other")

    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=300)
    provided_by = models.CharField(_("provided by"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    in_english = models.BooleanField(_("in English"), default=False)
    in_french = models.BooleanField(_("in French"), default=False)
    in_chinese = models.BooleanField(_("in Chinese"), default=False)
    shared_in_advance = models.BooleanField(
        _("shared in advance"),
        default=False,
        help_text=_("Whether the other side received it before the round began."),
    )
    shared_on = models.DateField(_("shared on"), null=True, blank=True)
    file_en = material_file_field(_("English file"))
    file_fr = material_file_field(_("French file"))
    file_zh = material_file_field(_("Chinese file"))
    notes = models.TextField(_("notes"), blank=True)
    search_document = stored_document("title", "notes")  # rounds/search.py

    history = HistoricalRecords(excluded_fields=["search_document"])

    # Each language a material may exist in: the flag that says it does, and its file.
    LANGUAGES = {
        "en": ("in_english", "file_en", _("English")),
        "fr": ("in_french", "file_fr", _("French")),
        "zh": ("in_chinese", "file_zh", _("Chinese")),
    }

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["round", "title"]
        indexes = search_indexes("material", "title", "notes")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.mark_languages_with_files()
        super().save(*args, **kwargs)

    @property
    def languages(self) -> list[str]:
        return [code for code, (flag, *_rest) in self.LANGUAGES.items() if getattr(self, flag)]

    def file_in(self, language: str):
        """The material's file in a language (a FieldFile, empty if there is none)."""
        return getattr(self, self.LANGUAGES[language][1])

    @property
    def versions(self) -> list["MaterialVersion"]:
        """Each language: whether the material exists in it, and its file if one is kept."""
        found = []
        for code, (flag, file_field, label) in self.LANGUAGES.items():
            stored = getattr(self, file_field)
            found.append(
                MaterialVersion(
                    code=code,
                    label=label,
                    exists=getattr(self, flag),
                    url=self.file_url(code) if stored else "",
                    kind=documents.kind_label(stored.name) if stored else "",
                )
            )
        return found

    @property
    def files(self) -> list["MaterialVersion"]:
        """The languages the material has a file in."""
        return [version for version in self.versions if version.url]

    def file_url(self, language: str) -> str:
        return reverse("rounds:material_file", kwargs={"pk": self.pk, "language": language})

    def download_name(self, language: str) -> str:
        return documents.download_name(self.title, language, self.file_in(language).name)

    def mark_languages_with_files(self) -> None:
        """A material with a file in a language exists in that language."""
        for flag, file_field, _label in self.LANGUAGES.values():
            if getattr(self, file_field):
                setattr(self, flag, True)

    def clean(self):
        errors = {}
        self.mark_languages_with_files()
        if not self.languages:
            errors["in_english"] = _(
                "Tick at least one language the material exists in (English, French or Chinese)."
            )
        if self.shared_in_advance and self.shared_on and self.round_id:
            _first, latest_start = period_bounds(self.round.start_date, self.round.date_precision)
            if self.shared_on > latest_start:
                errors["shared_on"] = _(
                    "Material shared in advance must be dated on or before the round's "
                    "start (%(date)s)."
                ) % {"date": self.round.start_date.isoformat()}
        if errors:
            raise ValidationError(errors)
