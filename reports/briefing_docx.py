"""The briefing pack as a Word document (python-docx): a briefing note an officer can edit and
send up, with the page's sections, headings and markings, in the reader's language.

It writes what `reports.briefing.briefing_pack` read for the page, in the same order; every
string is the page's own message (the same msgids), so the two read alike in either language.
The marking heads and foots every page of the document (its header and footer), with the page
number."""

import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
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


def briefing_document(*, round_, title: str, marking: str, pack: dict) -> bytes:
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = f"{get_language() or 'en'}-CA"
    document.styles["Normal"].font.size = Pt(10.5)
    _marking_header(document, SecurityMarking(marking).label)
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
            (_("Security marking"), SecurityMarking(marking).label),
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
        document.add_paragraph().add_run(
            _(
                "%(partner)s has lowered the rank of its head of delegation since the "
                "previous round."
            )
            % {"partner": sides["partner"]}
        ).bold = True
    document.add_heading(_("Agenda"), level=2)
    for segment, items in pack["segments"].items():
        document.add_paragraph().add_run(str(segment)).bold = True
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
        facts = [
            (_("Raised at earlier rounds"), brief.earlier_text or _("First time in this dialogue"))
        ]
        for item in brief.last_items:
            facts.append(
                (
                    _("What %(side)s said at round %(round)s")
                    % {"side": sides["lead"], "round": brief.last_label},
                    item.our_points or _("Not recorded"),
                )
            )
            facts.append(
                (
                    _("What %(side)s answered") % {"side": sides["partner"]},
                    item.partner_answer or _("Not recorded"),
                )
            )
        commitments = "\n".join(
            f"{c.side_name}: {c.text} ("
            + _("round %(round)s") % {"round": c.round_text}
            + (f"; {_('due by')} {c.due_text}" if c.due_text else "")
            + ")"
            for c in brief.commitments
        )
        benchmarks = "\n".join(f"{b.display_name}: {b.latest_text}" for b in brief.benchmarks)
        facts += [
            (_("Open commitments"), commitments or _("None")),
            (_("Follow-up projects"), brief.projects_text or _("None")),
            (_("Benchmarks"), benchmarks or _("None")),
            (
                _("Other dialogues with %(partner)s, last two years")
                % {"partner": sides["partner"]},
                brief.elsewhere_text or _("None"),
            ),
        ]
        _facts(document, facts)
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
            [
                (
                    str(raising.case),
                    raising.round_label,
                    raising.get_response_display()
                    + (f": {raising.response_summary}" if raising.response_summary else ""),
                    raising.answered_text or NONE,
                    NONE if raising.days_to_answer is None else str(raising.days_to_answer),
                )
                for raising in pack["cases"]
            ],
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
    overdue = _("overdue")
    _table(
        document,
        [_("Action"), _("From"), _("Assigned to"), _("Owner"), _("Due"), _("Status")],
        [
            (
                action.title,
                action.from_text,
                action.assigned_to or NONE,
                action.owner_text or NONE,
                action.due_text + (f" ({overdue})" if action.overdue else ""),
                action.get_status_display(),
            )
            for action in actions
        ],
        _("No open actions."),
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _section(document, section) -> None:
    """A section's heading and its marking, as on the page."""
    document.add_heading(str(section.title), level=1)
    document.add_paragraph().add_run(
        f"{_('Section marking:')} {section.marking_label}"
    ).italic = True


def _facts(document, facts) -> None:
    """Label and value pairs, as a two-column table without borders."""
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        label_cell, value_cell = table.add_row().cells
        label_cell.paragraphs[0].add_run(str(label)).bold = True
        value_cell.text = str(value)


def _table(document, headings, rows, empty: str) -> None:
    rows = list(rows)
    if not rows:
        document.add_paragraph(empty)
        return
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(str(heading)).bold = True
    _repeat_header(table.rows[0])
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def _repeat_header(row) -> None:
    """A table's first row repeats at the top of each page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


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
