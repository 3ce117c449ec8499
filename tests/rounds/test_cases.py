"""Cases of concern: the list, a case's raisings and answers, answers by round, duplicates."""

import datetime

import pytest

from reports import case_answers as selectors
from rounds.models import CaseOfConcern, Round
from rounds.models.cases import name_key
from tests.rounds.factories import CaseOfConcernFactory, CaseRaisingFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_officer(make_user):
    return make_user("cora", "case_officer", clearance="protected_b")


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


def raise_case(case, round_, response="none", days=None):
    date = round_.end_date + datetime.timedelta(days=days) if days is not None else None
    return CaseRaisingFactory(case=case, round=round_, response=response, response_date=date)


def test_answers_by_round_count_median_days_and_releases(case_officer):
    round_ = RoundFactory(start_date=datetime.date(2003, 2, 1), end_date=datetime.date(2003, 2, 3))
    raise_case(CaseOfConcernFactory(), round_, "information", days=10)
    raise_case(CaseOfConcernFactory(), round_, "release_reported", days=30)
    raise_case(CaseOfConcernFactory(), round_, "acknowledged", days=100)
    raise_case(CaseOfConcernFactory(), round_)
    (row,) = selectors.case_answers(Round.objects.all(), user=case_officer)
    assert (row.raised, row.answered, row.rate, row.median_days, row.releases) == (
        4,
        3,
        75,
        30,
        1,
    )


def test_the_list_filters_by_dialogue_and_times_raised(officer_client):
    first, second = RoundFactory(), RoundFactory()
    twice = CaseOfConcernFactory(name="Raised twice")
    raise_case(twice, first)
    raise_case(twice, second)
    raise_case(CaseOfConcernFactory(name="Raised once"), first)
    page = officer_client.get("/cases/?raised_at_least=2").text
    assert "Raised twice" in page and "Raised once" not in page
    other = officer_client.get(f"/cases/?dialogue={second.dialogue.slug}").text
    assert "Raised twice" in other and "Raised once" not in other
    csv = officer_client.get("/cases/?format=csv").content.decode()
    assert "Raised twice" in csv.splitlines()[2] or "Raised twice" in csv


def test_a_case_page_shows_each_raising_with_its_answer(officer_client):
    round_ = RoundFactory(end_date=datetime.date(2003, 2, 3), start_date=datetime.date(2003, 2, 1))
    case = CaseOfConcernFactory(name="Wang Dan", name_zh="王丹")
    raise_case(case, round_, "information", days=12)
    page = officer_client.get(f"/cases/{case.pk}/").text
    assert "王丹" in page
    assert "Information provided" in page
    assert ">12<" in page


@pytest.mark.parametrize("role", ["analyst", "officer", "planner"])
def test_no_other_role_sees_a_trace_of_cases(client, make_user, role):
    case = CaseOfConcernFactory(name="Canary Case")
    raise_case(case, RoundFactory())
    client.force_login(make_user("u", role, clearance="protected_b"))
    for url in ("/cases/", "/cases/answers/", f"/cases/{case.pk}/"):
        assert client.get(url).status_code == 403, url
    dashboard = client.get("/").text
    assert "/cases/" not in dashboard
    assert "Answers on cases" not in dashboard
    assert "Canary Case" not in client.get("/search/?q=Canary").text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Wang Dan", "wang  dan"),
        ("Wang Dan", "Dan Wang"),
        ("Rebiya Kadeer", "KADEER, Rebiya"),
        ("王丹", "王丹"),
        ("\uff37\uff41\uff4e\uff47 \uff24\uff41\uff4e", "Wang Dan"),
    ],
)
def test_names_match_loosely(a, b):
    assert name_key(a) == name_key(b)


def test_a_probable_duplicate_is_found_by_name_characters_or_alias():
    existing = CaseOfConcernFactory(name="Xu Wenli", name_zh="徐文立", aliases="Hsu Wen-li")
    assert CaseOfConcern(name="Someone", name_zh="徐文立").probable_duplicates() == [existing]
    assert CaseOfConcern(name="Wenli Xu").probable_duplicates() == [existing]
    assert CaseOfConcern(name="Hsu Wen-li").probable_duplicates() == [existing]
    assert CaseOfConcern(name="Somebody Else").probable_duplicates() == []
    assert existing.probable_duplicates() == []


def test_entering_a_probable_duplicate_warns_before_saving(client, make_user):
    CaseOfConcernFactory(name="Xu Wenli", name_zh="徐文立")
    # Cases are entered in the admin, so by a Case officer who is also an Administrator.
    staff = make_user("cora", ("case_officer", "administrator"), clearance="protected_b")
    client.force_login(staff)
    data = {
        "name": "Wenli Xu",
        "name_zh": "",
        "aliases": "",
        "province": "",
        "category": "political",
        "detention_type": "prison",
        "status": "detained",
        "security_marking": "protected_b",
        "raisings-TOTAL_FORMS": "0",
        "raisings-INITIAL_FORMS": "0",
    }
    url = "/admin/rounds/caseofconcern/add/"
    warned = client.post(url, data)
    assert warned.status_code == 200
    assert "This may be the same person as: Xu Wenli (徐文立)" in warned.text
    assert CaseOfConcern.objects.count() == 1
    saved = client.post(url, {**data, "different_person": "on"})
    assert saved.status_code == 302
    assert CaseOfConcern.objects.count() == 2
