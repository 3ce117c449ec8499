"""Who may manage which account, and what they may grant: the rules the user admin enforces.

Nobody changes their own clearance, roles, permissions or admin flags; only a superuser makes,
edits or resets the password of a superuser; anyone else grants at most their own clearance,
the roles and permissions they hold themselves, and cannot touch a more-cleared account. The
Case officer role opens cases of concern whatever the permissions say, so it counts as
clearance: only a Case officer grants it, or edits an account that has it. Staff status is
not granted by hand: it follows the Administrators role (`staff_status`).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from core.models import CASE_OFFICERS, SecurityMarking, enters_admin

# The fields that say what an account may do; nobody edits them on their own account.
PRIVILEGES = ("clearance", "is_superuser", "is_staff", "groups", "user_permissions")
# History keeps a change reason of at most this many characters (django-simple-history).
REASON_LENGTH = 100


def may_manage(actor, account) -> bool:
    """Whether the actor may edit the account, or reset its password."""
    if actor.is_superuser:
        return True
    if account.is_superuser or (account.is_case_officer and not actor.is_case_officer):
        return False
    return account.clearance in SecurityMarking.at_or_below(actor.clearance)


def grantable_markings(actor) -> list[str]:
    """The clearances the actor may give: at most their own."""
    return actor.visible_markings


def held_permissions(actor):
    """The permissions the actor holds, directly or through a role."""
    if actor.is_superuser:
        return Permission.objects.all()
    return Permission.objects.filter(Q(user=actor) | Q(group__user=actor)).distinct()


def grantable_groups(actor):
    """The roles the actor may give: those whose every permission the actor holds."""
    if actor.is_superuser:
        return Group.objects.all()
    not_held = Permission.objects.exclude(pk__in=held_permissions(actor).values("pk"))
    groups = Group.objects.exclude(permissions__in=not_held)
    return groups if actor.is_case_officer else groups.exclude(name=CASE_OFFICERS)


def staff_status(account, form) -> bool:
    """Whether the account is staff once the user form is saved: exactly when it enters the
    admin, with the roles the form gives it (or keeps, when the form may not change them)."""
    if "groups" in form.cleaned_data:
        role_names = {group.name for group in form.cleaned_data["groups"]}
    elif account.pk:
        role_names = set(account.groups.values_list("name", flat=True))
    else:
        role_names = set()
    return enters_admin(is_superuser=account.is_superuser, role_names=role_names)


def privilege_changes(form) -> list[str]:
    """What a saved user form changes in the account's privileges, one phrase each."""
    changes = []
    for name in ("clearance", "is_superuser", "is_staff"):
        if name in form.changed_data:
            changes.append(f"{name} {form.initial.get(name)} → {form.cleaned_data[name]}")
    for name in ("groups", "user_permissions"):
        if name in form.changed_data:
            before = {_label(item) for item in form.initial.get(name) or []}
            after = {_label(item) for item in form.cleaned_data[name]}
            delta = [f"+{label}" for label in sorted(after - before)]
            delta += [f"-{label}" for label in sorted(before - after)]
            changes.append(f"{name} {' '.join(delta)}")
    return changes


def change_reason(changes: list[str]) -> str:
    """The changes as one history change reason, cut to the length history keeps."""
    reason = "; ".join(changes)
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"


def _label(item) -> str:
    if isinstance(item, Permission):
        return f"{item.content_type.app_label}.{item.codename}"
    return str(item)
