"""The one error every upload validator raises, and its stable codes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError


class Code(StrEnum):
    """Stable rejection codes: API clients and tests match these, never the (translated) text."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    CORRUPT = "corrupt"
    TRUNCATED = "truncated"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_SMALL = "too_small"
    ANIMATED = "animated"
    NO_AUDIO = "no_audio"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NOT_TEXT = "not_text"
    NOT_UTF8 = "not_utf8"
    TOO_MANY_PAGES = "too_many_pages"
    ENCRYPTED = "encrypted"


class UploadRejected(ValidationError):
    """An upload that may not be stored, with a plain-language message and a stable ``code``.

    A ``ValidationError``, so forms and DRF serializers turn it into a 4xx field error as they
    would any other validation failure. ``message`` is usually a lazy translation with
    ``%(name)s`` placeholders that Django fills from ``params``; ``text`` gives it formatted in
    the active language.
    """

    code: str

    def __init__(self, message: Any, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=str(code), params=params)

    @property
    def text(self) -> str:
        return str(self.messages[0])

    def __str__(self) -> str:
        return self.text
