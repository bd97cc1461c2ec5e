"""Voice recordings: WAV, FLAC, MP3 and M4A, decoded in full to measure their real length."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from memorial.uploads.audio_decode import (
    CONTENT_TYPE,
    EXTENSION,
    AudioDecodeError,
    AudioInfo,
    check_header,
    decode,
    has_frame_count,
    probe_kind,
)
from memorial.uploads.errors import Code, UploadRejected
from memorial.uploads.receiving import receive, rewinds
from memorial.uploads.result import ValidatedMedia

_MESSAGES = {
    Code.UNSUPPORTED_TYPE: _(
        "This file is not a voice recording we can use. Upload a WAV, FLAC, MP3 or M4A file."
    ),
    Code.CORRUPT: _("The recording is damaged and cannot be played. Please export it again."),
    Code.TRUNCATED: _("The recording is incomplete (the file ends too early). Upload it again."),
    Code.NO_AUDIO: _("The file contains no sound track."),
}


@rewinds
def validate_audio(fileobj: Any) -> ValidatedMedia:
    """A WAV, FLAC, MP3 or M4A recording within the byte and duration limits."""
    received = receive(fileobj, max_bytes=settings.MEMORIAL_MAX_AUDIO_BYTES)
    max_seconds = settings.MEMORIAL_MAX_AUDIO_SECONDS
    try:
        kind = probe_kind(received.head)
        check_header(kind, received.head, received.size)
        exact = has_frame_count(kind, received.head)
        info, _chunks = decode(received.stream, kind, max_seconds=max_seconds, exact_length=exact)
    except AudioDecodeError as exc:
        raise _rejection(exc, max_seconds) from exc
    finally:
        received.stream.seek(0)
    _check_length(info)
    return ValidatedMedia(
        kind="voice",
        content_type=CONTENT_TYPE[kind],
        extension=EXTENSION[kind],
        sha256=received.sha256,
        size=received.size,
        duration_seconds=round(info.seconds, 3),
        sample_rate=info.sample_rate,
        metadata={
            "format": kind,
            "codec": info.codec,
            "channels": info.channels,
            "samples": info.samples,
            "declared_seconds": info.declared_seconds,
        },
    )


def _rejection(exc: AudioDecodeError, max_seconds: int) -> UploadRejected:
    if exc.code == Code.TOO_LONG:
        return _too_long(max_seconds)
    code = Code(exc.code)
    return UploadRejected(_MESSAGES.get(code, _MESSAGES[Code.CORRUPT]), code)


def _too_long(max_seconds: int) -> UploadRejected:
    return UploadRejected(
        _("The recording is longer than the limit of %(limit)s seconds."),
        Code.TOO_LONG,
        {"limit": max_seconds},
    )


def _check_length(info: AudioInfo) -> None:
    if info.samples == 0:
        raise UploadRejected(_("The recording contains no sound."), Code.TOO_SHORT)
    min_seconds = settings.MEMORIAL_MIN_AUDIO_SECONDS
    if info.seconds < min_seconds:
        raise UploadRejected(
            _("The recording lasts %(seconds)s seconds; it must last at least %(limit)s seconds."),
            Code.TOO_SHORT,
            {"seconds": f"{info.seconds:.1f}", "limit": min_seconds},
        )
    if info.seconds > settings.MEMORIAL_MAX_AUDIO_SECONDS:
        raise _too_long(settings.MEMORIAL_MAX_AUDIO_SECONDS)
