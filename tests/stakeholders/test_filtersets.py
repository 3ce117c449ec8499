import datetime

import pytest

from stakeholders.filtersets import (
    ConsultationFilterSet,
    OrganizationFilterSet,
    PersonFilterSet,
)
from stakeholders.models import Consultation, Organization, Person
from tests.rounds.factories import DialogueFactory
from tests.stakeholders.factories import (
    ConsultationFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def filtered(filterset_class, queryset, **params):
    filterset = filterset_class(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def test_organizations_by_name_in_any_language_acronym_country_and_kind():
    spp = OrganizationFactory(
        name="Supreme People's Procuratorate",
        name_zh="最高人民检察院",
        acronym="SPP",
        country="CN",
        kind=Organization.Kind.JUDICIARY,
    )
    rcmp = OrganizationFactory(
        name="Royal Canadian Mounted Police",
        name_fr="Gendarmerie royale du Canada",
        acronym="RCMP",
        country="CA",
        kind=Organization.Kind.AGENCY,
    )
    everyone = Organization.objects.all()
    assert filtered(OrganizationFilterSet, everyone, q="检察院") == {spp}
    assert filtered(OrganizationFilterSet, everyone, q="Gendarmerie") == {rcmp}
    assert filtered(OrganizationFilterSet, everyone, q="spp") == {spp}
    assert filtered(OrganizationFilterSet, everyone, country="CA") == {rcmp}
    assert filtered(OrganizationFilterSet, everyone, kind="judiciary") == {spp}


def test_people_by_name_position_organization_and_country():
    rcmp = OrganizationFactory(name="Royal Canadian Mounted Police")
    inspector = PersonFactory(
        full_name="A. Inspector", position="Tactical training", organization=rcmp, country="CA"
    )
    PersonFactory(full_name="Another Person", country="CN")
    everyone = Person.objects.all()
    assert filtered(PersonFilterSet, everyone, q="tactical") == {inspector}
    assert filtered(PersonFilterSet, everyone, q="Mounted") == {inspector}
    assert filtered(PersonFilterSet, everyone, country="CA") == {inspector}


def test_consultations_by_dialogue_kind_format_years_and_text():
    jchr = DialogueFactory(slug="canada-china-jchr")
    workshop = ConsultationFactory(
        dialogue=jchr,
        kind=Consultation.Kind.WORKSHOP,
        format=Consultation.Format.IN_PERSON,
        date=datetime.date(2005, 11, 1),
        location="Rights and Democracy, Montreal",
    )
    briefing = ConsultationFactory(
        kind=Consultation.Kind.BRIEFING,
        format=Consultation.Format.TELECONFERENCE,
        date=datetime.date(1999, 10, 1),
    )
    everyone = Consultation.objects.all()
    assert filtered(ConsultationFilterSet, everyone, dialogue=["canada-china-jchr"]) == {workshop}
    assert filtered(ConsultationFilterSet, everyone, kind="briefing") == {briefing}
    assert filtered(ConsultationFilterSet, everyone, consultation_format="teleconference") == {
        briefing
    }
    assert filtered(ConsultationFilterSet, everyone, year_from=2000) == {workshop}
    assert filtered(ConsultationFilterSet, everyone, year_to=2000) == {briefing}
    assert filtered(ConsultationFilterSet, everyone, q="montreal") == {workshop}
