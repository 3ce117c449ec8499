"""Reading the change history that django-simple-history keeps for every model."""

import functools
from collections import defaultdict
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


def _links(records, user) -> dict:
    """Each version's links (a project's topics, say) as the reader may see them, by
    (history_id, field name): the linked records' names, sorted, the placeholder for any hidden
    one. simple-history keeps the links of the models that declare them (m2m_fields); two
    queries per kind of link, whatever the number of versions."""
    from core.references import RESTRICTED_LABEL

    if not records or user is None:
        return {}
    history_model = type(records[0])
    links = {}
    for relation in getattr(history_model, "_history_m2m_fields", ()):
        target = relation.m2m_reverse_name()  # the link row's column for the linked record
        link_model = getattr(history_model, relation.name).model
        rows = link_model.objects.filter(history__in=[r.history_id for r in records])
        pairs = list(rows.values_list("history_id", target))
        keys = {key for _history, key in pairs if key is not None}
        found = _named(relation.related_model, user).in_bulk(keys) if keys else {}
        named = defaultdict(list)
        for history_id, key in pairs:
            named[history_id].append(str(found.get(key, RESTRICTED_LABEL)))
        for record in records:
            links[(record.history_id, relation.name)] = ", ".join(sorted(named[record.history_id]))
    return links


def _named(model, user):
    """The records of `model` the user may see, with those their names read (`named_with`: a
    round's dialogue), so that naming a dozen of them takes one query, not one each."""
    from core.access import visible

    records = visible(model, user)
    if getattr(model, "named_with", ()):
        records = records.select_related(*model.named_with)
    return records


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
        found = _named(field.related_model, user).in_bulk(keys)
        for key in keys:
            names[(field.attname, key)] = str(found.get(key, RESTRICTED_LABEL))
    return names


def _diff(newer, older, names, links=None) -> list[Change]:
    changes = []
    meta = newer.instance_type._meta
    for field in meta.concrete_fields:
        if field.primary_key or field.name in IGNORED or not hasattr(newer, field.attname):
            continue
        before = _display(older, field, names) if older is not None else "—"
        after = _display(newer, field, names)
        if older is None and after == "—":
            continue
        if before != after:
            changes.append(Change(str(field.verbose_name), before, after))
    for relation in getattr(type(newer), "_history_m2m_fields", ()) if links else ():
        before = links.get((older.history_id, relation.name)) if older is not None else ""
        after = links.get((newer.history_id, relation.name), "")
        if before != after:
            changes.append(Change(str(relation.verbose_name), before or "—", after or "—"))
    return changes


def revisions(obj, *, user, limit=200) -> list[Revision]:
    """The record's history the user may see, newest first, each with the fields it changed
    since the version before it that the user may see (one query)."""
    versions = visible_history(obj.history.select_related("history_user"), user)
    records = list(versions.order_by("history_date")[:limit])
    names = reference_names(records, user)
    links = _links(records, user)
    result = []
    previous = None
    for record in records:
        changes = _diff(record, previous, names, links)
        result.append(Revision(record, str(KINDS.get(record.history_type, "")), changes))
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
    with the name of its record as the reader may see it now (None if the record is gone or
    hidden from them: it is then shown by its kind and number).

    Two queries per model at most (a fixed number), each limited, then merged.
    """

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
    keys = defaultdict(set)
    for record, app_label, model_name, _kind in entries:
        keys[(app_label, model_name)].add(record.id)
    names = {}
    for (app_label, model_name), pks in keys.items():
        model = django_apps.get_model(app_label, model_name)
        # A record's name may come from the records it belongs to (a round's, its dialogue's).
        found = _named(model, user).in_bulk(pks)
        names.update({(app_label, model_name, pk): str(obj) for pk, obj in found.items()})
    return [
        (record, app_label, model_name, kind, names.get((app_label, model_name, record.id)))
        for record, app_label, model_name, kind in entries
    ]
