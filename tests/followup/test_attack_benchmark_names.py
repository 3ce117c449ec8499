"""A benchmark's name was unique across every marking, so naming a new benchmark after a hidden
one was refused, "Benchmark with this name already exists": a guessed name was confirmed. A
name is now unique among the benchmarks of one marking, which anyone filing at that marking may
see."""

import pytest

from core.models import SecurityMarking
from followup.models import Benchmark
from tests.followup.factories import BenchmarkFactory
from tests.helpers import assert_invalid

pytestmark = pytest.mark.django_db

SECRET_NAME = "Optional Protocol to the Convention against Torture"


def test_naming_a_benchmark_after_a_hidden_one_is_answered_as_for_any_new_name(client, make_user):
    BenchmarkFactory(name=SECRET_NAME, security_marking=SecurityMarking.PROTECTED_B)
    client.force_login(make_user("uma", "planner", clearance="unclassified"))

    def create(name):
        return client.post(
            "/api/v1/benchmarks/",
            {"name": name, "kind": "treaty", "security_marking": "unclassified"},
            content_type="application/json",
        )

    unused = create("A name nobody used")
    guessed = create(SECRET_NAME)

    assert unused.status_code == 201, unused.json()
    assert guessed.status_code == 201, guessed.json()
    assert Benchmark.objects.filter(name=SECRET_NAME).count() == 2


def test_a_name_is_still_unique_among_the_benchmarks_of_one_marking():
    BenchmarkFactory(name=SECRET_NAME, security_marking=SecurityMarking.UNCLASSIFIED)
    duplicate = Benchmark(
        name=SECRET_NAME, kind="treaty", security_marking=SecurityMarking.UNCLASSIFIED
    )
    assert_invalid(duplicate, "__all__", "A benchmark with this name and marking exists")
