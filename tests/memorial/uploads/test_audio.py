from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from memorial.uploads import AudioDecodeError, Code, UploadRejected, load_audio, validate_audio
from tests.memorial.uploads.samples import audio_bytes, image_bytes, wav_header_only

FORMATS = [
    ("wav", "audio/wav"),
    ("flac", "audio/flac"),
    ("mp3", "audio/mpeg"),
    ("m4a", "audio/mp4"),
]


@pytest.mark.parametrize(("fmt", "content_type"), FORMATS)
def test_each_audio_format_is_accepted_with_its_decoded_length(upload, fmt, content_type):
    data = audio_bytes(fmt, 2.0, rate=22_050, channels=2)

    media = validate_audio(upload(data, "voice.bin"))

    assert media.kind == "voice"
    assert (media.content_type, media.extension) == (content_type, fmt)
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert media.size == len(data)
    assert media.duration_seconds == pytest.approx(2.0, abs=0.03)
    assert media.sample_rate == 22_050
    assert media.metadata["channels"] == 2
    assert media.preview_bytes is None
    assert media.width is None


def test_type_comes_from_content_not_name(upload):
    media = validate_audio(upload(audio_bytes("flac", 1.5), "song.mp3", "audio/mpeg"))
    assert media.content_type == "audio/flac"


@pytest.mark.parametrize("fmt", ["wav", "flac", "mp3", "m4a"])
def test_half_a_recording_is_rejected(upload, fmt):
    data = audio_bytes(fmt, 4.0)

    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(data[: len(data) // 2]))

    # M4A's index sits at its end; a FLAC cut mid-frame may fail in the decoder first.
    expected = {
        "wav": {Code.TRUNCATED},
        "mp3": {Code.TRUNCATED},
        "flac": {Code.TRUNCATED, Code.CORRUPT},
        "m4a": {Code.CORRUPT},
    }[fmt]
    assert caught.value.code in expected


def test_zero_second_wav_is_too_short(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(wav_header_only(), "silence.wav"))
    assert caught.value.code == Code.TOO_SHORT


def test_half_second_recording_is_too_short(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(audio_bytes("wav", 0.5)))
    assert caught.value.code == Code.TOO_SHORT
    assert caught.value.text == (
        "The recording lasts 0.5 seconds; it must last at least 1 seconds."
    )


def test_too_long_recording_is_rejected_with_the_limit_from_settings(upload, settings):
    data = audio_bytes("mp3", 5.0)
    settings.MEMORIAL_MAX_AUDIO_SECONDS = 3

    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(data))
    assert caught.value.code == Code.TOO_LONG
    assert "3 seconds" in caught.value.text

    settings.MEMORIAL_MAX_AUDIO_SECONDS = 6
    assert validate_audio(upload(data)).duration_seconds == pytest.approx(5.0, abs=0.03)


def test_minimum_length_is_read_from_settings_at_call_time(upload, settings):
    settings.MEMORIAL_MIN_AUDIO_SECONDS = 3
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(audio_bytes("flac", 2.0)))
    assert caught.value.code == Code.TOO_SHORT


def test_byte_limit(upload, settings):
    data = audio_bytes("wav", 1.5)
    settings.MEMORIAL_MAX_AUDIO_BYTES = len(data) - 1
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(data))
    assert caught.value.code == Code.TOO_LARGE


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(image_bytes("PNG"), id="photo"),
        pytest.param(b"MZ\x90\x00" + os.urandom(4000), id="exe"),
        pytest.param(b"OggS" + bytes(4000), id="ogg"),
    ],
)
def test_non_recordings_are_unsupported(upload, data):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(data, "voice.mp3"))
    assert caught.value.code == Code.UNSUPPORTED_TYPE


def test_garbage_behind_a_valid_magic_is_corrupt(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(b"fLaC" + os.urandom(5000)))
    assert caught.value.code == Code.CORRUPT


def test_empty_file(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(b""))
    assert caught.value.code == Code.EMPTY


def _video_with_sound() -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=10)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        for index in range(20):
            frame = av.VideoFrame.from_ndarray(
                np.full((64, 64, 3), index * 10, dtype=np.uint8), format="rgb24"
            )
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
    return out.getvalue()


def test_a_video_is_not_a_voice_recording(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(_video_with_sound(), "voice.m4a"))
    assert caught.value.code == Code.UNSUPPORTED_TYPE


def test_wav_with_a_non_pcm_codec_is_unsupported(upload):
    out = io.BytesIO()
    with av.open(out, "w", format="wav") as container:
        stream: Any = container.add_stream("adpcm_ima_wav", rate=22_050, layout="mono")
        samples = np.zeros((1, 22_050 * 2), dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate = 22_050
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)

    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(out.getvalue()))
    assert caught.value.code == Code.UNSUPPORTED_TYPE


@pytest.mark.parametrize("fmt", ["wav", "flac", "mp3", "m4a"])
def test_load_audio_gives_float32_mono_at_the_source_rate(tmp_path, fmt):
    path = tmp_path / f"voice.{fmt}"
    path.write_bytes(audio_bytes(fmt, 2.0, rate=16_000, channels=2))

    samples, rate = load_audio(path)

    assert rate == 16_000
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert len(samples) == pytest.approx(32_000, abs=0.03 * 16_000)
    # Both channels carry the same 0.3-amplitude tone: their mean keeps that amplitude.
    assert float(np.abs(samples).max()) == pytest.approx(0.3, abs=0.03)


def test_load_audio_refuses_what_is_not_audio_and_respects_max_seconds(tmp_path):
    photo = tmp_path / "x.wav"
    photo.write_bytes(image_bytes("PNG"))
    with pytest.raises(AudioDecodeError) as caught:
        load_audio(photo)
    assert caught.value.code == "unsupported_type"
    assert isinstance(caught.value, ValueError)

    long = tmp_path / "long.wav"
    long.write_bytes(audio_bytes("wav", 3.0))
    with pytest.raises(AudioDecodeError) as caught:
        load_audio(long, max_seconds=1.0)
    assert caught.value.code == "too_long"


def test_load_audio_works_without_django_settings(tmp_path):
    """The render engine imports no Django settings; load_audio must not need them."""
    path = tmp_path / "voice.flac"
    path.write_bytes(audio_bytes("flac", 1.5))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "from django.conf import settings; from memorial.uploads import load_audio; "
        f"samples, rate = load_audio({str(path)!r}); "
        "assert not settings.configured; print(len(samples), rate)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["33075", "22050"]
