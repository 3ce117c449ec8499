"""The continuity matrix's cells, built in Python: at scale a page holds thousands of links,
and each round's link (its address included) is made once per page rather than once per cell."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _round_link(round_, url: str, several_dialogues: bool) -> tuple[str, str]:
    """The link to a round, split where the agenda item's id goes. Where the matrix shows
    several dialogues, the short label names the round's dialogue ("JCHR 8", not "R8")."""
    label = str(round_)
    if several_dialogues:
        number = round_.number or date_format(round_.start_date, "M")
        short = f"{round_.dialogue} {number}"  # its acronym, or its name
    elif round_.number:
        # Translators: a round's short label in the continuity matrix: R4 is the fourth round.
        short = _("R%(number)s") % {"number": round_.number}
    else:
        short = date_format(round_.start_date, "M")
    # Escaped by hand rather than through format_html: a matrix holds a thousand rounds.
    label, short = escape(label), escape(short)
    before = f'<a href="{escape(url)}#item-'
    after = (
        f'" title="{label}"><span aria-hidden="true">{short}</span>'
        f'<span class="visually-hidden">{label}</span></a>'
    )
    return before, after


@register.simple_tag(takes_context=True)
def continuity_cells(context, row):
    """One `<td>` per year: a link to each round that raised the topic that year, shaded by
    how many rounds did (three or more share the darkest shade)."""
    links = context.render_context.setdefault("continuity_links", {})
    not_raised = format_html(
        '<td class="cell"><span class="visually-hidden">{}</span></td>', _("not raised")
    )
    cells = []
    for cell in row.cells:
        if not cell.rounds:
            cells.append(not_raised)
            continue
        anchors = []
        for round_, items in cell.rounds:
            if round_.pk not in links:
                links[round_.pk] = _round_link(
                    round_, round_.get_absolute_url(), row.scope.several_dialogues
                )
            before, after = links[round_.pk]
            anchors.append(f"{before}{int(items[0])}{after}")
        cells.append(f'<td class="cell h{min(cell.count, 3)}">{"".join(anchors)}</td>')
    return mark_safe("".join(cells))  # every part above is escaped or an integer
