"""Chart geometry (core/charts.py): the numbers the bar and rank charts draw."""

from dataclasses import dataclass
from itertools import pairwise

from core import charts


@dataclass
class Rank:
    value: str


LEVELS = [("minister", "Minister"), ("deputy", "Deputy minister"), ("director", "Director")]


def test_percent_bars_label_each_row_and_write_its_share():
    rows = [("2001", 50), ("2002", None), ("2003", 100)]
    bars = charts.percent_bars(rows, label=lambda row: row[0], value=lambda row: row[1])
    assert [bar["label"] for bar in bars] == ["2001", "2002", "2003"]
    assert [bar["value"] for bar in bars] == [50, None, 100]
    assert bars[0]["text"] != bars[2]["text"]
    assert "50" in bars[0]["text"]


def test_bars_keep_their_labels_within_their_rows_and_below_the_caption():
    """A 12-pixel label (about 12 units above its baseline and 3 below) never rises above the
    chart's top (into the caption), nor into the next row; the share fits after the bar."""
    rows = [(f"Canada–China JCHR, round {n} (2005)", 100 - 10 * n) for n in range(8)]
    bars = charts.percent_bars(rows, label=lambda row: row[0], value=lambda row: row[1])
    assert bars[0]["baseline"] - 12 >= 0
    for above, below in pairwise(bars):
        assert above["baseline"] + 3 <= below["baseline"] - 12
        assert above["top"] + charts.BAR_HEIGHT <= below["top"]
    assert bars[-1]["top"] + charts.BAR_HEIGHT <= bars.height
    assert bars[-1]["baseline"] + 3 <= bars.height
    full = bars[0]
    assert full["length"] == charts.BAR_LENGTH
    assert full["text_x"] + 36 <= bars.width  # "100 %" after the longest bar
    assert len(full["short"]) <= charts.BAR_LABEL_CHARS
    assert charts.BAR_LABEL_CHARS * 7 <= charts.BAR_LEFT  # the label ends before the bar


def test_rank_lines_place_the_most_senior_rank_at_the_top():
    columns = [(1, Rank("minister"), Rank("director")), (2, Rank("deputy"), None)]
    chart = charts.rank_lines(columns, LEVELS)
    top, row = charts.RANK_TOP, charts.RANK_ROW
    assert chart["ticks"] == [
        (top, "Minister"),
        (top + row, "Deputy minister"),
        (top + 2 * row, "Director"),
    ]
    first, second = charts.RANK_LEFT, charts.RANK_LEFT + charts.RANK_STEP
    assert chart["lead_points"] == [(first, top), (second, top + row)]
    assert chart["partner_points"] == [(first, top + 2 * row)]  # no rank in the second round
    assert chart["lead"] == f"{first},{top} {second},{top + row}"
    assert chart["labels"] == [(first, 1), (second, 2)]
    assert chart["width"] == charts.RANK_LEFT + 2 * charts.RANK_STEP
    assert chart["height"] == top + 3 * row + charts.RANK_BOTTOM


def test_no_rank_at_all_draws_no_chart():
    assert charts.rank_lines([(1, None, None), (2, None, None)], LEVELS) is None
