"""Chart geometry: the numbers the SVG and bar templates draw, worked out once, here.

Bar charts (`templates/includes/bar_chart.html`) take rows of label, value (a percentage or
None) and the text shown; line charts of ranks (the dialogue page) take SVG coordinates.
"""

from core.formats import percent

# The rank chart's layout, in SVG units.
RANK_STEP, RANK_LEFT, RANK_TOP, RANK_ROW, RANK_BOTTOM = 60, 190, 12, 16, 16


def percent_bars(rows, *, label, value) -> list[dict]:
    """One bar per row: `label(row)` under it, `value(row)` (0–100, or None) as its length."""
    return [
        {"label": str(label(row)), "value": value(row), "text": percent(value(row))} for row in rows
    ]


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
