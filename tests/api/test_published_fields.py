"""Each resource publishes exactly the fields its serializer lists: no serializer takes a model's
fields wholesale, and the fields each resource shows and takes (as the OpenAPI schema tells
clients) are pinned here, so a field appears in the API, leaves it or turns read-only only when
someone means it to."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.urls import router

BOOKKEEPING = "id created_at updated_at created_by updated_by"

# For each resource: the fields a client may write, then those it may only read.
PUBLISHED = {
    "dialogues": (
        "name name_fr name_zh acronym acronym_fr slug kind lead_party partner_party "
        "other_parties start_year end_year status description source_note",
        BOOKKEEPING,
    ),
    "rounds": (
        "security_marking number start_date end_date date_precision host_country cities status "
        "interpretation_mode public_statement summary source_note dialogue",
        BOOKKEEPING + " version",
    ),
    "topics": (
        "name name_fr name_zh slug category aliases description standing parent",
        BOOKKEEPING,
    ),
    "agenda-items": (
        "security_marking order title segment proposed_by agenda_status raised_by summary "
        "our_points partner_answer round topics presenting_organizations",
        BOOKKEEPING + " version",
    ),
    "commitments": (
        "security_marking round agenda_item side undertaken_by text due_date status "
        "status_changed_on evidence",
        BOOKKEEPING + " version",
    ),
    "site-visits": (
        "security_marking city region country start_date end_date purpose institutions_note "
        "round topics institutions",
        BOOKKEEPING + " version",
    ),
    "materials": (
        "security_marking title provided_by kind in_english in_french in_chinese "
        "shared_in_advance shared_on notes round",
        BOOKKEEPING + " version files",
    ),
    "cases": (
        "name name_zh aliases province category detention_type detained_on sentence status "
        "summary sources security_marking",
        BOOKKEEPING + " version",
    ),
    "case-raisings": (
        "raised_by response response_date response_summary security_marking case round",
        BOOKKEEPING,
    ),
    "organizations": (
        "name name_fr name_zh acronym acronym_fr country kind website description parent",
        BOOKKEEPING,
    ),
    "people": (
        "security_marking full_name name_zh position country notes organization",
        BOOKKEEPING,
    ),
    "delegations": (
        "security_marking side head_title head_rank notes round head",
        BOOKKEEPING,
    ),
    "delegation-members": (
        "role position_at_time delegation person organization",
        BOOKKEEPING + " version",
    ),
    "consultations": (
        "kind date date_precision format location summary security_marking dialogue round "
        "convened_by organizations",
        BOOKKEEPING + " version",
    ),
    "consultation-requests": (
        "order text answer answered_on consultation",
        BOOKKEEPING + " version",
    ),
    "projects": (
        "security_marking title title_fr reference proposed_by status start_date end_date "
        "budget_cad objectives objectives_fr results lead_agency partner_organizations topics "
        "originating_rounds "
        "open_actions",
        BOOKKEEPING + " version",
    ),
    "actions": (
        "security_marking title description due_date status completed_on round project "
        "commitment owner_organization owner_person assignee",
        BOOKKEEPING + " version",
    ),
    "benchmarks": (
        "security_marking name name_fr name_zh kind target status description topics commitment",
        BOOKKEEPING,
    ),
    "benchmark-events": (
        "security_marking date date_precision kind direction title description source "
        "source_url benchmark",
        BOOKKEEPING,
    ),
}

# Model fields kept out of the API on purpose, by resource: the stored search document is
# the record's own words again, for the site-wide search (core/search.py).
UNPUBLISHED: dict[str, set[str]] = {
    prefix: {"search_document"}
    for prefix in (
        "agenda-items",
        "organizations",
        "people",
        "projects",
        "actions",
        "commitments",
        "site-visits",
        "cases",
        "consultations",
        "benchmark-events",
    )
}
# A material's stored files are published as the addresses that download them ("files").
UNPUBLISHED["materials"] = {"file_en", "file_fr", "file_zh", "search_document"}

# Fields a client may send but that are never shown: what to do with a closing project's open
# actions (followup/services.py).
WRITE_ONLY = {"projects": {"open_actions"}}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, reference: dict) -> dict:
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]


def test_every_resource_has_its_fields_pinned():
    assert [prefix for prefix, *_rest in router.registry] == list(PUBLISHED)


@pytest.mark.parametrize(
    "prefix, viewset", [(prefix, viewset) for prefix, viewset, _ in router.registry]
)
def test_each_serializer_names_its_fields(prefix, viewset):
    serializer = viewset.serializer_class
    meta = serializer.Meta
    assert isinstance(meta.fields, list | tuple), (
        f"{prefix}: fields must be listed, not {meta.fields!r}"
    )
    assert not hasattr(meta, "exclude"), prefix
    assert len(set(meta.fields)) == len(meta.fields), prefix
    assert meta.model is viewset.queryset.model, prefix
    # Nor is a field declared on the serializer beyond the list.
    assert list(serializer().fields) == list(meta.fields), prefix


@pytest.mark.parametrize("prefix", PUBLISHED)
def test_each_resource_shows_and_takes_exactly_its_pinned_fields(schema, prefix):
    writable, read_only = (set(names.split()) for names in PUBLISHED[prefix])
    read = schema["paths"][f"/api/v1/{prefix}/{{id}}/"]["get"]["responses"]["200"]
    shown = component(schema, read["content"]["application/json"]["schema"])["properties"]
    assert set(shown) == (writable | read_only) - WRITE_ONLY.get(prefix, set())
    assert {name for name, field in shown.items() if field.get("readOnly")} == read_only
    body = schema["paths"][f"/api/v1/{prefix}/"]["post"]["requestBody"]
    taken = component(schema, body["content"]["application/json"]["schema"])["properties"]
    assert set(taken) == writable


@pytest.mark.parametrize(
    "prefix, viewset", [(prefix, viewset) for prefix, viewset, _ in router.registry]
)
def test_every_model_field_is_published_or_kept_out_on_purpose(prefix, viewset):
    """A field added to a model must be added to its serializer's list (and pinned above), or
    named in UNPUBLISHED."""
    options = viewset.queryset.model._meta
    names = {field.name for field in [*options.concrete_fields, *options.many_to_many]}
    published = set(viewset.serializer_class.Meta.fields) - WRITE_ONLY.get(prefix, set())
    assert names - published == UNPUBLISHED.get(prefix, set())
