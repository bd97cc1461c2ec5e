from __future__ import annotations

import hashlib
import io
import zlib

import pytest
from PIL import Image

from memorial.uploads import Code, UploadRejected, validate_evidence
from memorial.uploads import pdf as pdf_module
from tests.memorial.uploads.samples import (
    gradient,
    image_bytes,
    pdf_pages,
    pdf_with_object_stream,
    png_declaring,
)


def test_pdf_is_accepted_with_its_page_count_and_no_preview(upload):
    data = pdf_pages(3)

    media = validate_evidence(upload(data, "certificate.jpg", "image/jpeg"))

    assert media.kind == "evidence"
    assert (media.content_type, media.extension) == ("application/pdf", "pdf")
    assert media.metadata["pages"] == 3
    assert media.metadata["pdf_version"] == "1.4"
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert media.preview_bytes is None


def test_pages_inside_compressed_object_streams_are_counted(upload):
    media = validate_evidence(upload(pdf_with_object_stream(7)))
    assert media.metadata["pages"] == 7


def test_page_limit_from_settings(upload, settings):
    settings.MEMORIAL_MAX_EVIDENCE_PAGES = 2

    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(pdf_pages(3)))

    assert caught.value.code == Code.TOO_MANY_PAGES
    assert caught.value.text == "The PDF has 3 pages; the limit is 2 pages."


def test_default_page_limit_counts_compressed_pages(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(pdf_with_object_stream(51)))
    assert caught.value.code == Code.TOO_MANY_PAGES


def test_page_tree_declaring_more_pages_than_it_shows_is_held_to_its_word(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(pdf_with_object_stream(1, declared=5000)))
    assert caught.value.code == Code.TOO_MANY_PAGES


def test_truncated_pdf_is_rejected(upload):
    data = pdf_pages(2)
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(data[: len(data) // 2]))
    assert caught.value.code == Code.TRUNCATED


def test_encrypted_pdf_is_rejected(upload):
    data = pdf_pages(1).replace(b"trailer\n<<", b"trailer\n<<\n/Encrypt 9 0 R")
    assert b"/Encrypt 9 0 R" in data

    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(data))
    assert caught.value.code == Code.ENCRYPTED


def test_pdf_without_pages_is_corrupt(upload):
    data = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n0\n%%EOF\n"
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(data))
    assert caught.value.code == Code.CORRUPT


def test_object_stream_inflating_past_the_cap_is_refused(upload, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_INFLATED_BYTES", 100_000)
    content = zlib.compress(b"0" * 1_000_000)
    data = (
        b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
        + content
        + b"\nendstream\nendobj\nstartxref\n0\n%%EOF\n"
    )
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(data))
    assert caught.value.code == Code.CORRUPT


def test_many_unterminated_objects_are_scanned_in_linear_time(upload):
    # A scan that searched forward for "endobj" from every header would take minutes here.
    data = b"%PDF-1.4\n" + b"1 0 obj << " * 500_000 + b"\nstartxref\n0\n%%EOF\n"
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(data))
    assert caught.value.code == Code.CORRUPT


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_scans_are_accepted_with_a_preview_and_no_minimum_size(upload, fmt, content_type):
    media = validate_evidence(upload(image_bytes(fmt, gradient(120, 90)), "scan.pdf"))

    assert media.kind == "evidence"
    assert media.content_type == content_type
    assert (media.width, media.height) == (120, 90)
    assert media.preview_bytes is not None
    assert Image.open(io.BytesIO(media.preview_bytes)).format == "JPEG"


def test_webp_is_not_accepted_as_evidence(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(image_bytes("WEBP")))
    assert caught.value.code == Code.UNSUPPORTED_TYPE
    assert "PDF, JPEG or PNG" in caught.value.text


def test_bomb_scan_is_refused(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(png_declaring(50_000, 50_000)))
    assert caught.value.code == Code.TOO_MANY_PIXELS


def test_evidence_byte_limit_and_empty(upload, settings):
    settings.MEMORIAL_MAX_EVIDENCE_BYTES = 100
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(pdf_pages(1)))
    assert caught.value.code == Code.TOO_LARGE
    with pytest.raises(UploadRejected) as caught:
        validate_evidence(upload(b""))
    assert caught.value.code == Code.EMPTY
