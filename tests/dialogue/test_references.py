"""The edges of the scoping rule: visible records that point at hidden ones.

A reference the reader may not follow is shown as "restricted record", never by name, id or
address, on every page, htmx fragment, export, admin page and API body (core/references.py).
The walk covers every product URL (plain, htmx, CSV, XLSX, searched) with the key of every record
of the world, the admin's changelist, change, delete, history, version and popup pages of every
model, and the API, as every role at every clearance.
"""

import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import get_resolver, reverse

from core import lookups
from core.models import SecurityMarking
from rounds.models import Material
from rounds.views import FORMSETS, SECTIONS
from tests.conftest import ROLES
from tests.dialogue.test_leaks import SEARCH_WORD, walk
from tests.helpers import as_posted
from tests.world import HIDDEN, HIDDEN_CASE, mixed_world

pytestmark = pytest.mark.django_db

# Every role below Protected B, where a hidden name would leak; at Protected B, one role reads
# everything (and no page fails on a reference it may follow).
# Only administrators enter the admin: a Case officer who is also one reads its case pages.
USERS = [
    *((role, marking) for role in ROLES for marking in SecurityMarking.values[:2]),
    ("case_officer+administrator", SecurityMarking.PROTECTED_A),
    ("case_officer", SecurityMarking.PROTECTED_B),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The product's detail routes, by the first word of their name, and the model whose key they take.
DETAIL_ROUTES = {
    "round": "rounds.round",
    "next": "rounds.round",  # next_briefing: the pack of the round after this one
    "case": "rounds.caseofconcern",
    "organization": "stakeholders.organization",
    "person": "stakeholders.person",
    "consultation": "stakeholders.consultation",
    "project": "followup.followupproject",
    "action": "followup.followupaction",
    "benchmark": "followup.benchmark",
}


def product_urls(world) -> list[str]:
    """Lists and reports (plain, htmx, CSV, XLSX, searched), and each detail route with the keys
    of the world's records of its model, the API's included."""
    by_model = {}
    for obj in world.values():
        by_model.setdefault(obj._meta.label_lower, []).append(obj)
    urls = []
    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/")):
            continue
        converters = set(pattern.pattern.converters)
        name = pattern.name or ""
        if not converters:
            path = "/" + route
            urls += [
                path,
                f"{path}?q={SEARCH_WORD}",
                f"{path}?format=csv",
                f"{path}?format=xlsx",
                f"{path}?htmx",  # the htmx fragment (see HTMX below)
            ]
        elif converters == {"pk"}:
            if route.startswith("api/"):
                label = next(
                    (label for label in by_model if label.endswith("." + name.split("-")[0])),
                    None,
                )
            else:
                label = DETAIL_ROUTES.get(name.split("_")[0])
                assert label, f"the reference walk does not know {route}; teach it"
            for obj in by_model.get(label, []):
                urls.append("/" + route.replace("<int:pk>", str(obj.pk)))
        elif converters == {"slug"}:
            slugs = {obj.slug for obj in world.values() if getattr(obj, "slug", None)}
            urls += ["/" + route.replace("<slug:slug>", slug) for slug in slugs]
        elif converters == {"pk", "section"}:  # a round's recording page, section by section
            urls += [
                "/" + route.replace("<int:pk>", str(obj.pk)).replace("<slug:section>", section)
                for obj in by_model.get("rounds.round", [])
                for section in SECTIONS
            ]
        elif converters == {"pk", "section", "row"}:  # a recorded row, opened on its own
            urls += [
                f"/rounds/{obj.round_id}/edit/{section}/{obj.pk}/"
                for section, formset in FORMSETS.items()
                for obj in by_model.get(formset.model._meta.label_lower, [])
            ]
        elif converters == {"pk", "language"}:  # a material's file, in each language
            urls += [
                "/" + route.replace("<int:pk>", str(obj.pk)).replace("<str:language>", language)
                for obj in by_model.get("rounds.material", [])
                for language in Material.LANGUAGES
            ]
        elif converters == {"pk", "item_pk"}:  # carrying an item forward: POST only
            continue
        elif converters == {"round_pk", "side", "member_pk"}:  # a member, on their own page
            urls += [
                f"/stakeholders/rounds/{obj.delegation.round_id}/delegations/"
                f"{obj.delegation.side}/members/{obj.pk}/"
                for obj in by_model.get("stakeholders.delegationmember", [])
            ]
        elif converters == {"round_pk"}:  # a round's delegations, to record
            urls += [
                "/" + route.replace("<int:round_pk>", str(obj.pk))
                for obj in by_model.get("rounds.round", [])
            ]
        elif converters == {"kind"}:
            urls += [f"/lookup/{kind}/?q={SEARCH_WORD}" for kind in lookups.kinds()]
        elif converters == {"app_label", "model_name", "pk"}:
            urls += [
                f"/history/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/"
                for obj in world.values()
            ]
        else:
            pytest.fail(f"the reference walk does not know how to fill {route}; teach it")
    return urls


def admin_urls(world) -> list[str]:
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in ("rounds", "stakeholders", "followup"):
            continue
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        changelist = reverse(f"{prefix}_changelist")
        urls += [changelist, f"{changelist}?_popup=1&_to_field=id", f"{changelist}?q={SEARCH_WORD}"]
        for obj in world.values():
            if type(obj) is not model:
                continue
            urls += [
                reverse(f"{prefix}_change", args=[obj.pk]),
                reverse(f"{prefix}_delete", args=[obj.pk]),
                reverse(f"{prefix}_history", args=[obj.pk]),
                reverse(f"{prefix}_simple_history", args=[obj.pk, obj.history.latest().pk]),
            ]
    return urls


def body_text(response) -> str:
    if response.get("Content-Type", "").startswith(XLSX):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def every_url(world) -> list[str]:
    return product_urls(world) + admin_urls(world)


@pytest.mark.parametrize(("role", "clearance"), USERS, ids=[f"{r}-{c}" for r, c in USERS])
def test_no_reference_names_a_record_the_reader_may_not_see(client, make_user, role, clearance):
    world = mixed_world()
    hidden_addresses = [
        f'"{obj.get_absolute_url()}"'
        for name, obj in world.items()
        if name.startswith("hidden") and hasattr(obj, "get_absolute_url")
    ]
    # Flagged staff whatever the role: only the role opens the admin.
    roles = tuple(role.split("+"))
    user = make_user(f"{role}-{clearance}", roles, clearance=clearance, is_staff=True)
    client.force_login(user)
    cleared = clearance == SecurityMarking.PROTECTED_B
    urls = every_url(world)
    assert len(urls) > 250
    seen = placeholders = 0
    for url in urls:
        headers = {"HX-Request": "true"} if url.endswith("?htmx") else {}
        response = client.get(url.removesuffix("?htmx"), headers=headers)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        body = body_text(response)
        seen += response.status_code == 200
        placeholders += "restricted record" in body
        if not cleared:
            assert HIDDEN not in body, f"{role} cleared {clearance} read a hidden name at {url}"
            for address in hidden_addresses:
                assert address not in body, f"{role} {clearance}: {address} linked at {url}"
        if HIDDEN_CASE in body:
            assert cleared and user.is_case_officer, f"{role} {clearance} read a case at {url}"
    assert seen > 100  # the walk really reached the pages
    if not cleared:
        assert placeholders  # and the hidden references showed as placeholders


def test_the_placeholder_stands_where_the_name_would(client, make_user):
    world = mixed_world()
    client.force_login(make_user("reader", "planner", clearance=SecurityMarking.PROTECTED_A))
    page = client.get(world["round"].get_absolute_url()).content.decode()
    assert "restricted record" in page  # the delegation's head
    actions = client.get("/followup/actions/?format=csv").content.decode()
    line = next(row for row in actions.splitlines() if "An open action in a hidden" in row)
    assert "restricted record" in line
    french = client.get("/fr/followup/actions/").content.decode()
    assert "dossier restreint" in french


def test_a_reader_cleared_for_the_record_sees_its_name(client, make_user):
    world = mixed_world()
    client.force_login(make_user("reader", "planner", clearance=SecurityMarking.PROTECTED_B))
    page = client.get(world["round"].get_absolute_url()).content.decode()
    assert f"{HIDDEN} person" in page


def test_api_bodies_carry_no_hidden_id(client, make_user):
    world = mixed_world()
    client.force_login(make_user("reader", "planner", clearance=SecurityMarking.PROTECTED_A))
    action = client.get(f"/api/v1/actions/{world['followupaction'].pk}/").json()
    assert action["project"] == "restricted"
    assert action["owner_person"] == "restricted"
    assert action["round"] == world["round"].pk
    project = client.get(f"/api/v1/projects/{world['followupproject'].pk}/").json()
    assert world["hidden_round"].pk not in project["originating_rounds"]
    assert project["originating_rounds"].count("restricted") == 1
    delegation = client.get(f"/api/v1/delegations/{world['delegation'].pk}/").json()
    assert delegation["head"] == "restricted"


def test_a_reminder_names_no_project_above_the_recipients_clearance(make_user, settings):
    from django.core import mail

    from followup.services import send_reminders

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    world = mixed_world()
    dana = make_user("dana", "planner", email="dana@example.gc.ca")
    action = world["followupaction"]
    action.assignee = dana
    action.round = world["hidden_round"]
    action.save()
    send_reminders(days=3650, today=action.due_date)
    (message,) = mail.outbox
    assert "An open action in a hidden project (restricted record)" in message.body
    assert HIDDEN not in message.body and str(world["hidden_round"]) not in message.body


def test_admin_delete_refuses_when_hidden_records_depend_and_names_none(client, make_user):
    world = mixed_world()
    user = make_user("ada", "administrator", clearance=SecurityMarking.PROTECTED_A)
    client.force_login(user)
    project = world["followupproject"]  # holds a Protected B action
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    page = client.get(url).content.decode()
    assert "Records you are not cleared to see depend on this one" in page
    assert HIDDEN not in page
    client.post(url, {"post": "yes"})
    assert type(project).objects.filter(pk=project.pk).exists()
    assert type(world["hidden_action"]).objects.filter(pk=world["hidden_action"].pk).exists()


def test_admin_delete_proceeds_when_every_dependent_is_visible(client, make_user):
    from followup.models import FollowUpAction

    world = mixed_world()
    user = make_user("bea", "administrator", clearance=SecurityMarking.PROTECTED_B)
    client.force_login(user)
    project = world["followupproject"]
    url = reverse("admin:followup_followupproject_delete", args=[project.pk])
    assert HIDDEN in client.get(url).content.decode()  # a cleared reader reads the names
    client.post(url, {"post": "yes", "expected_version": project.version})
    assert not FollowUpAction.objects.filter(pk=world["hidden_action"].pk).exists()


def test_an_admin_form_keeps_a_hidden_reference_it_cannot_show(client, make_user):
    world = mixed_world()
    user = make_user("ada", "administrator", clearance=SecurityMarking.PROTECTED_A)
    client.force_login(user)
    delegation = world["delegation"]
    url = reverse("admin:stakeholders_delegation_change", args=[delegation.pk])
    response = client.get(url)
    page = response.content.decode()
    assert "restricted record" in page and HIDDEN not in page
    form = as_posted(response)
    form["head_title"] = "Vice-minister"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation.refresh_from_db()
    assert delegation.head_id == world["hidden_person"].pk
    assert delegation.head_title == "Vice-minister"


def test_a_record_may_not_come_to_refer_to_one_marked_above_it(make_user):
    from django.core.exceptions import ValidationError

    from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory

    world = mixed_world()
    action = FollowUpActionFactory.build(
        round=world["round"], project=world["hidden_project"], title="New"
    )
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert "cannot refer to a record marked Protected B" in str(refused.value.message_dict)
    action.security_marking = SecurityMarking.PROTECTED_B
    action.full_clean()  # marked as high as what it refers to
    # A reference the record already had is left alone: editing it does not fail on it.
    existing = world["followupaction"]
    existing.title = "Renamed"
    existing.full_clean()
    existing.project = FollowUpProjectFactory(security_marking=SecurityMarking.PROTECTED_A)
    with pytest.raises(ValidationError):
        existing.full_clean()


def test_a_validation_message_names_no_hidden_record(client, make_user):
    from tests.stakeholders.factories import PersonFactory

    world = mixed_world()
    client.force_login(make_user("officer", "officer", clearance=SecurityMarking.PROTECTED_A))
    other = PersonFactory(full_name="Someone open")
    response = client.post(
        "/api/v1/delegation-members/",
        {"delegation": world["delegation"].pk, "person": other.pk, "role": "head"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["role"] == ["This delegation's head is restricted record."]


def test_history_names_references_as_the_reader_may_see_them(client, make_user):
    world = mixed_world()
    action = world["followupaction"]
    action.project = world["followupproject"]
    action.save()  # a change of project: from the hidden one to a visible one
    client.force_login(make_user("reader", "planner", clearance=SecurityMarking.PROTECTED_A))
    page = client.get(f"/history/followup/followupaction/{action.pk}/").content.decode()
    assert "<strong>project</strong>: restricted record → An open project" in page
    assert HIDDEN not in page


def test_the_admin_sorts_by_a_reference_only_for_who_sees_all_it_reaches(rf, make_user):
    from stakeholders.models import Delegation

    delegations = admin.site._registry[Delegation]
    request = rf.get("/")
    request.user = make_user("officer", "officer", clearance=SecurityMarking.PROTECTED_A)
    assert "head" not in delegations.get_sortable_by(request)
    request.user = make_user("chief", "officer", clearance=SecurityMarking.PROTECTED_B)
    assert "head" in delegations.get_sortable_by(request)


def test_an_admin_list_filters_by_a_visible_reference_only(client, make_user):
    world = mixed_world()
    ada = make_user("ada", "administrator", clearance=SecurityMarking.PROTECTED_A)
    client.force_login(ada)
    url = reverse("admin:stakeholders_delegation_changelist")
    assert client.get(url, {"head": world["hidden_person"].pk}).status_code == 400
    assert client.get(url, {"round": world["round"].pk}).status_code == 200


def test_an_admin_date_hierarchy_through_a_reference_still_works(client, make_user):
    mixed_world()
    root = make_user("root", "administrator", clearance=SecurityMarking.PROTECTED_B)
    client.force_login(root)
    url = reverse("admin:rounds_agendaitem_changelist")
    assert client.get(url, {"round__start_date__year": "2000"}).status_code == 200
    # Not offered to who may not see every round it reaches (their dates would show): refused.
    client.force_login(make_user("ada", "administrator", clearance=SecurityMarking.PROTECTED_A))
    assert client.get(url, {"round__start_date__year": "2000"}).status_code == 400


def test_a_commitment_of_a_hidden_round_links_to_no_address_of_it(client, make_user):
    from django.contrib.contenttypes.models import ContentType

    world = mixed_world()
    commitment, hidden = world["commitment"], world["hidden_round"]
    ada = make_user("ada", "administrator", clearance=SecurityMarking.PROTECTED_A, is_staff=True)
    client.force_login(ada)
    kind = ContentType.objects.get_for_model(commitment)
    for url in (
        f"/history/rounds/commitment/{commitment.pk}/",
        reverse("admin:rounds_commitment_change", args=[commitment.pk]),
        reverse("admin:view_on_site", args=[kind.pk, commitment.pk]),
        "/history/recent/",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
        assert f"/rounds/{hidden.pk}/" not in response.content.decode(), url
        assert f"/rounds/{hidden.pk}/" not in response.get("Location", ""), url


def test_an_admin_date_hierarchy_tells_no_date_of_a_hidden_round(client, make_user):
    import datetime

    world = mixed_world()
    hidden = world["hidden_round"]
    hidden.start_date, hidden.end_date = datetime.date(1987, 7, 14), datetime.date(1987, 7, 15)
    hidden.save()
    ada = make_user("ada", "administrator", clearance=SecurityMarking.PROTECTED_A)
    client.force_login(ada)
    url = reverse("admin:rounds_agendaitem_changelist")
    assert "1987" not in client.get(url).content.decode()
    drilled = client.get(url, {"round__start_date__year": "1987"})
    assert "An open item of a hidden round" not in drilled.content.decode()
    # Who sees every round still has the dates of all.
    client.force_login(make_user("root", "administrator", clearance=SecurityMarking.PROTECTED_B))
    assert "1987" in client.get(url).content.decode()
