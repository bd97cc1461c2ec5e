"""Signed checkpoints: C2SP ``tlog-checkpoint`` bodies signed as C2SP signed notes (Ed25519).

A checkpoint is stored in the database and also written as a file to
``LEDGER_CHECKPOINT_DIR``, outside the database, so that someone who rewrites the database
cannot also rewrite the checkpoints that auditors and ``ledger audit`` compare against.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from provenance import ledger
from provenance.models import Checkpoint

ED25519_ALG = b"\x01"
SIGNATURE_DASH = "\u2014 "
_KEY_FILE = "ledger-ed25519.key"


class CheckpointError(Exception):
    """A checkpoint that does not parse or whose signature does not verify."""


@dataclass(frozen=True)
class ParsedCheckpoint:
    origin: str
    tree_size: int
    root_hash: bytes
    time: datetime | None
    body: str


# --- Keys -------------------------------------------------------------------------------------


def signing_key() -> Ed25519PrivateKey:
    """The configured seed (``MEMORIAL_LEDGER_SIGNING_KEY[_FILE]``, base64) or a development key
    made on first use and kept, mode 600, in ``LEDGER_KEY_DIR``."""
    if settings.LEDGER_SIGNING_KEY:
        try:
            seed = base64.b64decode(settings.LEDGER_SIGNING_KEY, validate=True)
            return Ed25519PrivateKey.from_private_bytes(seed)
        except ValueError as exc:
            raise CheckpointError(
                "MEMORIAL_LEDGER_SIGNING_KEY is not a base64 Ed25519 seed"
            ) from exc
    path = Path(settings.LEDGER_KEY_DIR) / _KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        seed = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(base64.b64encode(seed))
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_bytes()))


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_hash(name: str, public: bytes) -> bytes:
    """C2SP signed-note key id: first 4 bytes of SHA-256(name || \\n || alg || key)."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_ALG + public).digest()[:4]


def verifier_key(name: str, public: bytes) -> str:
    """The note verifier key string ``name+hex(keyhash)+base64(alg||key)``."""
    encoded = base64.b64encode(ED25519_ALG + public).decode()
    return f"{name}+{key_hash(name, public).hex()}+{encoded}"


def origin() -> str:
    return str(settings.LEDGER_ORIGIN)


def log_public_key() -> bytes:
    return public_key_bytes(signing_key().public_key())


# --- Notes ------------------------------------------------------------------------------------


def checkpoint_body(origin_line: str, size: int, root: bytes, time: datetime) -> str:
    stamp = time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{origin_line}\n{size}\n{base64.b64encode(root).decode()}\nTime: {stamp}\n"


def sign_note(body: str, key: Ed25519PrivateKey, name: str) -> str:
    signature = key.sign(body.encode())
    public = public_key_bytes(key.public_key())
    blob = base64.b64encode(key_hash(name, public) + signature).decode()
    return f"{body}\n{SIGNATURE_DASH}{name} {blob}\n"


def verify_note(note: str, name: str, public: bytes) -> ParsedCheckpoint:
    """Check the note's signature by ``name``/``public`` and parse the checkpoint body."""
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise CheckpointError("not a signed note: no blank line before the signatures")
    body += "\n"
    wanted = key_hash(name, public)
    verifier = Ed25519PublicKey.from_public_bytes(public)
    for line in signatures.splitlines():
        if not line.startswith(SIGNATURE_DASH):
            continue
        signer, _, blob = line[len(SIGNATURE_DASH) :].rpartition(" ")
        raw = base64.b64decode(blob)
        if signer != name or raw[:4] != wanted:
            continue
        try:
            verifier.verify(raw[4:], body.encode())
        except InvalidSignature as exc:
            raise CheckpointError("checkpoint signature does not verify") from exc
        return parse_body(body)
    raise CheckpointError(f"no signature by {name} with key id {wanted.hex()}")


def parse_body(body: str) -> ParsedCheckpoint:
    lines = body.rstrip("\n").split("\n")
    if len(lines) < 3:
        raise CheckpointError("a checkpoint body has an origin, a size and a root hash")
    try:
        size = int(lines[1])
        root = base64.b64decode(lines[2], validate=True)
    except ValueError as exc:
        raise CheckpointError(f"malformed checkpoint body: {exc}") from exc
    stamp = next((ln[6:] for ln in lines[3:] if ln.startswith("Time: ")), None)
    time = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC) if stamp else None
    return ParsedCheckpoint(lines[0], size, root, time, body)


# --- Making checkpoints -----------------------------------------------------------------------


def make_checkpoint(*, only_if_grown: bool = False) -> Checkpoint | None:
    """Sign the current tree head, store it and export it; returns it (or None if unchanged)."""
    with transaction.atomic():
        ledger.lock_for_append()  # the head must not move between reading size and root
        size = ledger.tree_size()
        latest = Checkpoint.objects.order_by("-tree_size", "-time").first()
        if only_if_grown and latest is not None and latest.tree_size == size:
            return None
        root = ledger.root_at(size)
        now = timezone.now()
        note = sign_note(checkpoint_body(origin(), size, root, now), signing_key(), origin())
        checkpoint = Checkpoint.objects.create(tree_size=size, root_hash=root, time=now, note=note)
        transaction.on_commit(lambda: export(checkpoint))
    return checkpoint


def export(checkpoint: Checkpoint) -> Path:
    """Write the note to the checkpoint directory (atomically: temp file, fsync, rename)."""
    directory = Path(settings.LEDGER_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.time.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"checkpoint-{checkpoint.tree_size:012d}-{stamp}.txt"
    temp = path.with_suffix(".tmp")
    with open(temp, "w", encoding="utf-8") as fh:
        fh.write(checkpoint.note)
        fh.flush()
        os.fsync(fh.fileno())
    temp.replace(path)
    return path


def exported_notes() -> list[tuple[Path, str]]:
    directory = Path(settings.LEDGER_CHECKPOINT_DIR)
    if not directory.is_dir():
        return []
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("checkpoint-*.txt"))]


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-time").first()
