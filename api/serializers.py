"""One serializer per model, all built on ScopedSerializer: the clearance scoping, the model's own
validation and the stale-edit check of the pages, for API clients."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from core.access import keep_hidden, visible
from core.forms import stamp
from core.models import VersionedModel
from core.references import guarded_relations, may_follow, unrestricted

# What the API says in place of the key of a record the caller may not see.
RESTRICTED = "restricted"
HIDDEN_REFERENCE = _(
    "This refers to a record you are not cleared to see, so you cannot change it; leave it out "
    "or send it back as “restricted”."
)

READ_ONLY = ("created_at", "created_by", "updated_at", "updated_by")


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
            if str(expected) != str(instance.version):
                raise serializers.ValidationError(
                    {
                        "version": _(
                            "Someone else changed this record (now at version %(current)s) "
                            "since version %(expected)s; fetch it again and reapply your changes."
                        )
                        % {"current": instance.version, "expected": expected}
                    }
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


def serializer_for(model_class, exclude=(), name=None):
    """A ScopedSerializer for a model: every field, the bookkeeping read-only. The name is the
    schema component's (the model's name unless it would clash with another)."""
    read_only = [name for name in READ_ONLY if _has(model_class, name)]
    if issubclass(model_class, VersionedModel):
        read_only.append("version")
    files = [f.name for f in model_class._meta.fields if isinstance(f, models.FileField)]
    meta = type(
        "Meta",
        (),
        {
            "model": model_class,
            **({"exclude": list(exclude)} if exclude else {"fields": "__all__"}),
            "read_only_fields": [*read_only, *files],
        },
    )
    name = f"{name or model_class.__name__}Serializer"
    return type(name, (ScopedSerializer,), {"Meta": meta, "__module__": __name__})


def _has(model_class, name) -> bool:
    return any(field.name == name for field in model_class._meta.get_fields())
