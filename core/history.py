"""Reading the change history that django-simple-history keeps for every model."""

import functools
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager

from core import reading

# Bookkeeping that changes on every save and says nothing to a reader.
IGNORED = {"updated_at", "updated_by", "version", "created_at", "created_by"}
KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


AUDITED_APPS = ("rounds", "stakeholders", "followup")


def is_audited(model) -> bool:
    """A model of ours whose history django-simple-history keeps (not a history table itself)."""
    return model._meta.app_label in AUDITED_APPS and isinstance(
        getattr(model, "history", None), HistoryManager
    )


def visible_history(versions, user):
    """The versions the user could have seen when they were current: each judged by the
    record's own rule (`visible_to`) applied to the version's values, its own marking above
    all. A record once Protected B and now Unclassified shows a Protected A reader only its
    versions since. Diff only between the versions this returns, so that a hidden version's
    values show nowhere. Each marked version yielded is noted as read (core/reading.py).
    """
    rule = type(versions.model.instance_type._default_manager.all())
    scoped = versions.all()
    scoped.__class__ = _scoped_class(type(versions), rule)
    return scoped.visible_to(user) if hasattr(rule, "visible_to") else scoped


class _NotedVersions:
    def __iter__(self):
        model = self.model.instance_type._meta.concrete_model
        for version in super().__iter__():
            if isinstance(version, models.Model) and "security_marking" in version.__dict__:
                pk = getattr(version, model._meta.pk.attname)
                reading.note(model, pk, version.security_marking)
            yield version


@functools.cache
def _scoped_class(history_class, rule_class):
    # The record's own QuerySet's rule, run on its history table, whose fields bear the
    # same names (foreign keys included).
    name = f"Visible{history_class.__name__}"
    return type(name, (_NotedVersions, history_class, rule_class), {})


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


def _display(record, field, names) -> str:
    value = getattr(record, field.attname, None)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices:
        return str(choices.get(value, value or "—"))
    if field.is_relation:
        return names.get((field.attname, value), str(value)) if value is not None else "—"
    return "—" if value in (None, "") else str(value)


def reference_names(records, user) -> dict:
    """What the versions' references read as for `user`, by (field, key): the referenced
    record's name if they may see it, the placeholder if not (or if it is gone); never a key.
    One query per kind of reference."""
    from core.access import visible
    from core.references import RESTRICTED_LABEL

    if not records or user is None:
        return {}
    fields = [
        f
        for f in records[0].instance_type._meta.concrete_fields
        if f.is_relation and f.name not in IGNORED
    ]
    names = {}
    for field in fields:
        keys = {getattr(r, field.attname, None) for r in records} - {None}
        if not keys:
            continue
        found = visible(field.related_model, user).in_bulk(keys)
        for key in keys:
            names[(field.attname, key)] = str(found.get(key, RESTRICTED_LABEL))
    return names


def _diff(newer, older, names) -> list[Change]:
    changes = []
    for field in newer.instance_type._meta.concrete_fields:
        # The record's own key says nothing to a reader ("ID: — → 1").
        if field.name in IGNORED or field.primary_key or not hasattr(newer, field.attname):
            continue
        before = _display(older, field, names) if older is not None else "—"
        after = _display(newer, field, names)
        if older is None and after == "—":
            continue
        if before != after:
            changes.append(Change(str(field.verbose_name), before, after))
    return changes


def revisions(obj, *, user, limit=200) -> list[Revision]:
    """The record's history the user may see, newest first, each with the fields it changed
    since the version before it that the user may see (one query)."""
    versions = visible_history(obj.history.select_related("history_user"), user)
    records = list(versions.order_by("history_date")[:limit])
    names = reference_names(records, user)
    result = []
    previous = None
    for record in records:
        result.append(
            Revision(
                record, str(KINDS.get(record.history_type, "")), _diff(record, previous, names)
            )
        )
        previous = record
    return list(reversed(result))


def changes_since(current, version, *, user=None) -> list[dict]:
    """What changed after the given version of a versioned record, and who changed it (of the
    versions the user may see, if given)."""
    versions = current.history.filter(version__gte=version)
    if user is not None:
        versions = visible_history(versions, user)
    records = list(versions.select_related("history_user").order_by("history_date"))
    if not records:
        return []
    base, *later = records
    names = reference_names(records, user)
    changes = []
    previous = base
    for record in later:
        for change in _diff(record, previous, names):
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


# -- recent changes across every audited model ----------------------------------------------

RECENT = 100


def recent_changes(*, user) -> list:
    """The latest history rows of every audited model the user may see, newest first, each
    as (version, app label, model name, kind of record, the record's name): the name as the
    user may read it now ("restricted record" for one they may not; empty once deleted).

    Two queries per model at most (a fixed number): its versions, each limited, then merged;
    and the names of the records they are versions of."""
    entries = []
    for app in AUDITED_APPS:
        for model in django_apps.get_app_config(app).get_models():
            if not is_audited(model):
                continue
            versions = model.history.select_related("history_user").order_by("-history_date")
            records = visible_history(versions, user)
            meta = model._meta
            entries.extend(
                (record, meta.app_label, meta.model_name, meta.verbose_name)
                for record in records[:RECENT]
            )
    entries.sort(key=lambda pair: pair[0].history_date, reverse=True)
    entries = entries[:RECENT]
    names = _current_names(entries, user)
    return [
        (record, app, model, kind, names.get((app, model, record.id), ""))
        for record, app, model, kind in entries
    ]


def _required_references(model, prefix="", depth=3) -> list[str]:
    """The paths of a model's references, three deep (bookkeeping left out): what its name may
    be made of (a delegation member's delegation's round's dialogue)."""
    paths = []
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.name not in IGNORED and depth:
            path = prefix + field.name
            paths += _required_references(field.related_model, f"{path}__", depth - 1) or [path]
    return paths


def _current_names(entries, user) -> dict:
    """{(app label, model name, key): name} of the records that still exist, one query per
    kind (following the non-null references a name is made of, such as a round's dialogue)."""
    from core.access import visible
    from core.references import RESTRICTED_LABEL

    keys = {}
    for record, app, model, _kind in entries:
        if record.history_type != "-":
            keys.setdefault((app, model), set()).add(record.id)
    names = {}
    for (app, model), pks in keys.items():
        model_class = django_apps.get_model(app, model)
        records = visible(model_class, user)
        if references := _required_references(model_class):
            records = records.select_related(*references)
        found = records.in_bulk(pks)
        for pk in pks:
            names[(app, model, pk)] = str(found[pk]) if pk in found else str(RESTRICTED_LABEL)
    return names
