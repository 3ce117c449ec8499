"""The one way records reach a page: scoped to what the signed-in user may see."""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from core.references import unrestricted

# Other applications' models that name no record of the dialogues, open to all who may view
# them (roles in the account pages, kinds of record in the access log's filter).
UNRESTRICTED_ELSEWHERE = frozenset({"auth.group", "auth.permission", "contenttypes.contenttype"})


def visible(source, user) -> models.QuerySet:
    """A model's or queryset's rows the user may see.

    A model says who may see its rows with a `visible_to(user)` method on its queryset, or
    declares `unrestricted_reading = True` (reference data such as dialogues, topics and
    organizations: every user with the view permission reads all of it). A model that does
    neither is refused, so that a new model is never shown to everyone by omission."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    if is_unrestricted(queryset.model):
        return queryset
    raise ImproperlyConfigured(
        f"{queryset.model._meta.label} has no reading rule: give its queryset a "
        "visible_to(user) method, or declare unrestricted_reading = True on the model if "
        "everyone may read all of it."
    )


def is_unrestricted(model) -> bool:
    """Whether `model` is declared readable by all (see `visible`)."""
    return (
        getattr(model, "unrestricted_reading", False)
        or model._meta.label_lower in UNRESTRICTED_ELSEWHERE
    )


def get_visible_or_404(source, user, **lookup):
    """One record the user may see; anything else is a 404, so existence is not confirmed."""
    return get_object_or_404(visible(source, user), **lookup)


def can_view(user, model) -> bool:
    """Whether the user's role lets them read this kind of record at all."""
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def sees_everything_through(model, path: str, user) -> bool:
    """Whether every record reached along the lookup `path` from `model` is one the user may
    see whatever it is (no reference on the way leads to records above their reach).

    Sorting or searching along a path that fails this would order or match rows by the names
    and dates of records the user may not see, and so tell them bit by bit: the admin's lists
    and the product's lists (core.views.ListPage) offer neither along such a path."""
    from django.core.exceptions import FieldDoesNotExist

    from core.models import CaseOfficersOnly, SecurityMarking

    for part in path.lstrip("^=@-").split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True  # a lookup such as "icontains": the path has ended
        if not field.is_relation:
            return True
        model = field.related_model
        scoped = hasattr(model._default_manager.all(), "visible_to")
        cleared = set(user.visible_markings) >= set(SecurityMarking.values) and (
            user.is_case_officer or not issubclass(model, CaseOfficersOnly)
        )
        if scoped and not cleared:
            return False
    return True


def require_view(user, model) -> None:
    if not can_view(user, model):
        raise PermissionDenied


def record_access(request, obj) -> None:
    """Log that the user opened a Protected B record (append-only, for administrators).

    Within a request the record joins the request's reading, and `ReadingMiddleware` writes one
    entry for everything the request read; outside one, the entry is written now."""
    from django.contrib.contenttypes.models import ContentType

    from core import reading
    from core.models import AccessLogEntry, SecurityMarking

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


def delete_blocked_by_hidden(user, obj) -> bool:
    """Whether deleting `obj` would delete, change or be stopped by records the user may not see.

    Django's collector gathers what the delete would cascade to, set to null or be protected
    by; each of those must be visible to the user (through its model's `visible_to`). A link
    row of a many-to-many relation is as visible as the records at both of its ends, so a
    hidden record is not silently unlinked either. The answer is only yes or no: the caller
    says that hidden records depend on this one, never which or how many.
    """
    from django.contrib.admin.utils import NestedObjects
    from django.db import router

    collector = NestedObjects(using=router.db_for_write(type(obj), instance=obj))
    collector.collect([obj])
    touched = {}  # model -> primary keys the delete reaches
    batches = [*collector.data.values(), *collector.fast_deletes, [*collector.protected]]
    batches += [objs for updates in collector.field_updates.values() for objs in updates]
    for objs in batches:
        for model, pks in _reached(objs).items():
            touched.setdefault(model, set()).update(pks)
    return any(_any_hidden(user, model, pks) for model, pks in touched.items())


def _reached(objs) -> dict:
    """The records a batch of collected rows stands for: themselves, or a link row's ends."""
    if isinstance(objs, models.QuerySet):
        model = objs.model
        if model._meta.auto_created:
            links = [f for f in model._meta.concrete_fields if f.is_relation]
            rows = objs.values_list(*(f.attname for f in links))
            return {f.related_model: {row[i] for row in rows} for i, f in enumerate(links)}
        return {model: set(objs.values_list("pk", flat=True))}
    reached = {}
    for instance in objs:
        meta = instance._meta
        if meta.auto_created:
            for field in meta.concrete_fields:
                if field.is_relation:
                    ends = reached.setdefault(field.related_model, set())
                    ends.add(getattr(instance, field.attname))
        else:
            reached.setdefault(meta.model, set()).add(instance.pk)
    return reached


def _any_hidden(user, model, pks) -> bool:
    everything = model._default_manager.all()
    scoped = visible(everything, user)
    if not pks or scoped is everything:
        return False  # unmarked reference data is open to all
    return everything.filter(pk__in=pks).exclude(pk__in=scoped.values("pk")).exists()


def keep_hidden(user, instance, field_name, submitted) -> list:
    """What a many-to-many field holds after a user's edit: the records they submitted that
    they may see, and those already linked that they may not, which they could neither see
    nor remove."""
    submitted = list(submitted or [])
    everything = instance._meta.get_field(field_name).related_model._default_manager.all()
    scoped = visible(everything, user)
    if scoped is everything:
        return submitted  # unmarked reference data is open to all
    allowed = set(scoped.filter(pk__in=[o.pk for o in submitted]).values_list("pk", flat=True))
    kept = [o for o in submitted if o.pk in allowed]
    if instance.pk is None:
        return kept
    with unrestricted():
        hidden = list(getattr(instance, field_name).exclude(pk__in=scoped.values("pk")))
    return [*kept, *hidden]


def record_privilege_change(request, account, description: str) -> None:
    """Log a change to what an account may do (clearance, roles, flags, password), whatever
    the account's marking: who made it, to whom, and what changed."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AccessLogEntry

    AccessLogEntry.objects.create(
        user=request.user,
        username=request.user.get_username(),
        content_type=ContentType.objects.get_for_model(account),
        object_id=str(account.pk),
        object_repr=f"{account.get_username()}: {description}"[:250],
        path=request.get_full_path()[:500],
    )
