"""Writes for rounds that are more than a form save: a case recorded as released after the
partner reported its release."""

from django.db import transaction

from core.forms import stamp
from core.models import StaleEdit, stored_version_if_stale
from rounds.models import CaseOfConcern, CaseRaising


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
