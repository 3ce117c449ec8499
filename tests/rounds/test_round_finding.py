"""Finding a round: one rule (Round.objects.matching) behind every round picker, list search
and lookup, tried on the reference data (the Canada–China dialogue's name has an en dash)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.lookups import LookupField, LookupMultipleField, label
from core.models import SecurityMarking
from demo.reference import reference_data_load
from rounds.models import Dialogue, Round
from rounds.models.dialogues import RoundQuery
from tests.rounds.factories import DialogueFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker):
    """The reference data, and round 10 of the Canada–China dialogue as an officer adds it:
    loaded once for the module (each test's changes are undone after it), undone at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        RoundFactory(
            dialogue=Dialogue.objects.get(slug="canada-china-jchr"),
            number=10,
            start_date=datetime.date(2006, 10, 9),
            end_date=datetime.date(2006, 10, 10),
            cities="Beijing",
            host_country="CN",
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def jchr(reference):
    return Dialogue.objects.get(slug="canada-china-jchr")


def round_of(dialogue, number) -> Round:
    return dialogue.rounds.get(number=number)


class TestTheRule:
    @pytest.mark.parametrize(
        ("text", "numbers", "years", "words"),
        [
            ("10", {10}, set(), ()),
            ("round 10", {10}, set(), ()),
            ("R10", {10}, set(), ()),
            ("r 10", {10}, set(), ()),
            ("séance 10", {10}, set(), ()),
            ("10e séance", {10}, set(), ()),
            ("10th round", {10}, set(), ()),
            ("no. 10", {10}, set(), ()),
            ("#10", {10}, set(), ()),
            ("\uff11\uff10", {10}, set(), ()),  # full-width digits
            ("2005", set(), {2005}, ()),
            ("Canada-China 2005", set(), {2005}, ("canada", "china")),
            ("Canada–China", set(), set(), ("canada", "china")),
            ("JCHR round 9", {9}, set(), ("jchr",)),
            ("Comité mixte", set(), set(), ("comite", "mixte")),
        ],
    )
    def test_it_reads_numbers_years_and_words(self, text, numbers, years, words):
        query = RoundQuery.parse(text)
        assert (set(query.numbers), set(query.years), query.words) == (numbers, years, words)

    @pytest.mark.parametrize("text", ["99999", "round 9 10", "2004 2005", str(2**63)])
    def test_it_finds_nothing_for_what_no_round_can_be(self, text):
        RoundFactory(number=9, start_date=datetime.date(2004, 1, 1))
        assert RoundQuery.parse(text).impossible
        assert not Round.objects.matching(text).exists()

    def test_an_empty_text_keeps_every_round(self):
        RoundFactory()
        assert Round.objects.matching("  ").count() == 1


class TestOnTheReferenceData:
    @pytest.mark.parametrize(
        "text", ["10", "round 10", "R10", "r10", "Round 10", "séance 10", "seance 10", "10th"]
    )
    def test_a_round_is_found_by_its_number_however_typed(self, jchr, text):
        found = set(Round.objects.matching(text))
        assert round_of(jchr, 10) in found
        assert {r.number for r in found} == {10}

    def test_a_year_finds_the_rounds_that_started_in_it(self, jchr):
        found = set(Round.objects.matching("2005"))
        assert round_of(jchr, 9) in found
        assert {r.start_date.year for r in found} == {2005}
        assert len({r.dialogue_id for r in found}) > 1  # not only the Canada–China rounds

    @pytest.mark.parametrize(
        "text",
        [
            "Canada-China",  # a hyphen for the stored en dash
            "Canada–China",
            "Canada—China",  # an em dash
            "canada china",
            "CANADA CHINA",
            "Canada-Chine",  # the French name, whose accents and hyphen are optional too
            "Comité mixte",
            "comite mixte",
            "JCHR",
            "jchr",
            "中加人权",
        ],
    )
    def test_the_dialogues_names_match_without_case_accents_or_punctuation(self, jchr, text):
        assert set(Round.objects.matching(text)) == set(jchr.rounds.all())

    @pytest.mark.parametrize(
        ("text", "number"),
        [
            ("Canada-China 2005", 9),
            ("JCHR round 9", 9),
            ("Canada–China R10", 10),
            ("séance 10 Canada-Chine", 10),
            ("canada china 2006", 10),
            ("Canada-China Beijing 2006", 10),  # the round's city narrows too
        ],
    )
    def test_combined_text_narrows_by_every_part(self, jchr, text, number):
        assert list(Round.objects.matching(text)) == [round_of(jchr, number)]

    @pytest.mark.parametrize("text", ["Canada-China 1990", "Canada-China round 99", "Atlantis"])
    def test_what_names_no_round_finds_none(self, jchr, text):
        assert not Round.objects.matching(text).exists()

    def test_other_dialogues_are_told_apart(self, jchr):
        eu = Dialogue.objects.get(slug="eu-china")
        assert list(Round.objects.matching("EU-China 2011")) == [round_of(eu, 30)]
        assert set(Round.objects.matching("UE-Chine")) == set(eu.rounds.all())


def ids(rounds) -> set[int]:
    return {r.pk for r in rounds}


class TestEveryPathFindsTheSame:
    """The lookup boxes, the round list (and its API), the site-wide search, the admin's list
    and its autocomplete for round fields, and the lookup fields of the forms."""

    TEXTS = ["Canada-China 2005", "JCHR round 9", "canada–china r9"]

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_lookup_suggests_it(self, jchr, analyst_client, text):
        response = analyst_client.get("/lookup/round/", {"q": text})
        assert response.json()["results"] == [label(round_of(jchr, 9))]

    def test_the_lookup_takes_a_single_digit_and_suggests_the_newest_first(
        self, jchr, analyst_client
    ):
        results = analyst_client.get("/lookup/round/", {"q": "9"}).json()["results"]
        found = Round.objects.filter(number=9).order_by("-start_date")
        assert results == [label(r) for r in found]

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_round_list_keeps_it(self, jchr, analyst_client, text):
        response = analyst_client.get("/rounds/", {"q": text})
        assert ids(response.context["filter"].qs) == {round_of(jchr, 9).pk}
        assert str(round_of(jchr, 9)) in response.text

    def test_the_round_list_says_what_may_be_typed(self, analyst_client):
        response = analyst_client.get("/rounds/")
        assert "A number (10, round 10, R10), a year" in response.text

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_api_round_list_keeps_it(self, jchr, analyst_client, text):
        response = analyst_client.get("/api/v1/rounds/", {"q": text})
        assert [row["id"] for row in response.json()["results"]] == [round_of(jchr, 9).pk]

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_site_wide_search_finds_it(self, jchr, analyst_client, text):
        response = analyst_client.get("/search/", {"q": text})
        groups = {group.label: group for group in response.context["groups"]}
        assert [obj for obj, _url, _text, _context in groups["Rounds"].results] == [
            round_of(jchr, 9)
        ]

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_admin_list_finds_it(self, jchr, admin_client, text):
        response = admin_client.get("/admin/rounds/round/", {"q": text})
        assert ids(response.context["cl"].result_list) == {round_of(jchr, 9).pk}

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_admins_round_fields_find_it(self, jchr, admin_client, text):
        response = admin_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "followup",
                "model_name": "followupaction",
                "field_name": "round",
                "term": text,
            },
        )
        assert [row["id"] for row in response.json()["results"]] == [str(round_of(jchr, 9).pk)]

    @pytest.mark.parametrize("text", TEXTS)
    def test_a_lookup_field_reads_it_back(self, jchr, text):
        assert LookupField(Round.objects.all()).clean(text) == round_of(jchr, 9)

    def test_a_lookup_field_reads_a_suggestion_typed_without_its_number(self, jchr):
        ninth = round_of(jchr, 9)
        field = LookupMultipleField(Round.objects.all())
        found = field.clean(f"{ninth}; Canada-China round 10")
        assert set(found) == {ninth, round_of(jchr, 10)}

    def test_a_lookup_field_says_when_the_text_names_several_or_none(self, jchr):
        field = LookupField(Round.objects.all())
        with pytest.raises(Exception, match="More than one record matches “Canada-China”"):
            field.clean("Canada-China")
        with pytest.raises(Exception, match="Nothing you may see matches “Canada-China 1990”"):
            field.clean("Canada-China 1990")

    def test_an_action_form_takes_a_round_typed_by_its_dialogue_and_number(
        self, jchr, client, make_user
    ):
        from followup.forms import ActionForm

        planner = make_user("pat", "planner", clearance="protected_b")
        form = ActionForm(
            data={
                "title": "Send the texts",
                "round": "Canada–China JCHR round 9",
                "due_date": "2006-01-15",
                "status": "open",
                "security_marking": "unclassified",
            },
            user=planner,
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["round"] == round_of(jchr, 9)


class TestScoping:
    @pytest.fixture
    def hidden(self):
        dialogue = DialogueFactory(name="Atlantis–China Dialogue", acronym="ACD")
        return RoundFactory(
            dialogue=dialogue, number=3, security_marking=SecurityMarking.PROTECTED_B
        )

    def test_a_round_above_the_readers_clearance_is_found_nowhere(self, hidden, client, make_user):
        reader = make_user("rita", "analyst", clearance=SecurityMarking.PROTECTED_A)
        client.force_login(reader)
        text = "Atlantis-China round 3"
        assert client.get("/lookup/round/", {"q": text}).json() == {"results": []}
        assert not client.get("/rounds/", {"q": text}).context["filter"].qs.exists()
        assert client.get("/api/v1/rounds/", {"q": text}).json()["results"] == []
        assert client.get("/search/", {"q": text}).context["groups"] == []

    def test_the_reader_cleared_for_it_finds_it(self, hidden, analyst_client):
        response = analyst_client.get("/lookup/round/", {"q": "Atlantis-China round 3"})
        assert response.json()["results"] == [label(hidden)]


def count_queries(client, url, params) -> int:
    client.get(url, params)  # warm per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/lookup/round/", "/rounds/", "/api/v1/rounds/", "/search/"])
def test_the_query_count_does_not_grow_with_dialogues_or_rounds(analyst_client, url):
    dialogue = DialogueFactory(name="Canada–China Joint Committee", acronym="JCHR")
    RoundFactory(dialogue=dialogue, number=9, start_date=datetime.date(2005, 10, 1))
    params = {"q": "Canada-China 2005 round 9"}
    small = count_queries(analyst_client, url, params)
    for n in range(5):
        more = DialogueFactory(name=f"Canada–China Dialogue {n}")
        for number in range(1, 4):
            RoundFactory(dialogue=more, number=number, start_date=datetime.date(2005, 1, number))
    large = count_queries(analyst_client, url, params)
    assert small == large, f"{url}: {small} queries, then {large}"
