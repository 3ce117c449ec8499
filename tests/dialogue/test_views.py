"""Behaviour of the browsing pages: filters, invalid input, CSV, htmx fragments, search,
the dashboard."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import registry
from followup.models import FollowUpAction
from rounds.models import CaseRaising
from search.selectors import search
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseRaisingFactory,
    DialogueFactory,
    RoundFactory,
    TopicFactory,
)
from tests.stakeholders.factories import ConsultationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


class TestLists:
    def test_csv_exports_every_filtered_row_across_pages(self, analyst_client):
        jchr = DialogueFactory(slug="jchr")
        for i in range(30):
            RoundFactory(dialogue=jchr, start_date=datetime.date(1990 + i, 1, 1))
        RoundFactory(dialogue=DialogueFactory(slug="other"))
        page = analyst_client.get("/rounds/?dialogue=jchr")
        assert "30 results" in page.text
        rows = read_csv(analyst_client.get("/rounds/?dialogue=jchr&format=csv"))
        assert rows[0][:3] == ["Round", "Dialogue", "Start"]
        assert len(rows) == 31

    @pytest.mark.parametrize(
        ("query", "field_message"),
        [("year_from=abc", "Enter a whole number."), ("dialogue=nope", "Select a valid choice.")],
    )
    def test_an_invalid_filter_is_answered_beside_the_field(
        self, analyst_client, query, field_message
    ):
        RoundFactory()
        response = analyst_client.get(f"/rounds/?{query}")
        assert response.status_code == 200
        assert field_message in response.text
        assert "Some filters are not valid" in response.text

    def test_an_htmx_refresh_returns_only_the_results(self, analyst_client):
        RoundFactory(cities="Winnipeg")
        response = analyst_client.get(
            "/rounds/?q=winn", headers={"HX-Request": "true", "HX-Target": "results"}
        )
        assert response.text.lstrip().startswith('<section id="results"')
        assert "Winnipeg" in response.text
        assert "<html" not in response.text

    def test_without_htmx_the_whole_page_comes_back(self, analyst_client):
        response = analyst_client.get("/rounds/?q=winn")
        assert "<html" in response.text

    def test_sorting_by_a_column(self, analyst_client):
        RoundFactory(cities="Beijing")
        RoundFactory(cities="Winnipeg")
        rows = read_csv(analyst_client.get("/rounds/?sort=cities&format=csv"))
        assert [row[3] for row in rows[1:]] == ["Beijing", "Winnipeg"]
        rows = read_csv(analyst_client.get("/rounds/?sort=-cities&format=csv"))
        assert [row[3] for row in rows[1:]] == ["Winnipeg", "Beijing"]

    def test_an_empty_result_says_so(self, analyst_client):
        response = analyst_client.get("/topics/?q=nothing-like-this")
        assert "Nothing matches these filters." in response.text
        assert "0 results" in response.text

    def test_a_protected_record_is_neither_listed_nor_shown_to_an_uncleared_user(
        self, client, make_user
    ):
        secret = RoundFactory(cities="Secretville", security_marking="protected_b")
        reader = make_user("reader", "analyst", clearance="protected_a")
        client.force_login(reader)
        assert "Secretville" not in client.get("/rounds/").text
        assert "Secretville" not in client.get("/rounds/?format=csv").content.decode()
        assert client.get(secret.get_absolute_url()).status_code == 404


class TestContinuityPage:
    def test_csv_has_a_topic_column_then_one_column_per_year(self, analyst_client):
        jchr = DialogueFactory(slug="jchr")
        religion = TopicFactory(name="Freedom of religion")
        for year in (1998, 1999, 1999, 2001):
            AgendaItemFactory(
                round=RoundFactory(dialogue=jchr, start_date=datetime.date(year, 3, 1)),
                topics=[religion],
            )
        rows = read_csv(analyst_client.get("/topics/continuity/?dialogue=jchr&format=csv"))
        # The year without a round (2000) is a column too; the pattern and the total follow
        # the years, so the topic and year columns keep their places.
        assert rows == [
            ["Topic", "1998", "1999", "2000", "2001", "Pattern", "Total"],
            ["Freedom of religion", "1", "2", "0", "1", "Recurring; No follow-up", "4"],
        ]

    def test_csv_pattern_names_a_dropped_topic_and_its_last_year(self, analyst_client):
        jchr = DialogueFactory(slug="jchr")
        labour = TopicFactory(name="Labour rights")
        AgendaItemFactory(
            round=RoundFactory(dialogue=jchr, start_date=datetime.date(2001, 3, 1)),
            topics=[labour],
        )
        RoundFactory(dialogue=jchr, start_date=datetime.date(2003, 3, 1))
        FollowUpProjectFactory().topics.add(labour)
        rows = read_csv(analyst_client.get("/topics/continuity/?dialogue=jchr&format=csv"))
        assert rows[0] == ["Topic", "2001", "2002", "2003", "Pattern", "Total"]
        assert rows[1] == ["Labour rights", "1", "0", "0", "Dropped after 2001; Once", "1"]

    def test_rounds_are_named_by_their_dialogue_when_several_are_shown(self, analyst_client):
        topic = TopicFactory(name="Freedom of religion")
        for acronym in ("JCHR", "EUCD"):
            dialogue = DialogueFactory(acronym=acronym, slug=acronym.lower())
            AgendaItemFactory(
                round=RoundFactory(
                    dialogue=dialogue, number=8, start_date=datetime.date(2002, 3, 1)
                ),
                topics=[topic],
            )
        both = analyst_client.get("/topics/continuity/").text
        assert '<span aria-hidden="true">JCHR 8</span>' in both
        assert '<span aria-hidden="true">EUCD 8</span>' in both
        assert "JCHR 4 is the JCHR" in both  # the legend says how to read them
        one = analyst_client.get("/topics/continuity/?dialogue=jchr").text
        assert '<span aria-hidden="true">R8</span>' in one
        assert '<span aria-hidden="true">JCHR 8</span>' not in one

    def test_a_long_topic_name_is_shown_whole(self, analyst_client):
        name = "Ratification of the International Covenant on Civil and Political Rights " * 2
        AgendaItemFactory(topics=[TopicFactory(name=name.strip())])
        response = analyst_client.get("/topics/continuity/")
        assert name.strip() in response.text
        assert 'class="layout stacked"' in response.text  # the matrix has the page's width

    def test_invalid_values_show_the_page_with_messages(self, analyst_client):
        response = analyst_client.get(
            "/topics/continuity/?year_from=abc&min_count=-1&dialogue=nope&sort=sideways"
        )
        assert response.status_code == 200
        assert "Enter a whole number." in response.text
        assert "Some filters are not valid" in response.text

    def test_the_matrix_is_an_accessible_table(self, analyst_client):
        AgendaItemFactory(topics=[TopicFactory()])
        response = analyst_client.get("/topics/continuity/")
        assert '<th scope="col"' in response.text
        assert '<th scope="row"' in response.text
        assert "No follow-up" in response.text  # a text badge, not colour alone

    def test_overlap_csv(self, analyst_client):
        shared = TopicFactory(name="Cases of concern")
        for dialogue in (DialogueFactory(), DialogueFactory()):
            AgendaItemFactory(
                round=RoundFactory(dialogue=dialogue, start_date=datetime.date(2002, 5, 1)),
                topics=[shared],
            )
        rows = read_csv(analyst_client.get("/topics/overlap/?format=csv"))
        assert rows[0] == ["Topic", "Year", "Dialogues", "Rounds"]
        assert rows[1][:2] == ["Cases of concern", "2002"]


class TestOverlapPage:
    def shared_topic_in(self, *dialogues, year=2002):
        shared = TopicFactory(name=f"Cases of concern {year}")
        for dialogue in dialogues:
            AgendaItemFactory(
                round=RoundFactory(dialogue=dialogue, start_date=datetime.date(year, 5, 1)),
                topics=[shared],
            )
        return shared

    def test_the_counterparts_offered_are_those_with_dialogues_after_an_empty_choice(
        self, analyst_client
    ):
        DialogueFactory(partner_party="CN")
        DialogueFactory(partner_party="CN")
        DialogueFactory(partner_party="VN")
        form = analyst_client.get("/topics/overlap/").context["form"]
        assert form.fields["partner"].choices == [
            ("", "The shared counterpart (China)"),
            ("CN", "China"),
            ("VN", "Vietnam"),
        ]
        assert "Afghanistan" not in analyst_client.get("/topics/overlap/").text

    def test_it_defaults_to_the_counterpart_most_dialogues_share(self, analyst_client):
        self.shared_topic_in(
            DialogueFactory(partner_party="VN"), DialogueFactory(partner_party="VN")
        )
        DialogueFactory(partner_party="CN")
        response = analyst_client.get("/topics/overlap/")
        assert "Vietnam" in response.context["form"].fields["partner"].choices[0][1]
        assert "1 overlap" in response.text

    def test_applying_only_a_year_keeps_the_shared_counterpart(self, analyst_client):
        self.shared_topic_in(DialogueFactory(), DialogueFactory())
        response = analyst_client.get("/topics/overlap/?year_from=2000&year_to=&partner=")
        assert "1 overlap" in response.text
        assert "Cases of concern" in response.text
        assert "Counterpart: China, 2 dialogues recorded." in response.text

    def test_it_says_when_the_data_holds_no_overlap(self, analyst_client):
        assert "No dialogue is recorded" in analyst_client.get("/topics/overlap/").text
        self.shared_topic_in(DialogueFactory())
        assert "Only one dialogue with China is recorded" in (
            analyst_client.get("/topics/overlap/").text
        )
        self.shared_topic_in(DialogueFactory(), year=2004)
        assert "No topic was raised with China in more than one dialogue" in (
            analyst_client.get("/topics/overlap/").text
        )

    def test_the_reference_data_defaults_to_china(self, analyst_client):
        from demo.reference import reference_data_load

        reference_data_load()
        response = analyst_client.get("/topics/overlap/?year_from=1997")
        assert response.context["form"].counterpart() == "CN"
        assert "0 overlaps" not in response.text

    def test_an_unknown_counterpart_is_answered_beside_the_field(self, analyst_client):
        DialogueFactory()
        response = analyst_client.get("/topics/overlap/?partner=AF")
        assert response.status_code == 200
        assert "Select a valid choice." in response.text


class TestDashboard:
    def test_it_shows_rounds_coverage_debriefing_gaps_and_overdue_actions(self, analyst_client):
        jchr = DialogueFactory(name="Canada–China JCHR", slug="jchr")
        first = RoundFactory(dialogue=jchr, number=1, start_date=datetime.date(2004, 10, 1))
        last = RoundFactory(dialogue=jchr, number=2, start_date=datetime.date(2005, 10, 31))
        RoundFactory(
            dialogue=jchr,
            number=3,
            start_date=timezone.localdate() + datetime.timedelta(days=60),
            end_date=None,
            status="planned",
        )
        policing, religion = TopicFactory(name="Policing"), TopicFactory(name="Religion")
        AgendaItemFactory(round=first, topics=[policing])
        AgendaItemFactory(round=last, topics=[policing, religion])
        FollowUpProjectFactory().topics.add(policing)
        ConsultationFactory(
            dialogue=jchr, round=first, kind="debriefing", date=datetime.date(2004, 11, 15)
        )
        FollowUpActionFactory(round=last, title="Send the slides in Chinese")
        response = analyst_client.get("/?dialogue=jchr")
        text = response.text
        assert "JCHR, round 2 (2005)" in text  # the last round
        assert "round 3" in text  # the next round
        assert "50%" in text  # one of the two thematic topics has a project
        assert "Send the slides in Chinese" in text  # overdue
        assert response.context["undebriefed"].get() == last
        topics = {t.name: t.raised_before for t in response.context["last_topics"]}
        assert topics == {"Policing": 1, "Religion": 0}
        assert response.context["case_rates"] is None

    def test_case_officers_see_the_response_rate_by_round(self, client, make_user):
        round_ = RoundFactory()
        for answer in ("none", "information", "information", "none"):
            CaseRaisingFactory(
                round=round_,
                response=answer,
                response_date=None if answer == "none" else round_.start_date,
            )
        officer = make_user("casey", "case_officer", clearance="protected_b")
        client.force_login(officer)
        rates = client.get(f"/?dialogue={round_.dialogue.slug}").context["case_rates"]
        assert [(r.raised, r.answered, r.rate) for r in rates] == [(4, 2, 50)]
        assert CaseRaising.objects.count() == 4


class TestSearch:
    def test_it_finds_every_language_name_and_groups_by_type(self, analyst_client):
        OrganizationFactory(
            name="Supreme People's Procuratorate", name_zh="最高人民检察院", acronym="SPP"
        )
        TopicFactory(name="Freedom of religion", name_fr="Liberté de religion")
        response = analyst_client.get("/search/?q=检察院")
        assert [g.label for g in response.context["groups"]] == ["Organizations"]
        response = analyst_client.get("/search/?q=liberté")
        assert [g.label for g in response.context["groups"]] == ["Topics"]

    def test_matches_are_highlighted_and_the_text_escaped(self, analyst_client):
        AgendaItemFactory(title="<script>alert(1)</script> Police training")
        response = analyst_client.get("/search/?q=police")
        assert "<mark>Police</mark> training" in response.text
        assert "<script>alert(1)</script>" not in response.text

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
    def test_on_postgresql_the_best_match_comes_first(self, analyst_client):
        TopicFactory(name="Training", description="Police training for police recruits")
        TopicFactory(name="Police", description="police police police")
        names = [
            obj.name
            for obj, _url, _text, _context in analyst_client.get("/search/?q=police")
            .context["groups"][0]
            .results
        ]
        assert names[0] == "Police"

    @pytest.mark.postgres_only
    def test_the_stored_search_documents_are_the_vectors_search_would_compute(self, analyst_client):
        from django.contrib.postgres.search import SearchVector

        # Every searched field has words, so that a field left out of a document shows.
        AgendaItemFactory(title="Police training", summary="Legal aid for 律师")
        OrganizationFactory(
            name="Ministry of Justice",
            name_fr="Ministère de la Justice",
            name_zh="司法部",
            acronym="MOJ",
            acronym_fr="MJ",
            description="Prisons and courts",
        )
        PersonFactory(full_name="Li Wei", name_zh="李伟", position="Director, Police College")
        FollowUpProjectFactory(
            title="Prison reform", objectives="Police oversight", results="A new law"
        )
        FollowUpActionFactory(title="Police seminar", description="police police police")
        FollowUpActionFactory(title="Police report", description="")
        from tests.followup.factories import BenchmarkEventFactory
        from tests.rounds.factories import (
            CaseOfConcernFactory,
            CommitmentFactory,
            MaterialFactory,
            SiteVisitFactory,
        )

        SiteVisitFactory(
            city="Lhasa", region="Tibet", purpose="A school", institutions_note="A jail"
        )
        MaterialFactory(title="Police law", notes="In Chinese")
        CommitmentFactory(text="Police reform", undertaken_by="MPS", evidence="A decree")
        CaseOfConcernFactory(name="Li Hai", name_zh="李海", aliases="Li H.", province="Beijing")
        ConsultationFactory(location="Ottawa", summary="Police questions")
        BenchmarkEventFactory(title="Police law", description="Adopted", source="Gazette")
        documented = [searched for searched in registry.searchables if searched.document]
        assert {searched.model.__name__ for searched in documented} == {
            "AgendaItem",
            "Organization",
            "Person",
            "FollowUpProject",
            "FollowUpAction",
            "SiteVisit",
            "Material",
            "Commitment",
            "CaseOfConcern",
            "Consultation",
            "BenchmarkEvent",
        }
        for searched in documented:
            model, fields = searched.model, searched.fields
            assert model._meta.get_field(searched.document).expression.fields == fields
            pairs = list(
                model.objects.annotate(computed=SearchVector(*fields, config="simple")).values_list(
                    searched.document, "computed"
                )
            )
            assert pairs, model
            assert all(stored == computed for stored, computed in pairs), model
        groups = {g.label: g for g in analyst_client.get("/search/?q=police").context["groups"]}
        assert [obj.title for obj, _url, _text, _context in groups["Actions"].results] == [
            "Police seminar",
            "Police report",
        ]

    @pytest.mark.postgres_only
    def test_search_finds_its_rows_through_the_indexes_the_models_declare(self, analyst):
        found = [
            FollowUpActionFactory(title="Seminar", description="On the police"),
            FollowUpActionFactory(title="Police seminar"),
        ]
        FollowUpAction.objects.bulk_create(
            FollowUpAction(title=f"Visit {n}", round=found[0].round, due_date=found[0].due_date)
            for n in range(2000)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE followup_followupaction")
            # A small table is read faster whole, or in the order of another index; the plan
            # for a large one is the point.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            # The index of markings reads every row the reader may see, as a sequential scan
            # would, so with those off it would stand in for one (rolled back with the test).
            cursor.execute("DROP INDEX followup_action_marking")
        with CaptureQueriesContext(connection) as queries:
            groups = {group.label: group for group in search(query="police", user=analyst)}
        assert {obj for obj, _url, _text, _context in groups["Actions"].results} == set(found)
        (sql,) = [
            query["sql"]
            for query in queries
            if 'FROM "followup_followupaction"' in query["sql"] and "@@" in query["sql"]
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        for index in ("action_search", "action_title_trgm", "action_description_trgm"):
            assert index in plan, plan

    def test_an_empty_query_shows_the_form(self, analyst_client):
        response = analyst_client.get("/search/")
        assert response.status_code == 200
        assert response.context["groups"] == []
