"""The briefing pack as a Word document (python-docx): a briefing note an officer can edit and
send up, with the page's sections, headings and markings, in the reader's language.

It writes what `reports.briefing.briefing_pack` read for the page, in the same order; every
string is the page's own message (the same msgids), so the two read alike in either language.
The marking heads and foots every page of the document (its header and footer), with the page
number."""

import functools
import io
import re
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from core.formats import written_period
from core.models import SecurityMarking

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NONE = "—"


def docx_response(*, round_, title: str, marking: str, pack: dict) -> HttpResponse:
    """The pack as a .docx download, labelled with its marking (the `X-Security-Marking`
    header, as core.reading labels every response)."""
    content = briefing_document(round_=round_, title=title, marking=marking, pack=pack)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    name = slugify(f"briefing {round_.dialogue.slug} {round_.number or round_.start_date}")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


# The styles the pack writes with (by style id), and those Word needs whatever a document holds.
USED_STYLES = {"Normal", "Title", "Heading1", "Heading2", "ListBullet", "ListNumber", "TableGrid"}
USED_STYLES |= {"Header", "Footer"}  # the header and footer that carry the marking


@functools.cache
def _template() -> bytes:
    """python-docx's default template, cut to the styles the pack uses. Its styles part is
    438 KB, with a second copy for Word 2010 (stylesWithEffects) and hundreds of latent
    styles: read for every document and written back into it, it cost more than the pack's
    own text. What a kept style is based on, followed by or linked to is kept with it."""
    word = Document()
    word.styles["Normal"].font.size = Pt(10.5)
    styles = {style.style_id: style for style in word.styles}
    keep, todo = set(), [*USED_STYLES]
    while todo:
        style_id = todo.pop()
        if style_id in keep or style_id not in styles:
            continue
        keep.add(style_id)
        element = styles[style_id].element
        todo += [
            ref.get(qn("w:val"))
            for tag in ("w:basedOn", "w:next", "w:link")
            for ref in element.findall(qn(tag))
        ]
    for style_id, style in styles.items():
        if style_id not in keep and style.element.get(qn("w:default")) not in ("1", "true"):
            style.delete()
    for latent in list(word.styles.latent_styles):
        latent.delete()
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            word.part.drop_rel(rel_id)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def briefing_document(*, round_, title: str, marking: str, pack: dict) -> bytes:
    word = Document(io.BytesIO(_template()))
    word.core_properties.title = _xml_text(title)
    word.core_properties.language = f"{get_language() or 'en'}-CA"
    _marking_header(word, SecurityMarking(marking).label)
    document = _Body()
    document.add_heading(title, level=0)
    sections = pack["sections"]
    sides = pack["sides"]

    _section(document, sections["summary"])
    _facts(
        document,
        [
            (_("Dialogue"), round_.dialogue.display_name),
            (
                _("Dates"),
                written_period(round_.start_date, round_.end_date, round_.date_precision),
            ),
            (_("Place"), round_.cities or NONE),
            (_("Status"), round_.get_status_display()),
            (_("Marking of the whole pack"), SecurityMarking(marking).label),
        ],
    )
    document.add_heading(_("Delegations and their heads"), level=2)
    for delegation, head, side in pack["delegations"]:
        line = f"{side}: " + (str(head) if head else _("head not recorded"))
        if delegation.head_title:
            line += f", {delegation.head_title}"
        if delegation.head_rank:
            line += f" — {_('rank:')} {delegation.get_head_rank_display()}"
        document.add_paragraph(line, style="List Bullet")
    if not pack["delegations"]:
        document.add_paragraph(_("No delegations recorded yet."), style="List Bullet")
    head_rank = pack["head_rank"]
    document.add_paragraph(
        _("Rank of the head of %(partner)s's delegation at earlier rounds:")
        % {"partner": sides["partner"]}
        + " "
        + (head_rank.earlier_text or _("not recorded"))
    )
    if head_rank.dropped:
        document.add_paragraph(
            _(
                "%(partner)s has lowered the rank of its head of delegation since the "
                "previous round."
            )
            % {"partner": sides["partner"]},
            bold=True,
        )
    document.add_heading(_("Agenda"), level=2)
    for segment, items in pack["segments"].items():
        document.add_paragraph(segment, bold=True)
        for item in items:
            document.add_paragraph(item.title, style="List Bullet")
    if not pack["segments"]:
        document.add_paragraph(_("No agenda recorded."))
    document.add_heading(_("Three things to press"), level=2)
    document.add_paragraph(
        _("The oldest commitments of %(partner)s on this agenda's topics that are still open.")
        % {"partner": sides["partner"]}
    )
    for commitment in pack["to_press"]:
        line = f"{commitment.text} (" + _("undertaken at round %(round)s") % {
            "round": commitment.round_text
        }
        if commitment.due_text:
            line += f"; {_('due by')} {commitment.due_text}"
        document.add_paragraph(line + ")", style="List Number")
    if not pack["to_press"]:
        document.add_paragraph(_("No open commitment on these topics."), style="List Number")

    _section(document, sections["topics"])
    for brief in pack["topic_briefs"]:
        document.add_heading(brief.topic.display_name, level=2)
        _facts(document, brief.facts)
    if not pack["topic_briefs"]:
        document.add_paragraph(_("No agenda recorded."))

    _section(document, sections["ngo"])
    document.add_heading(_("Consultations held"), level=2)
    _table(
        document,
        [_("Date"), _("Kind"), _("Organizations"), _("Summary")],
        [
            (c.date_text, c.get_kind_display(), c.organizations_text or NONE, c.summary or NONE)
            for c in pack["consultations"]
        ],
        _("No consultation since the last round."),
    )
    document.add_heading(_("Requests still unanswered"), level=2)
    _table(
        document,
        [_("Request"), _("Made at")],
        [(r.text, r.made_at_text) for r in pack["unanswered_requests"]],
        _("Every request has its answer."),
    )

    _section(document, sections["materials"])
    partner_language = pack["partner_language"]
    _table(
        document,
        [
            _("Material"),
            _("Round"),
            _("Provided by"),
            _("Languages"),
            _("In the language of %(partner)s") % {"partner": sides["partner"]},
        ],
        [
            (
                row.material.title,
                str(row.round_text),
                row.side,
                row.languages,
                _("Missing") if row.missing else (_("Yes") if partner_language else NONE),
            )
            for row in pack["materials"]
        ],
        _("No materials recorded for this round or the last."),
    )

    if pack["cases"] is not None:
        _section(document, sections["cases"])
        _table(
            document,
            [_("Case"), _("Last raised"), _("Answer"), _("Answer received"), _("Days to answer")],
            pack["cases"],
            _("No cases raised in this dialogue."),
        )

    _section(document, sections["actions"])
    actions, count = pack["open_actions"], pack["open_action_count"]
    if count > len(actions):
        document.add_paragraph(
            ngettext(
                "The %(shown)s due soonest of %(count)s open action.",
                "The %(shown)s due soonest of %(count)s open actions.",
                count,
            )
            % {"shown": len(actions), "count": count}
        )
    _table(
        document,
        [_("Action"), _("From"), _("Assigned to"), _("Owner"), _("Due"), _("Status")],
        actions,
        _("No open actions."),
    )
    document.insert_into(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _section(document, section) -> None:
    """A section's heading and its marking, as on the page."""
    document.add_heading(section.title, level=1)
    document.add_paragraph(f"{_('Section marking:')} {section.marking_label}", italic=True)


def _facts(document, facts) -> None:
    """Label and value pairs, as a two-column table without borders, the labels in bold."""
    rows = "".join(_row((label, value), bold=(True, False)) for label, value in facts)
    document.add_table(rows, columns=2, style="")


def _table(document, headings, rows, empty: str) -> None:
    """A table with a head row that repeats on each page it runs onto."""
    rows = list(rows)
    if not rows:
        document.add_paragraph(empty)
        return
    head = _row(headings, bold=(True,) * len(headings), header=True)
    body = "".join(_row(row) for row in rows)
    document.add_table(head + body, columns=len(headings), style="TableGrid")


# The document is written as WordprocessingML text and parsed once: python-docx's writing,
# paragraph by paragraph and cell by cell (each looking its style up), took seconds for a
# pack's hundreds of cases. The styles are those of python-docx's default template.
HEADING_STYLES = {0: "Title", 1: "Heading1", 2: "Heading2"}
LIST_STYLES = {"List Bullet": "ListBullet", "List Number": "ListNumber"}
# Characters XML 1.0 cannot hold (the C0 controls but tab, line feed and carriage return, the
# surrogates and the two non-characters U+FFFE and U+FFFF): a user can type them into a name,
# and lxml refuses the whole document for one of them.
_INVALID_XML = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")


def _xml_text(value) -> str:
    """`value` as text that XML can hold: what it cannot is left out."""
    return _INVALID_XML.sub("", str(value))


class _Body:
    """The document's body, block by block, as XML text."""

    def __init__(self):
        self.blocks = []

    def add_heading(self, text, level: int) -> None:
        self.blocks.append(_paragraph(text, style=HEADING_STYLES[level]))

    def add_paragraph(self, text="", style=None, *, bold=False, italic=False) -> None:
        self.blocks.append(
            _paragraph(text, style=LIST_STYLES.get(style, style), bold=bold, italic=italic)
        )

    def add_table(self, rows: str, *, columns: int, style: str) -> None:
        styled = f'<w:tblStyle w:val="{style}"/>' if style else ""
        grid = "<w:gridCol/>" * columns
        self.blocks.append(
            f'<w:tbl><w:tblPr>{styled}<w:tblW w:w="5000" w:type="pct"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
        )

    def insert_into(self, word) -> None:
        """Put these blocks in place of the template's body, followed by what it held (its
        section properties, which name the header and footer, come last in a body). The body is
        parsed and put in place whole: moving its thousands of blocks in one at a time took
        most of the document's time."""
        parsed = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.blocks)}</w:body>")
        body = word.element.body
        parsed.extend(list(body))
        body.getparent().replace(body, parsed)


def _runs(value, *, bold=False, italic=False) -> str:
    lines = _xml_text(value).split("\n")
    properties = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    texts = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{properties}{texts}</w:r>"


def _paragraph(text, *, style=None, bold=False, italic=False) -> str:
    styled = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = _runs(text, bold=bold, italic=italic) if str(text) else ""
    return f"<w:p>{styled}{runs}</w:p>"


def _row(values, *, bold=None, header=False) -> str:
    bold = bold or (False,) * len(values)
    cells = "".join(
        f"<w:tc><w:p>{_runs(value, bold=strong)}</w:p></w:tc>"
        for value, strong in zip(values, bold, strict=True)
    )
    properties = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    return f"<w:tr>{properties}{cells}</w:tr>"


def _marking_header(document, label: str) -> None:
    """The marking at the top and the foot of every page; the page number in the footer."""
    section = document.sections[0]
    text = f"{_('Security marking')}: {label}"
    top = section.header.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    top.add_run(text).bold = True
    bottom = section.footer.paragraphs[0]
    bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bottom.add_run(text).bold = True
    numbers = section.footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbers.add_run(_("Page") + " ")
    _field(numbers, "PAGE")
    numbers.add_run(" / ")
    _field(numbers, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
