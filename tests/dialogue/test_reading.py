"""What a request read: one access-log entry naming every Protected B record it showed, and
a security banner at the top and bottom of every page with the highest marking it showed."""

import re

import pytest
from django.urls import reverse

from core.models import AccessLogEntry, SecurityMarking
from core.reading import ORDER
from tests.rounds.factories import CaseOfConcernFactory, CaseRaisingFactory, RoundFactory

pytestmark = pytest.mark.django_db

PB, PA = SecurityMarking.PROTECTED_B, SecurityMarking.PROTECTED_A


@pytest.fixture
def officer(client, make_user):
    """A Case officer cleared to Protected B, also an Administrator so as to read the admin."""
    user = make_user("cora", ("case_officer", "administrator"), clearance=PB, is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def cases():
    """Two Protected B cases raised at an Unclassified round, and an Unclassified case."""
    round_ = RoundFactory()
    secret = [CaseOfConcernFactory(security_marking=PB) for _ in range(2)]
    for case in secret:
        CaseRaisingFactory(case=case, round=round_)
    open_case = CaseOfConcernFactory()
    return round_, secret, open_case


def the_one_entry() -> AccessLogEntry:
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 1, [entry.records for entry in entries]
    return entries[0]


def names_cases(entry, cases) -> bool:
    listed = re.search(r"rounds\.caseofconcern: ([\d, ]+)", entry.records)
    ids = {int(pk) for pk in listed.group(1).split(", ")} if listed else set()
    return {case.pk for case in cases} <= ids


def admin_export(client):
    url = reverse("admin:rounds_caseofconcern_export")
    form = client.get(url).text
    fields = set(re.findall(r'name="(\w+_\w+)"[^>]*type="checkbox"', form)) | set(
        re.findall(r'type="checkbox"[^>]*name="(\w+_\w+)"', form)
    )
    data = {"format": "0", "resource": "0", **dict.fromkeys(fields, "on")}
    return client.post(url, data)


BULK_READS = {
    "list": lambda client, world: client.get("/cases/"),
    "csv": lambda client, world: client.get("/cases/?format=csv"),
    "xlsx": lambda client, world: client.get("/cases/?format=xlsx"),
    "api list": lambda client, world: client.get("/api/v1/cases/"),
    "briefing": lambda client, world: client.get(f"/rounds/{world[0].pk}/briefing/"),
    "dialogue export": lambda client, world: client.get(
        f"/rounds/dialogues/{world[0].dialogue.slug}/export/"
    ),
    "admin changelist": lambda client, world: client.get("/admin/rounds/caseofconcern/"),
    "admin export": lambda client, world: admin_export(client),
}


@pytest.mark.parametrize("path", BULK_READS)
def test_a_bulk_read_of_protected_b_writes_one_entry_naming_every_record(officer, cases, path):
    response = BULK_READS[path](officer, cases)
    assert response.status_code == 200, response.content[:500]
    entry = the_one_entry()
    assert names_cases(entry, cases[1]), entry.records
    assert entry.username == "cora"


@pytest.mark.parametrize(
    "url",
    [
        lambda case: f"/api/v1/cases/{case.pk}/",
        lambda case: f"/cases/{case.pk}/",
        lambda case: f"/history/rounds/caseofconcern/{case.pk}/",
        lambda case: f"/admin/rounds/caseofconcern/{case.pk}/history/",
    ],
)
def test_reading_one_protected_b_record_writes_one_entry_naming_it(officer, url):
    case = CaseOfConcernFactory(security_marking=PB)
    assert officer.get(url(case)).status_code == 200
    entry = the_one_entry()
    assert entry.object_id == str(case.pk)
    assert names_cases(entry, [case])


def test_a_page_showing_no_protected_b_record_writes_none(officer):
    CaseOfConcernFactory(security_marking=PA)
    for url in ("/cases/", "/cases/?format=csv", "/api/v1/cases/", "/admin/rounds/caseofconcern/"):
        assert officer.get(url).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_a_reader_below_protected_b_writes_none(client, make_user, cases):
    client.force_login(make_user("ana", "case_officer", clearance=PA))
    assert client.get("/api/v1/cases/").status_code == 200
    assert not AccessLogEntry.objects.exists()


# -- the security banner ---------------------------------------------------------------------


def banners(response) -> list[str]:
    return re.findall(
        r'class="security-banner[^"]*"[^>]*><p>[^:<]*: ([^<]*)</p></aside>', response.text
    )


def test_the_briefing_pack_with_a_protected_b_case_is_marked_protected_b_top_and_bottom(
    officer, cases
):
    response = officer.get(f"/rounds/{cases[0].pk}/briefing/")
    assert banners(response) == ["Protected B", "Protected B"]
    assert "Security marking: Unclassified" not in response.text
    # Each section its own marking: only the cases are Protected B.
    sections = dict(
        re.findall(
            r'<section aria-labelledby="(\w+)">.*?class="section-marking">[^<]*?: ([^<]*)</p>',
            response.text,
            re.S,
        )
    )
    assert sections.pop("cases") == "Protected B"
    assert set(sections.values()) == {"Unclassified"}


def test_a_page_showing_only_unclassified_records_is_marked_unclassified(officer):
    round_ = RoundFactory(cities="Open city")
    RoundFactory(security_marking=PB, cities="Secret city")
    response = officer.get(f"/rounds/{round_.pk}/briefing/")
    assert banners(response) == ["Unclassified", "Unclassified"]
    assert banners(officer.get(f"/cases/?security_marking={PA}")) == ["Unclassified"] * 2


def test_a_list_is_marked_with_the_highest_marking_it_shows(officer):
    CaseOfConcernFactory(security_marking=PA)
    assert banners(officer.get("/cases/")) == ["Protected A", "Protected A"]
    CaseOfConcernFactory(security_marking=PB)
    assert banners(officer.get("/cases/")) == ["Protected B", "Protected B"]


def test_a_page_read_again_is_marked_and_logged_again(officer):
    CaseOfConcernFactory(security_marking=PB)
    for _ in range(2):
        assert banners(officer.get("/cases/")) == ["Protected B", "Protected B"]
    assert AccessLogEntry.objects.count() == 2


def test_the_banner_speaks_the_readers_language(officer):
    CaseOfConcernFactory(security_marking=PB)
    assert banners(officer.get("/fr/cases/")) == ["Protégé B", "Protégé B"]


def test_the_markings_order_matches_the_models():
    assert list(SecurityMarking.values) == ORDER
