"""Appending to the audit ledger and reading proofs from it.

Callers never write ledger rows themselves: each event type has a writer function in the
domain module that owns it (``memorial/events.py``, ``synthesis/events.py``, ...), and every
writer calls :func:`append` inside the caller's transaction, so an entry exists exactly when the
change it records committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from provenance import merkle
from provenance.canonical import canonical_json
from provenance.events import EventType
from provenance.models import LedgerEntry, MerkleNode, leaf_document

# Any constant works; it only has to be the same in every process that appends.
_PG_APPEND_LOCK = int.from_bytes(
    hashlib.sha256(b"memorial.ledger.append").digest()[:8], "big", signed=True
)


class LedgerError(Exception):
    """A request the ledger cannot answer (bad index, size beyond the tree, ...)."""


@dataclass(frozen=True)
class Event:
    event_type: EventType
    actor: str
    subjects: dict[str, Any]
    payload: dict[str, Any]


def actor_id(user: Any) -> str:
    """How an account appears in the ledger: a stable id, never a name or email."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"user:{user.pk}"


def append(
    event_type: EventType,
    *,
    actor: str,
    subjects: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
) -> LedgerEntry:
    """Append one entry; joins the caller's transaction (or opens one)."""
    return append_many([Event(event_type, actor, subjects or {}, payload or {})])[0]


def append_many(events: Sequence[Event]) -> list[LedgerEntry]:
    """Append entries with consecutive indexes in one transaction.

    1. Take the append lock, so concurrent appenders (web and worker processes) queue up and
       indexes stay gap-free and strictly increasing in commit order.
    2. Read the current size and the left siblings the new leaves will close subtrees with.
    3. Insert the entries and every newly completed subtree hash.
    """
    if not events:
        return []
    with transaction.atomic():
        lock_for_append()
        size = tree_size()
        now = timezone.now()
        entries = [_entry(size + i, now, event) for i, event in enumerate(events)]
        nodes = _close_subtrees(size, [bytes(e.leaf_hash) for e in entries])
        LedgerEntry.objects.bulk_create(entries)
        MerkleNode.objects.bulk_create(nodes)
    return entries


def lock_for_append() -> None:
    """Serialise appenders (and checkpoint makers) until the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Held until the transaction ends: the next appender reads our committed size.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_APPEND_LOCK])
    # SQLite: transactions begin IMMEDIATE (settings), so the write lock is already held.


def tree_size() -> int:
    last = LedgerEntry.objects.order_by("-index").values_list("index", flat=True).first()
    return 0 if last is None else last + 1


def _entry(index: int, time: datetime, event: Event) -> LedgerEntry:
    document = leaf_document(
        index, time, event.event_type.value, event.actor, event.subjects, event.payload
    )
    return LedgerEntry(
        index=index,
        time=time,
        event_type=event.event_type.value,
        actor=event.actor,
        subjects=event.subjects,
        payload=event.payload,
        leaf_hash=merkle.leaf_hash(canonical_json(document)),
    )


def _close_subtrees(size: int, leaves: list[bytes]) -> list[MerkleNode]:
    """Subtree hashes completed by appending ``leaves`` at positions ``size``, ``size+1``..."""
    needed = {
        key
        for i in range(len(leaves))
        for key in merkle.left_siblings_for_leaf(size + i)
        if _index_before(key, size)
    }
    known = fetch_nodes(needed)
    created: list[MerkleNode] = []
    for i, leaf in enumerate(leaves):
        known[(0, size + i)] = leaf
        created.append(MerkleNode(level=0, index=size + i, hash=leaf))
        for key, value in merkle.new_nodes_for_leaf(size + i, leaf, known.__getitem__):
            known[key] = value
            created.append(MerkleNode(level=key[0], index=key[1], hash=value))
    return created


def _index_before(key: merkle.NodeKey, size: int) -> bool:
    """Whether a subtree lies wholly among leaves already stored (so it must be fetched)."""
    level, index = key
    return (index + 1) << level <= size


def fetch_nodes(keys: Iterable[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
    """Subtree hashes by (level, index) in one query."""
    keys = set(keys)
    found: dict[merkle.NodeKey, bytes] = {}
    if keys:
        condition = Q()
        for level, index in keys:
            condition |= Q(level=level, index=index)
        rows = MerkleNode.objects.filter(condition).values_list("level", "index", "hash")
        found.update({(level, index): bytes(h) for level, index, h in rows})
    missing = keys - found.keys()
    if missing:
        raise LedgerError(f"ledger is missing subtree hashes {sorted(missing)[:3]}")
    return found


# --- Reading ----------------------------------------------------------------------------------


def root_at(size: int) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    _check_size(size)
    plan = [merkle.root_plan(size)]
    return merkle.resolve(plan, fetch_nodes(merkle.needed_nodes(plan)))[0]


def inclusion_proof(index: int, size: int) -> list[bytes]:
    _check_size(size)
    if not 0 <= index < size:
        raise LedgerError(f"leaf index {index} is not in a tree of size {size}")
    plan = merkle.inclusion_plan(index, size)
    return merkle.resolve(plan, fetch_nodes(merkle.needed_nodes(plan)))


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    _check_size(new_size)
    if not 0 < old_size <= new_size:
        raise LedgerError(f"first size must be between 1 and {new_size}, got {old_size}")
    plan = merkle.consistency_plan(old_size, new_size)
    return merkle.resolve(plan, fetch_nodes(merkle.needed_nodes(plan)))


def index_of_leaf(leaf: bytes) -> int:
    found = LedgerEntry.objects.filter(leaf_hash=leaf).values_list("index", flat=True).first()
    if found is None:
        raise LedgerError("no entry has this leaf hash")
    return found


def _check_size(size: int) -> None:
    current = tree_size()
    if not 1 <= size <= current:
        raise LedgerError(f"tree size must be between 1 and {current}, got {size}")
