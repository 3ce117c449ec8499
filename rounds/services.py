"""Writes that span a round's records: an agenda item carried to a later round; a case
recorded as released after the partner reported its release."""

from django.db import transaction
from django.db.models import Max

from core.access import visible
from core.forms import stamp
from core.models import SecurityMarking, StaleEdit, stored_version_if_stale
from rounds.models import AgendaItem, CaseOfConcern, CaseRaising, Round, Topic


def wording(title: str) -> str:
    """An agenda line's wording, whatever its case and spacing."""
    return " ".join(title.casefold().split())


def agenda_item_carry(*, round_, source, user) -> AgendaItem | None:
    """Put an agenda item of an earlier round on `round_`'s agenda, last: its wording, segment,
    who proposed and raised it, and the topics `user` may see on it (what was said about it stays
    with the earlier round). Marked at least as the round and as the item it comes from.

    None if an item of that wording is already on the agenda (the same click sent twice)."""
    with transaction.atomic():
        # One carry at a time for a round: a second one waits here, then finds the item.
        Round.objects.select_for_update().filter(pk=round_.pk).first()
        titles = AgendaItem.objects.filter(round=round_).values_list("title", flat=True)
        if wording(source.title) in {wording(title) for title in titles}:
            return None
        order = AgendaItem.objects.filter(round=round_).aggregate(top=Max("order"))["top"] or 0
        item = AgendaItem(
            round=round_,
            order=order + 1,
            title=source.title,
            segment=source.segment,
            proposed_by=source.proposed_by,
            raised_by=source.raised_by,
            security_marking=max(
                [source.security_marking, round_.security_marking],
                key=SecurityMarking.values.index,
            ),
        )
        stamp(item, user, is_new=True)
        item.save()
        item.topics.set(visible(Topic, user).filter(agenda_items=source))
    return item


def case_release_unrecorded(case, raisings) -> bool:
    """Whether one of these raisings of `case` reports a release that the case's own status
    does not yet show (it stays "Detained" until someone says otherwise)."""
    return case.status != CaseOfConcern.Status.RELEASED and any(
        raising.response == CaseRaising.Response.RELEASE_REPORTED for raising in raisings
    )


def case_mark_released(*, case, user, expected_version) -> None:
    """Record `case` as released, from the version the user confirmed; StaleEdit if someone
    has changed it since."""
    with transaction.atomic():
        if stored_version_if_stale(case, expected_version) is not None:
            raise StaleEdit(f"case {case.pk} changed since version {expected_version}")
        case.status = CaseOfConcern.Status.RELEASED
        stamp(case, user, is_new=False)
        case.save()
