"""Spreadsheet columns for delegation members."""

from django.utils.translation import gettext as _
from import_export import fields

from dialogue.resources import RoundWidget, ScopedResource, VisibleForeignKeyWidget
from stakeholders.models import Delegation, DelegationMember, Organization, Person


class DelegationWidget(VisibleForeignKeyWidget):
    """A delegation written as its round and side: `canada-china-jchr:9:lead`."""

    def __init__(self, **kwargs):
        super().__init__(Delegation, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        round_text, _sep, side = str(value).rpartition(":")
        rounds = RoundWidget()
        rounds.user = self.user
        round_ = rounds.clean(round_text, row=row, **kwargs)
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
