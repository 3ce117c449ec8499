"""Lookup boxes: suggestions from /lookup/<kind>/, and the fields that read a label back."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.lookups import LookupField, LookupMultipleField, label
from core.models import SecurityMarking
from rounds.filtersets import TopicLookupField
from rounds.models import Topic
from stakeholders.models import Organization, Person
from tests.rounds.factories import DialogueFactory, RoundFactory, TopicFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_user):
    return make_user("reader", "analyst", clearance=SecurityMarking.PROTECTED_A)


def test_it_suggests_matches_by_every_word_with_their_numbers(client, reader):
    wanted = PersonFactory(full_name="Li Wei")
    PersonFactory(full_name="Li Ming")
    client.force_login(reader)
    response = client.get("/lookup/person/?q=wei li")
    assert response.json() == {"results": [label(wanted)]}


def test_it_suggests_nothing_above_the_users_clearance(client, reader):
    PersonFactory(full_name="Hidden Person", security_marking=SecurityMarking.PROTECTED_B)
    client.force_login(reader)
    assert client.get("/lookup/person/?q=hidden").json() == {"results": []}


def test_a_round_is_found_by_its_number_and_year(client, reader):
    dialogue = DialogueFactory(name="Joint Committee", acronym="JC")
    round_ = RoundFactory(dialogue=dialogue, number=7, start_date=datetime.date(2003, 5, 1))
    RoundFactory(dialogue=dialogue, number=8, start_date=datetime.date(2004, 5, 1))
    client.force_login(reader)
    assert client.get("/lookup/round/?q=JC 7").json()["results"] == [label(round_)]
    assert client.get("/lookup/round/?q=committee 2003").json()["results"] == [label(round_)]


def test_it_needs_two_characters_a_known_kind_and_permission(client, reader, outsider):
    client.force_login(reader)
    assert client.get("/lookup/person/?q=L").json() == {"results": []}
    assert client.get("/lookup/secrets/?q=Li").status_code == 404
    client.force_login(outsider)
    assert client.get("/lookup/person/?q=Li").status_code == 403


def test_the_field_reads_a_label_a_bare_number_or_an_exact_name():
    org = OrganizationFactory(name="Supreme People's Court")
    field = LookupField(Organization.objects.all())
    assert field.clean(label(org)) == org
    assert field.clean(str(org.pk)) == org
    assert field.clean("supreme people's court") == org


def test_a_number_larger_than_any_record_is_none_found_not_an_error():
    """A number past 64 bits, typed or posted: no record has it (SQLite cannot even be asked)."""
    huge = "99999999999999999999"
    person = LookupField(Person.objects.all())
    assert person.prepare_value(huge) == ""
    with pytest.raises(ValidationError, match="No record you may see has the number"):
        person.clean(huge)
    with pytest.raises(ValidationError, match="No record you may see has the number"):
        person.clean(f"Someone (#{huge})")
    topics = LookupMultipleField(Topic.objects.all(), required=False)
    assert topics.prepare_value([huge]) == ""


def test_the_field_names_what_it_could_not_find():
    PersonFactory(full_name="Wang Fang")
    PersonFactory(full_name="Wang Fang")
    field = LookupField(Person.objects.all())
    with pytest.raises(Exception, match="Nothing you may see is called “Zhang San”"):
        field.clean("Zhang San")
    with pytest.raises(Exception, match="More than one record is called “Wang Fang”"):
        field.clean("Wang Fang")
    with pytest.raises(Exception, match="No record you may see has the number 999999"):
        field.clean("Someone (#999999)")


def test_the_multiple_field_takes_several_and_reports_each_bad_one():
    first, second = OrganizationFactory(), OrganizationFactory()
    field = LookupMultipleField(Organization.objects.all(), required=False)
    assert set(field.clean(f"{label(first)}; {label(second)}")) == {first, second}
    assert set(field.clean([str(first.pk), str(second.pk)])) == {first, second}
    assert not field.clean("")
    with pytest.raises(Exception, match="“Nobody”") as refused:
        field.clean("Nobody; Nothing")
    assert "“Nothing”" in str(refused.value)


def test_a_message_repeats_only_the_start_of_a_long_paste():
    field = LookupField(Organization.objects.all())
    with pytest.raises(ValidationError) as raised:
        field.clean("x" * 5000)
    (message,) = raised.value.messages
    assert "x" * 99 in message and "x" * 101 not in message and len(message) < 300


def test_a_topic_filter_takes_its_slug_its_suggestion_or_either_name_typed_whole():
    legal = TopicFactory(name="Legal aid", name_fr="Aide juridique", slug="legal-aid")
    TopicFactory(name="Torture", slug="torture")
    field = TopicLookupField(Topic.objects.all())
    for given in ("legal-aid", f"Legal aid (#{legal.pk})", "legal AID", "aide juridique"):
        assert field.clean(given) == legal
    with pytest.raises(ValidationError):
        field.clean("aide")  # a part of a name is for the suggestions, not the filter
