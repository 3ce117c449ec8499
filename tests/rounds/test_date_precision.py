"""A date known only to the month or the year is stored as the first day of that period,
whatever day was typed, by every path that writes one (core.models.PreciseDates), and is shown
no more precisely than it is known."""

import datetime
import importlib
import json

import pytest
import tablib
from django.apps import apps
from django.core import serializers
from django.forms import modelform_factory
from django.urls import reverse

from core.formats import precise_date, precise_period
from core.models import DatePrecision
from exchange.exchange import FORMAT, ExactEncoder, import_dialogue
from followup.models import BenchmarkEvent
from rounds.models import Round
from rounds.resources import RoundResource
from stakeholders.models import Consultation
from tests.followup.factories import BenchmarkEventFactory, BenchmarkFactory
from tests.rounds.factories import DialogueFactory, RoundFactory
from tests.stakeholders.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

MONTH, YEAR, DAY = DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.DAY
TYPED = datetime.date(2008, 10, 15)


def stored(record):
    record.refresh_from_db()
    return record


class TestTheModels:
    @pytest.mark.parametrize(
        ("precision", "start", "end"),
        [
            (MONTH, datetime.date(2008, 10, 1), datetime.date(2008, 10, 1)),
            (YEAR, datetime.date(2008, 1, 1), datetime.date(2008, 1, 1)),
            (DAY, TYPED, datetime.date(2008, 10, 17)),
        ],
    )
    def test_a_round_keeps_the_first_day_of_its_period(self, precision, start, end):
        round_ = RoundFactory(
            start_date=TYPED, end_date=datetime.date(2008, 10, 17), date_precision=precision
        )
        assert (stored(round_).start_date, round_.end_date) == (start, end)

    def test_a_consultation_and_a_benchmark_event_do_too(self):
        consultation = ConsultationFactory(date=TYPED, date_precision=MONTH)
        event = BenchmarkEventFactory(date=TYPED, date_precision=YEAR)
        assert stored(consultation).date == datetime.date(2008, 10, 1)
        assert stored(event).date == datetime.date(2008, 1, 1)

    def test_a_save_of_the_precision_alone_moves_the_dates_with_it(self):
        round_ = RoundFactory(start_date=TYPED, end_date=None)
        round_.date_precision = YEAR
        round_.save(update_fields=["date_precision"])
        assert stored(round_).start_date == datetime.date(2008, 1, 1)

    def test_validation_compares_the_dates_as_they_will_be_stored(self):
        # "October 2008" to "October 2008": the days typed do not make the end come first.
        round_ = Round(
            dialogue=DialogueFactory(),
            start_date=TYPED,
            end_date=datetime.date(2008, 10, 3),
            date_precision=MONTH,
        )
        round_.full_clean()
        assert (round_.start_date, round_.end_date) == (datetime.date(2008, 10, 1),) * 2


class TestEveryPathStoresTheFirstDay:
    def test_a_form(self):
        form_class = modelform_factory(
            Consultation, fields=["dialogue", "kind", "date", "date_precision", "format"]
        )
        form = form_class(
            data={
                "dialogue": DialogueFactory().pk,
                "kind": "roundtable",
                "date": "2008-10-15",
                "date_precision": "month",
                "format": "in_person",
            }
        )
        assert form.is_valid(), form.errors
        assert stored(form.save()).date == datetime.date(2008, 10, 1)

    def test_the_admins_round_page(self, admin_client):
        dialogue = DialogueFactory()
        data = {
            "dialogue": dialogue.pk,
            "number": 3,
            "status": "held",
            "start_date": "2008-10-15",
            "end_date": "2008-10-17",
            "date_precision": "month",
            "security_marking": "unclassified",
        }
        for prefix in ("agenda_items", "commitments", "site_visits", "delegations", "materials"):
            data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        response = admin_client.post(reverse("admin:rounds_round_add"), data)
        assert response.status_code == 302, response.text
        round_ = Round.objects.get()
        assert (round_.start_date, round_.end_date) == (datetime.date(2008, 10, 1),) * 2
        assert round_.history.get().start_date == datetime.date(2008, 10, 1)

    def test_the_api(self, admin_client):
        dialogue = DialogueFactory()
        created = admin_client.post(
            "/api/v1/rounds/",
            {
                "dialogue": dialogue.pk,
                "number": 4,
                "start_date": "2008-10-15",
                "end_date": "2008-10-17",
                "date_precision": "month",
                "status": "held",
            },
            content_type="application/json",
        )
        assert created.status_code == 201, created.json()
        assert (created.json()["start_date"], created.json()["end_date"]) == ("2008-10-01",) * 2
        round_ = Round.objects.get()
        changed = admin_client.patch(
            f"/api/v1/rounds/{round_.pk}/",
            {"date_precision": "year", "version": round_.version},
            content_type="application/json",
        )
        assert changed.status_code == 200, changed.json()
        assert stored(round_).start_date == datetime.date(2008, 1, 1)
        assert changed.json()["start_date"] == "2008-01-01"

    def test_the_api_for_a_benchmark_event(self, admin_client):
        response = admin_client.post(
            "/api/v1/benchmark-events/",
            {
                "benchmark": BenchmarkFactory().pk,
                "date": "2001-03-27",
                "date_precision": "year",
                "title": "Ratified",
                "source": "A source",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        assert BenchmarkEvent.objects.get().date == datetime.date(2001, 1, 1)

    def test_a_spreadsheet_import_and_again_changes_nothing(self, make_user):
        officer = make_user("olive", "officer", clearance="protected_b")
        DialogueFactory(slug="canada-china-jchr", start_year=1997)
        data = tablib.Dataset(
            ("canada-china-jchr", 2, "1998-11-15", "1998-11-17", "month", "held"),
            headers=["dialogue", "number", "start_date", "end_date", "date_precision", "status"],
        )
        result = RoundResource().import_data(data, dry_run=False, user=officer)
        assert not result.has_errors() and not result.has_validation_errors()
        round_ = Round.objects.get()
        assert (round_.start_date, round_.end_date) == (datetime.date(1998, 11, 1),) * 2
        again = RoundResource().import_data(data, dry_run=False, user=officer)
        assert again.totals["skip"] == 1

    def test_the_dialogue_exchange_import(self, administrator):
        dialogue = DialogueFactory.build(pk=90001)
        round_ = RoundFactory.build(
            pk=90002,
            dialogue=dialogue,
            start_date=TYPED,
            end_date=datetime.date(2008, 10, 17),
            date_precision=MONTH,
        )
        consultation = ConsultationFactory.build(
            pk=90003, dialogue=dialogue, round=None, date=TYPED, date_precision=YEAR
        )
        now = datetime.datetime.now(datetime.UTC)
        for record in (dialogue, round_, consultation):
            record.created_at = record.updated_at = now
        rows = serializers.serialize("python", [dialogue, round_, consultation])
        document = {
            "format": FORMAT,
            "dialogue": dialogue.slug,
            "records": json.loads(json.dumps(rows, cls=ExactEncoder)),
        }
        import_dialogue(document, user=administrator)
        round_ = Round.objects.get()
        assert (round_.start_date, round_.end_date) == (datetime.date(2008, 10, 1),) * 2
        assert round_.history.get().start_date == datetime.date(2008, 10, 1)
        assert Consultation.objects.get().date == datetime.date(2008, 1, 1)


@pytest.mark.parametrize(
    ("migration", "model", "fields"),
    [
        ("rounds.migrations.0007_date_precision_first_day", Round, ("start_date", "end_date")),
        ("stakeholders.migrations.0005_date_precision_first_day", Consultation, ("date",)),
        ("followup.migrations.0008_date_precision_first_day", BenchmarkEvent, ("date",)),
    ],
)
def test_the_migration_moves_the_rows_stored_before_to_the_first_day(migration, model, fields):
    factory = {
        Round: RoundFactory,
        Consultation: ConsultationFactory,
        BenchmarkEvent: BenchmarkEventFactory,
    }[model]
    rows = {precision: factory(date_precision=precision) for precision in (DAY, MONTH, YEAR)}
    # As a row written before the rule was: the days typed, kept.
    model.objects.update(**dict.fromkeys(fields, TYPED))
    importlib.import_module(migration).first_days(apps, None)
    expected = {
        DAY: TYPED,
        MONTH: datetime.date(2008, 10, 1),
        YEAR: datetime.date(2008, 1, 1),
    }
    for precision, row in rows.items():
        row.refresh_from_db()
        assert {getattr(row, name) for name in fields} == {expected[precision]}, precision


class TestDisplay:
    def test_a_date_in_words_is_written_no_more_precisely_than_it_is_known(self):
        from django.utils import translation

        from core.formats import written_date, written_period

        september = datetime.date(2027, 9, 1)
        assert written_date(september, MONTH) == "September 2027"
        assert written_date(september, YEAR) == "2027"
        assert written_date(None, MONTH) == ""
        assert written_period(september, september, MONTH) == "September 2027"
        with translation.override("fr"):
            assert written_date(september, MONTH) == "septembre 2027"
            assert written_date(datetime.date(2027, 9, 14), DAY) == "14 septembre 2027"

    def test_a_date_is_written_no_more_precisely_than_it_is_known(self):
        assert precise_date(TYPED, DAY) == "2008-10-15"
        assert precise_date(datetime.date(2008, 10, 1), MONTH) == "2008-10"
        assert precise_date(datetime.date(2008, 1, 1), YEAR) == "2008"
        assert precise_date(None, MONTH) == ""
        assert precise_period(TYPED, datetime.date(2008, 10, 17), DAY) == "2008-10-15 – 2008-10-17"
        assert precise_period(datetime.date(2008, 10, 1), datetime.date(2008, 10, 1), MONTH) == (
            "2008-10"
        )
        assert precise_period(datetime.date(2008, 10, 1), None, MONTH) == "2008-10"

    @pytest.fixture
    def october(self):
        dialogue = DialogueFactory(slug="jchr", name="Canada–China JCHR")
        round_ = RoundFactory(
            dialogue=dialogue,
            number=11,
            start_date=TYPED,
            end_date=None,
            date_precision=MONTH,
            cities="Ottawa",
        )
        ConsultationFactory(
            dialogue=dialogue, round=round_, kind="debriefing", date=TYPED, date_precision=MONTH
        )
        return round_

    def test_the_pages_show_the_month(self, october, analyst_client):
        listed = analyst_client.get("/rounds/").content.decode()
        assert "2008-10" in listed and "2008-10-01" not in listed
        dialogue = analyst_client.get(october.dialogue.get_absolute_url()).content.decode()
        assert "2008-10" in dialogue and "2008-10-01" not in dialogue
        page = analyst_client.get(october.get_absolute_url()).content.decode()
        assert "October 2008" in page and "2008-10-01" not in page
        # The briefing pack writes its dates in words, in the reader's language.
        briefing = analyst_client.get(f"/rounds/{october.pk}/briefing/").content.decode()
        assert "October 2008" in briefing and "2008-10-01" not in briefing
        briefing = analyst_client.get(f"/fr/rounds/{october.pk}/briefing/").content.decode()
        assert "octobre 2008" in briefing and "2008-10-01" not in briefing
        consultations = analyst_client.get("/stakeholders/consultations/").content.decode()
        assert "2008-10" in consultations and "2008-10-01" not in consultations

    def test_the_csv_writes_the_month(self, october, analyst_client):
        csv = analyst_client.get("/rounds/?format=csv").content.decode()
        assert '"Canada–China JCHR","2008-10","Ottawa"' in csv
