"""What a validator hands back: everything needed to store a checked upload and its preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["photo", "voice", "writing", "evidence"]


@dataclass(frozen=True)
class ValidatedMedia:
    """A checked upload.

    ``kind`` is the ``SourceMedia.kind`` value ("photo", "voice", "writing") or "evidence".
    ``content_type`` and ``extension`` (no leading dot: "jpg", "m4a") come from the content,
    never from the client's file name or header. ``sha256`` and ``size`` describe the original
    bytes exactly as uploaded. ``preview_bytes`` is a re-encoded JPEG (EXIF and every other
    metadata block dropped, orientation applied, at most 512 px a side) for images, else None.
    """

    kind: Kind
    content_type: str
    extension: str
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    sample_rate: int | None = None
    text: str | None = None
    preview_bytes: bytes | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def preview_content_type(self) -> str | None:
        return "image/jpeg" if self.preview_bytes is not None else None

    def storage_name(self, stem: str) -> str:
        """A file name for storage built from our own stem and the detected extension."""
        return f"{stem}.{self.extension}"
