"""Process-wide tuning for a serving process (gunicorn's workers, and the benchmark that
stands in for them)."""

import gc


def tune_garbage_collector() -> None:
    """The reports build tens of thousands of short-lived objects a request. With Python's
    default thresholds the collector then rescans everything the application has loaded, over
    and over: a third of the continuity matrix's time at scale 1. Freeze what is loaded now
    (modules, URL patterns, templates) out of its reach, and collect young objects less often.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
