"""Process-wide tuning for a serving process (gunicorn's workers, and the benchmark that
stands in for them)."""

import gc
import sys
import threading

from django.core.signals import request_finished, request_started

# Python's own ratios between its generations: the middle one is collected at every 20th
# collection of the young one, the whole heap at every 100th collection of the middle one.
MIDDLE_EVERY = 20
WHOLE_EVERY = 100
# From Python 3.14 the older generations are collected a part at a time, and collect(1) and
# the thresholds mean something else: there the collector keeps its own schedule.
GENERATIONS_OF_OLD = sys.version_info < (3, 14)


def tune_garbage_collector() -> None:
    """The reports build tens of thousands of short-lived objects a request. With Python's
    default thresholds the collector then rescans everything the application has loaded, over
    and over: a third of the continuity matrix's time at scale 1. Freeze what is loaded now
    (modules, URL patterns, templates) out of its reach, and collect young objects less often.

    Left to its threshold, a collection still fell in the middle of a page now and then, when
    the objects the page was using were all alive and had all to be scanned: 27–66 ms added to
    one request in ten of the heaviest pages. Once a response is sent its objects are freed, so
    the young generation is collected then, after each request, when there is least to scan.
    """
    gc.freeze()
    gc.set_threshold(50_000, MIDDLE_EVERY, WHOLE_EVERY)
    if GENERATIONS_OF_OLD:
        request_started.connect(collect_after_response.started, dispatch_uid=__name__)
        request_finished.connect(collect_after_response, dispatch_uid=__name__)


class _AfterResponse:
    """Collects after each response, on Python's own schedule of generations: the young one
    each time, the middle one every 20th, the whole heap every 2,000th.

    Django sends `request_finished` when the server closes the response, once it has written
    the last byte and before it closes the connection (gunicorn's sync worker). A process that
    answers several requests at once (gunicorn's threads) collects only when it is answering
    none: another page's objects would otherwise be scanned in the middle of that page. Until
    then the threshold collects, as before.

    What the response itself holds in cycles (its request, its context) is still referenced
    when the signal is sent: it goes to the middle generation, collected at the 20th response.
    """

    def __init__(self):
        self.served = 0
        self.answering = 0
        self.lock = threading.Lock()

    def started(self, **_signal) -> None:
        with self.lock:
            self.answering += 1

    def __call__(self, **_signal) -> None:
        with self.lock:
            self.answering = max(self.answering - 1, 0)
            if self.answering:
                return
            self.served += 1
            served = self.served
        if served % (MIDDLE_EVERY * WHOLE_EVERY) == 0:
            gc.collect(2)
        elif served % MIDDLE_EVERY == 0:
            gc.collect(1)
        else:
            gc.collect(0)


collect_after_response = _AfterResponse()
