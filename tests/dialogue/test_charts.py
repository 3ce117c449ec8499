"""Chart geometry (core/charts.py): the numbers the bar and rank charts draw."""

from dataclasses import dataclass

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
