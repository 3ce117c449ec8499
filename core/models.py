"""What every app's models share: who made a record and when, its security marking, the
sides of a dialogue, and how precisely a date is known."""

import calendar
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import reading
from core.references import unrestricted


class SecurityMarking(models.TextChoices):
    """Government of Canada markings, lowest first; a user sees records at or below their own."""

    UNCLASSIFIED = "unclassified", _("Unclassified")
    PROTECTED_A = "protected_a", _("Protected A")
    PROTECTED_B = "protected_b", _("Protected B")

    @classmethod
    def at_or_below(cls, clearance: str) -> list[str]:
        """The markings a user with this clearance may see."""
        return list(_AT_OR_BELOW.get(clearance, ()))


# What each clearance may see, made once: every reference a page follows asks (core/references.py).
_ALL_MARKINGS = tuple(SecurityMarking.values)
_AT_OR_BELOW = {value: _ALL_MARKINGS[: at + 1] for at, value in enumerate(_ALL_MARKINGS)}


CASE_OFFICERS = "Case officers"
ADMINISTRATORS = "Administrators"


class User(AbstractUser):
    """A person who signs in; their clearance bounds the records they see."""

    clearance = models.CharField(
        _("clearance"),
        max_length=16,
        choices=SecurityMarking.choices,
        default=SecurityMarking.UNCLASSIFIED,
        help_text=_("The highest security marking this user may see."),
    )
    # Kept for Django's own checks; it follows the role and grants nothing by itself
    # (core/sites.py decides who enters the admin).
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_(
            "Follows the role: administrators, and the roles whose records are still kept in "
            "the administration pages, are staff."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The official language of the e-mails this user receives."),
    )

    # Who granted whom which clearance is evidence too; secrets are not kept.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    # Accounts are named to everyone with the view permission (an action's assignee, who
    # changed a record), whatever their clearance (core.access.visible).
    unrestricted_reading = True

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        """How the product names a user to others: the full name, else the username."""
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The names of the user's roles, read once a request (the layout asks for two)."""
        return frozenset(self.groups.values_list("name", flat=True))

    @cached_property
    def is_case_officer(self) -> bool:
        return self.is_superuser or CASE_OFFICERS in self.role_names

    @cached_property
    def is_administrator(self) -> bool:
        return administers(is_superuser=self.is_superuser, role_names=self.role_names)

    @cached_property
    def enters_admin(self) -> bool:
        return enters_admin(is_superuser=self.is_superuser, role_names=self.role_names)

    @property
    def visible_markings(self) -> list[str]:
        if self.is_superuser:
            return list(_ALL_MARKINGS)
        return SecurityMarking.at_or_below(self.clearance)


# Roles whose records have no page of their own in the product yet (cases of concern and their
# raisings; benchmarks and their events): they keep the admin, where their model permissions
# show them those records only, until the product covers their work. Dialogue officers and
# analysts work in the product's pages alone.
STILL_IN_THE_ADMIN = frozenset({CASE_OFFICERS, "Follow-up planners"})


def administers(*, is_superuser: bool, role_names) -> bool:
    """Who administers: superusers and the Administrators role."""
    return is_superuser or ADMINISTRATORS in role_names


def enters_admin(*, is_superuser: bool, role_names) -> bool:
    """Who enters the admin site, and so is staff: those who administer, and the roles whose
    records are still kept there (STILL_IN_THE_ADMIN)."""
    return administers(is_superuser=is_superuser, role_names=role_names) or bool(
        STILL_IN_THE_ADMIN & set(role_names)
    )


def within_clearance(user, *paths: str) -> Q:
    """The condition that marked records are at or below the user's clearance: the record's own
    marking, or that of each related record reached through `paths` ("round",
    "agenda_items__round"). The join form of `MarkedQuerySet.visible_to`, for conditions on
    related rows (`Count(..., filter=...)`, `Exists`, lookups across relations); the caller has
    already checked that the user is signed in (and, for cases, a Case officer)."""
    markings = user.visible_markings
    if not paths:
        return Q(security_marking__in=markings)
    return Q(**{f"{path}__security_marking__in": markings for path in paths})


class MarkedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The only way marked records reach a page: those at or below the user's clearance."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(within_clearance(user))


class CaseQuerySet(MarkedQuerySet):
    def visible_to(self, user):
        """Cases of concern: Case officers only, and within their clearance."""
        if not getattr(user, "is_case_officer", False):
            return self.none()
        return super().visible_to(user)


class CaseOfficersOnly:
    """The one-record form of `CaseQuerySet.visible_to`, for the models that use it."""

    def is_visible_to(self, user) -> bool:
        return getattr(user, "is_case_officer", False) and super().is_visible_to(user)


class Side(models.TextChoices):
    """Which party to a dialogue did something: the lead party (e.g. Canada) or the partner."""

    LEAD = "lead", _("Lead party")
    PARTNER = "partner", _("Partner party")
    JOINT = "joint", _("Both parties")


class DatePrecision(models.TextChoices):
    """How much of a stored date is known; sources often give only a month or a year."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def period_bounds(value: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day that a date known to ``precision`` may stand for."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    return value, value


class PreciseDates:
    """A model whose dates are known to the precision in its `date_precision` field: a date
    known to the month or the year is stored as the first day of that period, whatever day was
    typed, so that "October 2008" is one value however it was entered.

    Every path that saves goes through here: validation (forms, the admin, the API, the
    spreadsheet and reference-data imports) and `save()`; a raw load (the dialogue exchange)
    calls `date_precision_apply()` itself. Put first among the bases, so that its `save()` runs.
    """

    precise_dates: tuple[str, ...] = ("date",)  # the fields known to `date_precision`

    def date_precision_apply(self) -> list[str]:
        """Set each date to the first day of its period; the names of the fields changed."""
        changed = []
        for name in self.precise_dates:
            value = getattr(self, name)
            if not isinstance(value, datetime.date):
                continue  # empty, or not yet read as a date (the field reports it)
            first = period_bounds(value, self.date_precision)[0]
            if first != value:
                setattr(self, name, first)
                changed.append(name)
        return changed

    def clean_fields(self, exclude=None):
        # Before the model's own checks (end after start, within the dialogue's years), so
        # that they compare what will be stored.
        try:
            super().clean_fields(exclude)
        finally:
            self.date_precision_apply()

    def save(self, *args, **kwargs):
        changed = self.date_precision_apply()
        if changed and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *changed}
        return super().save(*args, **kwargs)


class TrackedModel(models.Model):
    """Records who created and last changed a row, and when."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Saving and validating work on the real records referred to, whoever is reading.
        with unrestricted():
            return super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        with unrestricted():
            return super().full_clean(*args, **kwargs)


def reader_language() -> str:
    """The two-letter code of the language the page is being read in."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


class NamedInLanguages:
    """A record named in English (`name`), French (`name_fr`) and Chinese (`name_zh`), and
    perhaps with an acronym in each official language (`acronym`, `acronym_fr`).

    Shown in the reader's language, falling back to English where no French name is recorded;
    the Chinese name is shown beside it where the work needs it.
    """

    def name_in(self, language: str | None = None) -> tuple[str, str]:
        """The name to show and the language it is in."""
        if (language or reader_language()) == "fr" and self.name_fr:
            return self.name_fr, "fr"
        return self.name, "en"

    @property
    def display_name(self) -> str:
        return self.name_in()[0]

    @property
    def display_acronym(self) -> str:
        if reader_language() == "fr" and getattr(self, "acronym_fr", ""):
            return self.acronym_fr
        return getattr(self, "acronym", "")


class MarkedModel(TrackedModel):
    """A tracked record that carries a security marking."""

    security_marking = models.CharField(
        _("security marking"),
        max_length=16,
        choices=SecurityMarking.choices,
        default=SecurityMarking.UNCLASSIFIED,
        help_text=_("Only users cleared at this level or above will see the record."),
    )

    objects = MarkedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        # Every marked record a request reads, however it reads it, labels the page and is
        # access-logged if Protected B (core/reading.py).
        record = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        reading.note_record(record)
        return record

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        errors = {}
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        with unrestricted():
            errors.update(self.references_above_marking(exclude or ()))
        if errors:
            raise ValidationError(errors)

    def references_above_marking(self, exclude) -> dict:
        """A record may not come to refer to one marked above itself: its readers could not
        follow the reference (SECURITY.md). A reference it already had is left alone."""
        from core.references import guarded_relations

        rank = SecurityMarking.values.index
        own = rank(self.security_marking) if self.security_marking in SecurityMarking else 0
        fields = [
            f
            for f in guarded_relations(type(self))
            if not f.many_to_many and f.name not in exclude and getattr(self, f.attname)
        ]
        if not fields:
            return {}
        before = {}
        if self.pk is not None:
            before = (
                type(self)._base_manager.filter(pk=self.pk).values(*(f.attname for f in fields))
            ).first() or {}
        errors = {}
        for field in fields:
            if getattr(self, field.attname) == before.get(field.attname):
                continue
            target = getattr(self, field.name)
            marking = getattr(target, "security_marking", None)
            if marking in SecurityMarking and rank(marking) > own:
                errors[field.name] = _(
                    "This record is marked %(own)s, so it cannot refer to a record marked "
                    "%(target)s: its readers could not follow the reference. Mark this record "
                    "%(target)s or choose another."
                ) % {
                    "own": SecurityMarking(self.security_marking).label,
                    "target": SecurityMarking(marking).label,
                }
        return errors

    def is_visible_to(self, user) -> bool:
        """The one-record form of `visible_to`: whether this record is within the user's reach."""
        return getattr(user, "is_authenticated", False) and (
            self.security_marking in user.visible_markings
        )


class StaleEdit(Exception):
    """A save was based on a version of the record that someone else has since changed."""


# What a removal that lost the race with someone else's save says (the admin's and the API's;
# the pages' rows say what changed, VersionCheckedRemovals).
REMOVAL_RACED = _(
    "Someone else changed this record since you opened it, so it was not deleted. Check it as "
    "it is now, and delete it again if you still mean to."
)


def stored_version_if_stale(record, expected) -> int | None:
    """The version `record` is at now, if a change prepared from version `expected` would
    overwrite someone else's; None if `expected` is still current.

    The one check that the pages, the admin (VersionCheckedForm) and the API (ScopedSerializer)
    make before saving; the guarded UPDATE of `VersionedModel.save` settles a race between this
    check and the save. Each caller first refuses a change that names no version at all."""
    current = type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True)
    current = current.first()
    if current is None or str(current) == str(expected):
        return None
    return current


class VersionedModel(models.Model):
    """Optimistic locking: a save succeeds only if the row is still at the version it was read at.

    Forms carry the version they were shown (`expected_version`), to save or to remove a record;
    the save and the removal are guarded in the database as well, so two writes racing past the
    form check still cannot both win.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        expected = self.version
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using).filter(pk=self.pk)
        with transaction.atomic(using=using):
            # Raising the version only where it is still the one read both checks it and holds
            # the row until the save commits: a racing save waits here, then finds it changed.
            if not rows.filter(version=expected).update(version=expected + 1) and rows.exists():
                raise StaleEdit(f"{self._meta.label} {self.pk} changed since version {expected}")
            self.version = expected + 1
            try:
                return super().save(*args, **kwargs)
            except BaseException:
                self.version = expected
                raise

    def delete(self, *args, **kwargs):
        """Remove the record if it is still at the version it was read at (StaleEdit if not):
        a removal decided on what someone else has since changed would destroy their change."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using).filter(pk=self.pk)
        with transaction.atomic(using=using):
            # The row is held until the removal commits: a save racing it waits.
            stored = rows.select_for_update().values_list("version", flat=True).first()
            if stored is not None and stored != self.version:
                label = f"{self._meta.label} {self.pk}"
                raise StaleEdit(f"{label} changed since version {self.version}")
            return super().delete(*args, **kwargs)


def named_version(expected) -> int | None:
    """The version `expected` names, as a form or a query string sends it; None if it is no
    whole number ("²" is a digit to isdigit() but no number to int(), which reads at most
    4300 digits)."""
    text = str(expected) if expected is not None else ""
    if not text.isdecimal():
        return None
    try:
        return int(text)
    except ValueError:
        return None


def remove_as_read(record, *, expected_version) -> None:
    """Remove `record` as its remover read it: a versioned record only while it is still at
    `expected_version`, the version they were shown (StaleEdit if someone has changed it since,
    or if they name no version). The removal the admin and the API make; the pages' rows check
    theirs in their forms (VersionCheckedForm)."""
    if isinstance(record, VersionedModel):
        version = named_version(expected_version)
        if version is None:
            raise StaleEdit(f"{record._meta.label} {record.pk}: no version named for its removal")
        record.version = version  # what delete() holds the stored row to
    record.delete()


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The entries the user may read: those naming a case of concern or its raising (by
        name, number or address) are for Case officers only, as the records are."""
        if getattr(user, "is_case_officer", False):
            return self
        from django.apps import apps

        named = Q()
        for model in apps.get_models():
            if issubclass(model, CaseOfficersOnly):
                meta = model._meta
                named |= Q(
                    content_type__app_label=meta.app_label, content_type__model=meta.model_name
                )
                named |= Q(records__contains=f"{meta.label_lower}:")
        return self.exclude(named) if named else self

    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """Who read which Protected B records, and when: one entry a request. Append-only."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150)
    # Empty when a request read records of several kinds; `records` names them all.
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("record as shown"), max_length=250)
    records = models.TextField(
        _("records read"),
        blank=True,
        help_text=_("Every Protected B record the request read, by kind and number."),
    )
    path = models.CharField(_("address"), max_length=500)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class TableVersion(models.Model):
    """A number that changes whenever a table a cached report reads is written
    (core/reportcache.py): raised by a database trigger, in the writer's own transaction, for
    every statement that writes to the table, whoever runs it."""

    table = models.CharField(_("table"), max_length=63, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("table version")
        verbose_name_plural = _("table versions")

    def __str__(self) -> str:
        return f"{self.table} {self.version}"


class FormSubmission(models.Model):
    """A create form's one-time token, kept once the records it created were saved
    (core/submissions.py): the same form sent again, by a second click on Save or a browser
    resending it, answers as the first sending did rather than creating the records twice.

    The token is unique: of two sendings racing, the second waits in the database for the
    first's transaction, then finds its token taken and creates nothing."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # The record the form created (a form of several rows: one of them), and where the first
    # sending led.
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of record"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    url = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.token} {self.at:%Y-%m-%d %H:%M}"
