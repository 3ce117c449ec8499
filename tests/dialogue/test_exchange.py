"""A dialogue exported as JSON and imported into an empty database comes back the same."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dialogue.exchange import ExchangeError, export_dialogue, import_dialogue
from rounds.models import CaseOfConcern, Dialogue, Round
from stakeholders.models import ConsultationRequest
from tests.world import build_world


def superuser(name="root"):
    return get_user_model().objects.create_superuser(name, password="a long test password 1")


@pytest.mark.django_db(transaction=True)
def test_an_export_imported_into_an_empty_database_exports_the_same(tmp_path):
    world = build_world()
    build_world()  # another dialogue, left out of the export
    dialogue = world["dialogue"]
    # A time with less than a millisecond past the second must survive too.
    Round.objects.filter(pk=world["round"].pk).update(
        created_at=datetime.datetime(2005, 11, 1, 9, 0, 0, 412, tzinfo=datetime.UTC)
    )
    path = tmp_path / "dialogue.json"
    superuser()
    call_command("export_dialogue", dialogue.slug, "--as", "root", "--output", str(path))
    before = json.loads(path.read_text(encoding="utf-8"))
    kinds = {row["model"] for row in before["records"]}
    assert {"rounds.round", "rounds.caseraising", "stakeholders.consultationrequest"} <= kinds
    assert {"followup.followupaction", "stakeholders.delegationmember"} <= kinds

    call_command("flush", interactive=False)
    assert not Dialogue.objects.exists()
    importer = superuser("importer")
    call_command("import_dialogue", str(path), "--as", "importer")

    after = export_dialogue(Dialogue.objects.get(slug=dialogue.slug), user=importer)
    assert after["records"] == before["records"]
    round_ = Round.objects.get()
    assert round_.created_at.microsecond == 412
    assert round_.history.get().history_user == importer
    assert round_.created_by == importer
    # New records get keys after the imported ones.
    assert (
        Round.objects.create(dialogue=round_.dialogue, start_date=round_.start_date, number=99).pk
        > round_.pk
    )


@pytest.mark.django_db
def test_an_import_into_a_database_holding_its_records_is_refused_whole(administrator):
    world = build_world()
    document = export_dialogue(world["dialogue"], user=administrator)
    requests = ConsultationRequest.objects.count()
    with pytest.raises(ExchangeError, match="already holds"):
        import_dialogue(document, user=administrator)
    assert ConsultationRequest.objects.count() == requests


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "something else"}, "not a dialogue exported"),
        ({"format": "dialogue-tracker/dialogue/1", "records": "x"}, "no list of records"),
        ({"format": "dialogue-tracker/dialogue/1", "records": [{}]}, "Record 1 has no model"),
        (
            {"format": "dialogue-tracker/dialogue/1", "records": [{"model": "x.y", "pk": 1}]},
            "unknown",
        ),
        (
            {
                "format": "dialogue-tracker/dialogue/1",
                "records": [{"model": "rounds.topic", "pk": 1, "fields": {"name": "x"}}],
            },
            "could not be loaded",
        ),
    ],
)
def test_a_bad_document_is_refused_with_a_reason(administrator, document, message):
    with pytest.raises(ExchangeError, match=message):
        import_dialogue(document, user=administrator)


@pytest.mark.django_db
def test_the_export_is_scoped_to_the_exporter(make_user):
    world = build_world()
    world["person"].security_marking = "protected_b"
    world["person"].save()
    reader = make_user("reader", "analyst", clearance="protected_a")
    document = export_dialogue(world["dialogue"], user=reader)
    kinds = {row["model"] for row in document["records"]}
    assert "rounds.caseofconcern" not in kinds  # not a Case officer
    assert world["person"].pk not in {
        row["pk"] for row in document["records"] if row["model"] == "stakeholders.person"
    }
    delegation = next(r for r in document["records"] if r["model"] == "stakeholders.delegation")
    assert delegation["fields"]["head"] is None  # no reference to what was left out
    assert CaseOfConcern.objects.exists()


@pytest.mark.django_db
def test_the_dialogue_page_offers_the_json_download(analyst_client):
    world = build_world()
    response = analyst_client.get(f"/rounds/dialogues/{world['dialogue'].slug}/export/")
    assert response["Content-Disposition"].endswith(f'{world["dialogue"].slug}.json"')
    assert response.json()["dialogue"] == world["dialogue"].slug
