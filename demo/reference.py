"""Writes that span several apps' models: loading the reference data."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup.models import Benchmark, BenchmarkEvent, FollowUpProject
from rounds.models import AgendaItem, Dialogue, Material, Round, SiteVisit, Topic
from stakeholders.models import (
    Consultation,
    ConsultationRequest,
    Delegation,
    DelegationMember,
    Organization,
)

REFERENCE_DATA_PATH = settings.BASE_DIR / "data" / "reference.yaml"


class ReferenceDataError(Exception):
    """The reference file is malformed; the message names the file, the record and the field."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def reference_data_load(*, path: Path = REFERENCE_DATA_PATH, user=None) -> LoadReport:
    """Load the reference file in one transaction: all of it, or nothing.

    Records are matched on natural keys, and a record is saved only when a value differs, so
    loading the same file twice writes nothing, not even history.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot be read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path}: is not valid YAML: {exc}") from exc
    loader = _Loader(path, user)
    with transaction.atomic():
        loader.load(data)
    return loader.report


# What each kind of record may hold: (allowed keys, required keys).
_SHAPES = {
    "organization": (
        {"key", "name", "name_fr", "name_zh", "acronym", "acronym_fr", "country", "kind", "parent"}
        | {"website", "description"},
        {"key", "name", "kind"},
    ),
    "topic": (
        {"slug", "name", "name_fr", "name_zh", "category", "parent", "aliases", "description"}
        | {"standing"},
        {"slug", "name", "category"},
    ),
    "dialogue": (
        {
            "slug",
            "name",
            "name_fr",
            "name_zh",
            "acronym",
            "acronym_fr",
            "kind",
            "lead_party",
            "partner_party",
        }
        | {"other_parties", "start_year", "end_year", "status", "description", "source_note"}
        | {"rounds", "consultations"},
        {"slug", "name", "kind", "lead_party", "partner_party"},
    ),
    "round": (
        {"number", "start_date", "end_date", "date_precision", "host_country", "cities"}
        | {"status", "interpretation_mode", "public_statement", "summary", "source_note"}
        | {"security_marking", "agenda", "site_visits", "delegations", "materials"},
        {"start_date"},
    ),
    "agenda item": (
        {"title", "segment", "topics", "proposed_by", "agenda_status", "raised_by"}
        | {"presenters", "summary", "security_marking"},
        {"title"},
    ),
    "site visit": (
        {"city", "region", "country", "start_date", "end_date", "purpose", "topics"}
        | {"institutions", "institutions_note", "security_marking"},
        {"country"},
    ),
    "delegation": (
        {"side", "head_title", "head_rank", "notes", "members", "security_marking"},
        {"side"},
    ),
    "member": ({"organization", "role", "position_at_time"}, {"organization"}),
    "material": (
        {"title", "provided_by", "kind", "in_english", "in_french", "in_chinese"}
        | {"shared_in_advance", "shared_on", "notes", "security_marking"},
        {"title", "provided_by"},
    ),
    "consultation": (
        {"round", "kind", "date", "date_precision", "format", "location", "convened_by"}
        | {"organizations", "summary", "requests", "security_marking"},
        {"kind", "date"},
    ),
    "request": ({"text", "answer", "answered_on"}, {"text"}),
    "benchmark": (
        {"name", "name_fr", "name_zh", "kind", "status", "topics", "target", "description"}
        | {"events", "security_marking"},
        {"name", "kind"},
    ),
    "event": (
        {"date", "date_precision", "kind", "direction", "title", "description", "source"}
        | {"source_url"},
        {"date", "title", "source"},
    ),
    "project": (
        {"title", "reference", "lead_agency", "partner_organizations", "topics"}
        | {"originating_rounds", "proposed_by", "status", "start_date", "end_date"}
        | {"budget_cad", "objectives", "results", "security_marking"},
        {"title"},
    ),
}
_SECTIONS = ("organizations", "topics", "dialogues", "benchmarks", "projects")


class _Loader:
    def __init__(self, path: Path, user):
        self.path = path
        self.user = user
        self.report = LoadReport()
        self.organizations: dict[str, Organization] = {}
        self.topics: dict[str, Topic] = {}

    # -- checking the shape of the file -------------------------------------------------------

    def fail(self, where: str, message: str):
        raise ReferenceDataError(f"{self.path}: {where}: {message}")

    def shape(self, data, where: str, kind: str) -> dict:
        if not isinstance(data, dict):
            self.fail(where, _("expected a mapping of fields, found %s") % type(data).__name__)
        allowed, required = _SHAPES[kind]
        for key in sorted(set(data) - allowed):
            self.fail(where, _("field '%s' is not a field of a %s") % (key, kind))
        for key in sorted(required - set(data)):
            self.fail(where, _("field '%s' is required") % key)
        return data

    def items(self, data: dict, key: str, where: str) -> list:
        value = data.get(key) or []
        if not isinstance(value, list):
            self.fail(where, _("field '%s' must be a list") % key)
        return value

    def date(self, value, where: str, name: str) -> datetime.date | None:
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.fail(where, _("field '%s': '%s' is not a date (YYYY-MM-DD)") % (name, value))

    def ref(self, table: dict, value, where: str, name: str):
        if not isinstance(value, (str, int)) or value not in table:
            self.fail(
                where, _("field '%s': '%s' is not defined earlier in the file") % (name, value)
            )
        return table[value]

    def refs(self, table: dict, data: dict, name: str, where: str) -> list:
        return [self.ref(table, value, where, name) for value in self.items(data, name, where)]

    # -- writing -------------------------------------------------------------------------------

    def upsert(self, model, where: str, lookup: dict, values: dict, m2m: dict | None = None):
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        before = {name: getattr(obj, name) for name in values}
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as exc:
            errors = exc.message_dict
            name = next(iter(errors))
            label = _("record") if name == "__all__" else _("field '%s'") % name
            self.fail(where, f"{label}: {' '.join(errors[name])}")
        changed = created or any(getattr(obj, name) != before[name] for name in values)
        if changed:
            if created:
                obj.created_by = self.user
            obj.updated_by = self.user
            obj._history_user = self.user
            obj.save()
        for name, targets in (m2m or {}).items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != {target.pk for target in targets}:
                manager.set(targets)
                changed = True
        tally = (
            self.report.created
            if created
            else self.report.updated
            if changed
            else self.report.unchanged
        )
        tally[model._meta.verbose_name_plural] += 1
        return obj

    @staticmethod
    def plain(data: dict, *names: str) -> dict:
        return {name: data[name] for name in names if name in data}

    # -- the sections --------------------------------------------------------------------------

    def load(self, data):
        if not isinstance(data, dict):
            self.fail("top level", _("expected the sections %s") % ", ".join(_SECTIONS))
        for key in sorted(set(data) - set(_SECTIONS)):
            self.fail("top level", _("'%s' is not a section of the file") % key)
        for index, record in enumerate(self.items(data, "organizations", "top level")):
            self.organization(record, f"organizations[{index}]")
        for index, record in enumerate(self.items(data, "topics", "top level")):
            self.topic(record, f"topics[{index}]")
        for index, record in enumerate(self.items(data, "dialogues", "top level")):
            self.dialogue(record, f"dialogues[{index}]")
        for index, record in enumerate(self.items(data, "benchmarks", "top level")):
            self.benchmark(record, f"benchmarks[{index}]")
        for index, record in enumerate(self.items(data, "projects", "top level")):
            self.project(record, f"projects[{index}]")

    def organization(self, record, where):
        data = self.shape(record, where, "organization")
        where = f"{where} ({data['key']})"
        if data["key"] in self.organizations:
            self.fail(where, _("field 'key': '%s' is used twice") % data["key"])
        values = self.plain(
            data, "name_fr", "name_zh", "acronym", "acronym_fr", "kind", "website", "description"
        )
        if "parent" in data:
            values["parent"] = self.ref(self.organizations, data["parent"], where, "parent")
        lookup = {"name": data["name"], "country": data.get("country") or ""}
        self.organizations[data["key"]] = self.upsert(Organization, where, lookup, values)

    def topic(self, record, where):
        data = self.shape(record, where, "topic")
        where = f"{where} ({data['slug']})"
        values = self.plain(data, "name", "name_fr", "name_zh", "category", "description")
        if "standing" in data:
            if not isinstance(data["standing"], bool):
                self.fail(where, _("field '%s' must be true or false") % "standing")
            values["standing"] = data["standing"]
        if "aliases" in data:
            values["aliases"] = "\n".join(
                str(alias) for alias in self.items(data, "aliases", where)
            )
        if "parent" in data:
            values["parent"] = self.ref(self.topics, data["parent"], where, "parent")
        self.topics[data["slug"]] = self.upsert(Topic, where, {"slug": data["slug"]}, values)

    def dialogue(self, record, where):
        data = self.shape(record, where, "dialogue")
        where = f"{where} ({data['slug']})"
        values = self.plain(
            data,
            *(
                "name",
                "name_fr",
                "name_zh",
                "acronym",
                "acronym_fr",
                "kind",
                "lead_party",
                "partner_party",
            ),
            *("other_parties", "start_year", "end_year", "status", "description", "source_note"),
        )
        dialogue = self.upsert(Dialogue, where, {"slug": data["slug"]}, values)
        rounds = {}
        for index, item in enumerate(self.items(data, "rounds", where)):
            round_ = self.round(dialogue, item, f"{where} > rounds[{index}]")
            if round_.number:
                rounds[round_.number] = round_
        for index, item in enumerate(self.items(data, "consultations", where)):
            self.consultation(dialogue, rounds, item, f"{where} > consultations[{index}]")

    def round(self, dialogue, record, where):
        data = self.shape(record, where, "round")
        start = self.date(data["start_date"], where, "start_date")
        number = data.get("number")
        if number is not None and (not isinstance(number, int) or number < 1):
            self.fail(where, _("field 'number': '%s' is not a positive whole number") % number)
        where = f"{where} (number {number})" if number else f"{where} ({start})"
        lookup = {"dialogue": dialogue, "number": number}
        values = self.plain(
            data,
            *("date_precision", "host_country", "cities", "status", "interpretation_mode"),
            *("public_statement", "summary", "source_note", "security_marking"),
        )
        values["end_date"] = self.date(data.get("end_date"), where, "end_date")
        if number:
            values["start_date"] = start
        else:
            lookup["start_date"] = start
        round_ = self.upsert(Round, where, lookup, values)
        for index, item in enumerate(self.items(data, "agenda", where)):
            self.agenda_item(round_, index, item, f"{where} > agenda[{index}]")
        for index, item in enumerate(self.items(data, "site_visits", where)):
            self.site_visit(round_, item, f"{where} > site_visits[{index}]")
        for index, item in enumerate(self.items(data, "delegations", where)):
            self.delegation(round_, item, f"{where} > delegations[{index}]")
        for index, item in enumerate(self.items(data, "materials", where)):
            self.material(round_, item, f"{where} > materials[{index}]")
        return round_

    def agenda_item(self, round_, order, record, where):
        data = self.shape(record, where, "agenda item")
        values = self.plain(
            data, "segment", "proposed_by", "agenda_status", "raised_by", "summary"
        ) | {"order": order}
        if "security_marking" in data:
            values["security_marking"] = data["security_marking"]
        m2m = {
            "topics": self.refs(self.topics, data, "topics", where),
            "presenting_organizations": self.refs(self.organizations, data, "presenters", where),
        }
        lookup = {"round": round_, "title": data["title"]}
        self.upsert(AgendaItem, where, lookup, values, m2m)

    def site_visit(self, round_, record, where):
        data = self.shape(record, where, "site visit")
        values = self.plain(data, "country", "purpose", "institutions_note", "security_marking")
        values["start_date"] = self.date(data.get("start_date"), where, "start_date")
        values["end_date"] = self.date(data.get("end_date"), where, "end_date")
        m2m = {
            "topics": self.refs(self.topics, data, "topics", where),
            "institutions": self.refs(self.organizations, data, "institutions", where),
        }
        lookup = {"round": round_, "city": data.get("city", ""), "region": data.get("region", "")}
        self.upsert(SiteVisit, where, lookup, values, m2m)

    def delegation(self, round_, record, where):
        data = self.shape(record, where, "delegation")
        values = self.plain(data, "head_title", "head_rank", "notes", "security_marking")
        delegation = self.upsert(Delegation, where, {"round": round_, "side": data["side"]}, values)
        for index, item in enumerate(self.items(data, "members", where)):
            member_where = f"{where} > members[{index}]"
            member = self.shape(item, member_where, "member")
            organization = self.ref(
                self.organizations, member["organization"], member_where, "organization"
            )
            lookup = {"delegation": delegation, "person": None, "organization": organization}
            values = self.plain(member, "role", "position_at_time")
            self.upsert(DelegationMember, member_where, lookup, values)

    def material(self, round_, record, where):
        data = self.shape(record, where, "material")
        values = self.plain(
            data,
            *("provided_by", "kind", "in_english", "in_french", "in_chinese"),
            *("shared_in_advance", "notes", "security_marking"),
        )
        values["shared_on"] = self.date(data.get("shared_on"), where, "shared_on")
        self.upsert(Material, where, {"round": round_, "title": data["title"]}, values)

    def consultation(self, dialogue, rounds, record, where):
        data = self.shape(record, where, "consultation")
        values = self.plain(
            data,
            *("date_precision", "format", "location", "summary", "security_marking"),
        )
        round_ = self.ref(rounds, data["round"], where, "round") if "round" in data else None
        values["round"] = round_
        if "convened_by" in data:
            values["convened_by"] = self.ref(
                self.organizations, data["convened_by"], where, "convened_by"
            )
        lookup = {
            "dialogue": dialogue,
            "kind": data["kind"],
            "date": self.date(data["date"], where, "date"),
        }
        m2m = {"organizations": self.refs(self.organizations, data, "organizations", where)}
        consultation = self.upsert(Consultation, where, lookup, values, m2m)
        for order, item in enumerate(self.items(data, "requests", where)):
            request_where = f"{where} > requests[{order}]"
            request = self.shape(
                item if isinstance(item, dict) else {"text": item}, request_where, "request"
            )
            values = {"order": order, **self.plain(request, "answer")}
            values["answered_on"] = self.date(
                request.get("answered_on"), request_where, "answered_on"
            )
            lookup = {"consultation": consultation, "text": request["text"]}
            self.upsert(ConsultationRequest, request_where, lookup, values)

    def benchmark(self, record, where):
        data = self.shape(record, where, "benchmark")
        where = f"{where} ({data['name']})"
        values = self.plain(
            data,
            "name_fr",
            "name_zh",
            "kind",
            "status",
            "target",
            "description",
            "security_marking",
        )
        m2m = {"topics": self.refs(self.topics, data, "topics", where)}
        benchmark = self.upsert(Benchmark, where, {"name": data["name"]}, values, m2m)
        for index, item in enumerate(self.items(data, "events", where)):
            event_where = f"{where} > events[{index}]"
            event = self.shape(item, event_where, "event")
            lookup = {
                "benchmark": benchmark,
                "date": self.date(event["date"], event_where, "date"),
                "title": event["title"],
            }
            values = self.plain(
                event, "date_precision", "kind", "direction", "description", "source", "source_url"
            )
            self.upsert(BenchmarkEvent, event_where, lookup, values)

    def project(self, record, where):
        data = self.shape(record, where, "project")
        where = f"{where} ({data['title']})"
        values = self.plain(
            data,
            *("reference", "proposed_by", "status", "budget_cad", "objectives", "results"),
            "security_marking",
        )
        values["start_date"] = self.date(data.get("start_date"), where, "start_date")
        values["end_date"] = self.date(data.get("end_date"), where, "end_date")
        if "lead_agency" in data:
            values["lead_agency"] = self.ref(
                self.organizations, data["lead_agency"], where, "lead_agency"
            )
        rounds = []
        for item in self.items(data, "originating_rounds", where):
            if not isinstance(item, dict) or set(item) != {"dialogue", "number"}:
                self.fail(where, _("field 'originating_rounds': give each as {dialogue, number}"))
            found = Round.objects.filter(
                dialogue__slug=item["dialogue"], number=item["number"]
            ).first()
            if found is None:
                self.fail(where, _("field 'originating_rounds': no round %s") % item)
            rounds.append(found)
        m2m = {
            "partner_organizations": self.refs(
                self.organizations, data, "partner_organizations", where
            ),
            "topics": self.refs(self.topics, data, "topics", where),
            "originating_rounds": rounds,
        }
        self.upsert(FollowUpProject, where, {"title": data["title"]}, values, m2m)
