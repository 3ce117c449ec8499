"""Nothing loads from a CDN: the design system, its fonts and htmx are served from static/; and
the production build (hashed, compressed files, as the Dockerfile makes it) serves every file a
page names."""

import os
import re
import subprocess
import sys
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import reverse

LOADS = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"]?)(https?:)?//""", re.IGNORECASE)


def test_no_stylesheet_loads_anything_remote():
    sheets = list((settings.BASE_DIR / "static").rglob("*.css"))
    assert sheets
    remote = [str(path) for path in sheets if LOADS.search(path.read_text(encoding="utf-8"))]
    assert not remote, f"remote loads in {remote}"


def test_the_base_layout_loads_only_local_scripts_and_styles():
    source = get_template("base.html").template.source
    tags = re.findall(r"<(?:script|link)\b[^>]*>", source)
    assert tags
    for tag in tags:
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", tag), tag


def test_the_vendored_versions_match_package_json():
    import json

    package = json.loads((settings.BASE_DIR / "package.json").read_text())
    versions = (settings.BASE_DIR / "static" / "vendor" / "VERSIONS.txt").read_text()
    for name, version in package["devDependencies"].items():
        assert f"{name} {version}" in versions


# -- the production build ------------------------------------------------------------------------

DOCKERFILE_BUILD = re.compile(r"RUN ((?:\w+=\S+ )+)python manage\.py (collectstatic [^\\&\n]+)")
STATIC_REFERENCE = re.compile(r"""(?:src|href)=["'](/static/[^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
JS_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")


@pytest.fixture(scope="module")
def production_build(tmp_path_factory):
    """STATIC_ROOT as the Dockerfile builds it: the same command and variables (only the
    folder differs), with the production default of hashed, compressed files."""
    match = DOCKERFILE_BUILD.search((settings.BASE_DIR / "Dockerfile").read_text())
    assert match, "the Dockerfile no longer runs collectstatic the way this test expects"
    variables = dict(pair.split("=", 1) for pair in match.group(1).split())
    var = tmp_path_factory.mktemp("build")
    # The test run's own settings (STATIC_MANIFEST=false, DEBUG) must not leak into the build.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"STATIC_MANIFEST", "DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *match.group(2).split()],
        cwd=settings.BASE_DIR,
        env={**environment, **variables, "VAR_DIR": str(var)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert (var / "static" / "staticfiles.json").exists()
    return var / "static"


# One build per `make test`: it does not depend on the database, so the SQLite pass skips it.
@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_page_served_from_the_production_build_finds_every_static_file(production_build):
    manifest = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(DEBUG=False, STATIC_ROOT=production_build, STORAGES=manifest):
        client = Client()  # a new handler: WhiteNoise reads the build when it starts
        page = client.get(reverse("login"))
        assert page.status_code == 200
        wanted = STATIC_REFERENCE.findall(page.text)
        assert any(re.search(r"/fonts\.[0-9a-f]{12}\.css$", url) for url in wanted), wanted
        fetched = {}
        while wanted:
            url = wanted.pop()
            if url in fetched:
                continue
            response = client.get(url)
            fetched[url] = response.status_code
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content).decode("utf-8", "replace")
            found = CSS_URL.findall(body) if url.endswith(".css") else []
            found += JS_IMPORT.findall(body) if url.endswith(".js") else []
            for reference in found:
                if not reference.startswith(("data:", "#")):
                    wanted.append(urljoin(url, reference.split("#")[0].split("?")[0]))
    missing = {url: status for url, status in fetched.items() if status != 200}
    assert not missing, missing
    assert any(url.endswith(".woff2") for url in fetched)  # the fonts are reached too
