"""Documents people upload: which kinds are accepted, the checks an upload passes, and how a
stored document is named and typed when it is downloaded.

An upload is judged by its extension and by its contents (a renamed program is not a PDF), and
by its size (`settings.MATERIAL_MAX_BYTES`). The checks run as a model field's validator, so
that the product's forms, the admin and anything else that validates the model give the same
message beside the field.
"""

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97–2003 files
HEAD_BYTES = 8192  # what is read of a file to tell its kind


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    label: str  # as a person names it, e.g. "Word (DOCX)"


KINDS = {
    kind.extension: kind
    for kind in (
        DocumentKind("pdf", "application/pdf", "PDF"),
        DocumentKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
        ),
        DocumentKind("doc", "application/msword", "Word 97–2003 (DOC)"),
        DocumentKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)"),
        DocumentKind("rtf", "application/rtf", "RTF"),
        DocumentKind("txt", "text/plain", "TXT"),
        DocumentKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
        ),
        DocumentKind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint (PPTX)",
        ),
    )
}
# Office Open XML files are zip containers whose parts live in one folder per application.
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def accepted_extensions() -> str:
    """For a file input's `accept` attribute."""
    return ",".join(f".{extension}" for extension in KINDS)


def limits_text() -> str:
    return _("PDF, Word, OpenDocument, RTF, plain text, Excel or PowerPoint; up to %(size)s.") % {
        "size": filesizeformat(settings.MATERIAL_MAX_BYTES)
    }


def validate_document(value) -> None:
    """Refuse an upload that is too large, of a kind not accepted, or whose contents are not of
    the kind its name says. A file stored earlier was checked when it was uploaded, and is not
    read again (it may be in a remote store)."""
    if value is None or getattr(value, "_committed", False):
        return
    name = os.path.basename(value.name or "")
    if value.size > settings.MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file can be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(value.size),
                "limit": filesizeformat(settings.MATERIAL_MAX_BYTES),
            },
            code="file_too_large",
        )
    kind = KINDS.get(extension_of(name))
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a kind of file that can be kept here. Upload a file of one "
                "of these kinds: %(kinds)s."
            )
            % {"name": name, "kinds": ", ".join(k.label for k in KINDS.values())},
            code="file_kind",
        )
    if not _looks_like(value, kind.extension):
        raise ValidationError(
            _(
                "“%(name)s” is named as %(kind)s but its contents are not: it may be damaged or "
                "renamed. Save it again as %(kind)s and upload it again."
            )
            % {"name": name, "kind": kind.label},
            code="file_contents",
        )


def _looks_like(upload, extension: str) -> bool:
    """Whether the file's contents are of the kind its extension names."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    try:
        if extension == "pdf":
            return b"%PDF-" in head[:1024]
        if extension == "doc":
            return head.startswith(OLE2)
        if extension == "rtf":
            return head.startswith(b"{\\rtf")
        if extension == "txt":
            return _is_text(head)
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        return _zip_holds(upload, extension)
    finally:
        upload.seek(0)


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        return True
    allowed = {0x09, 0x0A, 0x0C, 0x0D, 0x1A, 0x1B}
    return not any(byte < 0x20 and byte not in allowed for byte in head)


def _zip_holds(upload, extension: str) -> bool:
    """Whether a zip container is an Office Open XML or OpenDocument file of this kind. Only
    the container's directory (and the ODT's short "mimetype" entry) is read."""
    try:
        with zipfile.ZipFile(upload) as container:
            names = container.namelist()
            if extension == "odt":
                if "mimetype" not in names:
                    return False
                with container.open("mimetype") as entry:
                    return entry.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return False
    folder = OOXML_FOLDERS[extension]
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def content_type_for(name: str) -> str:
    kind = KINDS.get(extension_of(name))
    return kind.content_type if kind else "application/octet-stream"


def kind_label(name: str) -> str:
    """The kind of a stored file as a person names it ("PDF"), from its extension."""
    kind = KINDS.get(extension_of(name))
    return kind.label if kind else extension_of(name).upper()


UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|]+')


def download_name(title: str, suffix: str, stored_name: str) -> str:
    """The name a downloaded file is saved under: the record's title, a suffix (its language)
    and the stored file's extension, without characters that file systems or headers refuse."""
    stem = unicodedata.normalize("NFKC", title or "")
    # Control, format and line-separator characters become spaces (a header cannot hold them).
    stem = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in stem)
    stem = UNSAFE_IN_NAMES.sub("-", stem)
    stem = " ".join(stem.split())[:80].strip(" .-") or "document"
    extension = extension_of(stored_name)
    return f"{stem}-{suffix}.{extension}" if extension else f"{stem}-{suffix}"
