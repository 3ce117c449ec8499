"""Chart geometry: the numbers the SVG and bar templates draw, worked out once, here.

Bar charts (`templates/includes/bar_chart.html`) take rows of label, value (a percentage or
None) and the text shown; line charts of ranks (the dialogue page) take SVG coordinates.
"""

from django.utils.text import Truncator

from core.formats import percent

# The rank chart's layout, in SVG units.
RANK_STEP, RANK_LEFT, RANK_TOP, RANK_ROW, RANK_BOTTOM = 60, 190, 12, 16, 16


# The bar chart's layout, in SVG units, drawn one unit to a CSS pixel (never scaled up, so the
# 12-pixel labels keep within their rows and below the caption): each row is BAR_ROW high, its
# bar BAR_HEIGHT, its label in the first BAR_LEFT units, the bar's length at most BAR_LENGTH,
# then the share written after the bar.
BAR_ROW, BAR_HEIGHT, BAR_TOP, BAR_LEFT, BAR_LENGTH, BAR_TEXT = 22, 12, 6, 190, 230, 50
BAR_LABEL_CHARS = 26


class Bars(list):
    """The bars, with the chart's size: a list, so a report reads its rows as before."""

    width = BAR_LEFT + BAR_LENGTH + BAR_TEXT
    left = BAR_LEFT
    bar_height = BAR_HEIGHT

    @property
    def height(self) -> int:
        return 2 * BAR_TOP + len(self) * BAR_ROW


def percent_bars(rows, *, label, value) -> Bars:
    """One bar per row: `label(row)` before it, `value(row)` (0–100, or None) as its length,
    with the coordinates the template draws them at."""
    bars = Bars()
    for index, row in enumerate(rows):
        share = value(row)
        top = BAR_TOP + index * BAR_ROW + (BAR_ROW - BAR_HEIGHT) // 2
        length = round(BAR_LENGTH * min(max(share or 0, 0), 100) / 100)
        bars.append(
            {
                "label": str(label(row)),
                "short": Truncator(str(label(row))).chars(BAR_LABEL_CHARS),
                "value": share,
                "text": percent(share),
                "top": top,
                "baseline": top + BAR_HEIGHT - 2,  # a 12-pixel label, centred on its bar
                "length": length,
                "text_x": BAR_LEFT + length + 6,
            }
        )
    return bars


def rank_lines(columns, levels) -> dict | None:
    """Coordinates for a line chart of two series of ranks across columns.

    `columns` is a list of (column label, lead rank, partner rank), a rank being an object with
    `value` or None; `levels` lists the ranks' (value, label) pairs, the first drawn at the top.
    None when no column has a rank."""
    if not any(lead or partner for _label, lead, partner in columns):
        return None
    y_of = {value: RANK_TOP + i * RANK_ROW for i, (value, _label) in enumerate(levels)}
    x_of = [RANK_LEFT + i * RANK_STEP for i in range(len(columns))]
    points = {"lead": [], "partner": []}
    for x, (_label, lead, partner) in zip(x_of, columns, strict=True):
        for side, rank in (("lead", lead), ("partner", partner)):
            if rank:
                points[side].append((x, y_of[rank.value]))
    return {
        "width": RANK_LEFT + len(columns) * RANK_STEP,
        "height": RANK_TOP + len(levels) * RANK_ROW + RANK_BOTTOM,
        "ticks": [(y_of[value], label) for value, label in levels],
        "labels": [(x, label) for x, (label, _l, _p) in zip(x_of, columns, strict=True)],
        "lead_points": points["lead"],
        "partner_points": points["partner"],
        "lead": " ".join(f"{x},{y}" for x, y in points["lead"]),
        "partner": " ".join(f"{x},{y}" for x, y in points["partner"]),
    }
