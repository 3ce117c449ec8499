"""Process-wide tuning for a serving process (gunicorn's workers, and the benchmark that
stands in for them)."""

import gc

from django.core.signals import request_finished

# Python's own ratios between its generations: the middle one is collected at every 20th
# collection of the young one, the whole heap at every 100th collection of the middle one.
MIDDLE_EVERY = 20
WHOLE_EVERY = 100


def tune_garbage_collector() -> None:
    """The reports build tens of thousands of short-lived objects a request. With Python's
    default thresholds the collector then rescans everything the application has loaded, over
    and over: a third of the continuity matrix's time at scale 1. Freeze what is loaded now
    (modules, URL patterns, templates) out of its reach, and collect young objects less often.

    Left to its threshold, a collection still fell in the middle of a page now and then, when
    the objects the page was using were all alive and had all to be scanned: 40–65 ms added to
    one request in ten of the heaviest pages. Once a response is sent its objects are freed, so
    the young generation is collected then, after each request, when there is least to scan.
    """
    gc.freeze()
    gc.set_threshold(50_000, MIDDLE_EVERY, WHOLE_EVERY)
    request_finished.connect(collect_after_response, dispatch_uid=__name__)


class _AfterResponse:
    """Collects after each response, on Python's own schedule of generations."""

    def __init__(self):
        self.served = 0

    def __call__(self, **_signal) -> None:
        self.served += 1
        if self.served % (MIDDLE_EVERY * WHOLE_EVERY) == 0:
            gc.collect(2)
        elif self.served % MIDDLE_EVERY == 0:
            gc.collect(1)
        else:
            gc.collect(0)


# Sent by Django when the server closes a response, after its last byte is written.
collect_after_response = _AfterResponse()
