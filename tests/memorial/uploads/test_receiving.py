from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from memorial.uploads import Code, UploadRejected, validate_photo, validate_text
from tests.memorial.uploads.samples import image_bytes


class OneWayStream(io.RawIOBase):
    """A stream that can only be read forwards, like a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_non_seekable_stream_is_spooled_and_validated():
    data = image_bytes("PNG")
    media = validate_photo(OneWayStream(data))
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert media.size == len(data)


def test_declared_size_over_the_limit_is_refused_without_reading(settings):
    class Huge:
        size = 10**12

        def read(self, *_args: object) -> bytes:
            raise AssertionError("read although the declared size was over the limit")

    with pytest.raises(UploadRejected) as caught:
        validate_photo(Huge())
    assert caught.value.code == Code.TOO_LARGE
    assert caught.value.text == "The file is larger than the limit of 25.0 MB."


def test_lying_declared_size_is_still_measured(settings):
    settings.MEMORIAL_MAX_TEXT_BYTES = 5
    stream = io.BytesIO(b"far more than five bytes")
    stream.size = 3  # type: ignore[attr-defined]
    with pytest.raises(UploadRejected) as caught:
        validate_text(stream)
    assert caught.value.code == Code.TOO_LARGE


def test_temporary_uploaded_file_on_disk_is_validated():
    data = image_bytes("JPEG")
    upload = TemporaryUploadedFile("p.jpg", "image/jpeg", len(data), None)
    upload.write(data)
    upload.seek(0)
    try:
        assert validate_photo(upload).sha256 == hashlib.sha256(data).hexdigest()
        assert upload.tell() == 0
    finally:
        upload.close()
