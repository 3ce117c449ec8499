"""The analysts' wide pages fit the screen: the continuity matrix of a 25-year dialogue and the
planning board, in English and French, at the common laptop and desktop sizes.

Set SCREENSHOT_DIR (and SCREENSHOT_TAG, e.g. "before" or "after") to keep a screenshot of each
page and size; the issue's closing note cites them.
"""

import datetime
import os
from pathlib import Path

import pytest

from rounds.models import CaseRaising, Round, Topic
from tests.browser.test_accessibility import assert_accessible
from tests.rounds.factories import (
    AgendaItemFactory,
    CaseOfConcernFactory,
    DialogueFactory,
    RoundFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SIZES = [(1366, 768), (1920, 1080)]
LANGUAGES = ["", "/fr"]
FIRST_YEAR, YEARS = 2000, 25
LONG_NAME = (
    "Ratification of the International Covenant on Civil and Political Rights and the "
    "reservations the partner would attach to it"
)


def screenshot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        tag = os.environ.get("SCREENSHOT_TAG", "after")
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{tag}.png"), full_page=True)


def outside(locator, width) -> list:
    """Nothing if the element is drawn with its right edge within the viewport without
    scrolling; else a line saying where it is (every page and size is tried before failing)."""
    box = locator.bounding_box()
    if box is None or box["x"] < 0 or box["x"] + box["width"] > width:
        return [f"{locator} at {box}, viewport {width} px wide"]
    return []


def long_dialogue():
    """A dialogue of 25 yearly rounds, each raising a few topics, one of them with a long name."""
    dialogue = DialogueFactory(name="Long dialogue", acronym="LD", slug="long-dialogue")
    topics = [Topic.objects.create(name=LONG_NAME, slug="long-topic")]
    topics += [Topic.objects.create(name=f"Theme {n}", slug=f"theme-{n}") for n in range(6)]
    for offset in range(YEARS):
        start = datetime.date(FIRST_YEAR + offset, 5, 10)
        round_ = RoundFactory(
            dialogue=dialogue, number=offset + 1, start_date=start, end_date=start
        )
        for n, topic in enumerate(topics):
            if (offset + n) % 3 != 1:
                AgendaItemFactory(round=round_, title=f"{topic.name} ({offset})", topics=[topic])
    return dialogue


def test_the_continuity_matrix_of_25_years_fits_the_screen(signed_in, live_server):
    page = signed_in
    long_dialogue()
    last_year = str(FIRST_YEAR + YEARS - 1)
    problems = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for prefix in LANGUAGES:
            page.goto(f"{live_server.url}{prefix}/topics/continuity/?dialogue=long-dialogue")
            screenshot(page, f"continuity-{width}{prefix.replace('/', '-')}")
            table = page.locator("table.matrix")
            head = table.locator("thead th")
            problems += outside(head.filter(has_text=last_year), width)
            problems += outside(head.last, width)  # the pattern
            problems += outside(head.nth(head.count() - 2), width)  # the total
            row = table.locator("tbody tr").filter(has_text=LONG_NAME[:40])
            problems += outside(row.locator("td").last, width)
            # The long name is whole on the page (wrapped, not cut).
            name = row.locator("th")
            if name.evaluate("e => e.scrollWidth > e.clientWidth"):
                problems.append(f"the topic's name is cut at {width} px")
            assert LONG_NAME in name.inner_text().replace("\n", " ")
    assert not problems, "\n".join(problems)


def test_the_planning_board_shows_every_column(signed_in, live_server):
    page = signed_in
    problems = []
    for width, height in [(1280, 800), *SIZES]:
        page.set_viewport_size({"width": width, "height": height})
        for prefix in LANGUAGES:
            page.goto(f"{live_server.url}{prefix}/followup/board/")
            screenshot(page, f"board-{width}{prefix.replace('/', '-')}")
            columns = page.locator(".board > section")
            assert columns.count() == 5
            problems += outside(columns.last.locator("h2"), width)
            problems += outside(columns.last, width)
    assert not problems, "\n".join(problems)


def reported_release():
    """A detained case whose release the partner reported, raised with others at JCHR rounds."""
    rounds = Round.objects.filter(dialogue__slug="canada-china-jchr").order_by("start_date")
    case = CaseOfConcernFactory(name="Li Hai", name_zh="李海", status="detained")
    for index, round_ in enumerate(rounds[:6]):
        response = "release_reported" if index == 5 else ["acknowledged", "information"][index % 2]
        CaseRaising.objects.create(
            case=case,
            round=round_,
            response=response,
            response_date=(round_.end_date or round_.start_date) + datetime.timedelta(days=30),
        )
    return case


def test_the_case_answers_chart_keeps_its_caption_and_labels_apart(sign_in, live_server):
    reported_release()
    page = sign_in("case_officer")
    problems = []
    for width, height in [(1280, 800), *SIZES]:
        page.set_viewport_size({"width": width, "height": height})
        for prefix in LANGUAGES:
            page.goto(f"{live_server.url}{prefix}/cases/answers/")
            screenshot(page, f"case-answers-{width}{prefix.replace('/', '-')}")
            figure = page.locator("figure.chart-figure")
            caption = figure.locator("figcaption").bounding_box()
            texts = figure.locator("svg text")
            bars = figure.locator("svg rect.bar")
            assert bars.count() >= 5
            first = texts.first.bounding_box()
            if caption["y"] + caption["height"] > first["y"]:
                problems.append(f"{prefix or '/'} {width}: the caption overlaps the first label")
            for index in range(bars.count()):
                label = texts.nth(2 * index).bounding_box()
                bar = bars.nth(index).bounding_box()
                if label["x"] + label["width"] > bar["x"]:
                    problems.append(f"{prefix or '/'} {width}: label {index} runs into its bar")
                if index and label["y"] < texts.nth(2 * index - 2).bounding_box()["y"] + 12:
                    problems.append(f"{prefix or '/'} {width}: label {index} overlaps the last")
    assert not problems, "\n".join(problems)


def test_the_changed_pages_are_accessible_in_english_and_french(sign_in, live_server):
    long_dialogue()
    case = reported_release()
    paths = [
        "/topics/continuity/",  # several dialogues: rounds named by their dialogue
        "/topics/continuity/?dialogue=long-dialogue",
        "/topics/overlap/",
        "/topics/overlap/?year_from=2030",  # nothing to show, said plainly
        "/followup/coverage/",
        "/followup/coverage/?dialogue=",
        "/followup/board/",
    ]
    page = sign_in("analyst")
    assert_accessible(page, live_server, [*paths, *(f"/fr{path}" for path in paths)])
    page = sign_in("case_officer")
    paths = ["/cases/answers/", case.get_absolute_url(), f"/cases/{case.pk}/released/"]
    assert_accessible(page, live_server, [*paths, *(f"/fr{path}" for path in paths)])
    # And the update itself, through the page's button.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("link", name="Update the case's status").click()
    page.get_by_role("button", name="Record as released").click()
    page.wait_for_url(f"{live_server.url}{case.get_absolute_url()}")
    case.refresh_from_db()
    assert case.status == "released"
