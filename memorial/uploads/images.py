"""Photos and document scans: header checks before decoding, a full decode, a safe preview."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, UnidentifiedImageError

from memorial.uploads import sniff
from memorial.uploads.errors import Code, UploadRejected
from memorial.uploads.receiving import Received, receive, rewinds
from memorial.uploads.result import ValidatedMedia

PREVIEW_MAX_SIDE = 512
PREVIEW_QUALITY = 85

_PILLOW_FORMAT = {sniff.JPEG: "JPEG", sniff.PNG: "PNG", sniff.WEBP: "WEBP"}
_CONTENT_TYPE = {sniff.JPEG: "image/jpeg", sniff.PNG: "image/png", sniff.WEBP: "image/webp"}
_EXTENSION = {sniff.JPEG: "jpg", sniff.PNG: "png", sniff.WEBP: "webp"}
# What a broken image makes Pillow and its C decoders raise (besides the bomb errors).
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
    zlib.error,
)
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class DecodedImage:
    image: Image.Image  # orientation applied, fully loaded (a JPEG possibly at reduced scale)
    kind: str  # a sniff constant
    width: int  # full-size dimensions, orientation applied
    height: int
    metadata: dict[str, Any]


@rewinds
def validate_photo(fileobj: Any) -> ValidatedMedia:
    """A JPEG, PNG or WebP photo within the byte, pixel and minimum-side limits."""
    received = receive(fileobj, max_bytes=settings.MEMORIAL_MAX_PHOTO_BYTES)
    decoded = decode_image(received, allowed=(sniff.JPEG, sniff.PNG, sniff.WEBP), what=_PHOTO)
    width, height = decoded.width, decoded.height
    min_side = settings.MEMORIAL_MIN_PHOTO_SIDE
    if min(width, height) < min_side:
        raise UploadRejected(
            _(
                "The photo is %(width)s x %(height)s pixels; each side must be at least "
                "%(min_side)s pixels."
            ),
            Code.TOO_SMALL,
            {"width": width, "height": height, "min_side": min_side},
        )
    return media_from_image("photo", received, decoded)


def media_from_image(kind: Any, received: Received, decoded: DecodedImage) -> ValidatedMedia:
    width, height = decoded.width, decoded.height
    return ValidatedMedia(
        kind=kind,
        content_type=_CONTENT_TYPE[decoded.kind],
        extension=_EXTENSION[decoded.kind],
        sha256=received.sha256,
        size=received.size,
        width=width,
        height=height,
        preview_bytes=jpeg_preview(decoded.image),
        metadata=decoded.metadata,
    )


_PHOTO = _("This file is not a photo we can use. Upload a JPEG, PNG or WebP image.")
_SCAN = _("This file is not a document we can use. Upload a PDF, JPEG or PNG file.")
_CORRUPT = _("The image is damaged and cannot be read. Export or scan it again and re-upload it.")
_TRUNCATED = _("The image is incomplete (the file ends too early). Please upload it again.")


def decode_image(received: Received, *, allowed: tuple[str, ...], what: Any) -> DecodedImage:
    """Open with the one Pillow plugin the magic bytes name, check the header, then decode.

    1. The type comes from the magic bytes; Pillow is told to try only that plugin.
    2. Width x height from the header is checked against MEMORIAL_MAX_PHOTO_PIXELS *before*
       any pixel is decoded (Pillow's own DecompressionBombError, raised by ``open`` past
       twice its MAX_IMAGE_PIXELS, means the same thing and gets the same answer).
    3. The whole image is decoded, so a truncated or damaged file fails here, not later.
       A large JPEG is decoded at a reduced DCT scale (libjpeg still reads every coefficient,
       so damage is still found) to keep memory near the preview's size, not 3 bytes/pixel.
    """
    kind = sniff.sniff(received.head)
    if kind not in allowed:
        raise UploadRejected(what, Code.UNSUPPORTED_TYPE)
    max_pixels = settings.MEMORIAL_MAX_PHOTO_PIXELS
    with warnings.catch_warnings():
        # Our own limit is the one enforced; Pillow's warning band would only add noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = _open(received, kind, max_pixels)
        _check_header(image, max_pixels)
        width, height = image.size
        if kind == sniff.JPEG:
            image.draft(None, (2 * PREVIEW_MAX_SIDE, 2 * PREVIEW_MAX_SIDE))
        _load(image)
    exif = _exif(image)
    metadata = _metadata(image, kind, exif) | {"original_width": width, "original_height": height}
    oriented = _oriented(image, exif)
    if metadata["exif_orientation"] in _SWAPS_SIDES:
        width, height = height, width
    return DecodedImage(image=oriented, kind=kind, width=width, height=height, metadata=metadata)


def _open(received: Received, kind: str, max_pixels: int) -> Image.Image:
    try:
        return Image.open(received.stream, formats=[_PILLOW_FORMAT[kind]])
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(max_pixels) from exc
    except _DECODE_ERRORS as exc:
        raise UploadRejected(_CORRUPT, Code.CORRUPT) from exc


def _check_header(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise UploadRejected(_CORRUPT, Code.CORRUPT)
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    if getattr(image, "n_frames", 1) > 1:
        raise UploadRejected(
            _("Animated images are not accepted. Upload a still photo."), Code.ANIMATED
        )


def _load(image: Image.Image) -> None:
    try:
        image.load()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(settings.MEMORIAL_MAX_PHOTO_PIXELS) from exc
    except OSError as exc:
        if "truncated" in str(exc):
            raise UploadRejected(_TRUNCATED, Code.TRUNCATED) from exc
        raise UploadRejected(_CORRUPT, Code.CORRUPT) from exc
    except _DECODE_ERRORS as exc:
        raise UploadRejected(_CORRUPT, Code.CORRUPT) from exc


def _too_many_pixels(max_pixels: int) -> UploadRejected:
    return UploadRejected(
        _("The image has too many pixels (the limit is %(megapixels)s megapixels)."),
        Code.TOO_MANY_PIXELS,
        {"megapixels": f"{max_pixels / 1_000_000:g}"},
    )


def _exif(image: Image.Image) -> Image.Exif | None:
    """The parsed EXIF block, or None when there is none or it is malformed (then ignored)."""
    try:
        exif = image.getexif()
    except _DECODE_ERRORS:
        return None
    return exif or None


def _oriented(image: Image.Image, exif: Image.Exif | None) -> Image.Image:
    """The image turned the way its EXIF orientation says (1-8), the pixels otherwise as is."""
    orientation = exif.get(_EXIF_ORIENTATION) if exif is not None else None
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    return image if method is None else image.transpose(method)


_SWAPS_SIDES = {5, 6, 7, 8}
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _metadata(image: Image.Image, kind: str, exif: Image.Exif | None) -> dict[str, Any]:
    """Facts about the original worth keeping; none of its EXIF content (GPS, camera serial)."""
    orientation = exif.get(_EXIF_ORIENTATION) if exif is not None else None
    return {
        "format": kind,
        "mode": image.mode,
        "exif_orientation": int(orientation) if isinstance(orientation, int) else None,
        "had_exif": exif is not None,
        "had_icc_profile": bool(image.info.get("icc_profile")),
    }


def jpeg_preview(image: Image.Image, max_side: int = PREVIEW_MAX_SIDE) -> bytes:
    """A fresh JPEG of the (already oriented) image: sRGB, ≤ ``max_side``, no metadata at all.

    The pixels are copied into a new image, so nothing from the original's ``info`` (EXIF, XMP,
    ICC profile, comments) can ride along into the saved file.
    """
    rgb = _to_srgb(image)
    rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=PREVIEW_QUALITY, optimize=True)
    return out.getvalue()


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "CMYK", "L"):
        return _to_rgb(image)
    converted = _to_rgb(image)
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        result = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return converted  # an unusable profile: keep the pixels as they are, drop the profile
    return result if result is not None else converted


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency flattened onto white, 16-bit and float greys scaled to 8 bits."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I")
    if image.mode in ("I", "F"):
        extrema = image.getextrema()
        low, high = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
        scale = 255.0 / (high - low) if high > low else 0.0
        offset = -low * scale
        image = image.point(lambda value: value * scale + offset).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
