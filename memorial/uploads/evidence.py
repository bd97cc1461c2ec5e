"""Proof of death and of authority: a PDF (page count checked) or a scan as JPEG or PNG."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from memorial.uploads import sniff
from memorial.uploads.errors import Code, UploadRejected
from memorial.uploads.images import decode_image, media_from_image
from memorial.uploads.pdf import PdfError, inspect_pdf
from memorial.uploads.receiving import Received, receive, rewinds
from memorial.uploads.result import ValidatedMedia

_UNSUPPORTED = _("This file is not a document we can use. Upload a PDF, JPEG or PNG file.")
_PDF_MESSAGES = {
    Code.UNSUPPORTED_TYPE: _UNSUPPORTED,
    Code.TRUNCATED: _("The PDF is incomplete (the file ends too early). Please upload it again."),
    Code.ENCRYPTED: _(
        "The PDF is password-protected. Upload a copy without a password so it can be reviewed."
    ),
    Code.CORRUPT: _("The PDF is damaged and cannot be read. Save or scan it again."),
}


@rewinds
def validate_evidence(fileobj: Any) -> ValidatedMedia:
    """A PDF within the page limit, or a JPEG/PNG scan within the pixel limit.

    Scans get the same header-first bomb checks and the same safe preview as photos, but no
    minimum size; PDFs get no preview (``preview_bytes`` is None).
    """
    received = receive(fileobj, max_bytes=settings.MEMORIAL_MAX_EVIDENCE_BYTES)
    if sniff.sniff(received.head) == sniff.PDF:
        return _validate_pdf(received)
    decoded = decode_image(received, allowed=(sniff.JPEG, sniff.PNG), what=_UNSUPPORTED)
    return media_from_image("evidence", received, decoded)


def _validate_pdf(received: Received) -> ValidatedMedia:
    try:
        info = inspect_pdf(received.read_all())
    except PdfError as exc:
        code = Code(exc.code)
        raise UploadRejected(_PDF_MESSAGES.get(code, _PDF_MESSAGES[Code.CORRUPT]), code) from exc
    max_pages = settings.MEMORIAL_MAX_EVIDENCE_PAGES
    if info.pages > max_pages:
        raise UploadRejected(
            _("The PDF has %(pages)s pages; the limit is %(limit)s pages."),
            Code.TOO_MANY_PAGES,
            {"pages": info.pages, "limit": max_pages},
        )
    return ValidatedMedia(
        kind="evidence",
        content_type="application/pdf",
        extension="pdf",
        sha256=received.sha256,
        size=received.size,
        metadata={"format": "pdf", "pdf_version": info.version, "pages": info.pages},
    )
