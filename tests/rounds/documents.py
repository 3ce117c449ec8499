"""Small files of each kind a material may be kept in, made in memory for the tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
RTF = b"{\\rtf1\\ansi A statement.}"
TXT = "A statement, une déclaration, 一份声明.\n".encode()


def zipped(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as container:
        for name, content in entries.items():
            container.writestr(name, content)
    return buffer.getvalue()


def office(folder: str, part: str) -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", f"{folder}/{part}": "<x/>"})


ODT = zipped(
    {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document/>"}
)
SAMPLES = {
    "pdf": PDF,
    "docx": office("word", "document.xml"),
    "xlsx": office("xl", "workbook.xml"),
    "pptx": office("ppt", "presentation.xml"),
    "odt": ODT,
    "doc": OLE2,
    "rtf": RTF,
    "txt": TXT,
}


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    """A file as a browser sends it; by default the sample of the kind its name says."""
    if content is None:
        content = SAMPLES[name.rsplit(".", 1)[-1]]
    return SimpleUploadedFile(name, content)
