"""Writings: plain UTF-8 text (letters, sayings), nothing binary posing as text."""

from __future__ import annotations

import codecs
import unicodedata
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from memorial.uploads import sniff
from memorial.uploads.errors import Code, UploadRejected
from memorial.uploads.receiving import receive, rewinds
from memorial.uploads.result import ValidatedMedia

# Control characters that ordinary text files contain; every other one marks binary data.
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_NOT_TEXT = _(
    "This file is not plain text. Save the writing as a plain text (.txt) file and upload that."
)


@rewinds
def validate_text(fileobj: Any) -> ValidatedMedia:
    """Plain UTF-8 text within MEMORIAL_MAX_TEXT_BYTES.

    The returned ``text`` has any byte-order mark removed and line endings made "\\n";
    ``sha256`` and ``size`` still describe the bytes exactly as uploaded.
    """
    received = receive(fileobj, max_bytes=settings.MEMORIAL_MAX_TEXT_BYTES)
    data = received.read_all()
    text = _decode(data)
    if any(unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS for ch in text):
        raise UploadRejected(_NOT_TEXT, Code.NOT_TEXT)
    had_crlf = "\r\n" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UploadRejected(_("The file contains no text."), Code.EMPTY)
    return ValidatedMedia(
        kind="writing",
        content_type="text/plain; charset=utf-8",
        extension="txt",
        sha256=received.sha256,
        size=received.size,
        text=text,
        metadata={
            "characters": len(text),
            "lines": text.count("\n") + (0 if text.endswith("\n") else 1),
            "had_bom": data.startswith(codecs.BOM_UTF8),
            "line_endings": "crlf" if had_crlf else "lf",
        },
    )


def _decode(data: bytes) -> str:
    if sniff.sniff(data[:64]) is not None or b"\x00" in data:
        # A known binary format, or NUL bytes (UTF-16 text has them too, and is caught here).
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise UploadRejected(_NOT_UTF8, Code.NOT_UTF8)
        raise UploadRejected(_NOT_TEXT, Code.NOT_TEXT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadRejected(_NOT_UTF8, Code.NOT_UTF8) from exc


_NOT_UTF8 = _(
    "The text is not in UTF-8. Save it again choosing the UTF-8 encoding, then upload it."
)
