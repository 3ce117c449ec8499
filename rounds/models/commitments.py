"""What either side undertook to do at a round, and whether it was done."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import MarkedModel, MarkedQuerySet, Side, VersionedModel
from core.search import search_indexes, stored_document


class CommitmentQuerySet(MarkedQuerySet):
    def open(self):
        """Commitments not yet met, partly met, not met or withdrawn."""
        return self.filter(status=Commitment.Status.OPEN)


class Commitment(VersionedModel, MarkedModel):
    """An undertaking made at a round: who undertook what, by when, and what became of it.

    The next round starts from these: a commitment still open is what to press for."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    agenda_item = models.ForeignKey(
        "rounds.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The agenda item under which it was made; its topics are the commitment's."),
    )
    side = models.CharField(
        _("undertaken by"),
        max_length=10,
        choices=[(Side.LEAD, Side.LEAD.label), (Side.PARTNER, Side.PARTNER.label)],
    )
    undertaken_by = models.CharField(
        _("who, on that side"),
        max_length=200,
        blank=True,
        help_text=_("The ministry, office or person who gave the undertaking, if known."),
    )
    text = models.TextField(_("what was undertaken"))
    due_date = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What shows the commitment met, partly met, not met or withdrawn."),
    )

    objects = CommitmentQuerySet.as_manager()
    search_document = stored_document("text", "undertaken_by", "evidence")  # rounds/search.py

    history = HistoricalRecords(excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["round", "pk"]
        indexes = [
            models.Index(fields=["status", "side"], name="rounds_commitment_open"),
            *search_indexes("commitment", "text", "undertaken_by", "evidence"),
        ]

    def __str__(self):
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else f"{text[:79]}…"

    def get_absolute_url(self):
        # Through its round as the reader may see it: None (unlinked) for a round they may not,
        # whose address would name it.
        url = self.round.get_absolute_url()
        return f"{url}#commitment-{self.pk}" if url else None

    def save(self, *args, **kwargs):
        if self.status != self.Status.OPEN and self.status_changed_on is None:
            self.status_changed_on = timezone.localdate()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        errors = {}
        if self.status != self.Status.OPEN and not self.evidence.strip():
            errors["evidence"] = _(
                "Say what shows this: a commitment that is no longer open needs its evidence."
            )
        if self.agenda_item_id and self.round_id and self.agenda_item.round_id != self.round_id:
            errors["agenda_item"] = _("This agenda item belongs to another round.")
        if errors:
            raise ValidationError(errors)
