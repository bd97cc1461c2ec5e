"""``ledger audit`` must find every change made behind the application's back.

Each test plays a database superuser: it lifts the append-only triggers (as only a superuser
can), changes rows, puts the triggers back, and expects the audit to name the first entry where
anything differs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from provenance import append_only, checkpoints, ledger, merkle
from provenance.audit import AuditReport, run_audit
from provenance.canonical import canonical_json
from provenance.events import EventType
from provenance.models import LedgerEntry, MerkleNode, leaf_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(django_capture_on_commit_callbacks) -> None:
    for i in range(20):
        ledger.append(EventType.CLIP_VERIFIED, actor=f"user:{i % 3}", payload={"n": i})
    with django_capture_on_commit_callbacks(execute=True):  # the export runs on commit
        checkpoints.make_checkpoint()


def as_superuser(change: Callable[[], object]) -> None:
    append_only.remove(connection)
    try:
        change()
    finally:
        append_only.install(connection)


def _first(report: AuditReport) -> int:
    first = report.first_problem
    assert first is not None, "the audit found nothing"
    return first.first_index


def test_untouched_log_passes(log, capsys) -> None:
    report = run_audit()
    assert report.ok, report.problems
    assert report.entries == 20
    assert report.checkpoints_checked == 2  # the database row and the exported file
    call_command("ledger", "audit", "--quiet")
    assert "ledger audit: OK" in capsys.readouterr().out


def test_changed_payload_is_named(log) -> None:
    as_superuser(lambda: LedgerEntry.objects.filter(index=7).update(payload={"n": 999}))
    assert _first(run_audit()) == 7
    with pytest.raises(CommandError, match="first difference at entry 7"):
        call_command("ledger", "audit", "--quiet")


def test_deleted_row_is_named(log) -> None:
    as_superuser(lambda: LedgerEntry.objects.filter(index=12).delete())
    assert _first(run_audit()) == 12


def test_reordered_rows_are_named(log) -> None:
    def swap() -> None:
        a, b = LedgerEntry.objects.get(index=4), LedgerEntry.objects.get(index=9)
        LedgerEntry.objects.filter(index=4).update(leaf_hash=bytes(32))  # unique column
        for field in ("time", "event_type", "actor", "subjects", "payload", "leaf_hash"):
            LedgerEntry.objects.filter(index=9).update(**{field: getattr(a, field)})
            LedgerEntry.objects.filter(index=4).update(**{field: getattr(b, field)})

    as_superuser(swap)
    assert _first(run_audit()) == 4


def test_inserted_row_with_a_consistent_leaf_hash_is_found(log) -> None:
    """The forger shifts entries 10.. up and inserts their own entry 10 with a correct leaf."""

    def insert() -> None:
        for index in range(19, 9, -1):
            LedgerEntry.objects.filter(index=index).update(index=index + 1)
        entry = LedgerEntry.objects.get(index=11)
        doc = leaf_document(10, entry.time, EventType.CONSENT_SIGNED, "user:0", {}, {})
        LedgerEntry.objects.create(
            index=10, time=entry.time, event_type=EventType.CONSENT_SIGNED, actor="user:0",
            leaf_hash=merkle.leaf_hash(canonical_json(doc)),
        )  # fmt: skip

    as_superuser(insert)
    report = run_audit()
    assert _first(report) == 10
    assert any("entry 11 does not match" in p.what for p in report.problems)


def test_rewritten_log_with_recomputed_tree_is_caught_by_the_exported_checkpoint(log) -> None:
    """A thorough forger also recomputes the leaf hash and every stored subtree hash."""

    def rewrite() -> None:
        entry = LedgerEntry.objects.get(index=15)
        doc = leaf_document(15, entry.time, entry.event_type, "user:2", {}, {"n": -1})
        LedgerEntry.objects.filter(index=15).update(
            payload={"n": -1}, leaf_hash=merkle.leaf_hash(canonical_json(doc))
        )
        leaves = [bytes(h) for h in LedgerEntry.objects.values_list("leaf_hash", flat=True)]
        levels = merkle.levels_from_leaves(leaves)
        for node in MerkleNode.objects.all():
            MerkleNode.objects.filter(pk=node.pk).update(hash=levels[node.level][node.index])
        from provenance.models import Checkpoint

        Checkpoint.objects.all().delete()

    as_superuser(rewrite)
    report = run_audit()
    assert not report.ok
    assert any("checkpoint file" in p.what and "does not match" in p.what for p in report.problems)


def test_altered_subtree_hash_is_named_by_its_first_leaf(log) -> None:
    as_superuser(lambda: MerkleNode.objects.filter(level=2, index=3).update(hash=bytes(32)))
    assert _first(run_audit()) == 12


def test_forged_exported_checkpoint_is_reported(log, settings) -> None:
    path = next(settings.LEDGER_CHECKPOINT_DIR.glob("checkpoint-*.txt"))
    path.write_text(path.read_text().replace("\n20\n", "\n19\n", 1))
    report = run_audit()
    assert any("does not verify" in p.what for p in report.problems)


def test_checkpoint_command_prints_a_signed_note(log, capsys) -> None:
    call_command("ledger", "checkpoint")
    out = capsys.readouterr().out
    assert out.startswith(checkpoints.origin() + "\n20\n")
    assert "\u2014 " in out
