"""The loader: what it loads, that loading twice changes nothing, and that a bad file writes
nothing and names what is wrong."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command

from demo.reference import REFERENCE_DATA_PATH, ReferenceDataError, reference_data_load
from followup.models import Benchmark, BenchmarkEvent, FollowUpProject
from rounds.models import AgendaItem, Dialogue, Round, SiteVisit, Topic
from stakeholders.models import Organization

pytestmark = pytest.mark.django_db

OUR_APPS = ("rounds", "stakeholders", "followup")


def row_counts() -> dict:
    """Rows in every table of ours, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
    }


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "reference.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def reference() -> dict:
    return yaml.safe_load(REFERENCE_DATA_PATH.read_text(encoding="utf-8"))


def test_it_loads_what_the_sources_state():
    reference_data_load()
    jchr = Dialogue.objects.get(slug="canada-china-jchr")
    rounds = list(jchr.rounds.order_by("number"))
    assert [r.number for r in rounds] == list(range(1, 10))
    assert [(r.start_date.year, r.start_date.month) for r in rounds] == [
        (1997, 7),
        (1997, 10),
        (1998, 11),
        (1999, 11),
        (2000, 10),
        (2002, 11),
        (2003, 10),
        (2004, 10),
        (2005, 10),
    ]
    assert [r.cities for r in rounds][:3] == ["Ottawa", "Beijing", "Winnipeg, Vancouver"]
    assert [r.host_country.code for r in rounds] == ["CA", "CN"] * 4 + ["CA"]

    # An agenda line maps to several topics.
    item = AgendaItem.objects.get(
        round__dialogue__slug="canada-china-jchr",
        round__number=4,
        title="ICCPR and ICESCR (update on progress towards ratification)",
    )
    assert set(item.topics.values_list("slug", flat=True)) == {"iccpr", "icescr"}

    # Site visits, the organizations in three languages, the benchmarks and the proposals.
    lhasa = SiteVisit.objects.get(city="Lhasa")
    assert lhasa.round.number == 4
    assert lhasa.topics.filter(slug="freedom-of-religion").exists()
    assert not SiteVisit.objects.filter(round__dialogue__slug="canada-china-jchr", round__number=1)
    assert Organization.objects.get(acronym="SPP").name_zh == "最高人民检察院"
    assert Organization.objects.get(acronym="RCMP").name_fr == "Gendarmerie royale du Canada"
    reservation = BenchmarkEvent.objects.get(kind="reservation")
    assert reservation.date == datetime.date(2001, 3, 27)
    assert reservation.direction == "backward"
    assert "8.1(a)" in reservation.title
    assert BenchmarkEvent.objects.get(kind="amendment").date == datetime.date(2004, 3, 14)
    assert Benchmark.objects.count() == 3
    yunnan = FollowUpProject.objects.get(title__contains="Yunnan")
    assert (yunnan.status, yunnan.proposed_by, yunnan.budget_cad) == ("proposed", "partner", 60000)

    # The other partners' dialogues, each with its source.
    partners = set(Dialogue.objects.values_list("lead_party", flat=True))
    assert {"EU", "NO", "CH", "AU", "GB", "DE", "JP"} <= partners
    assert Dialogue.objects.get(slug="plurilateral-symposium").kind == "plurilateral"
    assert not Dialogue.objects.filter(source_note="").exists()
    assert Round.objects.get(dialogue__slug="eu-china", number=39).cities == "Chongqing"


def test_loading_twice_changes_nothing_not_even_history():
    first = reference_data_load()
    assert first.changed
    before = row_counts()
    second = reference_data_load()
    assert not second.changed
    assert row_counts() == before


def test_a_changed_value_updates_only_that_record(tmp_path):
    reference_data_load()
    data = reference()
    data["topics"][0]["description"] = "Reworded."
    history_before = Topic.history.count()
    report = reference_data_load(path=write(tmp_path, data))
    assert dict(report.updated) == {"topics": 1}
    assert Topic.history.count() == history_before + 1


def test_a_malformed_file_is_rejected_with_file_record_and_field_named_and_nothing_written(
    tmp_path,
):
    data = reference()
    data["dialogues"][0]["rounds"][2]["end_date"] = "1998-13-45"
    path = write(tmp_path, data)
    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(path=path)
    message = str(caught.value)
    assert str(path) in message
    assert "dialogues[0] (canada-china-jchr) > rounds[2] (number 3)" in message
    assert "field 'end_date'" in message
    assert sum(row_counts().values()) == 0


def test_a_value_the_model_refuses_is_reported_with_the_models_message(tmp_path):
    data = reference()
    data["dialogues"][0]["rounds"][8]["end_date"] = datetime.date(2005, 10, 1)
    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(path=write(tmp_path, data))
    assert "rounds[8] (number 9): field 'end_date': The end date cannot be before" in str(
        caught.value
    )
    assert not Dialogue.objects.exists()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["topics"][0].update(colour="red"), "field 'colour' is not a field of a topic"),
        (lambda d: d["topics"][0].pop("name"), "field 'name' is required"),
        (lambda d: d["topics"][3].update(parent="nowhere"), "'nowhere' is not defined earlier"),
        (lambda d: d.update(extras=[]), "'extras' is not a section"),
        (lambda d: d["dialogues"][0]["rounds"][0].update(number="one"), "not a positive whole"),
        (lambda d: d["organizations"].append(d["organizations"][0]), "'dfait' is used twice"),
        (lambda d: d["dialogues"][0].update(kind="trilateral"), "field 'kind'"),
    ],
)
def test_each_kind_of_mistake_is_named(tmp_path, mutate, expected):
    data = reference()
    mutate(data)
    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(path=write(tmp_path, data))
    assert expected in str(caught.value)
    assert sum(row_counts().values()) == 0


def test_a_file_that_is_not_yaml_is_rejected(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("topics: [unclosed\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="is not valid YAML"):
        reference_data_load(path=path)


def test_the_command_reports_and_refuses_without_writing(tmp_path):
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "created:" in out.getvalue()
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "already matched the file" in out.getvalue()
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_reference_data", file=str(tmp_path / "missing.yaml"))


def test_if_empty_leaves_an_edited_database_alone():
    reference_data_load()
    Topic.objects.filter(slug="iccpr").update(description="Edited by an officer.")
    out = StringIO()
    call_command("load_reference_data", if_empty=True, stdout=out)
    assert "not loaded again" in out.getvalue()
    assert Topic.objects.get(slug="iccpr").description == "Edited by an officer."
