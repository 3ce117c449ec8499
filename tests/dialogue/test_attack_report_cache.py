"""An outsider's attack on the kept reports (core/reportcache.py): readers served a report kept
for someone who may see more, reports kept past a write, what a kept report carries, and what
the cache does to the rest of the product (sign-ins, concurrent writers, a record's text).

The tests that fail name a defect; the others probe an edge a reviewer would forget."""

import re
import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AccessLogEntry, SecurityMarking
from core.reading import MARKING_HEADER
from followup.models import FollowUpAction
from rounds.models import AgendaItem, Round, Topic
from stakeholders.models import Organization
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.helpers import report_pages
from tests.rounds.factories import AgendaItemFactory, RoundFactory, TopicFactory
from tests.stakeholders.factories import OrganizationFactory
from tests.world import HIDDEN, HIDDEN_CASE, build_world, mixed_world

PB = SecurityMarking.PROTECTED_B
UNCLASSIFIED = SecurityMarking.UNCLASSIFIED
ROLES = ("officer", "analyst", "planner", "case_officer")


def built_names(report_builds) -> list[str]:
    return [name for name, _tables in report_builds]


def main(response) -> str:
    return re.search(r"<main.*</main>", response.text, re.S).group(0)


# -- defects ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_record_whose_text_names_the_form_token_does_not_break_the_report(client, make_user):
    """The check that a kept report holds no form token looks for the bare word in the built
    HTML, which a record's text can hold (escaping leaves letters alone): anyone who may name a
    project makes the planning board (and the dashboard, the briefing pack...) a 500 for all."""
    FollowUpProjectFactory(title="Rename the csrfmiddlewaretoken field in the form")
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    response = client.get(reverse("followup:board"))
    assert response.status_code == 200
    assert "Rename the csrfmiddlewaretoken field" in response.text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_consultation_request_naming_the_form_token_does_not_break_the_briefing(
    client, make_user
):
    world = build_world()
    request = world["consultationrequest"]
    request.text = "Explain csrfmiddlewaretoken to us"
    request.save()
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    response = client.get(reverse("reports:round_briefing", args=[world["round"].pk]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_sign_in_does_not_throw_away_the_kept_dashboard(client, make_user, report_builds):
    """The dashboard and the briefing pack declare the user table (an action's assignee), and
    every sign-in writes it (last_login): each sign-in anywhere makes them be built again, so
    the landing page is built afresh for almost every reader who just signed in."""
    build_world()
    make_user("other", ROLES, clearance=PB)
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    dashboard = reverse("dashboard")
    assert client.get(dashboard).status_code == 200
    assert built_names(report_builds) == ["dashboard"]
    # Someone else signs in (their own browser): nothing the dashboard shows has changed, but
    # the sign-in writes their last_login.
    from django.contrib.auth import get_user_model
    from django.test import Client

    Client().force_login(get_user_model().objects.get(username="other"))
    assert client.get(dashboard).status_code == 200
    assert built_names(report_builds) == ["dashboard"], "a sign-in threw the kept dashboard away"


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_unrelated_records_do_not_deadlock():
    """Before the cache, two transactions editing different records never waited for each
    other. The trigger makes every statement write its table's one version row and hold it
    until commit, so two writers touching two declared tables in opposite orders (a round's
    edit page saving the round then its agenda rows; deleting another round, which deletes its
    agenda items first, then the round) deadlock, and one of them fails."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    first, second = RoundFactory(), RoundFactory()
    item_one = AgendaItemFactory(round=first)
    item_two = AgendaItemFactory(round=second)
    barrier = threading.Barrier(2, timeout=20)
    errors = []

    def edit(round_pk, item_pk, rounds_first):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '10s'")
                if rounds_first:
                    Round.objects.filter(pk=round_pk).update(cities="Edited")
                else:
                    AgendaItem.objects.filter(pk=item_pk).update(title="Edited")
                barrier.wait()
                if rounds_first:
                    AgendaItem.objects.filter(pk=item_pk).update(title="Edited")
                else:
                    Round.objects.filter(pk=round_pk).update(cities="Edited")
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=(first.pk, item_one.pk, True)),
        threading.Thread(target=edit, args=(second.pk, item_two.pk, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_a_writer_of_one_record_does_not_wait_for_a_writer_of_another():
    """The same row lock: an import or a long save holding one agenda item's transaction open
    makes every other edit of any agenda item wait (here: time out) until it commits."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    one, two = AgendaItemFactory(), AgendaItemFactory()
    holding, done = threading.Event(), threading.Event()

    def long_writer():
        try:
            with transaction.atomic():
                AgendaItem.objects.filter(pk=one.pk).update(title="Slow import")
                holding.set()
                done.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_writer)
    thread.start()
    try:
        assert holding.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            AgendaItem.objects.filter(pk=two.pk).update(title="Quick edit")
    finally:
        done.set()
        thread.join(30)


# -- edges that held ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
@pytest.mark.parametrize("name", list(report_pages({"round": type("R", (), {"pk": 1})})))
def test_no_canary_reaches_a_lower_reader_after_a_higher_one(client, make_user, name):
    world = mixed_world()
    url = report_pages(world)[name]
    client.force_login(make_user("high", ROLES, clearance=PB))
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept
    for username, roles, clearance in [
        ("low", ROLES, UNCLASSIFIED),
        ("mid", ROLES, SecurityMarking.PROTECTED_A),
        ("nocase", ("officer", "analyst", "planner"), PB),
    ]:
        client.force_login(make_user(username, roles, clearance=clearance))
        response = client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200
        if clearance != PB:
            assert HIDDEN not in response.text, (username, name)
        assert HIDDEN_CASE not in response.text, (username, name)


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_superuser_report_is_not_served_to_a_reader_with_the_same_roles(client, make_user):
    world = mixed_world()
    board = reverse("followup:board")
    super_ = make_user("root", ROLES, clearance=UNCLASSIFIED, is_superuser=True)
    client.force_login(super_)
    assert HIDDEN in client.get(board).text
    client.force_login(make_user("low", ROLES, clearance=UNCLASSIFIED))
    assert HIDDEN not in client.get(board).text
    assert world


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_reader_whose_clearance_is_lowered_is_not_served_the_report_kept_before(
    client, make_user
):
    mixed_world()
    user = make_user("rhea", ROLES, clearance=PB)
    client.force_login(user)
    board = reverse("followup:board")
    assert HIDDEN in client.get(board).text
    user.clearance = UNCLASSIFIED
    user.save()
    assert HIDDEN not in client.get(board).text
    user.groups.clear()
    assert client.get(board).status_code == 403


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_case_officer_who_loses_the_role_is_not_served_the_cases(client, make_user):
    world = mixed_world()
    user = make_user("rhea", ROLES, clearance=PB)
    client.force_login(user)
    briefing = reverse("reports:round_briefing", args=[world["round"].pk])
    assert HIDDEN_CASE in client.get(briefing).text
    user.groups.remove(*user.groups.filter(name="Case officers"))
    assert HIDDEN_CASE not in client.get(briefing).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_permission_granted_directly_is_not_served_to_a_reader_without_it(client, make_user):
    build_world()
    board = reverse("followup:board")
    new_project = reverse("followup:project_create")
    granted = make_user("granted", "analyst", clearance=PB)
    granted.user_permissions.add(Permission.objects.get(codename="add_followupproject"))
    client.force_login(granted)
    assert new_project in client.get(board).text
    client.force_login(make_user("plain", "analyst", clearance=PB))
    assert new_project not in client.get(board).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_nothing_of_the_builder_reaches_the_next_reader(client, make_user):
    """No user name, form token or nonce of the reader who built the report is kept."""
    world = build_world()
    builder = make_user("builder-zanzibar", ROLES, clearance=PB, first_name="Zanzibar")
    client.force_login(builder)
    first = {name: client.get(url).text for name, url in report_pages(world).items()}
    client.force_login(make_user("reader", ROLES, clearance=PB))
    for name, url in report_pages(world).items():
        again = client.get(url)
        body = main(again)
        assert "zanzibar" not in body.lower(), name
        nonce = re.search(r'nonce="([^"]+)"', first[name])
        if nonce:
            assert nonce.group(1) not in again.text, name


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
@pytest.mark.parametrize(
    ("name", "write", "expected"),
    [
        (
            "board",
            lambda w: (
                w["organization"]
                .__class__.objects.filter(pk=w["organization"].pk)
                .update(name="Agency renamed")
            ),
            "Agency renamed",
        ),
        (
            "dashboard",
            lambda w: FollowUpAction.objects.filter(pk=w["followupaction"].pk).update(
                title="Overdue renamed", status="open", completed_on=None
            ),
            "Overdue renamed",
        ),
        (
            "continuity",
            lambda w: Topic.objects.filter(pk=w["topic"].pk).update(name="Topic renamed"),
            "Topic renamed",
        ),
        (
            "overlap",
            lambda w: Topic.objects.filter(pk=w["topic"].pk).update(name="Topic renamed"),
            None,
        ),
        (
            "translation_gap",
            lambda w: w["material"].__class__.objects.filter(pk=w["material"].pk).delete(),
            None,
        ),
    ],
)
def test_a_write_by_a_bulk_update_builds_the_report_again(
    client, make_user, report_builds, name, write, expected
):
    """A write that sends no signal (a queryset's update or delete) still builds it again."""
    world = build_world()
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    url = report_pages(world)[name]
    client.get(url)
    write(world)
    after = main(client.get(url))
    assert built_names(report_builds) == [name, name]
    if expected:
        assert expected in after


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_topic_added_to_a_project_from_the_topic_side_builds_coverage_again(
    client, make_user, report_builds
):
    world = build_world()
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    coverage = reverse("reports:coverage") + "?dialogue="
    client.get(coverage)
    topic = TopicFactory(name="Newly covered")
    topic.projects.add(world["followupproject"])  # the reverse side of the relation
    client.get(coverage)
    assert built_names(report_builds) == ["coverage", "coverage"]


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_an_assignee_renamed_in_the_admin_is_shown_on_the_kept_dashboard(
    client, make_user, admin_client, administrator
):
    world = build_world()
    assignee = make_user("assignee", "officer", first_name="Old", last_name="Name")
    FollowUpAction.objects.filter(pk=world["followupaction"].pk).update(
        status="open", completed_on=None, assignee=assignee
    )
    from django.test import Client

    reader = Client()
    reader.force_login(make_user("rhea", ROLES, clearance=PB))
    assert "Old Name" in reader.get(reverse("dashboard")).text
    assignee.first_name = "Renamed"
    assignee.save()
    assert "Renamed Name" in reader.get(reverse("dashboard")).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_french_name_written_through_the_api_is_shown_on_the_french_board(client, make_user):
    world = build_world()
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    board = "/fr" + reverse("followup:board")
    client.get(board)
    project = world["followupproject"]
    response = client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"title_fr": "Projet renommé par l'API", "version": project.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert "Projet renommé par l" in client.get(board).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_deleted_project_leaves_the_board_through_the_admin(admin_client):
    project = FollowUpProjectFactory(title="Doomed project")
    board = reverse("followup:board")
    assert "Doomed project" in admin_client.get(board).text
    response = admin_client.post(
        f"/admin/followup/followupproject/{project.pk}/delete/",
        {"post": "yes", "expected_version": project.version},
    )
    assert response.status_code in (302, 200)
    assert "Doomed project</a>" not in admin_client.get(board).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
@pytest.mark.parametrize("name", ["briefing", "board", "dashboard"])
def test_a_report_served_as_kept_is_marked_and_logged_as_when_built(client, make_user, name):
    world = mixed_world()
    url = report_pages(world)[name]
    for username, clearance in [("high", PB), ("low", UNCLASSIFIED)]:
        client.force_login(make_user(username, ROLES, clearance=clearance))
        before = AccessLogEntry.objects.count()
        first = client.get(url)
        logged_first = list(
            AccessLogEntry.objects.order_by("pk")[before:].values_list("records", "object_repr")
        )
        middle = AccessLogEntry.objects.count()
        with CaptureQueriesContext(connection):
            again = client.get(url)
        logged_again = list(
            AccessLogEntry.objects.order_by("pk")[middle:].values_list("records", "object_repr")
        )
        assert first[MARKING_HEADER] == again[MARKING_HEADER], (username, name)
        assert logged_first == logged_again, (username, name)
        if clearance != PB:
            assert first[MARKING_HEADER] != PB
            assert not logged_again


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_the_query_string_and_the_language_prefix_key_the_report(client, make_user):
    world = build_world()
    other = RoundFactory()
    client.force_login(make_user("rhea", ROLES, clearance=PB))
    dashboard = reverse("dashboard")
    mine = main(client.get(f"{dashboard}?dialogue={world['dialogue'].slug}"))
    theirs = main(client.get(f"{dashboard}?dialogue={other.dialogue.slug}"))
    assert mine != theirs
    french = main(client.get(f"/fr{dashboard}?dialogue={world['dialogue'].slug}"))
    assert french != mine
    # A parameter repeated: the view reads the last one, and the key holds them both.
    both = main(
        client.get(f"{dashboard}?dialogue={other.dialogue.slug}&dialogue={world['dialogue'].slug}")
    )
    assert f'value="{world["dialogue"].slug}" selected' in both


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_hidden_organization_name_is_not_in_a_kept_filter(client, make_user):
    """The board's filters name every lead agency: organizations are open to all, so the same
    list is right for every reader (no record hidden by marking)."""
    OrganizationFactory(name="Open agency")
    assert Organization.objects.exists()
    FollowUpProjectFactory(title=f"{HIDDEN} led", security_marking=PB)
    client.force_login(make_user("high", ROLES, clearance=PB))
    client.get(reverse("followup:board"))
    client.force_login(make_user("low", ROLES, clearance=UNCLASSIFIED))
    assert HIDDEN not in client.get(reverse("followup:board")).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_hidden_action_on_the_dashboard_is_not_served_to_a_lower_reader(client, make_user):
    round_ = RoundFactory()
    FollowUpActionFactory(round=round_, title=f"{HIDDEN} overdue", security_marking=PB)
    client.force_login(make_user("high", ROLES, clearance=PB))
    assert HIDDEN in client.get(reverse("dashboard")).text
    client.force_login(make_user("low", ROLES, clearance=UNCLASSIFIED))
    assert HIDDEN not in client.get(reverse("dashboard")).text


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_after_commit")
def test_a_hidden_rounds_kept_briefing_is_not_served_to_a_lower_reader(client, make_user):
    world = mixed_world()
    url = reverse("reports:round_briefing", args=[world["hidden_round"].pk])
    client.force_login(make_user("high", ROLES, clearance=PB))
    assert client.get(url).status_code == 200
    client.force_login(make_user("low", ROLES, clearance=UNCLASSIFIED))
    response = client.get(url)
    assert response.status_code == 404
    assert HIDDEN not in response.text
