"""Deciding a file's type from its first bytes (the magic numbers), never from its name.

A match here is only a claim: every validator then decodes the content with the one decoder
for that type, so a file that merely starts with the right bytes is still rejected.
No Django imports: ``load_audio`` (used by the renderer) shares this module.
"""

from __future__ import annotations

JPEG = "jpeg"
PNG = "png"
WEBP = "webp"
WAV = "wav"
FLAC = "flac"
MP3 = "mp3"
M4A = "m4a"
PDF = "pdf"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MPEG_LAYER_III = 0x02


def sniff(head: bytes) -> str | None:
    """The type ``head`` (a file's first bytes) announces, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"fLaC"):
        return FLAC
    if head[4:8] == b"ftyp":
        return M4A
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return MP3
    return None


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, then layer III (bits 1-2 of byte 1 == 01)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    return (head[1] >> 1) & 0x03 == _MPEG_LAYER_III
