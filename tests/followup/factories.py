import datetime

import factory

from followup.models import Benchmark, BenchmarkEvent, FollowUpAction, FollowUpProject


class FollowUpProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpProject

    title = factory.Sequence(lambda n: f"Project {n}")
    lead_agency = factory.SubFactory("tests.stakeholders.factories.OrganizationFactory")


class FollowUpActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpAction

    title = factory.Sequence(lambda n: f"Action {n}")
    round = factory.SubFactory("tests.rounds.factories.RoundFactory")
    due_date = factory.LazyAttribute(lambda o: o.round.start_date + datetime.timedelta(days=30))


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benchmark

    name = factory.Sequence(lambda n: f"Benchmark {n}")
    kind = Benchmark.Kind.TREATY


class BenchmarkEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenchmarkEvent

    benchmark = factory.SubFactory(BenchmarkFactory)
    date = datetime.date(2001, 3, 27)
    title = factory.Sequence(lambda n: f"Event {n}")
    source = "A source"
