from __future__ import annotations

import hashlib
import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms

from memorial.uploads import Code, UploadRejected, validate_photo
from tests.memorial.uploads.samples import (
    audio_bytes,
    gradient,
    image_bytes,
    png_chunk,
    png_declaring,
)

RED = (255, 0, 0)


def open_preview(data: bytes | None) -> Image.Image:
    assert data is not None
    preview = Image.open(io.BytesIO(data))
    assert preview.format == "JPEG"
    return preview


def is_red(pixel: object) -> bool:
    assert isinstance(pixel, tuple)
    red, green, blue = pixel[:3]
    return bool(red > 200 and green < 60 and blue < 60)


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"), ("WEBP", "image/webp", "webp")],
)
def test_each_photo_format_is_accepted_with_hash_size_and_preview(
    upload, fmt, content_type, extension
):
    data = image_bytes(fmt, gradient(1024, 768))

    media = validate_photo(upload(data, "photo"))

    assert media.kind == "photo"
    assert media.content_type == content_type
    assert media.extension == extension
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    assert media.size == len(data)
    assert (media.width, media.height) == (1024, 768)
    assert media.duration_seconds is None
    assert media.text is None
    assert media.metadata["format"] == extension.replace("jpg", "jpeg")
    assert open_preview(media.preview_bytes).size == (512, 384)
    assert media.preview_content_type == "image/jpeg"
    assert media.storage_name("abc") == f"abc.{extension}"


def test_type_comes_from_content_not_from_name_or_client_type(upload):
    data = image_bytes("PNG")

    media = validate_photo(upload(data, "holiday.jpg", "image/jpeg"))

    assert (media.content_type, media.extension) == ("image/png", "png")


def test_executable_renamed_jpg_is_rejected(upload):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)) * 4

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(exe, "photo.jpg", "image/jpeg"))

    assert caught.value.code == Code.UNSUPPORTED_TYPE
    assert Code.UNSUPPORTED_TYPE.value == "unsupported_type"
    assert "JPEG, PNG or WebP" in caught.value.text


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(image_bytes("GIF"), id="gif"),
        pytest.param(image_bytes("TIFF"), id="tiff"),
        pytest.param(b"just some words", id="text"),
    ],
)
def test_other_formats_are_unsupported(upload, data):
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data, "photo.png"))
    assert caught.value.code == Code.UNSUPPORTED_TYPE


def test_a_recording_is_not_a_photo(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(audio_bytes("wav", 1.5), "photo.jpg"))
    assert caught.value.code == Code.UNSUPPORTED_TYPE


def test_empty_file_is_rejected(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(b"", "photo.jpg"))
    assert caught.value.code == Code.EMPTY
    assert caught.value.text == "The file is empty."


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_photo_is_rejected_as_incomplete_or_damaged(upload, fmt):
    data = image_bytes(fmt, gradient(800, 600))

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data[: len(data) // 2]))

    assert caught.value.code in {Code.TRUNCATED, Code.CORRUPT}
    if fmt == "JPEG":
        assert caught.value.code == Code.TRUNCATED
        assert "incomplete" in caught.value.text


def test_jpeg_missing_only_its_last_bytes_is_still_truncated(upload):
    data = image_bytes("JPEG", gradient(800, 600))

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data[:-200]))

    assert caught.value.code == Code.TRUNCATED


def test_large_jpeg_is_measured_at_full_size_and_damage_still_found(upload):
    data = image_bytes("JPEG", gradient(4000, 3000), exif=_exif_with_private_data(6).tobytes())

    media = validate_photo(upload(data))

    assert (media.width, media.height) == (3000, 4000)
    assert media.metadata["original_width"] == 4000
    assert open_preview(media.preview_bytes).size == (384, 512)
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data[: len(data) * 3 // 4]))
    assert caught.value.code == Code.TRUNCATED


def test_header_cut_short_is_corrupt(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(image_bytes("JPEG")[:40]))
    assert caught.value.code == Code.CORRUPT


def test_png_with_garbage_pixels_is_corrupt(upload):
    header = png_chunk(b"IHDR", (600).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0]))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + header
        + png_chunk(b"IDAT", b"this is not zlib data" * 50)
        + png_chunk(b"IEND", b"")
    )

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data))

    assert caught.value.code in {Code.CORRUPT, Code.TRUNCATED}


def test_png_declaring_50000_by_50000_pixels_is_refused_before_decoding(upload):
    """Pillow's own DecompressionBombError (past 2 x MAX_IMAGE_PIXELS) answers too_many_pixels."""
    bomb = png_declaring(50_000, 50_000)
    assert len(bomb) < 200

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(bomb, "tiny.png"))

    assert caught.value.code == Code.TOO_MANY_PIXELS
    assert "40 megapixels" in caught.value.text


def test_png_above_our_limit_but_below_pillows_is_refused_from_its_header(upload):
    # 7,000 x 7,000 = 49 MP: over our 40 MP, under Pillow's own bomb threshold. Had the pixels
    # been decoded, the 1 KiB of image data would have failed as truncated, not as too big.
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(png_declaring(7_000, 7_000)))

    assert caught.value.code == Code.TOO_MANY_PIXELS


def test_text_chunk_that_inflates_to_megabytes_is_refused(upload):
    """A zTXt chunk is a second bomb vector: Pillow caps it (MAX_TEXT_CHUNK); we say corrupt."""
    plain = image_bytes("PNG", gradient(300, 300))
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 5_000_000))
    data = plain[:33] + bomb + plain[33:]  # right after the 8-byte signature and 25-byte IHDR
    assert len(data) < len(plain) + 10_000

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data))

    assert caught.value.code == Code.CORRUPT


def test_pixel_limit_is_read_from_settings_at_call_time(upload, settings):
    data = image_bytes("JPEG", gradient(640, 480))
    settings.MEMORIAL_MAX_PHOTO_PIXELS = 640 * 480 - 1

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data))
    assert caught.value.code == Code.TOO_MANY_PIXELS

    settings.MEMORIAL_MAX_PHOTO_PIXELS = 640 * 480
    assert validate_photo(upload(data)).width == 640


def test_pillows_decompression_bomb_error_is_handled_too(upload, settings, monkeypatch):
    settings.MEMORIAL_MAX_PHOTO_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(image_bytes("PNG", gradient(640, 480))))

    assert caught.value.code == Code.TOO_MANY_PIXELS


def test_photo_smaller_than_minimum_side_is_rejected(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(image_bytes("PNG", gradient(400, 255))))

    assert caught.value.code == Code.TOO_SMALL
    assert caught.value.text == (
        "The photo is 400 x 255 pixels; each side must be at least 256 pixels."
    )
    assert validate_photo(upload(image_bytes("PNG", gradient(256, 256)))).height == 256


def test_byte_limit(upload, settings):
    data = image_bytes("PNG")
    settings.MEMORIAL_MAX_PHOTO_BYTES = len(data) - 1

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data))
    assert caught.value.code == Code.TOO_LARGE

    settings.MEMORIAL_MAX_PHOTO_BYTES = len(data)
    assert validate_photo(upload(data)).size == len(data)


def _exif_with_private_data(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam Inc"  # Make
    exif[0x0110] = "Model 9000"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    return exif


def test_preview_strips_exif_and_applies_orientation(upload):
    # Orientation 6: the camera stored the picture turned; shown upright it is rotated 90° CW,
    # so the red mark stored top-left appears top-right.
    data = image_bytes("JPEG", gradient(640, 480), exif=_exif_with_private_data(6).tobytes())
    assert b"SecretCam" in data

    media = validate_photo(upload(data))

    assert (media.width, media.height) == (480, 640)
    assert media.metadata["exif_orientation"] == 6
    assert media.metadata["had_exif"] is True
    assert media.preview_bytes is not None
    assert b"SecretCam" not in media.preview_bytes
    assert b"Exif" not in media.preview_bytes
    preview = open_preview(media.preview_bytes)
    assert not preview.getexif()
    assert "exif" not in preview.info
    assert preview.size == (384, 512)
    assert is_red(preview.getpixel((preview.width - 10, 10)))
    assert not is_red(preview.getpixel((10, 10)))


@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 5, 7, 8])
def test_every_orientation_puts_the_image_upright(upload, orientation):
    upright = gradient(600, 300)
    # Store the picture as a camera would for this orientation, so that applying it restores
    # the upright picture: the inverse of each EXIF transform.
    stored = {
        1: upright,
        2: upright.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        3: upright.transpose(Image.Transpose.ROTATE_180),
        4: upright.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        5: upright.transpose(Image.Transpose.TRANSPOSE),
        7: upright.transpose(Image.Transpose.TRANSVERSE),
        8: upright.transpose(Image.Transpose.ROTATE_270),
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = image_bytes("PNG", stored, exif=exif.tobytes())

    media = validate_photo(upload(data))

    assert (media.width, media.height) == (600, 300)
    preview = open_preview(media.preview_bytes)
    assert is_red(preview.getpixel((5, 5)))
    assert not is_red(preview.getpixel((preview.width - 5, preview.height - 5)))


def test_preview_drops_icc_profile_and_text_chunks(upload):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Private Person")
    data = image_bytes("PNG", gradient(), icc_profile=profile, pnginfo=info)

    media = validate_photo(upload(data))

    assert media.metadata["had_icc_profile"] is True
    assert media.preview_bytes is not None
    assert b"Private Person" not in media.preview_bytes
    assert "icc_profile" not in open_preview(media.preview_bytes).info


@pytest.mark.parametrize("mode", ["RGBA", "LA", "L", "P", "I;16", "CMYK", "1"])
def test_unusual_pixel_modes_give_an_rgb_preview(upload, mode):
    image = gradient(300, 300, "RGB" if mode == "I;16" else mode)
    if mode == "I;16":
        image = image.convert("L").convert("I").point(lambda v: v * 256).convert("I;16")
    fmt = "JPEG" if mode == "CMYK" else "PNG"

    media = validate_photo(upload(image_bytes(fmt, image)))

    preview = open_preview(media.preview_bytes)
    assert preview.mode == "RGB"
    assert preview.size == (300, 300)
    if mode in ("RGBA", "P", "CMYK"):
        assert is_red(preview.getpixel((5, 5)))


def test_transparent_pixels_are_flattened_onto_white(upload):
    clear = Image.new("RGBA", (300, 300), (0, 0, 0, 0))

    media = validate_photo(upload(image_bytes("PNG", clear)))

    assert open_preview(media.preview_bytes).getpixel((150, 150)) == (255, 255, 255)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_images_are_rejected(upload, fmt):
    frames = [gradient(300, 300), gradient(300, 300).rotate(90)]
    data = image_bytes(fmt, frames[0], save_all=True, append_images=frames[1:])

    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(data))

    assert caught.value.code == Code.ANIMATED


def test_rejection_is_a_validation_error_with_stable_code(upload):
    with pytest.raises(ValidationError) as caught:
        validate_photo(upload(b"\x00" * 10))

    assert isinstance(caught.value, UploadRejected)
    assert caught.value.code == "unsupported_type"
    assert caught.value.messages == [caught.value.text]
    assert str(caught.value) == caught.value.text


def test_upload_is_left_at_its_start_for_storing(upload):
    file = upload(image_bytes("JPEG"))

    validate_photo(file)

    assert file.tell() == 0


def test_plain_binary_file_objects_work_too():
    data = image_bytes("WEBP")
    assert validate_photo(io.BytesIO(data)).sha256 == hashlib.sha256(data).hexdigest()
