from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model

from provenance import ledger
from provenance.canonical import canonical_json
from provenance.events import EventType
from provenance.models import Checkpoint, LedgerEntry, MerkleNode
from tests.provenance import independent

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def _append(n: int) -> list[LedgerEntry]:
    return [
        ledger.append(EventType.CLIP_VERIFIED, actor="anonymous", payload={"n": i})
        for i in range(n)
    ]


def test_entries_get_consecutive_indexes_and_rfc_leaf_hashes() -> None:
    entries = _append(5)
    assert [e.index for e in entries] == [0, 1, 2, 3, 4]
    for entry in LedgerEntry.objects.all():
        leaf = canonical_json(entry.leaf_document())
        assert bytes(entry.leaf_hash) == independent.leaf_hash(leaf)


def test_batched_append_builds_the_same_tree_as_single_appends() -> None:
    _append(3)
    events = [
        ledger.Event(EventType.CLIP_VIEWED, "user:1", {"clip": str(i)}, {}) for i in range(10)
    ]
    batch = ledger.append_many(events)
    assert [e.index for e in batch] == list(range(3, 13))
    leaves = [bytes(h) for h in LedgerEntry.objects.values_list("leaf_hash", flat=True)]
    for size in range(1, 14):
        assert ledger.root_at(size) == independent.tree_hash(leaves[:size])


def test_an_entry_exists_only_if_its_transaction_committed() -> None:
    _append(1)

    def failing_change() -> None:
        with transaction.atomic():
            ledger.append(EventType.CLIP_VERIFIED, actor="anonymous")
            raise RuntimeError("the recorded change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert ledger.tree_size() == 1
    assert ledger.append(EventType.CLIP_VERIFIED, actor="anonymous").index == 1


def test_payloads_with_floats_are_refused() -> None:
    with pytest.raises(ValueError, match="float"):
        ledger.append(EventType.CLIP_VERIFIED, actor="anonymous", payload={"x": 0.5})
    assert ledger.tree_size() == 0


def test_stored_proofs_check_with_the_independent_verifier() -> None:
    _append(37)
    leaves = [bytes(h) for h in LedgerEntry.objects.values_list("leaf_hash", flat=True)]
    for size in (1, 2, 7, 16, 37):
        root = ledger.root_at(size)
        assert root == independent.tree_hash(leaves[:size])
        for index in range(size):
            proof = ledger.inclusion_proof(index, size)
            assert independent.check_inclusion(index, size, leaves[index], proof, root)
        for old in range(1, size + 1):
            proof = ledger.consistency_proof(old, size)
            assert independent.check_consistency(old, size, ledger.root_at(old), root, proof)


def test_proofs_read_logarithmically_many_rows(django_assert_max_num_queries) -> None:
    _append(300)
    with django_assert_max_num_queries(4):
        ledger.inclusion_proof(123, 300)
    with django_assert_max_num_queries(4):
        ledger.consistency_proof(77, 300)


def test_bad_proof_requests_raise_ledger_errors() -> None:
    _append(4)
    with pytest.raises(ledger.LedgerError, match="tree size"):
        ledger.inclusion_proof(0, 5)
    with pytest.raises(ledger.LedgerError, match="not in a tree"):
        ledger.inclusion_proof(4, 4)
    with pytest.raises(ledger.LedgerError, match="first size"):
        ledger.consistency_proof(0, 4)


_FIELD_TO_CHANGE = {
    LedgerEntry: ("actor", "x"),
    MerkleNode: ("level", 9),
    Checkpoint: ("tree_size", 9),
}


def _in_savepoint(action) -> None:
    with transaction.atomic():
        action()


@pytest.mark.parametrize("model", [LedgerEntry, MerkleNode, Checkpoint])
def test_orm_updates_and_deletes_are_refused_by_the_database(model: type[Model]) -> None:
    from provenance import checkpoints

    _append(4)
    checkpoints.make_checkpoint()
    field, value = _FIELD_TO_CHANGE[model]
    with pytest.raises(IntegrityError, match="append-only"):
        _in_savepoint(lambda: model._default_manager.all().update(**{field: value}))
    with pytest.raises(IntegrityError, match="append-only"):
        _in_savepoint(lambda: model._default_manager.all().delete())
    assert model._default_manager.count() > 0


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("table", ["provenance_ledgerentry", "provenance_merklenode"])
def test_raw_sql_update_delete_truncate_are_refused(table: str) -> None:
    _append(4)
    statements = [f"UPDATE {table} SET hash = hash", f"DELETE FROM {table}"]  # noqa: S608
    if table == "provenance_ledgerentry":
        statements[0] = f"UPDATE {table} SET actor = 'someone else'"  # noqa: S608
    if connection.vendor == "postgresql":
        statements.append(f"TRUNCATE {table}")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"):
            _in_savepoint(lambda sql=sql: _execute(sql))
    assert ledger.tree_size() == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_get_gap_free_increasing_indexes() -> None:
    """Four processes append 25 entries each, one transaction per entry."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        url = f"sqlite:///{db['NAME']}"
    script = (
        "import django, sys; django.setup()\n"
        "from provenance import ledger\nfrom provenance.events import EventType\n"
        "for i in range(25):\n"
        "    ledger.append(EventType.CLIP_VIEWED, actor='worker',\n"
        "                  payload={'w': sys.argv[1], 'i': i})\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "memorial.settings"}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(w)], cwd=REPO, env=env)
        for w in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    indexes = list(LedgerEntry.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(100))
    per_worker = sorted(
        (e.payload["w"], e.payload["i"], e.index) for e in LedgerEntry.objects.all()
    )
    for w in range(4):
        mine = [index for worker, _, index in per_worker if worker == str(w)]
        assert mine == sorted(mine), "a worker's own entries keep their order"
    leaves = [bytes(h) for h in LedgerEntry.objects.values_list("leaf_hash", flat=True)]
    assert ledger.root_at(100) == independent.tree_hash(leaves)
