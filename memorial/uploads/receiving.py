"""Reading an upload once: size limit, sha256 and the first bytes, on a seekable stream."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.utils.translation import gettext_lazy as _

from memorial.uploads.errors import Code, UploadRejected

T = TypeVar("T")
HEAD_BYTES = 4096
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Received:
    stream: IO[bytes]  # seekable, positioned at 0
    size: int
    sha256: str
    head: bytes

    def read_all(self) -> bytes:
        self.stream.seek(0)
        data = self.stream.read()
        self.stream.seek(0)
        return data


def rewinds(validator: Callable[[Any], T]) -> Callable[[Any], T]:
    """Leave the caller's file at position 0 whatever happened, ready to be stored."""

    @functools.wraps(validator)
    def wrapper(fileobj: Any) -> T:
        try:
            return validator(fileobj)
        finally:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                if _seekable(fileobj):
                    fileobj.seek(0)

    return wrapper


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def too_large(limit: int) -> UploadRejected:
    return UploadRejected(
        _("The file is larger than the limit of %(limit)s."),
        Code.TOO_LARGE,
        {"limit": megabytes(limit)},
    )


def receive(fileobj: Any, *, max_bytes: int) -> Received:
    """Hash and measure ``fileobj`` (any binary file object, Django's uploads included).

    Stops reading as soon as the limit is passed, so an oversized upload costs at most
    ``max_bytes`` of reading. A stream that cannot seek is first spooled to a private
    temporary file, because every decoder after this one reads from the start again.
    """
    declared = getattr(fileobj, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise too_large(max_bytes)
    stream = fileobj if _seekable(fileobj) else _spool(fileobj, max_bytes)
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
    if size == 0:
        raise UploadRejected(_("The file is empty."), Code.EMPTY)
    stream.seek(0)
    return Received(stream=stream, size=size, sha256=digest.hexdigest(), head=head)


def _seekable(fileobj: Any) -> bool:
    try:
        return bool(fileobj.seekable())
    except (AttributeError, ValueError, OSError):
        return False


def _spool(fileobj: Any, max_bytes: int) -> IO[bytes]:
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * _CHUNK)  # noqa: SIM115 (returned)
    copied = 0
    while chunk := fileobj.read(_CHUNK):
        copied += len(chunk)
        if copied > max_bytes:
            spooled.close()
            raise too_large(max_bytes)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled
