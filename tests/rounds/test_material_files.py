"""A material's file in each language: uploaded through the form or the admin, checked for kind,
contents and size, kept in a private store, and downloaded only through the view that checks
the material's marking."""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.forms import stamp
from core.models import AccessLogEntry, SecurityMarking
from exchange.exchange import FORMAT, ExactEncoder, export_dialogue, import_dialogue
from rounds.forms import MaterialForm
from rounds.models import Material
from tests.rounds.documents import SAMPLES, office, upload, zipped
from tests.rounds.factories import MaterialFactory, RoundFactory

pytestmark = pytest.mark.django_db

PROTECTED_B = SecurityMarking.PROTECTED_B


@pytest.fixture
def officer(make_user):
    return make_user("olivia", "officer", clearance="protected_a")


def material_data(**extra) -> dict:
    return {
        "title": "Prison administration in Canada",
        "provided_by": "lead",
        "kind": "report",
        "security_marking": "unclassified",
        **extra,
    }


def saved(form, user):
    assert form.is_valid(), form.errors
    stamp(form.instance, user, is_new=form.instance.pk is None)
    return form.save()


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# -- uploading through the product's form --------------------------------------------------------


def test_the_form_keeps_a_file_per_language_and_marks_those_languages(officer, materials_store):
    round_ = RoundFactory()
    form = MaterialForm(
        material_data(in_french=True),
        {"file_en": upload("brief.pdf"), "file_zh": upload("简报.docx")},
        instance=Material(round=round_),
        user=officer,
    )
    material = saved(form, officer)

    assert (material.in_english, material.in_french, material.in_chinese) == (True, True, True)
    assert not material.file_fr
    assert material.file_en.read() == SAMPLES["pdf"]
    assert material.created_by == officer
    # Stored under a name of its own in the private store, not the name it was uploaded under.
    files = stored_files(materials_store)
    assert sorted(path.suffix for path in files) == [".docx", ".pdf"]
    assert not any("brief" in path.name or "简报" in path.name for path in files)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_accepted_kind_of_file_is_taken(officer, materials_store, kind):
    form = MaterialForm(
        material_data(),
        {"file_en": upload(f"paper.{kind.upper()}", SAMPLES[kind])},
        instance=Material(round=RoundFactory()),
        user=officer,
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "“tool.exe” is not a kind of file that can be kept here"),
        ("notes", b"plain words", "is not a kind of file that can be kept here"),
        ("slides.ppt", SAMPLES["doc"], "is not a kind of file that can be kept here"),
        ("report.pdf", b"MZ\x90\x00 a program", "“report.pdf” is named as PDF but its contents"),
        ("report.docx", SAMPLES["pdf"], "is named as Word (DOCX) but its contents are not"),
        ("report.docx", SAMPLES["xlsx"], "is named as Word (DOCX) but its contents are not"),
        ("report.docx", zipped({"a.txt": "x"}), "is named as Word (DOCX) but its contents"),
        ("report.docx", b"PK\x03\x04 broken", "is named as Word (DOCX) but its contents"),
        ("report.odt", office("word", "document.xml"), "is named as OpenDocument (ODT) but"),
        ("report.doc", SAMPLES["pdf"], "is named as Word 97–2003 (DOC) but its contents"),
        ("report.rtf", b"plain words", "is named as RTF but its contents are not"),
        ("notes.txt", b"\x7fELF\x02\x01\x01\x00\x00", "is named as TXT but its contents"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_beside_its_field(
    officer, materials_store, name, content, message
):
    form = MaterialForm(
        material_data(in_english=True),
        {"file_fr": upload(name, content)},
        instance=Material(round=RoundFactory()),
        user=officer,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["file_fr"]
    assert message in form.errors["file_fr"][0]
    # Nothing saved, nothing stored, and the other entries are kept for the next try.
    assert not Material.objects.exists()
    assert stored_files(materials_store) == []
    assert form["title"].value() == "Prison administration in Canada"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(officer, materials_store, settings):
    settings.MATERIAL_MAX_BYTES = 1024
    form = MaterialForm(
        material_data(),
        {"file_en": upload("long.txt", b"words " * 400)},
        instance=Material(round=RoundFactory()),
        user=officer,
    )
    assert not form.is_valid()
    assert form.errors["file_en"] == ["“long.txt” is 2.3\xa0KB; a file can be at most 1.0\xa0KB."]
    assert form.fields["file_en"].help_text.endswith("up to 1.0\xa0KB.")
    assert stored_files(materials_store) == []


def test_the_file_inputs_say_what_they_accept(officer):
    form = MaterialForm(instance=Material(round=RoundFactory()), user=officer)
    html = str(form["file_zh"])
    assert 'accept=".pdf,.docx,.doc,.odt,.rtf,.txt,.xlsx,.pptx"' in html
    assert str(form.fields["file_zh"].help_text) == (
        "PDF, Word, OpenDocument, RTF, plain text, Excel or PowerPoint; up to 25.0\xa0MB."
    )
    assert form.is_multipart()


def test_a_file_can_be_added_later_and_the_current_one_is_linked_to_the_download(
    officer, materials_store
):
    material = MaterialFactory(title="Statement", in_english=True)
    material.file_en.save("x.pdf", upload("x.pdf"))
    form = MaterialForm(
        material_data(title="Statement", expected_version=material.version),
        {"file_fr": upload("declaration.rtf")},
        instance=material,
        user=officer,
    )
    material = saved(form, officer)
    assert material.in_french and material.in_english
    assert material.file_en.read() == SAMPLES["pdf"]  # kept
    html = str(MaterialForm(instance=material, user=officer)["file_fr"])
    assert f'href="/rounds/materials/{material.pk}/fr/"' in html
    assert "Statement-fr.rtf" in html
    assert "/media/" not in html


def test_the_form_offers_no_marking_above_the_uploaders_clearance(officer, materials_store):
    form = MaterialForm(
        material_data(security_marking=PROTECTED_B),
        {"file_en": upload("brief.pdf")},
        instance=Material(round=RoundFactory()),
        user=officer,
    )
    assert not form.is_valid()
    assert "security_marking" in form.errors
    assert PROTECTED_B not in dict(form.fields["security_marking"].choices)
    assert stored_files(materials_store) == []


def test_a_stale_save_is_refused(officer, materials_store):
    material = MaterialFactory()
    Material.objects.get(pk=material.pk).save()  # someone else saves meanwhile
    form = MaterialForm(
        material_data(expected_version=material.version),
        {"file_en": upload("brief.pdf")},
        instance=material,
        user=officer,
    )
    assert not form.is_valid()
    assert "Someone else saved this record" in form.non_field_errors()[0]


# -- the admin ----------------------------------------------------------------------------------


def admin_data(round_, **extra) -> dict:
    return {
        "round": round_.pk,
        **material_data(),
        "in_english": "on",
        "_save": "Save",
        **extra,
    }


def test_the_admin_uploads_with_the_same_checks(admin_client, materials_store):
    round_ = RoundFactory()
    refused = admin_client.post(
        "/admin/rounds/material/add/",
        admin_data(round_, file_zh=upload("fake.pdf", b"not a pdf")),
    )
    assert refused.status_code == 200
    assert "“fake.pdf” is named as PDF but its contents are not" in refused.text
    assert not Material.objects.exists()

    response = admin_client.post(
        "/admin/rounds/material/add/", admin_data(round_, file_zh=upload("简报.pdf"))
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.in_chinese
    assert material.file_zh.read() == SAMPLES["pdf"]
    assert stored_files(materials_store) == [materials_store / material.file_zh.name]

    page = admin_client.get(f"/admin/rounds/material/{material.pk}/change/").text
    assert f'href="/rounds/materials/{material.pk}/zh/"' in page
    assert "/media/" not in page
    assert "up to 25.0\xa0MB" in page


# -- downloading -------------------------------------------------------------------------------


def with_file(material, language="en", name="paper.pdf"):
    getattr(material, f"file_{language}").save(name, upload(name))
    return material


def test_a_download_sends_the_file_named_after_the_material(analyst_client, materials_store):
    material = with_file(MaterialFactory(title="Prison administration"), "fr", "x.docx")
    response = analyst_client.get(f"/rounds/materials/{material.pk}/fr/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLES["docx"]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="Prison administration-fr.docx"'
    )
    assert response["Content-Length"] == str(len(SAMPLES["docx"]))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_title_cannot_break_the_header(analyst_client, materials_store):
    title = 'Réponse "officielle"\r\nSet-Cookie: x=1; a/b\\c'
    material = with_file(MaterialFactory(title=title))
    response = analyst_client.get(f"/rounds/materials/{material.pk}/en/")
    disposition = response["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition
    name = "Réponse -officielle- Set-Cookie- x=1; a-b-c-en.pdf"
    assert disposition == f"attachment; filename*=utf-8''{quote(name)}"


def test_a_chinese_title_is_kept_in_the_file_name(analyst_client, materials_store):
    material = with_file(MaterialFactory(title="监狱管理", in_chinese=True), "zh", "a.txt")
    response = analyst_client.get(f"/rounds/materials/{material.pk}/zh/")
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('监狱管理-zh.txt')}"
    )
    assert response["Content-Type"] == "text/plain"


def test_a_material_above_the_readers_clearance_is_a_404_that_names_nothing(
    client, make_user, materials_store
):
    material = with_file(MaterialFactory(title="Names of detainees", security_marking=PROTECTED_B))
    client.force_login(make_user("pat", "analyst", clearance="protected_a"))
    response = client.get(f"/rounds/materials/{material.pk}/en/")
    assert response.status_code == 404
    assert "Names of detainees" not in response.text
    assert not AccessLogEntry.objects.exists()


def test_a_material_of_a_round_above_the_readers_clearance_is_a_404(
    client, make_user, materials_store
):
    round_ = RoundFactory(security_marking=PROTECTED_B)
    material = with_file(MaterialFactory(round=round_))
    client.force_login(make_user("pat", "analyst", clearance="protected_a"))
    assert client.get(f"/rounds/materials/{material.pk}/en/").status_code == 404


@pytest.mark.parametrize("language", ["fr", "de", "EN"])
def test_a_language_without_a_file_is_a_404(analyst_client, materials_store, language):
    material = with_file(MaterialFactory())
    assert analyst_client.get(f"/rounds/materials/{material.pk}/{language}/").status_code == 404


def test_a_file_missing_from_the_store_is_a_404(analyst_client, materials_store):
    material = with_file(MaterialFactory())
    (materials_store / material.file_en.name).unlink()
    assert analyst_client.get(f"/rounds/materials/{material.pk}/en/").status_code == 404


def test_a_download_needs_a_signed_in_user_with_a_role(client, outsider, materials_store):
    material = with_file(MaterialFactory())
    url = f"/rounds/materials/{material.pk}/en/"
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_protected_b_download_is_logged(analyst_client, analyst, materials_store):
    material = with_file(MaterialFactory(title="Names of detainees", security_marking=PROTECTED_B))
    with_file(MaterialFactory(title="Open paper"))
    response = analyst_client.get(f"/rounds/materials/{material.pk}/en/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.object_repr) == (
        analyst,
        str(material.pk),
        "Names of detainees",
    )
    assert entry.path == f"/rounds/materials/{material.pk}/en/"
    assert entry.records == f"rounds.material: {material.pk}"


def test_an_unclassified_download_is_not_logged(analyst_client, materials_store):
    material = with_file(MaterialFactory())
    assert analyst_client.get(f"/rounds/materials/{material.pk}/en/").status_code == 200
    assert not AccessLogEntry.objects.exists()


# -- never served directly ----------------------------------------------------------------------


def test_a_stored_file_has_no_address_that_serves_it(analyst_client, materials_store):
    material = with_file(MaterialFactory())
    name = material.file_en.name
    for url in (f"/media/{name}", f"/media/materials/{name}", f"/static/{name}", f"/{name}"):
        response = analyst_client.get(url)
        assert response.status_code == 404, url
        assert SAMPLES["pdf"] not in response.content


def test_files_are_kept_outside_every_served_folder():
    root = Path(settings.MATERIALS_ROOT).resolve()
    assert settings.STORAGES["materials"]["OPTIONS"]["location"] == settings.MATERIALS_ROOT
    for served in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS, settings.MEDIA_ROOT):
        assert not root.is_relative_to(Path(served).resolve())


def settings_in_a_process(**env) -> dict:
    """The materials store a fresh process would configure from this environment."""
    code = (
        "import json, django.conf;"
        "s = django.conf.settings;"
        "print(json.dumps(s.STORAGES['materials'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "dialogue.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    return {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def test_a_materials_folder_inside_a_served_one_stops_start_up():
    result = settings_in_a_process(MATERIALS_ROOT=str(settings.BASE_DIR / "static" / "materials"))
    assert result["returncode"] != 0
    assert "MATERIALS_ROOT" in result["stderr"]
    assert "keep materials' files in a private folder of their own" in result["stderr"]


def test_a_bucket_makes_the_store_a_private_s3_one():
    result = settings_in_a_process(
        AWS_STORAGE_BUCKET_NAME="dialogue-materials",
        AWS_S3_ENDPOINT_URL="https://objects.example.gc.ca",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert result["returncode"] == 0, result["stderr"]
    store = json.loads(result["stdout"])
    assert store["BACKEND"] == "storages.backends.s3.S3Storage"
    options = store["OPTIONS"]
    assert options["bucket_name"] == "dialogue-materials"
    assert (options["default_acl"], options["querystring_auth"], options["custom_domain"]) == (
        "private",
        True,
        None,
    )
    assert options["file_overwrite"] is False

    from storages.backends.s3 import S3Storage

    backend = S3Storage(**options)  # every option is one the backend knows
    assert (backend.location, backend.endpoint_url) == (
        "materials",
        "https://objects.example.gc.ca",
    )


# -- where the files are listed -----------------------------------------------------------------


def test_the_round_page_links_each_file_to_its_download(analyst_client):
    material = MaterialFactory(title="Statement", in_french=True, file_en="2024/a.pdf")
    page = analyst_client.get(material.round.get_absolute_url()).text
    assert f'<a href="/rounds/materials/{material.pk}/en/">Download (PDF)' in page
    assert f"/rounds/materials/{material.pk}/fr/" not in page  # in French, but no file


def test_the_round_page_reads_no_more_with_more_files(analyst_client):
    round_ = RoundFactory()
    MaterialFactory(round=round_, file_en="2024/a.pdf")
    url = round_.get_absolute_url()
    analyst_client.get(url)
    with CaptureQueriesContext(connection) as few:
        analyst_client.get(url)
    for index in range(4):
        MaterialFactory(round=round_, file_en=f"2024/{index}.pdf", file_zh=f"2024/{index}.docx")
    with CaptureQueriesContext(connection) as many:
        page = analyst_client.get(url).text
    assert len(few) == len(many)
    assert page.count("Download (") == 9


def test_the_translation_gap_report_lists_the_files(analyst_client):
    material = MaterialFactory(
        title="Statement", in_chinese=True, file_en="2024/a.pdf", file_zh="2024/b.pptx"
    )
    MaterialFactory(round=material.round, title="Without a file")
    page = analyst_client.get("/rounds/translation-gap/").text
    assert "1 material with files" in page
    assert f'<a href="/rounds/materials/{material.pk}/en/">English (PDF)</a>' in page
    assert f'<a href="/rounds/materials/{material.pk}/zh/">Chinese (PowerPoint (PPTX))</a>' in page
    assert "Without a file" not in page


def test_the_api_gives_each_files_download_address(analyst_client):
    material = MaterialFactory(file_fr="2024/a.pdf", in_french=True)
    row = analyst_client.get(f"/api/v1/materials/{material.pk}/").json()
    assert row["files"] == {
        "en": None,
        "fr": f"http://testserver/rounds/materials/{material.pk}/fr/",
        "zh": None,
    }


# -- the dialogue exchange ---------------------------------------------------------------------


def test_an_exported_dialogue_names_no_stored_file(administrator, materials_store):
    material = with_file(MaterialFactory())
    document = export_dialogue(material.round.dialogue, user=administrator)
    (row,) = [row for row in document["records"] if row["model"] == "rounds.material"]
    assert (row["fields"]["file_en"], row["fields"]["file_fr"]) == ("", "")


def test_an_imported_material_gets_no_stored_file(make_user, materials_store):
    secret = with_file(MaterialFactory(security_marking=PROTECTED_B))
    round_ = RoundFactory()
    # A document naming the file of a material its importer may not read.
    forged = MaterialFactory.build(round=round_, file_en=secret.file_en.name)
    forged.pk = 90001
    forged.created_at = forged.updated_at = timezone.now()
    rows = json.loads(json.dumps(serializers.serialize("python", [forged]), cls=ExactEncoder))
    assert rows[0]["fields"]["file_en"] == secret.file_en.name
    officer = make_user("olive", "officer", clearance="unclassified")
    import_dialogue({"format": FORMAT, "dialogue": "x", "records": rows}, user=officer)
    assert not Material.objects.get(pk=90001).file_en


# -- the model ----------------------------------------------------------------------------------


def test_a_language_with_a_file_is_one_the_material_exists_in():
    material = MaterialFactory(in_english=False, in_chinese=False, file_zh="2024/a.pdf")
    material.refresh_from_db()
    assert material.languages == ["zh"]
