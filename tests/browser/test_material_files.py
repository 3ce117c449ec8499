"""A material's files, as a reader finds and downloads them in the browser."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from rounds.models import Material, Round
from tests.browser.test_accessibility import assert_accessible
from tests.rounds.documents import SAMPLES, upload

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_reader_downloads_a_materials_chinese_version(signed_in, live_server, materials_store):
    round_ = Round.objects.get(dialogue__slug="canada-china-jchr", number=9)
    material = Material.objects.create(
        round=round_, title="Prison administration", provided_by="lead", in_english=True
    )
    material.file_zh.save("x.pdf", upload("x.pdf"))
    material.save()

    pages = [round_.get_absolute_url(), "/rounds/translation-gap/"]
    assert_accessible(signed_in, live_server, pages)
    signed_in.goto(f"{live_server.url}{round_.get_absolute_url()}")
    with signed_in.expect_download() as caught:
        link = re.compile(r"Download \(PDF\)\s*: Prison administration, Chinese")
        signed_in.get_by_role("link", name=link).click()
    download = caught.value
    assert download.suggested_filename == "Prison administration-zh.pdf"
    assert Path(download.path()).read_bytes() == SAMPLES["pdf"]
    assert Axe().run(signed_in).violations_count == 0
