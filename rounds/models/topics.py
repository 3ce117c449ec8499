"""Canonical topics and the agenda items that map a round's wording onto them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import MarkedModel, NamedInLanguages, Side, TrackedModel, VersionedModel
from core.search import search_indexes, stored_document


class Topic(NamedInLanguages, TrackedModel):
    """A canonical subject, so that continuity shows even where an agenda's wording changes."""

    class Category(models.TextChoices):
        TREATIES = "treaties", _("Treaties and UN mechanisms")
        CIVIL_POLITICAL = "civil_political", _("Civil and political rights")
        JUSTICE = "justice", _("Criminal justice and rule of law")
        EQUALITY = "equality", _("Equality, minorities and indigenous peoples")
        WOMEN_CHILDREN = "women_children", _("Women and children")
        ECONOMIC_SOCIAL = "economic_social", _("Economic, social and cultural rights")
        RELIGION = "religion", _("Religion and belief")
        GOVERNANCE = "governance", _("Governance")
        COOPERATION = "cooperation", _("Cooperation and the dialogue itself")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other wordings of this topic, one per line; used to map agenda items."),
    )
    description = models.TextField(_("description"), blank=True)
    standing = models.BooleanField(
        _("standing item"),
        default=False,
        help_text=_(
            "A subject on every round's agenda (the overall review, the list of cases) rather "
            "than a theme: left out of follow-up coverage."
        ),
    )

    history = HistoricalRecords()

    # Reference data: everyone with the view permission reads all of it (core.access.visible).
    unrestricted_reading = True

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("rounds:topic_detail", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self):
        # Walk up the parents: a topic may not end up as its own ancestor.
        seen = {self.pk} if self.pk else set()
        parent = self.parent
        while parent is not None:
            if parent.pk in seen or parent is self:
                raise ValidationError(
                    {"parent": _("A topic cannot be its own broader topic, even indirectly.")}
                )
            seen.add(parent.pk)
            parent = parent.parent


class AgendaItem(VersionedModel, MarkedModel):
    """What a round actually discussed, in the words recorded, mapped to canonical topics."""

    class Segment(models.TextChoices):
        OVERALL_REVIEW = "overall_review", _("Overall review (tour d'horizon)")
        THEMATIC = "thematic", _("Thematic discussion")
        CONCERNS = "concerns", _("Concerns raised")
        OTHER = "other", _("Other")

    class AgendaStatus(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        DROPPED = "dropped", _("Dropped")

    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(
        _("title as recorded"),
        max_length=500,
        help_text=_("The wording of the agenda or report, kept as it was."),
    )
    segment = models.CharField(
        _("segment"), max_length=20, choices=Segment.choices, default=Segment.THEMATIC
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="agenda_items",
        help_text=_("One line of the agenda may map to several topics."),
    )
    proposed_by = models.CharField(
        _("proposed by"),
        max_length=10,
        choices=Side.choices,
        blank=True,
        help_text=_("Which side put the item on the agenda; leave empty if unknown."),
    )
    agenda_status = models.CharField(
        _("agenda status"),
        max_length=10,
        choices=AgendaStatus.choices,
        default=AgendaStatus.AGREED,
        help_text=_("Whether the item was agreed and discussed, or proposed and dropped."),
    )
    raised_by = models.CharField(
        _("concern raised by"),
        max_length=10,
        choices=Side.choices,
        blank=True,
        help_text=_("For a concern: which side raised it (either side may raise concerns)."),
    )
    presenting_organizations = models.ManyToManyField(
        "stakeholders.Organization",
        verbose_name=_("presenting organizations"),
        blank=True,
        related_name="presented_agenda_items",
    )
    summary = models.TextField(_("summary"), blank=True)
    our_points = models.TextField(
        _("what our side raised"),
        blank=True,
        help_text=_("The points the lead party made on this item."),
    )
    partner_answer = models.TextField(
        _("the partner's answer"),
        blank=True,
        help_text=_("How the partner party answered, in its own terms where recorded."),
    )
    search_document = stored_document("title", "summary")  # what rounds/search.py searches

    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["round", "order", "pk"]
        indexes = search_indexes("agendaitem", "title", "summary")

    def __str__(self):
        return self.title

    def clean(self):
        if self.raised_by and self.segment != self.Segment.CONCERNS:
            raise ValidationError(
                {
                    "raised_by": _(
                        "Only an item in the “Concerns raised” segment has a raising side."
                    )
                }
            )
