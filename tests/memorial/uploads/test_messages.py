from __future__ import annotations

import pytest
from django.utils import translation

from memorial.uploads import Code, UploadRejected, validate_audio, validate_photo, validate_text
from tests.memorial.uploads.samples import audio_bytes, gradient, image_bytes


def test_messages_are_translated_to_simplified_chinese_with_their_numbers(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_photo(upload(image_bytes("PNG", gradient(400, 200))))

    with translation.override("zh-hans"):
        assert caught.value.text == "该照片为 400 × 200 像素；每边至少需要 256 像素。"  # noqa: RUF001
    with translation.override("en"):
        assert caught.value.text.startswith("The photo is 400 x 200 pixels")
    assert caught.value.code == Code.TOO_SMALL


@pytest.mark.parametrize(
    ("validator", "data", "chinese"),
    [
        (validate_photo, b"", "文件是空的。"),
        (validate_text, b"caf\xe9", "文本不是 UTF-8 编码"),
        (validate_audio, image_bytes("PNG"), "此文件不是可用的录音"),
    ],
)
def test_each_validator_speaks_chinese(upload, validator, data, chinese):
    with pytest.raises(UploadRejected) as caught:
        validator(upload(data))
    with translation.override("zh-hans"):
        assert chinese in caught.value.text


def test_too_short_recording_in_chinese(upload):
    with pytest.raises(UploadRejected) as caught:
        validate_audio(upload(audio_bytes("wav", 0.5)))
    with translation.override("zh-hans"):
        assert caught.value.text == "该录音时长为 0.5 秒；至少需要 1 秒。"  # noqa: RUF001
