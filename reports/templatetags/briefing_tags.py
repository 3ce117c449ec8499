"""The briefing pack's long tables, built in Python: a dialogue's pack lists hundreds of cases,
and a template loop's work for each cell was most of the page's time."""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def briefing_rows(rows, first_heads=False):
    """`<tr>` of escaped `<td>` for rows of text; the first cell a row header if `first_heads`."""
    lines = []
    for row in rows:
        cells = [f"<td>{escape(str(value))}</td>" for value in row]  # rows of plain text
        if first_heads and cells:
            cells[0] = f'<th scope="row">{escape(str(row[0]))}</th>'
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(lines))  # every value escaped above


@register.simple_tag
def briefing_facts(facts):
    """A `<dl class="facts">` of (label, text) pairs, the text's lines kept."""
    lines = [
        f"<dt>{conditional_escape(label)}</dt><dd>{_lines(text)}</dd>" for label, text in facts
    ]
    return mark_safe(f'<dl class="facts">{"".join(lines)}</dl>')  # every value escaped


def _lines(text) -> str:
    return "<br>".join(conditional_escape(line) for line in str(text).split("\n"))
