"""`send_followup_reminders`: each assignee hears of their due actions, once a day at most."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from followup.models import Reminder
from tests.followup.factories import FollowUpActionFactory
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def round_():
    return RoundFactory(start_date=datetime.date(2020, 1, 1))


def action(round_, days_from_today, **extra):
    due = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return FollowUpActionFactory(round=round_, due_date=due, **extra)


def run(*args) -> str:
    out = StringIO()
    call_command("send_followup_reminders", *args, stdout=out)
    return out.getvalue()


def test_each_assignee_gets_one_email_with_their_overdue_and_soon_actions(make_user, round_):
    dana = make_user("dana", "planner", email="dana@example.gc.ca")
    eve = make_user("eve", "officer", email="eve@example.gc.ca")
    action(round_, -3, title="Send the statistics", assignee=dana)
    action(round_, 5, title="Invite the judges", assignee=dana)
    action(round_, 30, title="Far off", assignee=dana)
    action(round_, 1, title="Book the room", assignee=eve)
    action(
        round_,
        -1,
        title="Already done",
        assignee=eve,
        status="done",
        completed_on=timezone.localdate(),
    )
    output = run("--days", "7")
    assert "Sent 2 e-mail(s) about 3 action(s)" in output
    by_recipient = {message.to[0]: message for message in mail.outbox}
    dana_mail = by_recipient["dana@example.gc.ca"]
    assert "2 follow-up actions need you" in dana_mail.subject
    overdue, soon = dana_mail.body.split("Due soon:")
    assert "Send the statistics" in overdue
    assert "Invite the judges" in soon
    assert "Far off" not in dana_mail.body
    assert "/followup/actions/?mine=true" in dana_mail.body
    assert "Already done" not in by_recipient["eve@example.gc.ca"].body


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(make_user, round_):
    dana = make_user("dana", "planner", email="dana@example.gc.ca")
    action(round_, -3, assignee=dana)
    run()
    assert "Sent 0 e-mail(s) about 0 action(s); 1 action(s) already reminded" in run()
    assert len(mail.outbox) == 1
    Reminder.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    run()
    assert len(mail.outbox) == 2


def test_a_failed_send_leaves_the_action_for_the_next_run(make_user, round_, monkeypatch):
    dana = make_user("dana", "planner", email="dana@example.gc.ca")
    action(round_, -3, assignee=dana)

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("followup.services.send_mail", refuse)
    with pytest.raises(OSError):
        run()
    assert not Reminder.objects.exists()


def test_actions_with_nobody_to_email_are_listed(make_user, round_):
    make_user("nomail", "planner")
    lonely = action(round_, -3, title="Nobody's job")
    output = run()
    assert f"#{lonely.pk}" in output
    assert "Nobody's job" in output
    assert mail.outbox == []


def test_an_email_never_names_a_protected_b_action(make_user, round_):
    low = make_user("low", "planner", email="low@example.gc.ca", clearance="protected_a")
    high = make_user("high", "planner", email="high@example.gc.ca", clearance="protected_b")
    action(round_, -3, title="Above low's clearance", assignee=low, security_marking="protected_b")
    action(round_, -3, title="Secret detail", assignee=high, security_marking="protected_b")
    run()
    assert [message.to for message in mail.outbox] == [["high@example.gc.ca"]]
    body = mail.outbox[0].body
    assert "Secret detail" not in body
    assert "an action marked Protected B; sign in to see it" in body


def test_mine_and_overdue_lists(client, make_user, round_):
    dana = make_user("dana", "planner", email="dana@example.gc.ca")
    client.force_login(dana)
    action(round_, -3, title="Mine and late", assignee=dana)
    action(round_, 3, title="Mine, not late", assignee=dana)
    action(round_, -3, title="Someone else's")
    mine = client.get("/followup/actions/?mine=true").text
    assert "Mine and late" in mine and "Mine, not late" in mine
    assert "Someone else" not in mine
    late = client.get("/followup/actions/overdue/").text
    assert "Mine and late" in late and "Someone else" in late
    assert "Mine, not late" not in late


def test_a_reminder_is_written_in_the_assignees_language(make_user, round_):
    claire = make_user("claire", "planner", email="claire@example.gc.ca", language="fr")
    action(round_, -3, title="Envoyer les textes", assignee=claire)
    run()
    (message,) = mail.outbox
    assert message.subject == "Suivi des dialogues : 1 mesure de suivi vous attend"
    assert message.body.startswith("Bonjour claire,")
    assert "En retard :" in message.body
    assert "/fr/followup/actions/?mine=true" in message.body
