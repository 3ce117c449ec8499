"""The benchmark's and the load test's machinery, at a tiny scale: every page it times answers,
and every visitor's session and address work. (The timings themselves come from `make bench`
and `make loadtest`, never from a test.)"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks import pages as speed
from demo import synthetic as demo

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def tiny_world(settings):
    settings.SERVER_TIMING = True
    call_command("load_reference_data", verbosity=0)
    demo.generate(scale=0.01)


def test_every_benchmarked_page_answers_and_lists_face_their_admin(tiny_world):
    results = {result.name: result for result in speed.measure(repeat=2)}
    assert set(results) == {"anchor"} | {page.name for page in speed.pages()}
    assert {"topic_continuity", "round_list", "api_round_list", "case_list"} <= set(results)
    for result in results.values():
        assert result.queries > 0
        assert result.median_ms > 0
        assert result.sql_ms > 0
        assert result.p95_ms >= result.median_ms
    assert results["round_list"].admin_ratio is not None
    assert results["dashboard"].admin_ratio is None
    # A list page is timed in turn with the anchor as well; other pages are not.
    listed = results["round_list"]
    assert listed.paired_median_ms > 0
    assert listed.paired_anchor_median_ms > 0
    assert listed.over_anchor == round(listed.paired_median_ms / listed.paired_anchor_median_ms, 2)
    assert results["dashboard"].over_anchor is None
    row = listed.as_dict()
    assert {"name", "url", "queries", "median_ms", "p95_ms", "sql_ms", "admin_ratio"} <= set(row)
    assert row["over_anchor"] == listed.over_anchor


def test_the_import_benchmark_imports_through_the_admin_and_leaves_nothing(tiny_world):
    from rounds.models import AgendaItem

    before = AgendaItem.objects.count()
    result = speed.measure_import(rows=5)
    assert result["name"] == "import_5_rows" and result["target_s"] == 5.0
    assert result["total_s"] >= result["preview_s"] > 0
    assert result["queries"] > 5
    assert AgendaItem.objects.count() == before


def test_the_load_tests_visitors_are_signed_in_and_their_addresses_answer(
    tiny_world, tmp_path, client, monkeypatch
):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import loadtest

    plan_path = tmp_path / "plan.json"
    loadtest.prepare(str(plan_path), visitors=3)
    plan = json.loads(plan_path.read_text())
    assert len(plan["sessions"]) == 3
    client.cookies[plan["cookie"]] = plan["sessions"][0]
    for group in plan["pages"]:
        url = group["urls"][0]
        assert client.get(url).status_code == 200, url
