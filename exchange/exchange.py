"""A whole dialogue as one JSON document, and back.

`export_dialogue` gathers a dialogue, its rounds and everything under them (agenda items and
their topics, commitments, site visits, materials, delegations and their members, consultations
and their requests, follow-up projects and actions, and for Case officers the cases raised and
the answers), plus the topics, organizations and people they refer to, all scoped to what the
exporting user may see. `import_dialogue` loads such a document into a database that holds none
of its records, keeping every key, so that exporting again gives the same document.

Who created or changed a record, and who an action is assigned to, name user accounts of the
exporting system; they are left out, and the importer becomes the author of the imported
records, each of which gets its first history entry. Stored files (a material's file in each
language) stay behind: the document names none, and an imported record gets none, since a name
in a document could otherwise point a record at a file stored for another.

The importer does not trust the file: it accepts only the kinds of record an export writes, each
within what the importing user may see, and refuses the whole file naming the first record
(kind and key) it cannot take, and why.
"""

import datetime
import json
from collections import defaultdict

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import FileField, Q
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from core.access import visible
from core.models import PreciseDates, SecurityMarking, TrackedModel, within_clearance
from followup.models import FollowUpAction, FollowUpProject
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
)
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
    Person,
)

FORMAT = "dialogue-tracker/dialogue/1"
# Users of the exporting system: not carried across.
USER_FIELDS = ("created_by", "updated_by", "assignee")
# The kinds of record export_dialogue writes: the only ones import_dialogue accepts.
EXCHANGED = (
    Organization,
    Person,
    Topic,
    Dialogue,
    Round,
    AgendaItem,
    Commitment,
    SiteVisit,
    Material,
    Delegation,
    DelegationMember,
    Consultation,
    ConsultationRequest,
    FollowUpProject,
    FollowUpAction,
    CaseOfConcern,
    CaseRaising,
)
CASE_RECORDS = (CaseOfConcern, CaseRaising)


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping a time's microseconds (it rounds to milliseconds), so
    that what is exported is exactly what is imported."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class ExchangeError(Exception):
    """A document that cannot be imported, with the reason in words."""


def export_dialogue(dialogue: Dialogue, *, user) -> dict:
    rounds = list(visible(Round, user).filter(dialogue=dialogue))
    items = list(visible(AgendaItem, user).filter(round__in=rounds))
    commitments = list(visible(Commitment, user).filter(round__in=rounds))
    visits = list(visible(SiteVisit, user).filter(round__in=rounds))
    materials = list(visible(Material, user).filter(round__in=rounds))
    delegations = list(visible(Delegation, user).filter(round__in=rounds))
    members = list(visible(DelegationMember, user).filter(delegation__in=delegations))
    consultations = list(visible(Consultation, user).filter(dialogue=dialogue))
    requests = list(visible(ConsultationRequest, user).filter(consultation__in=consultations))
    actions = list(visible(FollowUpAction, user).filter(round__in=rounds))
    projects = list(
        visible(FollowUpProject, user)
        .filter(Q(originating_rounds__in=rounds) | Q(actions__in=actions))
        .distinct()
    )
    actions += visible(FollowUpAction, user).filter(project__in=projects, round__isnull=True)
    raisings = list(
        visible(CaseRaising, user).filter(within_clearance(user, "case"), round__in=rounds)
    )
    cases = list(visible(CaseOfConcern, user).filter(raisings__in=raisings).distinct())

    # What they refer to: topics, people and organizations (with their parents).
    topic_ids = set()
    for through, field, owners in (
        (AgendaItem.topics.through, "agendaitem__in", items),
        (SiteVisit.topics.through, "sitevisit__in", visits),
        (FollowUpProject.topics.through, "followupproject__in", projects),
    ):
        topic_ids |= set(
            through.objects.filter(**{field: owners}).values_list("topic_id", flat=True)
        )
    people_ids = {m.person_id for m in members} | {d.head_id for d in delegations}
    people_ids |= {a.owner_person_id for a in actions}
    people = list(visible(Person, user).filter(pk__in=people_ids - {None}))
    org_ids = {m.organization_id for m in members} | {p.organization_id for p in people}
    org_ids |= {c.convened_by_id for c in consultations} | {p.lead_agency_id for p in projects}
    org_ids |= {a.owner_organization_id for a in actions}
    for through, field, owners in (
        (AgendaItem.presenting_organizations.through, "agendaitem__in", items),
        (SiteVisit.institutions.through, "sitevisit__in", visits),
        (Consultation.organizations.through, "consultation__in", consultations),
        (FollowUpProject.partner_organizations.through, "followupproject__in", projects),
    ):
        org_ids |= set(
            through.objects.filter(**{field: owners}).values_list("organization_id", flat=True)
        )

    # Parents first, so that each record refers to records already loaded.
    groups = [
        _with_parents(Organization, org_ids - {None}),
        people,
        _with_parents(Topic, topic_ids),
        [dialogue],
        rounds,
        items,
        commitments,
        visits,
        materials,
        delegations,
        members,
        consultations,
        requests,
        projects,
        actions,
        cases,
        raisings,
    ]
    exported = defaultdict(set)
    for group in groups:
        for obj in group:
            exported[obj._meta.label_lower].add(obj.pk)
    records = []
    for group in groups:
        records += _serialized(sorted(group, key=lambda obj: obj.pk), exported)
    return {
        "format": FORMAT,
        "dialogue": dialogue.slug,
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "records": records,
    }


def _with_parents(model, ids) -> list:
    """The records with these keys and every parent up their tree."""
    found, wanted = {}, set(ids)
    while wanted:
        batch = list(model.objects.filter(pk__in=wanted))
        found.update((obj.pk, obj) for obj in batch)
        wanted = {obj.parent_id for obj in batch if obj.parent_id} - set(found)
    return list(found.values())


def _serialized(objects, exported) -> list[dict]:
    """Records as JSON-ready mappings, without user accounts, and without references to
    records the export leaves out (those above the exporter's clearance)."""
    rows = json.loads(json.dumps(serializers.serialize("python", objects), cls=ExactEncoder))
    for obj, row in zip(objects, rows, strict=True):
        fields = row["fields"]
        for name in USER_FIELDS:
            if name in fields:
                fields[name] = None
        for name in _file_fields(obj):
            fields[name] = ""
        for field in obj._meta.concrete_fields:
            value = fields.get(field.name)
            kept = exported[field.related_model._meta.label_lower] if field.is_relation else ()
            if field.is_relation and value is not None and value not in kept:
                fields[field.name] = None
        for field in obj._meta.many_to_many:
            keys = exported[field.related_model._meta.label_lower]
            fields[field.name] = [pk for pk in fields.get(field.name, []) if pk in keys]
    return rows


def _file_fields(obj) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if isinstance(f, FileField)]


def import_dialogue(document: dict, *, user) -> dict:
    """Load an exported dialogue into a database that holds none of its records; all or
    nothing. Returns the count of records loaded per kind.

    The file is not trusted: only the kinds of record an export holds are accepted, each within
    what the importing user may see (their clearance; cases only for a Case officer), and a
    reference to a record outside the file must be to one the user may see."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExchangeError(_("This is not a dialogue exported by Dialogue Tracker (%s).") % FORMAT)
    records = document.get("records")
    if not isinstance(records, list):
        raise ExchangeError(_("The document has no list of records."))
    wanted = _checked_records(records, user=user)
    _check_references(records, wanted, user=user)
    for model, keys in wanted.items():
        clash = model._base_manager.filter(pk__in=keys).values_list("pk", flat=True)[:5]
        if clash:
            raise ExchangeError(
                _(
                    "The database already holds %(kind)s with the keys %(keys)s; a dialogue is "
                    "imported only into a database that holds none of its records."
                )
                % {"kind": model._meta.verbose_name_plural, "keys": ", ".join(map(str, clash))}
            )
    loaded = defaultdict(list)
    with transaction.atomic():
        try:
            for item in serializers.deserialize("python", records):
                obj = item.object
                if isinstance(obj, TrackedModel):
                    obj.created_by = obj.updated_by = user
                if isinstance(obj, PreciseDates):
                    # A raw load skips save(): its dates are stored as every other path would.
                    obj.date_precision_apply()
                for name in _file_fields(obj):
                    setattr(obj, name, "")
                item.save()
                loaded[type(obj)].append(obj)
        except Exception as error:  # a malformed field, a broken reference
            raise ExchangeError(_("The document could not be loaded: %s") % error) from error
        # The scoping rule itself has the last word: every record loaded must be one the
        # importer may see (a membership, say, is as protected as its delegation).
        for model, objects in loaded.items():
            keys = {obj.pk for obj in objects}
            seen = visible(model, user).filter(pk__in=keys).values_list("pk", flat=True)
            hidden = keys - set(seen)
            if hidden:
                raise ExchangeError(
                    _("Record %(record)s is refused: you could not see it once imported.")
                    % {"record": _named(model._meta.label_lower, min(hidden))}
                )
        for model, objects in loaded.items():
            manager = get_history_manager_for_model(model)
            manager.bulk_history_create(objects, default_user=user)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(loaded)):
                cursor.execute(statement)
    return {str(model._meta.verbose_name_plural): len(objs) for model, objs in loaded.items()}


def _named(label, key) -> str:
    """How a refusal names a record of the file: its kind and key."""
    return f"{label} {key}"


def _checked_records(records, *, user) -> dict:
    """The keys of the file's records by model, once each record is found to be of a kind an
    export holds, marked within the user's clearance and naming no user account."""
    kinds = {model._meta.label_lower: model for model in EXCHANGED}
    wanted = defaultdict(set)
    for index, row in enumerate(records):
        try:
            label, key = row["model"], row["pk"]
            fields = row.get("fields", {})
        except (TypeError, KeyError, AttributeError) as error:
            raise ExchangeError(_("Record %d has no model or key.") % (index + 1)) from error
        if not isinstance(fields, dict):
            raise ExchangeError(
                _("Record %(record)s has no fields.") % {"record": _named(label, key)}
            )
        model = kinds.get(label)
        if model is None:
            raise ExchangeError(
                _(
                    "Record %(record)s is refused: “%(kind)s” is unknown to a dialogue export, "
                    "which holds only a dialogue's own records."
                )
                % {"record": _named(label, key), "kind": label}
            )
        try:
            key = model._meta.pk.to_python(key)
        except ValidationError as error:
            raise ExchangeError(_("Record %d has no model or key.") % (index + 1)) from error
        reason = _refusal(model, fields, user=user)
        if reason:
            raise ExchangeError(
                _("Record %(record)s is refused: %(reason)s")
                % {"record": _named(label, key), "reason": reason}
            )
        wanted[model].add(key)
    return wanted


def _refusal(model, fields, *, user) -> str:
    """Why the user may not import this record, or "" if they may."""
    named = [name for name in USER_FIELDS if fields.get(name) is not None]
    if named:
        return _("it names a user account (%s); an export never carries them.") % named[0]
    if issubclass(model, CASE_RECORDS) and not user.is_case_officer:
        return _("cases of concern and their raisings are imported only by a Case officer.")
    if any(field.name == "security_marking" for field in model._meta.concrete_fields):
        marking = fields.get("security_marking", model._meta.get_field("security_marking").default)
        if marking not in user.visible_markings:
            label = dict(SecurityMarking.choices).get(marking, marking)
            return _("it is marked %(marking)s, above your clearance (%(clearance)s).") % {
                "marking": label,
                "clearance": user.get_clearance_display(),
            }
    return ""


def _check_references(records, wanted, *, user) -> None:
    """Refuse a reference to a record outside the file that the user may not see."""
    kinds = {model._meta.label_lower: model for model in wanted}
    outside = defaultdict(dict)  # model -> {key: the record that refers to it}
    for row in records:
        model, fields = kinds[row["model"]], row.get("fields", {})
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if not field.is_relation or field.name in USER_FIELDS:
                continue
            value = fields.get(field.name)
            values = value if field.many_to_many and isinstance(value, list) else [value]
            for key in values:
                try:
                    key = field.related_model._meta.pk.to_python(key)
                    inside = key is None or key in wanted.get(field.related_model, ())
                except (TypeError, ValidationError):
                    continue  # not a key: the loader says what is wrong with it
                if not inside:
                    outside[field.related_model].setdefault(key, (row["model"], row["pk"]))
    for model, keys in outside.items():
        seen = set(visible(model, user).filter(pk__in=list(keys)).values_list("pk", flat=True))
        for key, record in keys.items():
            if key not in seen:
                raise ExchangeError(
                    _(
                        "Record %(record)s is refused: it refers to %(kind)s %(key)s, which is "
                        "neither in the file nor a record you may see."
                    )
                    % {
                        "record": _named(*record),
                        "kind": model._meta.verbose_name,
                        "key": key,
                    }
                )
