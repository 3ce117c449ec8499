"""generate_demo_data: the counts a scale asks for, the same data from the same seed, records
the models accept."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from demo import synthetic as demo
from followup.models import FollowUpAction
from rounds.models import AgendaItem, CaseRaising, Round
from stakeholders.models import DelegationMember

pytestmark = pytest.mark.django_db


def digest() -> str:
    rows = [
        *Round.objects.order_by("dialogue__slug", "number").values_list("start_date", "cities"),
        *AgendaItem.objects.order_by("round__start_date", "order").values_list("title", "segment"),
        *FollowUpAction.objects.order_by("title").values_list("title", "due_date", "status"),
        *CaseRaising.objects.order_by("case__name", "round__start_date").values_list("response"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def generated(seed):
    with transaction.atomic():
        demo.generate(scale=0.01, seed=seed)
        value = digest()
        transaction.set_rollback(True)
    return value


def test_a_scale_gives_its_counts_and_records_that_pass_validation():
    counts = demo.generate(scale=0.01)
    plan = demo.plan_for(0.01)
    assert counts["rounds"] == plan.dialogues * 25 == Round.objects.count()
    assert counts["agenda items"] == counts["rounds"] * 15
    assert counts["delegation members"] == counts["rounds"] * 2 * 12
    assert DelegationMember.objects.count() == counts["delegation members"]
    assert counts["actions"] == 300 and counts["cases"] == 50
    for model in (Round, AgendaItem, FollowUpAction, CaseRaising):
        for record in model.objects.all()[:30]:
            record.full_clean()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    assert generated(7) == generated(7)
    assert generated(7) != generated(8)


def test_the_command_refuses_a_second_load_and_a_bad_scale():
    with pytest.raises(CommandError, match="scale"):
        call_command("generate_demo_data", "--scale", "0")
    call_command("generate_demo_data", "--scale", "0.005")
    with pytest.raises(CommandError, match="already loaded"):
        call_command("generate_demo_data", "--scale", "0.005")
