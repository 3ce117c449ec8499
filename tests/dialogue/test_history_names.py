"""History pages name the records they speak of (scoped: "restricted record" for one the reader
may not see), never by key: not "dialogue: — → 1", not "Round #12"."""

import re

import pytest
from django.urls import reverse

from core.models import SecurityMarking
from tests.followup.factories import FollowUpActionFactory, FollowUpProjectFactory
from tests.rounds.factories import DialogueFactory, RoundFactory

pytestmark = pytest.mark.django_db

PB = SecurityMarking.PROTECTED_B


def text_of(page) -> str:
    main = page.text.split('<main id="main-content">', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def history_of(client, record):
    meta = record._meta
    return client.get(reverse("record_history", args=[meta.app_label, meta.model_name, record.pk]))


def test_a_records_history_names_its_references_and_not_its_key(make_user, client):
    round_ = RoundFactory(dialogue=DialogueFactory(name="Joint Committee", acronym="JCHR"))
    hidden = FollowUpProjectFactory(title="CANARY hidden project", security_marking=PB)
    action = FollowUpActionFactory(round=round_, project=hidden, title="Send the list")
    client.force_login(make_user("una", "analyst", clearance="unclassified"))
    text = text_of(history_of(client, round_))
    assert "dialogue : — → JCHR" in text
    assert "ID :" not in text
    text = text_of(history_of(client, action))
    assert f"arising from round : — → {round_}" in text
    assert "project : — → restricted record" in text
    assert "CANARY" not in text and f"→ {hidden.pk} " not in text


def test_recent_changes_name_each_record(make_user, client):
    round_ = RoundFactory(dialogue=DialogueFactory(acronym="JCHR"))
    hidden = FollowUpProjectFactory(title="CANARY hidden project", security_marking=PB)
    gone = FollowUpActionFactory(round=round_, title="Gone action")
    gone.delete()
    client.force_login(make_user("ada", "administrator", clearance="protected_a"))
    page = client.get(reverse("recent_changes"))
    text = text_of(page)
    assert str(round_) in text
    assert "a deleted record" in text
    assert not re.search(r"#\d+", text)
    assert "CANARY" not in text and hidden.title not in text


@pytest.mark.parametrize("rows", [1, 10])
def test_recent_changes_take_a_fixed_number_of_queries(
    make_user, client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        FollowUpActionFactory()
    client.force_login(make_user("ada", "administrator", clearance="protected_b"))
    with django_assert_max_num_queries(40):
        assert client.get(reverse("recent_changes")).status_code == 200
