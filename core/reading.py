"""What a request showed: every marked record it read, gathered in one place.

Every marked record read from the database is noted here (`MarkedModel.from_db`, and the
versions `core.history.visible_history` yields), whatever read it: a list, an export, the
API, the admin, a report. At the end of the request `ReadingMiddleware` uses the reading twice:

- the page's security banner, top and bottom, shows the highest marking among the records the
  page read (`<!--marking-->` in the layout is filled in once the page is built);
- one access-log entry names every Protected B record the request read.

Only records at a marking the reader may see count: a record read to be shown as a
"restricted record" placeholder was not shown. A part of a page (a section of the briefing
pack) can be read in its own `reading()` to label that part; its records count for the page too.
"""

import contextlib
import dataclasses
import functools
from collections import defaultdict
from contextvars import ContextVar

from django.db import models
from django.utils.html import escape

# core.models notes every record it loads here, so this module imports it only when run.
ORDER = ["unclassified", "protected_a", "protected_b"]  # SecurityMarking's values, lowest first
UNCLASSIFIED, PROTECTED_B = ORDER[0], ORDER[-1]
# Filled in by ReadingMiddleware; HTML comments, so a record's (escaped) text cannot forge them.
MARKING = "<!--marking-->"
MARKING_VALUE = "<!--marking-value-->"
MARKING_HEADER = "X-Security-Marking"

_readings: ContextVar[tuple["Reading", ...]] = ContextVar("readings", default=())


class Reading:
    """The marked records one request (or one part of a page) read."""

    def __init__(self):
        self.markings: set[str] = set()
        # (model, pk) -> how the record was named on the page (None: by kind and number), for
        # the Protected B ones
        self.protected: dict[tuple[type, object], object] = {}
        # Records read without their marking (`.only()`): looked up when it is needed.
        self.unmarked: dict[type, set] = defaultdict(set)

    def add(self, model, pk, marking, shown_as=None) -> None:
        if marking is None:
            self.unmarked[model].add(pk)
            return
        # A plain string: the page's header carries it, and a WSGI server takes no other type
        # (a SecurityMarking member from a record made in Python is one).
        self.markings.add(str(marking))
        key = (model, pk)
        named = shown_as is not None or key not in self.protected
        if marking == PROTECTED_B and model is not None and named:
            self.protected[key] = shown_as

    def _resolve(self) -> None:
        for model, pks in self.unmarked.items():
            found = model._base_manager.filter(pk__in=pks).values_list("pk", "security_marking")
            for pk, marking in found:
                self.add(model, pk, marking)
        self.unmarked.clear()

    def highest(self, user) -> str:
        """The highest marking the user was shown (Unclassified if none)."""
        self._resolve()
        seen = self.markings & set(getattr(user, "visible_markings", ()))
        return max(seen, key=ORDER.index, default=UNCLASSIFIED)

    def protected_records(self, user) -> dict:
        self._resolve()
        if PROTECTED_B not in getattr(user, "visible_markings", ()):
            return {}
        return self.protected

    def kept(self) -> tuple:
        """What was read, as plain values to keep with a cached report and `replay` when it is
        served again: the markings, and the Protected B records with how each was named."""
        self._resolve()
        return (
            sorted(self.markings),
            [
                (model._meta.label_lower, pk, shown_as)
                for (model, pk), shown_as in self.protected.items()
            ],
        )


def _repr(model, pk, shown_as) -> str:
    return shown_as or f"{model._meta.verbose_name} #{pk}"


@contextlib.contextmanager
def reading():
    """Note the marked records read inside the block, in a reading of their own as well as in
    every reading already open (the request's)."""
    scope = Reading()
    token = _readings.set((*_readings.get(), scope))
    try:
        yield scope
    finally:
        _readings.reset(token)


def note(model, pk, marking, shown_as=None) -> bool:
    """Note a record read; False if no reading is open (outside a request)."""
    scopes = _readings.get()
    for scope in scopes:
        scope.add(model, pk, marking, shown_as)
    return bool(scopes)


def replay(kept: tuple) -> None:
    """Note again, in the readings open now, what a cached report read when it was built
    (`Reading.kept`): the page's banner and the access log are as if it had been built again."""
    from django.apps import apps

    markings, protected = kept
    for marking in markings:
        note(None, None, marking)
    for label, pk, shown_as in protected:
        note(apps.get_model(label), pk, PROTECTED_B, shown_as)


def note_record(record, *, named: bool = False) -> bool:
    """Note a record read; `named` if the page names it (its own page), so the log does too.
    (Naming every record read would cost queries: a name may come from related records.)"""
    if record.pk is None:
        return False
    marking = record.__dict__.get("security_marking")  # absent if deferred: not read now
    shown_as = str(record)[:250] if named and _readings.get() else None
    return note(record._meta.concrete_model, record.pk, marking, shown_as)


def log(request, found: Reading):
    """One access-log entry for the request, naming every Protected B record it read."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AccessLogEntry

    protected = found.protected_records(request.user)
    if not protected:
        return None
    by_model = defaultdict(list)
    for model, pk in protected:
        by_model[model].append(pk)
    kinds = list(by_model)
    single = len(protected) == 1
    if single:
        (((model, pk), shown_as),) = protected.items()
        described = _repr(model, pk, shown_as)
    else:
        described = "; ".join(
            f"{len(pks)} × {model._meta.verbose_name_plural}" for model, pks in by_model.items()
        )
    return AccessLogEntry.objects.create(
        user=request.user,
        username=request.user.get_username(),
        content_type=ContentType.objects.get_for_model(kinds[0]) if len(kinds) == 1 else None,
        object_id=str(next(iter(protected))[1]) if single else "",
        object_repr=described[:250],
        records="; ".join(
            f"{model._meta.label_lower}: {', '.join(str(pk) for pk in sorted(pks, key=str))}"
            for model, pks in sorted(by_model.items(), key=lambda pair: pair[0]._meta.label)
        ),
        path=request.get_full_path()[:500],
    )


def label_page(response, marking: str) -> None:
    """Fill the layout's security banners with the page's marking; label every response (a
    download too: a Word document, a spreadsheet) with it in the `X-Security-Marking` header."""
    response[MARKING_HEADER] = marking
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode(response.charset)
    if MARKING not in body:
        return
    from core.models import SecurityMarking

    label = escape(str(SecurityMarking(marking).label))
    body = body.replace(MARKING_VALUE, marking).replace(MARKING, label)
    response.content = body.encode(response.charset)


class ReadingMiddleware:
    """Opens the request's reading; at the end labels the page with the highest marking it
    showed and writes one access-log entry for its Protected B records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reading() as found:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            # A form sent back with its errors (400) shows the records it holds, as a page does.
            succeeded = response.status_code <= 400
            if succeeded and getattr(user, "is_authenticated", False):
                log(request, found)
            marking = found.highest(user) if succeeded else UNCLASSIFIED
            label_page(response, marking)
        return response


def section_marking(user, *sources) -> str:
    """The highest marking the user is shown among the records in `sources` (records, lists,
    dicts, querysets, dataclasses) and those loaded with them (select_related, prefetched)."""
    found = Reading()
    _walk(sources, found, set(), 0)
    return found.highest(user)


@functools.cache
def _is_marked(model) -> bool:
    return any(field.name == "security_marking" for field in model._meta.concrete_fields)


def _walk(value, found: Reading, seen: set, depth: int) -> None:
    if depth > 8 or id(value) in seen or isinstance(value, (str, bytes, int, float)):
        return
    seen.add(id(value))
    if isinstance(value, models.Model):
        if _is_marked(type(value)):
            marking = value.__dict__.get("security_marking")
            found.add(value._meta.concrete_model, value.pk, marking)
        related = [
            *value._state.fields_cache.values(),
            *getattr(value, "_prefetched_objects_cache", {}).values(),
        ]
        _walk(related, found, seen, depth + 1)
        return
    for marking in getattr(value, "shown_markings", ()):  # text built from records
        found.add(None, None, marking)
    if isinstance(value, dict):
        value = list(value.values())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = [getattr(value, field.name) for field in dataclasses.fields(value)]
    elif isinstance(value, models.QuerySet):
        value = list(value)  # fills its cache: the template reads the same rows
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _walk(item, found, seen, depth + 1)
