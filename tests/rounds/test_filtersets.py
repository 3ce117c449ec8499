"""Each filter parameter keeps what it should and drops the rest."""

import datetime

import pytest
from django.test import RequestFactory

from rounds.filtersets import RoundFilterSet, TopicFilterSet
from rounds.models import Round, Topic
from tests.rounds.factories import AgendaItemFactory, DialogueFactory, RoundFactory, TopicFactory

pytestmark = pytest.mark.django_db


def filtered(filterset_class, queryset, **params):
    filterset = filterset_class(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


class TestRoundFilterSet:
    @pytest.fixture
    def rounds(self):
        jchr = DialogueFactory(slug="canada-china-jchr", name="Canada–China JCHR")
        eu = DialogueFactory(slug="eu-china", name="EU–China")
        return {
            "ottawa": RoundFactory(
                dialogue=jchr, start_date=datetime.date(2000, 10, 1), cities="Ottawa"
            ),
            "beijing": RoundFactory(
                dialogue=jchr,
                start_date=datetime.date(2004, 10, 1),
                cities="Beijing",
                host_country="CN",
            ),
            "brussels": RoundFactory(
                dialogue=eu,
                start_date=datetime.date(2012, 5, 1),
                cities="Brussels",
                host_country="BE",
                status=Round.Status.HELD,
            ),
        }

    def test_q_matches_cities_and_dialogue_names(self, rounds):
        assert filtered(RoundFilterSet, Round.objects.all(), q="beij") == {rounds["beijing"]}
        assert filtered(RoundFilterSet, Round.objects.all(), q="EU–China") == {rounds["brussels"]}

    def test_dialogue_keeps_the_chosen_dialogues_by_slug(self, rounds):
        kept = filtered(RoundFilterSet, Round.objects.all(), dialogue=["canada-china-jchr"])
        assert kept == {rounds["ottawa"], rounds["beijing"]}

    def test_years_bound_the_start_date(self, rounds):
        kept = filtered(RoundFilterSet, Round.objects.all(), year_from=2001, year_to=2010)
        assert kept == {rounds["beijing"]}

    def test_host_country(self, rounds):
        assert filtered(RoundFilterSet, Round.objects.all(), host_country="BE") == {
            rounds["brussels"]
        }

    def test_status(self, rounds):
        rounds["ottawa"].status = Round.Status.CANCELLED
        rounds["ottawa"].save()
        assert filtered(RoundFilterSet, Round.objects.all(), status="cancelled") == {
            rounds["ottawa"]
        }

    def test_topic_keeps_rounds_that_raised_it_once_each(self, rounds):
        religion = TopicFactory(slug="freedom-of-religion")
        AgendaItemFactory(round=rounds["ottawa"], topics=[religion])
        AgendaItemFactory(round=rounds["ottawa"], topics=[religion])
        kept = RoundFilterSet({"topic": "freedom-of-religion"}, queryset=Round.objects.all()).qs
        assert list(kept) == [rounds["ottawa"]]

    def test_an_unknown_dialogue_is_an_error_on_the_field(self, rounds):
        filterset = RoundFilterSet({"dialogue": ["nope"]}, queryset=Round.objects.all())
        assert not filterset.is_valid()
        assert "dialogue" in filterset.errors

    def test_a_year_that_is_not_a_number_is_an_error_on_the_field(self, rounds):
        filterset = RoundFilterSet({"year_from": "abc"}, queryset=Round.objects.all())
        assert not filterset.is_valid()
        assert "year_from" in filterset.errors


class TestTopicFilterSet:
    def test_q_searches_every_language_and_the_aliases(self):
        iccpr = TopicFactory(
            name="International Covenant on Civil and Political Rights",
            name_fr="Pacte international relatif aux droits civils et politiques",
            name_zh="公民权利和政治权利国际公约",
            aliases="ICCPR",
        )
        TopicFactory(name="Labour rights")
        for term in ("Covenant", "Pacte", "政治权利", "iccpr"):
            assert filtered(TopicFilterSet, Topic.objects.all(), q=term) == {iccpr}

    def test_category(self):
        religion = TopicFactory(category=Topic.Category.RELIGION)
        TopicFactory(category=Topic.Category.JUSTICE)
        assert filtered(TopicFilterSet, Topic.objects.all(), category="religion") == {religion}

    def test_dialogue_keeps_topics_its_rounds_raised(self):
        raised = TopicFactory()
        other = TopicFactory()
        item = AgendaItemFactory(round=RoundFactory(dialogue=DialogueFactory(slug="eu-china")))
        item.topics.set([raised])
        AgendaItemFactory(topics=[other])
        assert filtered(TopicFilterSet, Topic.objects.all(), dialogue=["eu-china"]) == {raised}


class TestHostCountryChoices:
    """The host country filter offers the countries that hosted a round the reader may see."""

    def choices(self, user, **params):
        request = RequestFactory().get("/rounds/", params)
        request.user = user
        filterset = RoundFilterSet(request.GET, queryset=Round.objects.all(), request=request)
        return [value for value, _label in filterset.form.fields["host_country"].choices]

    def test_only_hosts_of_rounds_the_reader_may_see(self, make_user):
        RoundFactory(host_country="CN")
        RoundFactory(host_country="BE")
        RoundFactory(host_country="NO", security_marking="protected_b")
        reader = make_user("reader", "analyst", clearance="protected_a")
        assert self.choices(reader) == ["", "BE", "CN"]

    def test_the_country_asked_for_stays_a_choice(self, make_user):
        RoundFactory(host_country="CN")
        reader = make_user("reader", "analyst", clearance="protected_a")
        assert "FJ" in self.choices(reader, host_country="FJ")
        request = RequestFactory().get("/rounds/", {"host_country": "FJ"})
        request.user = reader
        filterset = RoundFilterSet(request.GET, queryset=Round.objects.all(), request=request)
        assert filterset.is_valid() and list(filterset.qs) == []


@pytest.mark.parametrize(
    "query",
    [
        "host_country=%3Cscript%3E",
        "host_country=zz",
        "host_country=cn",
        "host_country=" + "A" * 5000,
        "host_country=CN&host_country=NO&host_country=%3Cb%3E",
        "host_country=",
    ],
)
def test_odd_host_countries_are_refused_or_find_nothing_never_an_error(client, make_user, query):
    RoundFactory(host_country="CN")
    client.force_login(make_user("reader", "analyst", clearance="protected_a"))
    for url in ("/rounds/", "/fr/rounds/"):
        for suffix in ("", "&format=csv"):
            response = client.get(f"{url}?{query}{suffix}")
            assert response.status_code == 200, (url, query, suffix)
            assert "<script>" not in response.content.decode()
    assert client.get(f"/api/v1/rounds/?{query}").status_code in (200, 400)
    assert client.get("/rounds/?host_country=C%00N").status_code == 400
