"""Ledger tables. All three are append-only: the database refuses UPDATE, DELETE and TRUNCATE
(triggers created by migration 0002); this module never calls ``save()`` on an existing row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import models

from provenance.events import EventType


class LedgerEntry(models.Model):
    """One audit event, leaf ``index`` of the log."""

    index = models.BigIntegerField(primary_key=True)
    time = models.DateTimeField()
    # No ``choices``: the catalogue grows with the product, and a new event type must not need
    # a schema migration of the ledger table. ``append`` only takes ``EventType`` members.
    event_type = models.CharField(max_length=40)
    actor = models.CharField(max_length=64, blank=True, default="")
    subjects = models.JSONField(default=dict)
    payload = models.JSONField(default=dict)
    leaf_hash = models.BinaryField(max_length=32, unique=True)

    class Meta:
        ordering = ["index"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=0), name="ledger_index_gte_0"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.event_type}"

    @property
    def event_label(self) -> str:
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return self.event_type

    def leaf_document(self) -> dict[str, Any]:
        return leaf_document(
            self.index, self.time, self.event_type, self.actor, self.subjects, self.payload
        )


def leaf_document(
    index: int,
    time: datetime,
    event_type: str,
    actor: str,
    subjects: dict[str, Any],
    payload: dict[str, Any],
) -> dict[str, Any]:
    """The object whose RFC 8785 bytes are the leaf (version 1 of the leaf format)."""
    return {
        "v": 1,
        "index": index,
        "time": time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "type": event_type,
        "actor": actor,
        "subjects": subjects,
        "payload": payload,
    }


class MerkleNode(models.Model):
    """Hash of the complete subtree at ``level``, ``index``.

    Level 0 repeats each entry's leaf hash on purpose: the tree then commits to every leaf
    independently of the entry row, so an entry rewritten together with its own ``leaf_hash``
    still disagrees with the tree, and the audit can name it exactly.
    """

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="merkle_node_unique"),
        ]

    def __str__(self) -> str:
        return f"node({self.level}, {self.index})"


class Checkpoint(models.Model):
    """A signed tree head in the C2SP signed-note text form."""

    tree_size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    time = models.DateTimeField()
    note = models.TextField()

    class Meta:
        ordering = ["-tree_size", "-time"]
        get_latest_by = ["tree_size", "time"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size}"
