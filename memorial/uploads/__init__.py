"""Checking uploads before anything is stored: type from content, limits, a safe preview.

Pure functions, no models: the estates code stores what these return. Each ``validate_*``
reads the file object it is given (a Django ``UploadedFile`` or any binary file), leaves it
at position 0, and returns a :class:`ValidatedMedia` or raises :class:`UploadRejected`
(a ``ValidationError`` with a translated message and a stable ``code``).
Limits are read from ``django.conf.settings`` at each call (``MEMORIAL_MAX_*``).
"""

from __future__ import annotations

from memorial.uploads.audio import validate_audio
from memorial.uploads.audio_decode import AudioDecodeError, load_audio
from memorial.uploads.errors import Code, UploadRejected
from memorial.uploads.evidence import validate_evidence
from memorial.uploads.images import validate_photo
from memorial.uploads.result import ValidatedMedia
from memorial.uploads.text import validate_text

__all__ = [
    "AudioDecodeError",
    "Code",
    "UploadRejected",
    "ValidatedMedia",
    "load_audio",
    "validate_audio",
    "validate_evidence",
    "validate_photo",
    "validate_text",
]
