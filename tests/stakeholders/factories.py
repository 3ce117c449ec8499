import datetime

import factory

from core.models import Side
from stakeholders.models import Consultation, Delegation, DelegationMember, Organization, Person


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    country = "CA"
    kind = Organization.Kind.MINISTRY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    organization = factory.SubFactory(OrganizationFactory)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    round = factory.SubFactory("tests.rounds.factories.RoundFactory")
    side = Side.LEAD


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    delegation = factory.SubFactory(DelegationFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.SelfAttribute("person.organization")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    dialogue = factory.SubFactory("tests.rounds.factories.DialogueFactory")
    kind = Consultation.Kind.ROUNDTABLE
    date = factory.Sequence(lambda n: datetime.date(2001, 1, 1) + datetime.timedelta(days=n))
