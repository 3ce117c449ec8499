"""Nothing loads from a CDN: the design system, its fonts and htmx are served from static/."""

import re

from django.conf import settings
from django.template.loader import get_template

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
