"""A dialogue exported as JSON and imported into an empty database comes back the same."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command

from exchange.exchange import (
    FORMAT,
    ExactEncoder,
    ExchangeError,
    export_dialogue,
    import_dialogue,
)
from rounds.models import CaseOfConcern, Dialogue, Round, Topic
from stakeholders.models import ConsultationRequest, Delegation, Person
from tests.rounds.factories import (
    CaseOfConcernFactory,
    CaseRaisingFactory,
    RoundFactory,
    TopicFactory,
)
from tests.stakeholders.factories import DelegationFactory, PersonFactory
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


# -- the file is not trusted ---------------------------------------------------------------------


def document(*objects) -> dict:
    """A dialogue document holding these unsaved records, each given a key of its own."""
    now = datetime.datetime.now(datetime.UTC)
    for number, obj in enumerate(objects, start=90001):
        obj.pk, obj.created_at, obj.updated_at = number, now, now
    rows = json.loads(json.dumps(serializers.serialize("python", objects), cls=ExactEncoder))
    return {"format": FORMAT, "dialogue": "x", "records": rows}


def refused(record, user, match):
    with pytest.raises(ExchangeError, match=match) as refusal:
        import_dialogue(record, user=user)
    return str(refusal.value)


@pytest.mark.django_db
def test_a_record_of_a_kind_an_export_never_holds_is_refused_and_nothing_is_written(make_user):
    officer = make_user("olive", "officer", clearance="protected_b")
    doc = document(TopicFactory.build())
    doc["records"].append(
        {
            "model": "dialogue.user",
            "pk": 90002,
            "fields": {"username": "mallory", "is_superuser": True, "is_staff": True},
        }
    )
    message = refused(doc, officer, "dialogue.user 90002")
    assert "unknown to a dialogue export" in message
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_the_command_names_the_refused_record_and_imports_nothing(make_user, tmp_path):
    make_user("olive", "officer", clearance="protected_b")
    doc = document(TopicFactory.build())
    doc["records"].append({"model": "auth.group", "pk": 1, "fields": {"name": "Everyone"}})
    path = tmp_path / "dialogue.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError, match=r"auth\.group 1 is refused.*Nothing was imported"):
        call_command("import_dialogue", str(path), "--as", "olive")
    assert not Topic.objects.exists()


@pytest.mark.django_db
def test_a_record_above_the_importers_clearance_is_refused(make_user):
    person = PersonFactory.build(organization=None, security_marking="protected_b")
    doc = document(TopicFactory.build(), person)
    officer = make_user("olive", "officer", clearance="unclassified")
    message = refused(doc, officer, "stakeholders.person 90002 is refused")
    assert "marked Protected B, above your clearance (Unclassified)" in message
    assert not Topic.objects.exists() and not Person.objects.exists()

    cleared = make_user("bruno", "officer", clearance="protected_b")
    import_dialogue(doc, user=cleared)
    assert Person.objects.get().created_by == cleared


@pytest.mark.django_db
def test_a_marking_left_out_counts_as_the_models_default(make_user):
    # A raising is Protected B unless it says otherwise.
    RoundFactory()
    raising = CaseRaisingFactory.build(case=CaseOfConcernFactory(security_marking="unclassified"))
    doc = document(raising)
    del doc["records"][0]["fields"]["security_marking"]
    case_officer = make_user("cora", "case_officer", clearance="protected_a")
    refused(doc, case_officer, "above your clearance")


@pytest.mark.django_db
def test_cases_and_raisings_are_imported_only_by_a_case_officer(make_user):
    doc = document(CaseOfConcernFactory.build(security_marking="unclassified"))
    officer = make_user("olive", "officer", clearance="protected_b")
    refused(doc, officer, "rounds.caseofconcern 90001 is refused: .*only by a Case officer")
    assert not CaseOfConcern.objects.exists()

    import_dialogue(doc, user=make_user("cora", "case_officer", clearance="unclassified"))
    assert CaseOfConcern.objects.count() == 1


@pytest.mark.django_db
def test_a_reference_to_a_hidden_record_outside_the_file_is_refused(make_user):
    round_ = RoundFactory()
    hidden = PersonFactory(security_marking="protected_b")
    doc = document(DelegationFactory.build(round=round_, head=hidden))
    officer = make_user("olive", "officer", clearance="unclassified")
    message = refused(doc, officer, "stakeholders.delegation 90001 is refused")
    assert f"refers to person {hidden.pk}" in message
    assert not Delegation.objects.exists()

    doc["records"][0]["fields"]["head"] = None
    import_dialogue(doc, user=officer)
    assert Delegation.objects.get().round == round_


@pytest.mark.django_db
def test_a_record_naming_a_user_account_is_refused(make_user, administrator):
    doc = document(TopicFactory.build())
    doc["records"][0]["fields"]["created_by"] = administrator.pk
    refused(doc, administrator, r"rounds\.topic 90001 is refused: it names a user account")
    assert not Topic.objects.exists()
