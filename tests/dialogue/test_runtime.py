"""The serving process's garbage collector (core/runtime.py): young objects are collected after
each response, not in the middle of a page."""

import gc

import pytest
from django.core.signals import request_finished
from django.urls import reverse

from core import runtime


@pytest.fixture
def tuned():
    """The process tuned as gunicorn's workers are, then put back as it was for the other tests
    (a test module that imports dialogue.wsgi has tuned it already)."""
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    # Connected again, after any receiver a fixture before this one connected.
    was_connected = request_finished.disconnect(dispatch_uid=runtime.__name__)
    runtime.tune_garbage_collector()
    yield runtime.collect_after_response
    request_finished.disconnect(dispatch_uid=runtime.__name__)
    if was_connected:
        request_finished.connect(runtime.collect_after_response, dispatch_uid=runtime.__name__)
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

    from django.core.signals import request_started

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
    after = [generation for generation, answering in collections if not answering]
    assert after == [0, 0, 0]
    # None fell in the middle of a page: a page's live objects stay under the threshold.
    assert [generation for generation, answering in collections if answering] == []


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
