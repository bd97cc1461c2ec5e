from __future__ import annotations

import codecs
import hashlib

import pytest

from memorial.uploads import Code, UploadRejected, validate_text
from tests.memorial.uploads.samples import image_bytes


def test_utf8_text_is_accepted_with_line_endings_normalised(upload):
    data = codecs.BOM_UTF8 + "亲爱的孩子们\r\nDear children,\r\n\twith love.\r\n".encode()

    media = validate_text(upload(data, "letter.txt", "text/plain"))

    assert media.kind == "writing"
    assert media.content_type == "text/plain; charset=utf-8"
    assert media.extension == "txt"
    assert media.text == "亲爱的孩子们\nDear children,\n\twith love.\n"
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert media.size == len(data)
    assert media.metadata["had_bom"] is True
    assert media.metadata["line_endings"] == "crlf"
    assert media.metadata["lines"] == 3
    assert media.preview_bytes is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(image_bytes("PNG"), id="png-named-txt"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(200), id="elf"),
        pytest.param(b"hello\x00world", id="nul"),
        pytest.param(b"escape \x1b[31m red", id="control-char"),
        pytest.param(b"%PDF-1.4\n1 0 obj", id="pdf"),
    ],
)
def test_binary_posing_as_text_is_rejected(upload, data):
    with pytest.raises(UploadRejected) as caught:
        validate_text(upload(data, "letter.txt", "text/plain"))
    assert caught.value.code == Code.NOT_TEXT


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("Café au lait".encode("cp1252"), id="cp1252"),
        pytest.param("你好".encode("gb18030"), id="gb18030"),
        pytest.param("hello".encode("utf-16"), id="utf-16-with-bom"),
    ],
)
def test_other_encodings_are_asked_to_be_saved_as_utf8(upload, data):
    with pytest.raises(UploadRejected) as caught:
        validate_text(upload(data))
    assert caught.value.code == Code.NOT_UTF8
    assert "UTF-8" in caught.value.text


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_empty_or_blank_text_is_rejected(upload, data):
    with pytest.raises(UploadRejected) as caught:
        validate_text(upload(data))
    assert caught.value.code == Code.EMPTY


def test_size_limit_boundary(upload, settings):
    settings.MEMORIAL_MAX_TEXT_BYTES = 10
    assert validate_text(upload(b"0123456789")).text == "0123456789"
    with pytest.raises(UploadRejected) as caught:
        validate_text(upload(b"0123456789a"))
    assert caught.value.code == Code.TOO_LARGE
