"""Writes that span a round's records."""

from django.db import transaction
from django.db.models import Max

from core.access import visible
from core.forms import stamp
from core.models import SecurityMarking
from rounds.models import AgendaItem, Topic


def agenda_item_carry(*, round_, source, user) -> AgendaItem:
    """Put an agenda item of an earlier round on `round_`'s agenda, last: its wording, segment,
    who proposed and raised it, and the topics `user` may see on it (what was said about it stays
    with the earlier round). Marked at least as the round and as the item it comes from."""
    with transaction.atomic():
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
