"""Reading the change history that django-simple-history keeps for every model."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager

# Bookkeeping that changes on every save and says nothing to a reader.
IGNORED = {"updated_at", "updated_by", "version", "created_at", "created_by"}
KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


AUDITED_APPS = ("rounds", "stakeholders", "followup")


def is_audited(model) -> bool:
    """A model of ours whose history django-simple-history keeps (not a history table itself)."""
    return model._meta.app_label in AUDITED_APPS and isinstance(
        getattr(model, "history", None), HistoryManager
    )


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Revision:
    record: object  # the historical row
    kind: str
    changes: list[Change]


def _display(record, field) -> str:
    value = getattr(record, field.attname, None)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices:
        return str(choices.get(value, value or "—"))
    if field.is_relation:
        return str(value) if value is not None else "—"
    return "—" if value in (None, "") else str(value)


def _diff(newer, older) -> list[Change]:
    changes = []
    for field in newer.instance_type._meta.concrete_fields:
        if field.name in IGNORED or not hasattr(newer, field.attname):
            continue
        before = _display(older, field) if older is not None else "—"
        after = _display(newer, field)
        if older is None and after == "—":
            continue
        if before != after:
            changes.append(Change(str(field.verbose_name), before, after))
    return changes


def revisions(obj, limit=200) -> list[Revision]:
    """The record's history, newest first, each with the fields it changed (one query)."""
    records = list(obj.history.select_related("history_user").order_by("history_date")[:limit])
    result = []
    previous = None
    for record in records:
        result.append(
            Revision(record, str(KINDS.get(record.history_type, "")), _diff(record, previous))
        )
        previous = record
    return list(reversed(result))


def changes_since(current, version) -> list[dict]:
    """What changed after the given version of a versioned record, and who changed it."""
    records = list(
        current.history.filter(version__gte=version)
        .select_related("history_user")
        .order_by("history_date")
    )
    if not records:
        return []
    base, *later = records
    changes = []
    previous = base
    for record in later:
        for change in _diff(record, previous):
            changes.append(
                {
                    "field": change.field,
                    "old": change.old,
                    "new": change.new,
                    "user": record.history_user or _("unknown"),
                }
            )
        previous = record
    return changes
