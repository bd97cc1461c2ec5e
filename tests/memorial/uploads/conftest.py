from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

Upload = Callable[..., SimpleUploadedFile]


@pytest.fixture
def upload() -> Upload:
    """Wrap bytes as a browser upload would arrive, with whatever name and type the client sent."""

    def make(
        data: bytes, name: str = "upload.bin", content_type: str = "application/octet-stream"
    ) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data, content_type=content_type)

    return make
