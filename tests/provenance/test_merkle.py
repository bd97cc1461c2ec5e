"""RFC 6962 arithmetic against Certificate Transparency's reference vectors."""

from __future__ import annotations

import random

import pytest

from provenance import merkle
from tests.provenance import independent

CT_LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]
]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CT_CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip

LEAF_HASHES = [merkle.leaf_hash(d) for d in CT_LEAVES]
LEVELS = merkle.levels_from_leaves(LEAF_HASHES)
NODES = {(lv, i): h for lv, row in enumerate(LEVELS) for i, h in enumerate(row)}


def test_empty_tree_root_is_hash_of_nothing() -> None:
    assert merkle.root_of([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_ct_reference(size: int) -> None:
    assert merkle.root_of(LEAF_HASHES[:size]).hex() == CT_ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "expected"), CT_INCLUSION)
def test_inclusion_proofs_match_ct_reference(index: int, size: int, expected: list[str]) -> None:
    proof = merkle.resolve(merkle.inclusion_plan(index, size), NODES)
    assert [h.hex() for h in proof] == expected
    root = bytes.fromhex(CT_ROOTS[size - 1])
    assert merkle.verify_inclusion(index, size, LEAF_HASHES[index], proof, root)
    assert independent.check_inclusion(index, size, LEAF_HASHES[index], proof, root)


@pytest.mark.parametrize(("old", "new", "expected"), CT_CONSISTENCY)
def test_consistency_proofs_match_ct_reference(old: int, new: int, expected: list[str]) -> None:
    proof = merkle.resolve(merkle.consistency_plan(old, new), NODES)
    assert [h.hex() for h in proof] == expected
    old_root, new_root = bytes.fromhex(CT_ROOTS[old - 1]), bytes.fromhex(CT_ROOTS[new - 1])
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    assert independent.check_consistency(old, new, old_root, new_root, proof)


def test_every_proof_of_random_trees_checks_independently() -> None:
    rng = random.Random(7)
    for size in [*range(1, 40), 63, 64, 65, 100]:
        leaves = [merkle.leaf_hash(rng.randbytes(8)) for _ in range(size)]
        levels = merkle.levels_from_leaves(leaves)
        nodes = {(lv, i): h for lv, row in enumerate(levels) for i, h in enumerate(row)}
        root = independent.tree_hash(leaves)
        assert merkle.root_from_levels(levels, size) == root
        for index in range(size):
            proof = merkle.resolve(merkle.inclusion_plan(index, size), nodes)
            assert independent.check_inclusion(index, size, leaves[index], proof, root)
        for old in range(1, size + 1):
            proof = merkle.resolve(merkle.consistency_plan(old, size), nodes)
            old_root = independent.tree_hash(leaves[:old])
            assert independent.check_consistency(old, size, old_root, root, proof)


def test_verifiers_reject_altered_proofs() -> None:
    proof = merkle.resolve(merkle.inclusion_plan(5, 8), NODES)
    root = bytes.fromhex(CT_ROOTS[7])
    bad = [proof[0], bytes(32), proof[2]]
    assert not merkle.verify_inclusion(5, 8, LEAF_HASHES[5], bad, root)
    assert not merkle.verify_inclusion(4, 8, LEAF_HASHES[5], proof, root)
    assert not merkle.verify_inclusion(5, 8, LEAF_HASHES[5], proof[:2], root)
    cons = merkle.resolve(merkle.consistency_plan(6, 8), NODES)
    old_root = bytes.fromhex(CT_ROOTS[5])
    assert not merkle.verify_consistency(6, 8, old_root, root, cons[::-1])
    assert not merkle.verify_consistency(5, 8, old_root, root, cons)


def test_incremental_building_matches_batch_levels() -> None:
    stored: dict[merkle.NodeKey, bytes] = {}
    for index, leaf in enumerate(LEAF_HASHES):
        stored[(0, index)] = leaf
        for key, value in merkle.new_nodes_for_leaf(index, leaf, stored.__getitem__):
            stored[key] = value
    assert stored == NODES


def test_plans_refuse_impossible_requests() -> None:
    with pytest.raises(ValueError, match="outside"):
        merkle.inclusion_plan(8, 8)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_plan(9, 8)
