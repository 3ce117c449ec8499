"""The Python-written choice widgets give the same HTML as Django's templates."""

from html.parser import HTMLParser

import pytest
from django import forms

from core import widgets

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


def test_the_select_matches_djangos():
    attrs = {"id": "id_country", "class": "x"}
    ours = widgets.Select(choices=CHOICES).render("country", "cn", attrs)
    theirs = forms.Select(choices=CHOICES).render("country", "cn", attrs)
    assert same_html(ours) == same_html(theirs)
    assert "China &amp; Taiwan" in ours


def test_the_checkbox_list_matches_djangos():
    attrs = {"id": "id_dialogue"}
    ours = widgets.CheckboxSelectMultiple(choices=CHOICES[1:]).render("d", ["ca", "fr"], attrs)
    theirs = forms.CheckboxSelectMultiple(choices=CHOICES[1:]).render("d", ["ca", "fr"], attrs)
    assert same_html(ours) == same_html(theirs)
    assert ours.count(" checked") == 2


def test_the_checkbox_list_matches_djangos_without_an_id_and_with_a_class():
    choices = [("a&b", '<Rights> & "law"'), ("", "None given")]
    attrs = {"class": "filters"}
    ours = widgets.CheckboxSelectMultiple(choices=choices).render("d", ["a&b"], attrs)
    theirs = forms.CheckboxSelectMultiple(choices=choices).render("d", ["a&b"], attrs)
    assert same_html(ours) == same_html(theirs)
    assert "&lt;Rights&gt; &amp; &quot;law&quot;" in ours


def test_a_single_select_marks_only_the_first_matching_choice():
    choices = [("x", "One"), ("x", "Same value")]
    ours = widgets.Select(choices=choices).render("s", "x", {})
    theirs = forms.Select(choices=choices).render("s", "x", {})
    assert same_html(ours) == same_html(theirs)
    assert ours.count(" selected") == 1


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
def test_the_inputs_drawn_in_python_match_djangos(django_widget, value):
    class Form(forms.Form):
        field = forms.CharField(widget=django_widget, required=False, help_text="Some help")

    theirs = Form(initial={"field": value})
    ours = Form(initial={"field": value})
    widgets.drawn_in_python(ours)
    assert type(ours.fields["field"].widget) is not type(theirs.fields["field"].widget)
    assert same_html(ours["field"]) == same_html(theirs["field"])
