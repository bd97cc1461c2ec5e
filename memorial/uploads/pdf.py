"""Reading just enough of a PDF's structure to count its pages, without a PDF library.

Nothing is rendered or executed: the file is scanned for its objects, including those packed in
compressed object streams (PDF 1.5+), and the page count is the larger of the page-tree root's
``/Count`` and the number of distinct page objects. Decompression is capped, so a small file
that inflates to gigabytes (a zip bomb in a stream) is rejected rather than expanded.
No Django imports.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

# Total bytes all object streams may inflate to, and how many of them we read.
MAX_INFLATED_BYTES = 64_000_000
MAX_OBJECT_STREAMS = 10_000

_OBJECT = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_TYPE_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
_TYPE_PAGES = re.compile(rb"/Type\s*/Pages(?![A-Za-z0-9])")
_COUNT = re.compile(rb"/Count\s+(\d{1,10})")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_FIRST = re.compile(rb"/First\s+(\d{1,10})")
_N = re.compile(rb"/N\s+(\d{1,10})")
_STREAM = re.compile(rb"\bstream(\r\n|\n|\r)")
_ENCRYPT = re.compile(rb"/Encrypt\s*(\d+\s+\d+\s+R|<<)")
_VERSION = re.compile(rb"%PDF-([12]\.\d)")


class PdfError(ValueError):
    """Not a PDF we can use; ``code`` is one of memorial.uploads.Code's values."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class PdfInfo:
    version: str
    pages: int
    object_streams: int


def inspect_pdf(data: bytes) -> PdfInfo:
    """The version and page count of ``data``; PdfError if it is not a complete, open PDF."""
    version = _VERSION.match(data)
    if version is None:
        raise PdfError("unsupported_type", "no %PDF- header")
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise PdfError("truncated", "no startxref / %%EOF at the end")
    if _ENCRYPT.search(data):
        raise PdfError("encrypted", "the document is encrypted")
    objects, streams = _objects(data)
    pages = _page_count(objects)
    if pages == 0:
        raise PdfError("corrupt", "no pages found")
    return PdfInfo(version=version.group(1).decode(), pages=pages, object_streams=streams)


def _objects(data: bytes) -> tuple[dict[int, bytes], int]:
    """Object number → dictionary text; a later definition (an incremental update) wins."""
    objects: dict[int, bytes] = {}
    packed: list[bytes] = []
    for number, body in _bodies(data):
        head = _dictionary_part(body)
        objects[number] = head
        if _OBJSTM.search(head):
            packed.append(body)
    if len(packed) > MAX_OBJECT_STREAMS:
        raise PdfError("corrupt", "too many object streams")
    budget = MAX_INFLATED_BYTES
    for body in packed:
        inflated = _inflate(body, budget)
        budget -= len(inflated)
        objects.update(_unpack_object_stream(_dictionary_part(body), inflated))
    return objects, len(packed)


def _bodies(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Each "N G obj ... endobj" in file order, in one linear pass (no backtracking regex)."""
    position = 0
    while (match := _OBJECT.search(data, position)) is not None:
        end = data.find(b"endobj", match.end())
        if end < 0:
            return
        yield int(match.group(1)), data[match.end() : end]
        position = end + len(b"endobj")


def _dictionary_part(body: bytes) -> bytes:
    """An object's text before its stream data (the stream's bytes are not dictionary)."""
    found = _STREAM.search(body)
    return body if found is None else body[: found.start()]


def _inflate(body: bytes, budget: int) -> bytes:
    head = _dictionary_part(body)
    if b"/FlateDecode" not in head:
        return body[len(head) :]  # uncompressed (or a filter we do not read): scan as is
    start = _STREAM.search(body)
    raw = body[start.end() :] if start is not None else b""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(raw, budget + 1)
    except zlib.error as exc:
        raise PdfError("corrupt", f"a compressed object stream is damaged: {exc}") from exc
    if len(out) > budget:
        raise PdfError("corrupt", "object streams inflate beyond the limit")
    return out


def _unpack_object_stream(head: bytes, inflated: bytes) -> dict[int, bytes]:
    """The objects an object stream holds: ``/N`` pairs "number offset", then the objects."""
    first = _FIRST.search(head)
    count = _N.search(head)
    if first is None or count is None:
        raise PdfError("corrupt", "an object stream lacks /First or /N")
    offset_base = int(first.group(1))
    numbers = inflated[:offset_base].split()
    if not all(token.isdigit() for token in numbers):
        raise PdfError("corrupt", "an object stream's index is damaged")
    pairs = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, len(numbers) - 1, 2)]
    pairs = pairs[: int(count.group(1))]
    found: dict[int, bytes] = {}
    for index, (number, offset) in enumerate(pairs):
        end = pairs[index + 1][1] if index + 1 < len(pairs) else len(inflated) - offset_base
        found[number] = inflated[offset_base + offset : offset_base + end]
    return found


def _page_count(objects: dict[int, bytes]) -> int:
    leaves = 0
    declared = 0
    for text in objects.values():
        if _TYPE_PAGES.search(text):
            counts = [int(c) for c in _COUNT.findall(text)]
            declared = max([declared, *counts])
        elif _TYPE_PAGE.search(text):
            leaves += 1
    return max(leaves, declared)
