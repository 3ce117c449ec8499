"""Spreadsheet columns for delegation members."""

from django.utils.translation import gettext as _
from import_export import fields

from core.resources import ScopedResource, VisibleForeignKeyWidget
from rounds.resources import RoundWidget
from stakeholders.models import Delegation, DelegationMember, Organization, Person


class DelegationWidget(VisibleForeignKeyWidget):
    """A delegation written as its round and side: `canada-china-jchr:9:lead`."""

    related = ("round__dialogue",)

    def __init__(self, **kwargs):
        super().__init__(Delegation, **kwargs)

    def prefetch(self, values) -> None:
        self.rounds = RoundWidget()
        self.rounds.user = self.user
        self.rounds.prefetch([str(value).rpartition(":")[0] for value in values if value])
        delegations = self.get_queryset(None, None).filter(round__in=self.rounds.found.values())
        self.found = {(d.round_id, d.side): d for d in delegations}

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        round_text, _sep, side = str(value).rpartition(":")
        if self.found is None:
            self.rounds = RoundWidget()
            self.rounds.user = self.user
        round_ = self.rounds.clean(round_text, row=row, **kwargs)
        if round_ is None:
            found = None  # no round written before the side ("lead"): no delegation named
        elif self.found is not None:
            found = self.found.get((round_.pk, side))
        else:
            found = self.get_queryset(value, row, **kwargs).filter(round=round_, side=side).first()
        if found is None:
            raise ValueError(
                _(
                    "No delegation “%(value)s” that you may see (write the round, then lead or "
                    "partner, e.g. canada-china-jchr:9:lead)."
                )
                % {"value": value}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return f"{RoundWidget().render(value.round)}:{value.side}"


class DelegationMemberResource(ScopedResource):
    delegation = fields.Field(
        attribute="delegation", column_name="delegation", widget=DelegationWidget()
    )
    person = fields.Field(
        attribute="person",
        column_name="person",
        widget=VisibleForeignKeyWidget(Person, "full_name"),
    )
    organization = fields.Field(
        attribute="organization",
        column_name="organization",
        widget=VisibleForeignKeyWidget(Organization, "name"),
    )

    class Meta:
        model = DelegationMember
        fields = ["delegation", "person", "organization", "role", "position_at_time"]
        import_id_fields = ["delegation", "person", "organization"]
