"""The admin's list filters and the duplicate-case warning name no record the user may not see."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from core.access import visible
from rounds.models import CaseOfConcern
from tests.followup.factories import (
    BenchmarkEventFactory,
    BenchmarkFactory,
    FollowUpActionFactory,
)
from tests.rounds.factories import CaseOfConcernFactory, DialogueFactory, RoundFactory
from tests.stakeholders.factories import DelegationFactory
from tests.world import build_world

pytestmark = pytest.mark.django_db

CANARY = "Canary benchmark 7f3a"
OUR_APPS = {"rounds", "stakeholders", "followup"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
    key=lambda model: model._meta.label,
)


@pytest.fixture
def uncleared_admin_client(client, make_user):
    """An Administrator cleared Unclassified, not a Case officer, not a superuser."""
    client.force_login(make_user("ursula", "administrator", is_staff=True))
    return client


def test_the_benchmark_filter_names_only_visible_benchmarks(uncleared_admin_client):
    BenchmarkFactory(name=CANARY, security_marking="protected_b")
    BenchmarkEventFactory(benchmark=BenchmarkFactory(name="Open benchmark"))
    response = uncleared_admin_client.get(reverse("admin:followup_benchmarkevent_changelist"))
    assert response.status_code == 200
    assert "Open benchmark" in response.text
    assert CANARY not in response.text


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_relation_filter_offers_only_visible_records(
    uncleared_admin_client, make_user, model
):
    build_world()
    hidden = BenchmarkFactory(name=CANARY, security_marking="protected_b")
    BenchmarkEventFactory(benchmark=hidden, security_marking="protected_b")
    user = make_user("viewer", "administrator", is_staff=True)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = uncleared_admin_client.get(url)
    assert response.status_code == 200
    for spec in response.context["cl"].filter_specs:
        if isinstance(spec, admin.RelatedFieldListFilter):
            related = spec.field.related_model
            offered = {str(pk) for pk, _label in spec.lookup_choices}
            allowed = {str(pk) for pk in visible(related, user).values_list("pk", flat=True)}
            assert offered <= allowed, f"{model._meta.label} filter {spec.field_path}"
    assert CANARY not in response.text


def test_a_filter_along_a_path_matches_and_counts_only_through_visible_records(
    uncleared_admin_client, make_user
):
    """An Unclassified action of a Protected B round: filtering actions by dialogue would tell
    which dialogue the hidden round belongs to, by listing or counting the action."""
    dialogue = DialogueFactory(name="Canada–China")
    hidden_round = RoundFactory(dialogue=dialogue, security_marking="protected_b")
    action = FollowUpActionFactory(round=hidden_round, title="Send the report")
    FollowUpActionFactory(round=RoundFactory(dialogue=DialogueFactory(name="Other")))
    url = reverse("admin:followup_followupaction_changelist")
    assert "Send the report" in uncleared_admin_client.get(url).text  # the action is visible
    chosen = f"{url}?round__dialogue__id__exact={dialogue.pk}"
    response = uncleared_admin_client.get(chosen)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    faceted = uncleared_admin_client.get(f"{url}?_facets=True")
    (spec,) = [s for s in faceted.context["cl"].filter_specs if s.field_path == "round__dialogue"]
    counts = spec.get_facet_queryset(faceted.context["cl"])
    assert counts[f"{dialogue.pk}__c"] == 0
    # Someone cleared for the round finds the action through it.
    cleared = Client()
    cleared.force_login(make_user("clara", "administrator", is_staff=True, clearance="protected_b"))
    assert list(cleared.get(chosen).context["cl"].result_list) == [action]


@pytest.mark.parametrize(
    "lookup",
    [
        "round__dialogue={dialogue}",
        "round__dialogue__exact={dialogue}",
        "round__dialogue__in={dialogue}",
        "round__dialogue__id={dialogue}",
        "round__dialogue__pk={dialogue}",
        "round__dialogue__id__in={dialogue}",
        "round__dialogue__id__gte={dialogue}&round__dialogue__id__lte={dialogue}",
        "round__id__gte={round}&round__id__lte={round}",
        "round__gte={round}&round__lte={round}",
    ],
)
def test_no_other_lookup_through_a_hidden_record_tells_what_it_is_linked_to(
    uncleared_admin_client, make_user, lookup
):
    dialogue = DialogueFactory(name="Canada–China")
    hidden_round = RoundFactory(dialogue=dialogue, security_marking="protected_b")
    action = FollowUpActionFactory(round=hidden_round, title="Send the report")
    FollowUpActionFactory(round=RoundFactory(dialogue=DialogueFactory(name="Other")))
    query = lookup.format(dialogue=dialogue.pk, round=hidden_round.pk)
    url = f"{reverse('admin:followup_followupaction_changelist')}?{query}"
    response = uncleared_admin_client.get(url)
    assert response.status_code == 400  # as for any lookup the admin does not allow
    assert "Send the report" not in response.text
    # Those who see every round may look them up so.
    cleared = Client()
    cleared.force_login(make_user("clara", "administrator", is_staff=True, clearance="protected_b"))
    assert list(cleared.get(url).context["cl"].result_list) == [action]


def test_a_delegation_of_a_hidden_round_is_listed_under_the_placeholder(uncleared_admin_client):
    DialogueFactory(name="Other")  # two dialogues: the filter by dialogue is offered
    hidden_round = RoundFactory(security_marking="protected_b")
    DelegationFactory(round=hidden_round)
    response = uncleared_admin_client.get(reverse("admin:stakeholders_delegation_changelist"))
    assert response.status_code == 200
    assert "restricted record — restricted record" in response.text
    assert str(hidden_round) not in response.text


CASE_FORM = {
    "name_zh": "",
    "aliases": "",
    "province": "",
    "category": "political",
    "detention_type": "prison",
    "status": "detained",
    "security_marking": "unclassified",
    "raisings-TOTAL_FORMS": "0",
    "raisings-INITIAL_FORMS": "0",
}


@pytest.mark.parametrize(
    ("role", "clearance", "hidden_marking"),
    [
        (("case_officer", "administrator"), "protected_a", "protected_b"),  # above clearance
        ("administrator", "protected_b", "protected_a"),  # within it, but not a Case officer
    ],
)
def test_the_duplicate_warning_reveals_nothing_about_a_hidden_case(
    client, make_user, role, clearance, hidden_marking
):
    CaseOfConcernFactory(name="Xu Wenli", security_marking=hidden_marking)
    client.force_login(make_user("typist", role, is_staff=True, clearance=clearance))
    response = client.post(
        reverse("admin:rounds_caseofconcern_add"), {**CASE_FORM, "name": "Wenli Xu"}
    )
    assert "above your clearance" not in response.text
    assert "Xu Wenli" not in response.text
    assert "same person" not in response.text
    assert response.status_code == 302
    assert CaseOfConcern.objects.filter(name="Wenli Xu").exists()


def test_the_duplicate_warning_still_names_a_case_the_user_may_see(client, make_user):
    CaseOfConcernFactory(name="Xu Wenli", security_marking="protected_a")
    cora = make_user("cora", ("case_officer", "administrator"), clearance="protected_a")
    client.force_login(cora)
    response = client.post(
        reverse("admin:rounds_caseofconcern_add"), {**CASE_FORM, "name": "Wenli Xu"}
    )
    assert response.status_code == 200
    assert "This may be the same person as: Xu Wenli" in response.text
