import datetime

import factory

from core.models import Side
from rounds.models import (
    AgendaItem,
    CaseOfConcern,
    CaseRaising,
    Commitment,
    Dialogue,
    Material,
    Round,
    SiteVisit,
    Topic,
)


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    name = factory.Sequence(lambda n: f"Dialogue {n}")
    slug = factory.Sequence(lambda n: f"dialogue-{n}")
    lead_party = "CA"
    partner_party = "CN"
    start_year = 1990


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    dialogue = factory.SubFactory(DialogueFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = factory.Sequence(lambda n: datetime.date(2000, 1, 1) + datetime.timedelta(days=n))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=1))
    host_country = "CA"
    cities = "Ottawa"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Agenda item {n}")

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class SiteVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteVisit

    round = factory.SubFactory(RoundFactory)
    city = factory.Sequence(lambda n: f"City {n}")
    country = "CN"


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"Material {n}")
    provided_by = Side.LEAD
    in_english = True


class CaseOfConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseOfConcern

    name = factory.Sequence(lambda n: f"Detainee {n}")


class CaseRaisingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseRaising

    case = factory.SubFactory(CaseOfConcernFactory)
    round = factory.SubFactory(RoundFactory)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    round = factory.SubFactory(RoundFactory)
    side = Side.PARTNER
    text = factory.Sequence(lambda n: f"Undertaking {n}")
