"""An independent Merkle proof checker, written from RFC 6962's recursive definitions.

It shares no code with ``provenance.merkle`` (which verifies with RFC 9162's iterative
algorithm): each proof is consumed from the top of the tree downwards, rebuilding the roots.
"""

from __future__ import annotations

import hashlib


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_hash(leaf_hashes: list[bytes]) -> bytes:
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = _split(len(leaf_hashes))
    return _node(tree_hash(leaf_hashes[:k]), tree_hash(leaf_hashes[k:]))


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    if size == 1:
        if proof:
            raise ValueError("proof too long")
        return leaf
    if not proof:
        raise ValueError("proof too short")
    k, rest, last = _split(size), proof[:-1], proof[-1]
    if index < k:
        return _node(root_from_inclusion(index, k, leaf, rest), last)
    return _node(last, root_from_inclusion(index - k, size - k, leaf, rest))


def roots_from_consistency(
    m: int, n: int, proof: list[bytes], old_root: bytes, whole_old: bool = True
) -> tuple[bytes, bytes]:
    """(old root, new root) that ``proof`` implies for PROOF(m, D[0:n])."""
    if m == n:
        if whole_old:
            if proof:
                raise ValueError("proof too long")
            return old_root, old_root
        if len(proof) != 1:
            raise ValueError("bad proof length")
        return proof[0], proof[0]
    if not proof:
        raise ValueError("proof too short")
    k, rest, last = _split(n), proof[:-1], proof[-1]
    if m <= k:
        old, new = roots_from_consistency(m, k, rest, old_root, whole_old)
        return old, _node(new, last)
    old, new = roots_from_consistency(m - k, n - k, rest, old_root, False)
    return _node(last, old), _node(last, new)


def check_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    try:
        return root_from_inclusion(index, size, leaf, proof) == root
    except ValueError:
        return False


def check_consistency(m: int, n: int, old_root: bytes, new_root: bytes, proof: list[bytes]) -> bool:
    try:
        return roots_from_consistency(m, n, proof, old_root) == (old_root, new_root)
    except ValueError:
        return False


leaf_hash = _leaf
