"""What every resource of the API shares: ScopedSerializer and ScopedViewSet apply the clearance
scoping, the model's own validation and the stale-edit check of the pages, for API clients.

The resources themselves (one serializer and one viewset per model, each naming its fields) are in
each domain app's api.py; api/urls.py gives them their addresses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status, viewsets

from core.access import delete_blocked_by_hidden, keep_hidden, record_access, visible
from core.filters import scope_filters
from core.forms import changes_described, changes_said, stamp
from core.models import (
    REMOVAL_RACED,
    StaleEdit,
    VersionedModel,
    named_version,
    remove_as_read,
    stored_version_if_stale,
)
from core.permissions import RolePermissions
from core.references import guarded_relations, may_follow, unrestricted

# What the API says in place of the key of a record the caller may not see.
RESTRICTED = "restricted"
HIDDEN_REFERENCE = _(
    "This refers to a record you are not cleared to see, so you cannot change it; leave it out "
    "or send it back as “restricted”."
)


class ScopedSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """A model serializer for one signed-in user.

    Related records can only be chosen among those the user may see, and a record can only be
    marked at a level the user is cleared for. The model's `clean()` runs, so an API client gets
    the same messages, naming the same fields, as the forms. A versioned record refuses an
    update that names a version someone else has since replaced.
    """

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return fields  # the schema generator describes the fields for nobody in particular
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and not field.read_only:
                relation.queryset = visible(queryset, user)
        marking = fields.get("security_marking")
        if marking is not None and not marking.read_only:
            marking.choices = {
                value: label
                for value, label in marking.choices.items()
                if value in user.visible_markings
            }
        return fields

    def to_representation(self, instance):
        """The record, with each reference to a record the caller may not see given as
        "restricted" rather than its key (references are fetched with the records: see
        ScopedViewSet.get_queryset)."""
        data = super().to_representation(instance)
        user = self.context["request"].user
        for field in guarded_relations(type(instance)):
            if field.name not in data:
                continue
            if field.many_to_many:
                data[field.name] = [
                    obj.pk if may_follow(user, obj) else RESTRICTED
                    for obj in getattr(instance, field.name).all()
                ]
            elif getattr(instance, field.attname) is not None and not may_follow(
                user, getattr(instance, field.name)
            ):
                data[field.name] = RESTRICTED
        return data

    def to_internal_value(self, data):
        # A reference sent back as it was read ("restricted") stays as it is.
        if self.instance is not None and hasattr(data, "items"):
            data = {
                name: value
                for name, value in data.items()
                if not (value == RESTRICTED and name in self._hidden_references())
            }
        return super().to_internal_value(data)

    def _hidden_references(self) -> set[str]:
        """The single references of the record being updated that the caller may not see
        (worked out once a request: both the parsing and the validation ask)."""
        if getattr(self, "_hidden", None) is None:
            self._hidden = self._find_hidden_references()
        return self._hidden

    def _find_hidden_references(self) -> set[str]:
        user = self.context["request"].user
        with unrestricted():
            return {
                field.name
                for field in guarded_relations(type(self.instance))
                if not field.many_to_many
                and getattr(self.instance, field.attname) is not None
                and not may_follow(user, getattr(self.instance, field.name))
            }

    def validate(self, attrs):
        if self.instance is not None:
            # As in the forms, a reference the caller may not see is kept: they may neither
            # drop it nor replace it, since they cannot tell what it is.
            kept = self._hidden_references() & set(attrs)
            if kept:
                raise serializers.ValidationError(
                    {name: [HIDDEN_REFERENCE] for name in sorted(kept)}
                )
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance
        if issubclass(model, VersionedModel) and instance is not None:
            expected = self.initial_data.get("version") if hasattr(self, "initial_data") else None
            if expected in (None, ""):
                # Without it, the change would overwrite whatever someone else saved meanwhile.
                raise serializers.ValidationError(
                    {
                        "version": _(
                            "This field is required to save a change: send the version you "
                            "read (now %(current)s), so that nobody's change is overwritten."
                        )
                        % {"current": instance.version}
                    }
                )
            current = stored_version_if_stale(instance, expected)
            if current is not None:
                refused = _(
                    "Someone else changed this record (now at version %(current)s) "
                    "since version %(expected)s; fetch it again and reapply your changes."
                ) % {"current": current, "expected": expected}
                raise serializers.ValidationError(
                    {"version": [refused, *self._changes_since(instance, expected)]}
                )
        plain = {k: v for k, v in attrs.items() if not _is_many(model, k)}
        # Validate on a fresh copy, so that a refused update leaves the record untouched.
        candidate = model._base_manager.get(pk=instance.pk) if instance is not None else model()
        for name, value in plain.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=_many_names(model), validate_constraints=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return attrs

    def _changes_since(self, instance, expected) -> list[str]:
        """What changed since the version the caller read, and who changed it, one change a
        line, as the pages' stale-edit message says (of the versions the caller may see)."""
        version = named_version(expected)
        if version is None:
            return []
        return changes_described(instance, version, user=self.context["request"].user)

    def create(self, validated_data):
        user = self.context["request"].user
        instance = self.Meta.model()
        stamp(instance, user, is_new=True)
        many = {
            k: validated_data.pop(k) for k in list(validated_data) if _is_many(self.Meta.model, k)
        }
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        user = self.context["request"].user
        stamp(instance, user, is_new=False)
        for name in _many_names(self.Meta.model):
            if name in validated_data:
                validated_data[name] = keep_hidden(user, instance, name, validated_data[name])
        return super().update(instance, validated_data)


def _many_names(model) -> list[str]:
    return [field.name for field in model._meta.many_to_many]


def _is_many(model, name) -> bool:
    return name in _many_names(model)


class InUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records depend on this one, so it cannot be deleted.")
    default_code = "in_use"


class HiddenDependents(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "Records you cannot see depend on this one, so it cannot be deleted; ask someone "
        "cleared to see them."
    )
    default_code = "hidden_dependents"


class Stale(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "Someone else saved this record at the same moment; your changes were not saved. "
        "Fetch it again and reapply them."
    )
    default_code = "stale"


class ScopedFilterBackend(DjangoFilterBackend):
    """The FilterSet's choices of related records are those the caller may see, so filtering
    by a hidden record's key is refused as for a key that does not exist."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            scope_filters(filterset, request.user)
        return filterset


class ScopedSchema(AutoSchema):
    """The generated schema, which names the version a removal of a versioned record sends
    (`ScopedViewSet.perform_destroy`) as required, on those records' removals alone."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "DELETE" and issubclass(self.view.model, VersionedModel):
            version = OpenApiParameter(
                "version",
                int,
                OpenApiParameter.QUERY,
                required=True,
                description=_(
                    "The version of the record you read: it is deleted only if nobody has "
                    "changed it since."
                ),
            )
            parameters = [*parameters, version]
        return parameters


class ScopedViewSet(viewsets.ModelViewSet):
    """List, read, create, update and delete one model, for the roles that may.

    A subclass names its model with `queryset = Model.objects.none()`: the router and the schema
    read the model from it, and the records served are only ever those of `get_queryset`, the
    ones the user may see (`visible_to`). Many-to-many links are fetched in one query each, so a
    page of results costs the same number of queries whatever its size.
    """

    permission_classes = [RolePermissions]
    filter_backends = [ScopedFilterBackend]
    lookup_value_converter = "int"
    schema = ScopedSchema()

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self):
        queryset = visible(self.model, self.request.user)
        many = [field.name for field in self.model._meta.many_to_many]
        if many:
            queryset = queryset.prefetch_related(*many)
        # Read with the records, so that a reference the caller may not see is told apart
        # without a query per record.
        single = [f.name for f in guarded_relations(self.model) if not f.many_to_many]
        if single:
            queryset = queryset.select_related(*single)
        return self.annotate(queryset).order_by(*(self.model._meta.ordering or []), "pk")

    def annotate(self, queryset):
        return queryset

    def retrieve(self, request, *args, **kwargs):
        record_access(request, self.get_object())
        return super().retrieve(request, *args, **kwargs)

    def perform_update(self, serializer):
        try:
            super().perform_update(serializer)
        except StaleEdit as error:  # lost the race between the version check and the save
            raise Stale from error

    def perform_destroy(self, instance):
        if delete_blocked_by_hidden(self.request.user, instance):
            raise HiddenDependents
        expected = self.request.query_params.get("version")
        if isinstance(instance, VersionedModel) and named_version(expected) is None:
            # Without it, the removal would destroy whatever someone else saved meanwhile.
            message = _(
                "Send the version of the record you read, as a whole number (it is now "
                "%(current)s), to delete it: so that nobody's change is lost unseen."
            )
            raise serializers.ValidationError(
                {"version": [message % {"current": instance.version}]}
            )
        try:
            remove_as_read(instance, expected_version=expected)
        except ProtectedError as error:
            raise InUse from error
        except StaleEdit as error:  # saved by someone else between the reading and the removal
            changes = changes_said(instance, named_version(expected), user=self.request.user)
            raise Stale(f"{REMOVAL_RACED} {changes}".strip(), code="stale") from error
