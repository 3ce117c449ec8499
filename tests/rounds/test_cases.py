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


class TestReleaseReported:
    """After an answer reporting a release, the case's status can be brought up to date."""

    @pytest.fixture
    def reported(self):
        round_ = RoundFactory(
            start_date=datetime.date(2003, 2, 1), end_date=datetime.date(2003, 2, 3)
        )
        case = CaseOfConcernFactory(name="Wang Dan", status="detained")
        raise_case(case, round_, "release_reported", days=20)
        return case

    def test_the_case_page_offers_the_update_to_a_case_officer(self, officer_client, reported):
        page = officer_client.get(reported.get_absolute_url()).text
        assert "An answer reports this person" in page
        assert f"/cases/{reported.pk}/released/" in page

    def test_confirming_records_the_case_as_released(self, officer_client, case_officer, reported):
        confirm = officer_client.get(f"/cases/{reported.pk}/released/")
        assert confirm.status_code == 200
        assert "Record as released" in confirm.text
        response = officer_client.post(
            f"/cases/{reported.pk}/released/",
            {"expected_version": reported.version},
            follow=True,
        )
        reported.refresh_from_db()
        assert reported.status == CaseOfConcern.Status.RELEASED
        assert reported.updated_by == case_officer
        assert reported.history.first().status == "released"
        assert "is now recorded as released" in response.text
        assert "An answer reports this person" not in response.text

    def test_a_stale_confirmation_changes_nothing(self, officer_client, reported):
        version = reported.version
        reported.sentence = "Ten years"
        reported.save()  # someone else, meanwhile
        response = officer_client.post(
            f"/cases/{reported.pk}/released/", {"expected_version": version}, follow=True
        )
        reported.refresh_from_db()
        assert reported.status == CaseOfConcern.Status.DETAINED
        assert "Someone changed this case" in response.text
        assert "What they changed: sentence: “—” → “Ten years” (by" in response.text

    def test_only_case_officers_cleared_for_the_case_may_update_it(
        self, client, make_user, analyst, reported
    ):
        client.force_login(analyst)
        assert client.get(f"/cases/{reported.pk}/released/").status_code == 403
        assert client.post(f"/cases/{reported.pk}/released/").status_code == 403
        low = make_user("lou", "case_officer", clearance="protected_a")
        client.force_login(low)
        assert client.post(f"/cases/{reported.pk}/released/").status_code == 404
        reported.refresh_from_db()
        assert reported.status == CaseOfConcern.Status.DETAINED

    def test_saving_such_an_answer_in_data_entry_offers_the_update(
        self, client, make_user, reported
    ):
        officer = make_user("dora", "case_officer", clearance="protected_b", is_staff=True)
        client.force_login(officer)
        raising = reported.raisings.get()
        url = f"/admin/rounds/caseraising/{raising.pk}/change/"
        form = client.get(url).context["adminform"].form
        data = {name: form[name].value() for name in form.fields if form[name].value()}
        data["response_summary"] = "Released on medical parole."
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, response.context["adminform"].form.errors
        assert f'href="/cases/{reported.pk}/released/"' in response.text
