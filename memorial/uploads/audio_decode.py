"""Decoding voice recordings with PyAV (FFmpeg), shared by the validator and the renderer.

No Django imports, so the render engine can use ``load_audio`` directly. FFmpeg is only ever
given the one demuxer that the magic bytes name: letting it probe would expose every demuxer it
has, including playlist formats (HLS, concat) that open other files or URLs.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import av
import av.error
import numpy as np

from memorial.uploads import sniff

# The demuxer FFmpeg gets for each sniffed type, and the codecs we accept inside it.
DEMUXER = {sniff.WAV: "wav", sniff.FLAC: "flac", sniff.MP3: "mp3", sniff.M4A: "mp4"}
CONTENT_TYPE = {
    sniff.WAV: "audio/wav",
    sniff.FLAC: "audio/flac",
    sniff.MP3: "audio/mpeg",
    sniff.M4A: "audio/mp4",
}
EXTENSION = {sniff.WAV: "wav", sniff.FLAC: "flac", sniff.MP3: "mp3", sniff.M4A: "m4a"}
_CODECS = {
    sniff.FLAC: {"flac"},
    sniff.MP3: {"mp3", "mp3float"},
    sniff.M4A: {"aac", "alac", "mp3", "mp3float"},
}
# Headers that state a trustworthy length (sample counts): a decode much shorter is truncation.
# MP3 counts only with a Xing/Info/VBRI frame count; without one FFmpeg estimates the length
# from the bit rate. WAV is checked on its data chunk instead (FFmpeg clamps it to the file).
_EXACT_LENGTH = {sniff.FLAC, sniff.M4A}
_TRUNCATION_TOLERANCE_S = 0.25
_HEAD_BYTES = 4096


class AudioDecodeError(ValueError):
    """The recording cannot be used; ``code`` is one of memorial.uploads.Code's values."""

    def __init__(self, code: str, detail: str, **facts: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.facts = facts


@dataclass
class AudioInfo:
    kind: str  # a sniff constant
    codec: str
    sample_rate: int
    channels: int
    samples: int = 0
    declared_seconds: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate if self.sample_rate else 0.0


def probe_kind(head: bytes) -> str:
    kind = sniff.sniff(head)
    if kind not in DEMUXER:
        raise AudioDecodeError("unsupported_type", "not a WAV, FLAC, MP3 or M4A recording")
    return kind


def check_header(kind: str, head: bytes, size: int) -> None:
    """Truncation that the header alone proves: a WAV data chunk running past the file's end."""
    if kind != sniff.WAV:
        return
    position = 12
    while position + 8 <= len(head):
        chunk_id = head[position : position + 4]
        (length,) = struct.unpack("<I", head[position + 4 : position + 8])
        if chunk_id == b"data":
            # 0 and 0xFFFFFFFF mean "unknown length" (a stream being recorded); not checkable.
            if 0 < length < 0xFFFFFFFF and position + 8 + length > size:
                raise AudioDecodeError("truncated", "the data chunk runs past the end")
            return
        position += 8 + length + (length & 1)


def has_frame_count(kind: str, head: bytes) -> bool:
    """Whether the header states the exact length (FLAC, M4A, MP3 with a Xing/Info/VBRI tag)."""
    if kind in _EXACT_LENGTH:
        return True
    if kind != sniff.MP3:
        return False
    start = 0
    if head.startswith(b"ID3") and len(head) >= 10:
        # ID3v2 size: four 7-bit "syncsafe" bytes, after the 10-byte tag header.
        start = 10 + sum((head[6 + i] & 0x7F) << (7 * (3 - i)) for i in range(4))
    first_frame = head[start : start + 200]
    return any(tag in first_frame for tag in (b"Xing", b"Info", b"VBRI"))


def decode(
    stream: IO[bytes] | str | os.PathLike[str],
    kind: str,
    *,
    max_seconds: float | None = None,
    mono: bool = False,
    exact_length: bool = False,
) -> tuple[AudioInfo, list[np.ndarray]]:
    """Decode the first audio stream to the end (or to just past ``max_seconds``).

    The duration is the count of samples actually decoded, never the header's claim; a decode
    that stops well short of a trustworthy header length is reported as truncated.
    With ``mono`` the decoded chunks are float32 mono arrays (the channels' mean), else none.
    ``exact_length`` says the header's length can be trusted (see ``has_frame_count``).
    """
    try:
        with av.open(stream, mode="r", format=DEMUXER[kind]) as container:
            info, chunks = _decode_container(container, kind, max_seconds, mono)
    except av.error.FFmpegError as exc:
        raise AudioDecodeError("corrupt", f"cannot decode: {exc}") from exc
    except (EOFError, ValueError, IndexError, MemoryError) as exc:
        if isinstance(exc, AudioDecodeError):
            raise
        raise AudioDecodeError("corrupt", f"cannot decode: {exc}") from exc
    if exact_length:
        _check_complete(info)
    return _trim_padding(info, chunks)


def _decode_container(
    container: Any, kind: str, max_seconds: float | None, mono: bool
) -> tuple[AudioInfo, list[np.ndarray]]:
    audio = _audio_stream(container, kind)
    ctx = audio.codec_context
    info = AudioInfo(
        kind=kind,
        codec=ctx.name,
        sample_rate=int(ctx.sample_rate or 0),
        channels=int(ctx.channels or 0),
        declared_seconds=_declared_seconds(audio),
    )
    # Planar float at the source's own layout and rate; the mono mix is the channels' mean.
    resampler = av.AudioResampler(format="fltp") if mono else None
    chunks: list[np.ndarray] = []
    for frame in _frames(container, audio):
        info.sample_rate = info.sample_rate or int(frame.sample_rate)
        info.samples += frame.samples
        if max_seconds is not None and info.seconds > max_seconds + 0.5:
            raise AudioDecodeError("too_long", "longer than allowed", seconds=info.seconds)
        if resampler is not None:
            chunks.extend(_mono(resampler.resample(frame)))
    if resampler is not None:
        chunks.extend(_mono(resampler.resample(None)))
    return info, chunks


def _audio_stream(container: Any, kind: str) -> Any:
    streams = list(container.streams)
    audio = [s for s in streams if s.type == "audio"]
    # Cover art in MP3/M4A files shows up as a video stream marked "attached picture".
    moving = [
        s
        for s in streams
        if s.type == "video" and not (s.disposition & av.stream.Disposition.attached_pic)
    ]
    if moving:
        raise AudioDecodeError("unsupported_type", "a video file, not an audio recording")
    if not audio:
        raise AudioDecodeError("no_audio", "no audio stream")
    name = audio[0].codec_context.name
    allowed = _CODECS.get(kind)
    if (kind == sniff.WAV and not name.startswith("pcm_")) or (allowed and name not in allowed):
        raise AudioDecodeError("unsupported_type", f"unsupported codec {name}")
    return audio[0]


def _frames(container: Any, audio: Any) -> Iterator[Any]:
    for packet in container.demux(audio):
        yield from packet.decode()


def _declared_seconds(audio: Any) -> float | None:
    if audio.duration is None or audio.time_base is None:
        return None
    return float(audio.duration * audio.time_base)


def _check_complete(info: AudioInfo) -> None:
    if not info.declared_seconds or not info.sample_rate:
        return
    missing = info.declared_seconds - info.seconds
    if missing > max(_TRUNCATION_TOLERANCE_S, 0.02 * info.declared_seconds):
        raise AudioDecodeError(
            "truncated",
            f"decoded {info.seconds:.2f} s of a declared {info.declared_seconds:.2f} s",
            seconds=info.seconds,
        )


def _trim_padding(info: AudioInfo, chunks: list[np.ndarray]) -> tuple[AudioInfo, list[np.ndarray]]:
    """Drop an AAC encoder's end padding: M4A states its true length, the last frame is padded."""
    if info.kind != sniff.M4A or not info.declared_seconds:
        return info, chunks
    declared = round(info.declared_seconds * info.sample_rate)
    if info.samples <= declared:
        return info, chunks
    info.samples = declared
    if chunks:
        joined = np.concatenate(chunks)[:declared]
        chunks = [joined]
    return info, chunks


def _mono(frames: list[Any]) -> list[np.ndarray]:
    return [np.asarray(f.to_ndarray(), dtype=np.float32).mean(axis=0) for f in frames]


def load_audio(
    path: str | os.PathLike[str], *, max_seconds: float | None = None
) -> tuple[np.ndarray, int]:
    """A recording as float32 mono samples in [-1, 1] at its own sample rate.

    Raises AudioDecodeError (a ValueError) for anything that is not a readable WAV, FLAC, MP3
    or M4A recording, or one longer than ``max_seconds``.
    """
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    kind = probe_kind(head)
    info, chunks = decode(os.fspath(path), kind, max_seconds=max_seconds, mono=True)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return np.ascontiguousarray(samples, dtype=np.float32), info.sample_rate
