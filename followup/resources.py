"""Spreadsheet columns for follow-up actions."""

from import_export import fields

from core.resources import ScopedResource, VisibleForeignKeyWidget
from followup.models import FollowUpAction, FollowUpProject
from rounds.resources import RoundWidget
from stakeholders.models import Organization, Person


class FollowUpActionResource(ScopedResource):
    round = fields.Field(attribute="round", column_name="round", widget=RoundWidget())
    project = fields.Field(
        attribute="project",
        column_name="project",
        widget=VisibleForeignKeyWidget(FollowUpProject, "title"),
    )
    owner_organization = fields.Field(
        attribute="owner_organization",
        column_name="owner_organization",
        widget=VisibleForeignKeyWidget(Organization, "name"),
    )
    owner_person = fields.Field(
        attribute="owner_person",
        column_name="owner_person",
        widget=VisibleForeignKeyWidget(Person, "full_name"),
    )

    class Meta:
        model = FollowUpAction
        fields = [
            "round",
            "project",
            "title",
            "description",
            "owner_organization",
            "owner_person",
            "due_date",
            "status",
            "completed_on",
            "security_marking",
        ]
        import_id_fields = ["round", "title"]
