"""core.tables.drawn_rows against django-tables2 in French, with hostile data, values
outside the choices, a nullable choice field and a choice reached through a relation."""

import django_tables2 as tables
import pytest
from django.db import DataError, IntegrityError, models, transaction
from django.template import Context, Template
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import translation
from django_tables2.data import TableListData

from tests.dialogue.test_widgets import LISTS, same_html

HOSTILE = '<script>alert("x")</script> & \'q\' "dq" &amp; &lt;'

THEIRS = (
    "{% for row in table.paginated_rows %}<tr{% if table.row_attrs %} "
    "{{ row.attrs.as_html }}{% endif %}>{% for column, cell in row.items %}"
    "<td {{ column.attrs.td.as_html }}>{{ cell }}</td>{% endfor %}</tr>\n{% endfor %}"
)


def both(table):
    ours = Template("{% load dialogue_tags %}{% table_rows table %}").render(
        Context({"table": table})
    )
    theirs = Template(THEIRS).render(Context({"table": table}))
    return ours, theirs


def _poison():
    """Every text field of every record hostile; every choice field a value no choice has."""
    from django.apps import apps

    for app in ("rounds", "followup", "stakeholders"):
        for model in apps.get_app_config(app).get_models():
            updates = {}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.is_relation:
                    continue
                if field.choices and isinstance(field, models.CharField):
                    if field.name != "security_marking":  # keep the clearance scoping
                        updates[field.name] = "bogus<&>"[: field.max_length]
                elif isinstance(field, models.CharField) and not field.choices:
                    if field.name.endswith(("code", "country")) or field.unique:
                        continue
                    updates[field.name] = HOSTILE[: field.max_length or 1000]
                elif isinstance(field, models.TextField):
                    updates[field.name] = HOSTILE
            for name, value in updates.items():  # one at a time: check constraints may refuse
                try:
                    with transaction.atomic():
                        model._base_manager.update(**{name: value})
                except (IntegrityError, DataError):
                    pass


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("hostile", [False, True])
def test_every_list_in_french_and_with_hostile_data(client, make_user, language, hostile):
    from core.references import reading_as
    from tests.dialogue.test_leaks import protected_world
    from tests.world import build_world

    build_world()
    protected_world()
    if hostile:
        _poison()
    user = make_user("reader", ("analyst", "planner", "case_officer"), clearance="protected_b")
    client.force_login(user)
    for name in LISTS:
        with translation.override(language):
            response = client.get(reverse(name))
            assert response.status_code == 200, name
            table = response.context["table"]
            with reading_as(user):
                ours, theirs = both(table)
        assert same_html(ours) == same_html(theirs), name
        assert "<script>" not in ours, name
        if name == "followup:action_list" and not hostile:
            from followup.models import FollowUpAction

            statuses = set(table.data.data.values_list("status", flat=True))
            with translation.override(language):
                labels = {str(FollowUpAction.Status(s).label) for s in statuses}
            with translation.override("en"):
                english = {str(FollowUpAction.Status(s).label) for s in statuses}
            assert labels and all(label in ours for label in labels)
            assert (labels != english) == (language == "fr"), (labels, english)
        if hostile:
            assert "&lt;script&gt;" in response.content.decode() or name in (
                "followup:benchmark_list",
            ), name


@isolate_apps("core")
def test_nullable_unknown_and_related_choices_match_django_tables2():
    class Owner(models.Model):
        """Not migrated: instances only."""

        class Rank(models.IntegerChoices):
            ONE = 1, "One <1>"
            TWO = 2, "Two & two"

        rank = models.IntegerField(choices=Rank.choices, null=True)
        status = models.CharField(max_length=8, choices=[("a", "Ay"), ("b", "Bee")])

        class Meta:
            app_label = "core"
            managed = False

        def __str__(self):
            return str(self.pk)

    class Child(models.Model):
        owner = models.ForeignKey(Owner, null=True, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"
            managed = False

        def __str__(self):
            return str(self.pk)

    class ChildTable(tables.Table):
        rank = tables.Column(accessor="owner__rank")
        status = tables.Column(accessor="owner__status")

        class Meta:
            model = Child
            fields = ()

    class OwnerTable(tables.Table):
        rank = tables.Column()
        status = tables.Column()

        class Meta:
            model = Owner
            fields = ()

    class _List(list):
        """A list that says its model, as a queryset does (drawn_rows reads table.data.model)."""

    owners = [
        Owner(pk=1, rank=1, status="a"),
        Owner(pk=2, rank=None, status="zz<&>"),
        Owner(pk=3, rank=7, status=""),
    ]
    children = [Child(pk=i, owner=o) for i, o in enumerate(owners)] + [Child(pk=9, owner=None)]
    owners, children = _List(owners), _List(children)
    owners.model, children.model = Owner, Child
    for table in (OwnerTable(TableListData(owners)), ChildTable(TableListData(children))):
        table.paginate(per_page=50)
        ours, theirs = both(table)
        assert same_html(ours) == same_html(theirs)
        assert str(ours).strip() == str(theirs).strip(), (ours, theirs)
