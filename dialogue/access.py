"""The one way records reach a page: scoped to what the signed-in user may see."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404


def visible(source, user) -> models.QuerySet:
    """A model's or queryset's rows the user may see; unmarked reference data is open to all."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset


def get_visible_or_404(source, user, **lookup):
    """One record the user may see; anything else is a 404, so existence is not confirmed."""
    return get_object_or_404(visible(source, user), **lookup)


def can_view(user, model) -> bool:
    """Whether the user's role lets them read this kind of record at all."""
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def require_view(user, model) -> None:
    if not can_view(user, model):
        raise PermissionDenied


def record_access(request, obj) -> None:
    """Log that the user opened a Protected B record (append-only, for administrators).

    Within a request the record joins the request's reading, and `ReadingMiddleware` writes one
    entry for everything the request read; outside one, the entry is written now."""
    from django.contrib.contenttypes.models import ContentType

    from dialogue import reading
    from dialogue.models import AccessLogEntry, SecurityMarking

    if getattr(obj, "security_marking", None) != SecurityMarking.PROTECTED_B:
        return
    if reading.note_record(obj, named=True):
        return
    AccessLogEntry.objects.create(
        user=request.user,
        username=request.user.get_username(),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:250],
        records=f"{obj._meta.label_lower}: {obj.pk}",
        path=request.get_full_path()[:500],
    )
