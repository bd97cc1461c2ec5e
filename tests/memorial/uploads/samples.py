"""Files the upload tests make for themselves: images (Pillow), recordings (PyAV), PDFs."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import av
import numpy as np
from PIL import Image

AUDIO_FORMATS = {
    # our name: (muxer, encoder)
    "wav": ("wav", "pcm_s16le"),
    "flac": ("flac", "flac"),
    "mp3": ("mp3", "libmp3lame"),
    "m4a": ("ipod", "aac"),
}


def gradient(width: int = 640, height: int = 480, mode: str = "RGB") -> Image.Image:
    """A picture with structure (so orientation and scaling can be checked), not a flat fill."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :].repeat(height, axis=0)
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None].repeat(width, axis=1)
    rgb = np.stack([x, y, np.full_like(x, 60)], axis=-1).astype(np.uint8)
    # A red block in the top-left corner marks which way is up.
    rgb[: height // 5, : width // 5] = (255, 0, 0)
    return Image.fromarray(rgb, "RGB").convert(mode)


def image_bytes(fmt: str, image: Image.Image | None = None, **save: object) -> bytes:
    out = io.BytesIO()
    (image or gradient()).save(out, format=fmt, **save)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` RGB pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def tone(seconds: float, rate: int = 22_050, channels: int = 1) -> np.ndarray:
    """A 220 Hz tone at 0.3 amplitude, shape (channels, samples), float32."""
    t = np.arange(round(seconds * rate), dtype=np.float64) / rate
    wave = (0.3 * np.sin(2 * np.pi * 220.0 * t)).astype(np.float32)
    return np.repeat(wave[None, :], channels, axis=0)


def audio_bytes(fmt: str, seconds: float, rate: int = 22_050, channels: int = 1) -> bytes:
    """A recording encoded by FFmpeg (through PyAV) in one of the accepted formats."""
    muxer, encoder = AUDIO_FORMATS[fmt]
    layout = "mono" if channels == 1 else "stereo"
    samples = tone(seconds, rate, channels)
    out = io.BytesIO()
    with av.open(out, mode="w", format=muxer) as container:
        stream: Any = container.add_stream(encoder, rate=rate, layout=layout)
        step = 1024
        for start in range(0, samples.shape[1], step):
            chunk = np.ascontiguousarray(samples[:, start : start + step])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def wav_header_only(rate: int = 22_050) -> bytes:
    """A well-formed WAV with a data chunk of zero samples (a 0-second recording)."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", 0)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def pdf_pages(pages: int) -> bytes:
    """A PDF of ``pages`` pages as Pillow writes it (classic xref table, plain objects)."""
    frames = [gradient(200, 280) for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def pdf_with_object_stream(pages: int, *, declared: int | None = None) -> bytes:
    """A PDF 1.5 whose page tree and pages live inside a compressed object stream.

    ``declared`` sets the page tree's /Count (defaults to the real number of pages).
    """
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    packed = [(2, f"<< /Type /Pages /Kids [{kids}] /Count {declared or pages} >>")]
    packed += [
        (3 + i, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>") for i in range(pages)
    ]
    index = b""
    body = b""
    for number, text in packed:
        index += f"{number} {len(body)} ".encode()
        body += text.encode() + b"\n"
    content = zlib.compress(index + body)
    objstm = 3 + pages
    parts = [
        b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n",
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        f"{objstm} 0 obj\n<< /Type /ObjStm /N {len(packed)} /First {len(index)} "
        f"/Filter /FlateDecode /Length {len(content)} >>\nstream\n".encode()
        + content
        + b"\nendstream\nendobj\n",
    ]
    xref_at = sum(len(p) for p in parts)
    trailer = f"trailer\n<< /Size {objstm + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    return b"".join(parts) + trailer.encode()
