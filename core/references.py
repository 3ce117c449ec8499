"""References between records, read by someone: a reference the reader may not follow is shown
as a neutral placeholder, never by name or id.

A visible record can point at one the reader may not see: an Unclassified delegation headed by
a Protected B person, an action in a Protected B project, a raising of a case for someone who is
not a Case officer. Scoping the lists (`visible_to`) does not cover these, because the pointed-at
record is reached through the visible one. So the rule lives where every such reach goes through:
the foreign key's descriptor. While a request (or `reading_as`) names a reader, `action.project`
gives `RESTRICTED` when the reader may not see the project, in every template, table, export,
e-mail and message alike. Writes need the real records, so a model's own validation and saving
run `unrestricted()`; the API, whose bodies carry ids rather than objects, and forms, which must
keep such a reference rather than drop it, use `may_follow` below.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ManyToManyDescriptor,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

RESTRICTED_LABEL = _("restricted record")

# The request being answered (its user is read when needed: the API authenticates its caller
# after the middleware has run), or a user set by `reading_as`, or None: nobody is reading.
_reading = ContextVar("reading", default=None)
# Set while a model validates or saves itself: it needs the real records it refers to.
_internal = ContextVar("internal", default=False)


def current_reader():
    """The user the records are being shown to, or None when no one is."""
    reading = _reading.get()
    if reading is None:
        return None
    return getattr(reading, "user", None) if hasattr(reading, "META") else reading


@contextmanager
def reading_as(reader):
    """Show records as `reader` (a user, a request, or None for internal work) meanwhile."""
    token = _reading.set(reader)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def unrestricted():
    """Internal work on real records (validation, saving): no placeholders meanwhile. What
    such work says to the reader goes through `shown`."""
    token = _internal.set(True)
    try:
        yield
    finally:
        _internal.reset(token)


def may_follow(user, obj) -> bool:
    """Whether `user` may see the record `obj` (records with no rule of their own are open)."""
    rule = getattr(obj, "is_visible_to", None)
    return True if rule is None else rule(user)


def shown(obj):
    """`obj` as the current reader may see it: itself, or the placeholder."""
    reader = current_reader()
    if obj is None or reader is None or may_follow(reader, obj):
        return obj
    return Restricted(type(obj))


class Restricted:
    """Stands in for a record the reader may not see: it has no name, no id and no address.

    Any attribute read from it is the placeholder again, so `action.project.title` in a template
    or a table shows "restricted record" rather than failing.
    """

    pk = id = None
    is_restricted = True
    # Templates and tables check these on what they read; the answer is not the placeholder.
    alters_data = False
    do_not_call_in_templates = False

    def __init__(self, model):
        self._model = model

    def __str__(self):
        return str(RESTRICTED_LABEL)

    def __repr__(self):
        return f"<Restricted {self._model._meta.label}>"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        # A method read from it (`delegation.round.dialogue.side_name(side)` in a name) is the
        # placeholder again when called, not a failure of the page naming the record.
        return self

    def __iter__(self):
        return iter(())

    def __lt__(self, other):  # sorts last, beside anything
        return False

    def __gt__(self, other):
        return not isinstance(other, Restricted)

    def get_absolute_url(self):
        return None  # tables show the placeholder unlinked

    def is_visible_to(self, user):
        return False

    def _is_pk_set(self):
        # Saving a record that holds the placeholder in its cache: Django sees the key differ
        # from the record's own and drops the cached object, keeping the real key.
        return True

    def serializable_value(self, name):
        return None


class ReaderAwareForeignKey(ForwardManyToOneDescriptor):
    """`record.<reference>`: the referenced record, or RESTRICTED if the reader may not see it."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is None or value is None:
            return value
        reader = None if _internal.get() else current_reader()
        if reader is None or may_follow(reader, value):
            return value
        return Restricted(self.field.related_model)


class ReaderAwareManyToMany(ManyToManyDescriptor):
    """`record.<links>.all()`: only the linked records the reader may see (a list fetched ahead
    with prefetch_related is left whole; whoever prefetches scopes it, as the API does)."""

    @cached_property
    def related_manager_cls(self):
        manager_class = super().related_manager_cls

        class ReaderAwareManager(manager_class):
            def get_queryset(self):
                queryset = super().get_queryset()
                reader = None if _internal.get() else current_reader()
                if reader is None or queryset._result_cache is not None:
                    return queryset
                return queryset.visible_to(reader)

        return ReaderAwareManager


def guards_references(model) -> bool:
    """Whether records of `model` have a visibility rule, so references to them are guarded."""
    return hasattr(model, "is_visible_to")


def guarded_relations(model) -> list:
    """The foreign keys and many-to-many fields of `model` that point at guarded records."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.Field)  # not the reverse side of another model's relation
        and (field.many_to_one or field.many_to_many)
        and guards_references(field.related_model)
    ]


def install_reference_guards(models_) -> None:
    """Guard every foreign key that points at a model with a visibility rule."""
    for model in models_:
        # Link rows and history rows are the ORM's and simple-history's own bookkeeping, which
        # reads their references while it writes; pages read the records they stand for.
        if model._meta.auto_created or hasattr(model, "instance_type"):
            continue
        for field in model._meta.local_many_to_many:
            if guards_references(field.related_model) and not isinstance(
                model.__dict__.get(field.name), ReaderAwareManyToMany
            ):
                setattr(model, field.name, ReaderAwareManyToMany(field.remote_field, reverse=False))
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey) or field.remote_field.parent_link:
                continue
            if not guards_references(field.related_model):
                continue
            current = model.__dict__.get(field.name)
            if isinstance(current, ForwardManyToOneDescriptor) and not isinstance(
                current, ReaderAwareForeignKey
            ):
                setattr(model, field.name, ReaderAwareForeignKey(field))


class ReaderMiddleware:
    """Every request is read by its user: references they may not follow show as placeholders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reading_as(request):
            return self.get_response(request)
