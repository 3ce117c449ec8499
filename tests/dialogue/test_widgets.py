"""The project's form renderer (core/renderers.py: Jinja2, with a few templates of its own)
draws the same HTML as Django's stock renderer."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from core.renderers import FormRenderer

CHOICES = [("", "---------"), ("ca", "Canada"), ("cn", "China & Taiwan"), ("fr", "France")]


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, sorted(attrs, key=lambda pair: pair[0])))

    def handle_endtag(self, tag):
        self.parts.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(("text", data.strip()))


def same_html(html: str) -> list:
    """The tags, their attributes in any order, and the text, whatever the spacing."""
    parser = _Parts()
    parser.feed(str(html))
    return parser.parts


def both(widget, name, value, attrs=None):
    """The widget drawn by the project's renderer and by Django's own templates."""
    ours = widget.render(name, value, attrs, renderer=FormRenderer())
    theirs = widget.render(name, value, attrs, renderer=DjangoTemplates())
    return ours, theirs


def test_the_select_matches_djangos():
    ours, theirs = both(
        forms.Select(choices=CHOICES), "country", "cn", {"id": "id_c", "class": "x"}
    )
    assert same_html(ours) == same_html(theirs)
    assert "China &amp; Taiwan" in ours
    assert ours.count(" selected") == 1


def test_the_checkbox_list_matches_djangos():
    widget = forms.CheckboxSelectMultiple(choices=CHOICES[1:])
    ours, theirs = both(widget, "d", ["ca", "fr"], {"id": "id_dialogue"})
    assert same_html(ours) == same_html(theirs)
    assert ours.count(" checked") == 2


def test_the_checkbox_list_matches_djangos_without_an_id_and_with_a_class():
    choices = [("a&b", '<Rights> & "law"'), ("", "None given")]
    widget = forms.CheckboxSelectMultiple(choices=choices)
    ours, theirs = both(widget, "d", ["a&b"], {"class": "filters"})
    assert same_html(ours) == same_html(theirs)
    assert "&lt;Rights&gt; &amp; " in ours  # escaped, read back as the text it was
    assert ("text", '<Rights> & "law"') in same_html(ours)


def test_a_single_select_marks_only_the_first_matching_choice():
    ours, theirs = both(forms.Select(choices=[("x", "One"), ("x", "Same value")]), "s", "x", {})
    assert same_html(ours) == same_html(theirs)
    assert ours.count(" selected") == 1


def test_grouped_choices_match_djangos():
    choices = [("Asia", [("cn", "China"), ("vn", "Viet Nam")]), ("ca", "Canada")]
    ours, theirs = both(forms.Select(choices=choices), "g", "vn", {"id": "id_g"})
    assert same_html(ours) == same_html(theirs)
    assert '<optgroup label="Asia">' in ours


@pytest.mark.django_db
def test_table_rows_writes_what_django_tables2s_own_loop_would(rf, analyst):
    """`{% table_rows %}` works a column's cell attributes out once; the cells are the same as
    django-tables2's per-cell loop (`{{ column.attrs.td.as_html }}` for every cell)."""
    from django.template import Context, Template

    from core.references import reading_as
    from rounds.models import Round
    from rounds.tables import RoundTable
    from tests.rounds.factories import RoundFactory

    RoundFactory(cities="Ottawa & Hull")
    RoundFactory(cities="<Beijing>")
    request = rf.get("/rounds/")
    request.user = analyst
    with reading_as(analyst):
        table = RoundTable(Round.objects.select_related("dialogue").order_by("pk"), request=request)
        table.paginate(per_page=50)
        ours = Template("{% load dialogue_tags %}{% table_rows table %}").render(
            Context({"table": table})
        )
        theirs = Template(
            "{% for row in table.paginated_rows %}<tr>{% for column, cell in row.items %}"
            "<td {{ column.attrs.td.as_html }}>{{ cell }}</td>{% endfor %}</tr>\n{% endfor %}"
        ).render(Context({"table": table}))
    assert "&lt;Beijing&gt;" in ours
    assert same_html(ours) == same_html(theirs)


LISTS = [
    "rounds:round_list",
    "rounds:topic_list",
    "rounds:case_list",
    "stakeholders:organization_list",
    "stakeholders:person_list",
    "stakeholders:consultation_list",
    "followup:project_list",
    "followup:action_list",
    "followup:benchmark_list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("clearance", ["protected_a", "protected_b"])
def test_every_lists_rows_are_what_django_tables2_would_draw(client, make_user, clearance):
    """core.tables.drawn_rows draws a column at a time what django-tables2 draws a cell at a
    time: for every list of the product, with records linked to each other, hidden or not."""
    from django.template import Context, Template
    from django.urls import reverse

    from core.references import reading_as
    from tests.dialogue.test_leaks import protected_world
    from tests.world import build_world

    build_world()
    protected_world()
    user = make_user("reader", ("analyst", "planner", "case_officer"), clearance=clearance)
    client.force_login(user)
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        table = response.context["table"]
        if name == "rounds:case_list" and clearance != "protected_b":
            continue  # every case of concern is Protected B
        assert len(table.paginated_rows) > 0, name
        with reading_as(user):
            ours = Template("{% load dialogue_tags %}{% table_rows table %}").render(
                Context({"table": table})
            )
            theirs = Template(
                "{% for row in table.paginated_rows %}<tr{% if table.row_attrs %} "
                "{{ row.attrs.as_html }}{% endif %}>{% for column, cell in row.items %}"
                "<td {{ column.attrs.td.as_html }}>{{ cell }}</td>{% endfor %}</tr>\n{% endfor %}"
            ).render(Context({"table": table}))
        assert same_html(ours) == same_html(theirs), name
        assert ours.count("<tr") == len(table.paginated_rows), name


@pytest.mark.parametrize(
    ("django_widget", "value"),
    [
        (forms.TextInput(), "Beijing & Lhasa"),
        (forms.TextInput(), None),
        (forms.NumberInput(), 10),
        (forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), "2026-09-14"),
        (forms.HiddenInput(), 3),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 3}), 'He said "no" <then> yes'),
        (forms.Textarea(), ""),
    ],
)
def test_the_inputs_match_djangos(django_widget, value):
    ours, theirs = both(django_widget, "field", value, {"id": "id_field", "required": True})
    assert same_html(ours) == same_html(theirs)


def test_a_field_is_drawn_with_its_label_errors_widget_and_help():
    class Form(forms.Form):
        city = forms.CharField(help_text="Where <it> was held", max_length=5)
        places = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )

    form = Form({"city": "Beijing & Lhasa"})
    assert not form.is_valid()
    city = same_html(form["city"].as_field_group())
    assert city[0] == ("div", [("class", "field has-error")])
    assert ("label", [("for", "id_city")]) in city
    assert ("text", "Where &lt;it&gt; was held") not in city  # escaped once, read as text
    assert ("text", "Where <it> was held") in city
    assert any(part[0] == "ul" for part in city)  # the error list
    places = same_html(form["places"].as_field_group())
    assert places[0] == ("fieldset", [("class", "field has-error")])
    assert ("legend", []) in places
