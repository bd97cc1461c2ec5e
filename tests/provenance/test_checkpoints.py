from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from provenance import checkpoints, ledger
from provenance.events import EventType
from provenance.models import Checkpoint
from provenance.tasks import periodic_checkpoint
from tests.provenance import independent

pytestmark = pytest.mark.django_db


def _append(n: int) -> None:
    for i in range(n):
        ledger.append(EventType.CLIP_VERIFIED, actor="anonymous", payload={"n": i})


def test_checkpoint_is_a_c2sp_signed_note_verifiable_from_first_principles() -> None:
    _append(5)
    checkpoint = checkpoints.make_checkpoint()
    assert checkpoint is not None
    body, signature_block = checkpoint.note.split("\n\n")
    lines = body.split("\n")
    assert lines[0] == checkpoints.origin()
    assert lines[1] == "5"
    leaves = [ledger.fetch_nodes([(0, i)])[(0, i)] for i in range(5)]
    assert base64.b64decode(lines[2]) == independent.tree_hash(leaves)
    assert lines[3].startswith("Time: ")
    # "— <name> <base64(keyid || signature)>", keyid = SHA-256(name \n 0x01 key)[:4]
    dash, name, blob = signature_block.strip().split(" ")
    assert dash == "\u2014"
    assert name == checkpoints.origin()
    raw = base64.b64decode(blob)
    public = checkpoints.log_public_key()
    assert raw[:4] == hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
    Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], (body + "\n").encode())


def test_checkpoints_are_exported_outside_the_database(
    settings, django_capture_on_commit_callbacks
) -> None:
    _append(3)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = checkpoints.make_checkpoint()
    assert checkpoint is not None
    files = list(settings.LEDGER_CHECKPOINT_DIR.glob("checkpoint-*.txt"))
    assert [f.read_text() for f in files] == [checkpoint.note]


def test_a_changed_note_fails_verification() -> None:
    _append(2)
    checkpoint = checkpoints.make_checkpoint()
    assert checkpoint is not None
    forged = checkpoint.note.replace("\n2\n", "\n3\n", 1)
    with pytest.raises(checkpoints.CheckpointError, match="does not verify"):
        checkpoints.verify_note(forged, checkpoints.origin(), checkpoints.log_public_key())


def test_periodic_task_signs_only_when_the_log_grew() -> None:
    _append(2)
    periodic_checkpoint.call_local()
    periodic_checkpoint.call_local()
    assert Checkpoint.objects.count() == 1
    _append(1)
    periodic_checkpoint.call_local()
    assert [c.tree_size for c in Checkpoint.objects.all()] == [3, 2]


def test_configured_signing_key_is_used(settings) -> None:
    seed = bytes(range(32))
    settings.LEDGER_SIGNING_KEY = base64.b64encode(seed).decode()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    expected = checkpoints.public_key_bytes(Ed25519PrivateKey.from_private_bytes(seed).public_key())
    assert checkpoints.log_public_key() == expected
    settings.LEDGER_SIGNING_KEY = "not base64!"
    with pytest.raises(checkpoints.CheckpointError, match="base64"):
        checkpoints.signing_key()
