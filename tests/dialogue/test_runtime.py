"""The serving process's garbage collector (core/runtime.py): young objects are collected after
each response, not in the middle of a page."""

import gc

import pytest
from django.core.signals import request_finished, request_started
from django.urls import reverse

from core import runtime

pytestmark = pytest.mark.skipif(
    not runtime.GENERATIONS_OF_OLD, reason="Python 3.14 collects its old objects a part at a time"
)


@pytest.fixture
def tuned():
    """The process tuned as gunicorn's workers are, then its thresholds, receivers and count put
    back for the other tests (a test module that imports dialogue.wsgi has tuned it already;
    what either froze stays frozen)."""
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    collector = runtime.collect_after_response
    counts = collector.served, collector.answering
    # Connected again, after any receiver a fixture before this one connected.
    was_connected = request_finished.disconnect(dispatch_uid=runtime.__name__)
    request_started.disconnect(dispatch_uid=runtime.__name__)
    collector.served = collector.answering = 0
    runtime.tune_garbage_collector()
    yield collector
    request_finished.disconnect(dispatch_uid=runtime.__name__)
    request_started.disconnect(dispatch_uid=runtime.__name__)
    if was_connected:
        request_started.connect(collector.started, dispatch_uid=runtime.__name__)
        request_finished.connect(collector, dispatch_uid=runtime.__name__)
    collector.served, collector.answering = counts
    if not frozen:
        gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.fixture
def collections():
    """Each collection as (generation, whether a request was being answered)."""
    seen, state = [], {"answering": False}

    def started(**_signal):
        state["answering"] = True

    def finished(**_signal):
        state["answering"] = False

    def callback(phase, info):
        if phase == "start":
            seen.append((info["generation"], state["answering"]))

    request_started.connect(started)
    # Connected before the collector's receiver (`tuned` comes after this fixture): the request
    # counts as answered before the collector runs.
    request_finished.connect(finished, dispatch_uid="test-answered")
    gc.callbacks.append(callback)
    yield seen
    gc.callbacks.remove(callback)
    request_started.disconnect(started)
    request_finished.disconnect(dispatch_uid="test-answered")


@pytest.mark.django_db
def test_the_young_objects_are_collected_once_the_page_is_answered(
    collections, tuned, analyst_client
):
    gc.collect()  # what earlier tests left: counted from nothing
    collections.clear()
    for _ in range(3):
        assert analyst_client.get(reverse("rounds:round_list")).status_code == 200
    assert collections == [(0, False), (0, False), (0, False)]


def test_a_process_answering_another_request_waits_until_it_has_answered_it(tuned, monkeypatch):
    collected = []
    monkeypatch.setattr(gc, "collect", collected.append)
    tuned.started()  # two requests at once, as gunicorn's threads answer them
    tuned.started()
    tuned()
    assert collected == []  # the other page's objects are alive: not scanned in its middle
    tuned()
    assert collected == [0]


def test_the_older_generations_are_collected_on_pythons_own_schedule(tuned, monkeypatch):
    collected = []
    monkeypatch.setattr(gc, "collect", collected.append)
    tuned.served = 0
    for _ in range(runtime.MIDDLE_EVERY * runtime.WHOLE_EVERY):
        tuned()
    assert collected.count(2) == 1
    assert collected[-1] == 2
    assert collected.count(1) == runtime.WHOLE_EVERY - 1
    assert collected[runtime.MIDDLE_EVERY - 1] == 1
    assert collected.count(0) == len(collected) - runtime.WHOLE_EVERY


def test_tuning_freezes_what_is_loaded_and_keeps_the_threshold(tuned):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (50_000, runtime.MIDDLE_EVERY, runtime.WHOLE_EVERY)
