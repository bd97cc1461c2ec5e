from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from provenance import checkpoints, ledger
from provenance.events import EventType
from tests.provenance import independent

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient()


@pytest.fixture
def leaves() -> list[bytes]:
    for i in range(21):
        ledger.append(EventType.CLIP_VERIFIED, actor="anonymous", payload={"n": i})
    return [ledger.fetch_nodes([(0, i)])[(0, i)] for i in range(21)]


def test_checkpoint_and_key_let_anyone_verify_the_head(client, leaves) -> None:
    head = client.get("/api/ledger/checkpoint/").json()
    key = client.get("/api/ledger/public-key/").json()
    assert head["tree_size"] == 21
    assert bytes.fromhex(head["root_hash"]) == independent.tree_hash(leaves)
    parsed = checkpoints.verify_note(
        head["note"], key["origin"], base64.b64decode(key["public_key"])
    )
    assert parsed.tree_size == 21
    assert key["verifier_key"].startswith(key["origin"] + "+")


def test_served_inclusion_proofs_check_independently(client, leaves) -> None:
    for params in ({"index": 13}, {"leaf_hash": leaves[5].hex(), "tree_size": 9}):
        body = client.get("/api/ledger/proof/inclusion/", params).json()
        proof = [bytes.fromhex(h) for h in body["audit_path"]]
        root = independent.tree_hash(leaves[: body["tree_size"]])
        assert bytes.fromhex(body["root_hash"]) == root
        assert independent.check_inclusion(
            body["index"], body["tree_size"], leaves[body["index"]], proof, root
        )


def test_served_consistency_proofs_check_independently(client, leaves) -> None:
    body = client.get("/api/ledger/proof/consistency/", {"first": 6, "second": 21}).json()
    proof = [bytes.fromhex(h) for h in body["proof"]]
    assert independent.check_consistency(
        6, 21, independent.tree_hash(leaves[:6]), independent.tree_hash(leaves), proof
    )


def test_entries_by_range_carry_their_leaf_hashes(client, leaves) -> None:
    body = client.get("/api/ledger/entries/", {"start": 3, "end": 6}).json()
    assert body["tree_size"] == 21
    assert [e["index"] for e in body["entries"]] == [3, 4, 5]
    assert [e["leaf_hash"] for e in body["entries"]] == [h.hex() for h in leaves[3:6]]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/ledger/entries/", {"start": 30, "end": 31}, "21 entries"),
        ("/api/ledger/entries/", {"start": 5, "end": 2}, "greater than start"),
        ("/api/ledger/entries/", {"start": 0, "end": 5000}, "at most 1000"),
        ("/api/ledger/entries/", {"start": "x", "end": 2}, "valid integer"),
        ("/api/ledger/proof/inclusion/", {"index": 21, "tree_size": 21}, "not in a tree"),
        ("/api/ledger/proof/inclusion/", {"index": 0, "tree_size": 99}, "tree size"),
        ("/api/ledger/proof/inclusion/", {"leaf_hash": "zz"}, "64 hexadecimal"),
        ("/api/ledger/proof/inclusion/", {"leaf_hash": "00" * 32}, "no entry"),
        ("/api/ledger/proof/inclusion/", {}, "exactly one"),
        ("/api/ledger/proof/consistency/", {"first": 5, "second": 99}, "tree size"),
        ("/api/ledger/proof/consistency/", {"first": 9, "second": 5}, "must not exceed"),
        ("/api/ledger/proof/consistency/", {"first": 0, "second": 5}, "greater than or equal"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, leaves, path, params, message) -> None:
    response = client.get(path, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_ledger_page_shows_the_head(client, leaves) -> None:
    client.get("/api/ledger/checkpoint/")
    page = client.get("/ledger/")
    assert page.status_code == 200
    assert "21 entries" in page.content.decode()
