"""RFC 6962 / RFC 9162 Merkle tree arithmetic, independent of storage.

The log stores the hash of every *complete, aligned* subtree (level ``L``, index ``i`` covers
leaves ``[i * 2**L, (i + 1) * 2**L)``). Every range that the RFC's recursive definitions of the
tree head, inclusion proof and consistency proof ever hash decomposes into O(log n) such
subtrees, so a proof is planned here from sizes alone (``Range`` lists), the needed subtree
hashes are fetched in one read, and the proof is assembled without rehashing the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeKey = tuple[int, int]  # (level, index)


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The ``k`` of RFC 6962: the largest power of two strictly smaller than ``n`` (n > 1)."""
    if n < 2:
        raise ValueError("n must be at least 2")
    return 1 << ((n - 1).bit_length() - 1)


@dataclass(frozen=True)
class Range:
    """Leaves ``[start, end)`` whose Merkle tree hash a proof needs."""

    start: int
    end: int

    def subtrees(self) -> list[NodeKey]:
        """Complete aligned subtrees covering the range, left to right.

        The RFC's recursion splits ``[a, b)`` at the largest power of two below ``b - a``, and
        every range it produces starts at a multiple of that power, so the pieces are the binary
        digits of ``b - a``, largest first, each aligned.
        """
        keys: list[NodeKey] = []
        start, remaining = self.start, self.end - self.start
        while remaining:
            level = remaining.bit_length() - 1
            size = 1 << level
            if start % size:
                raise ValueError(f"range [{self.start}, {self.end}) is not RFC-aligned")
            keys.append((level, start >> level))
            start += size
            remaining -= size
        return keys


def fold_subtrees(hashes: Sequence[bytes]) -> bytes:
    """Hash of a range from its aligned subtrees: a right fold, as the RFC recursion nests."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_plan(index: int, size: int) -> list[Range]:
    """RFC 6962 PATH(m, D[0:n]) as ranges, from the leaf upwards."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is outside a tree of size {size}")
    plan: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if index - start < k:
            plan.append(Range(start + k, end))
            end = start + k
        else:
            plan.append(Range(start, start + k))
            start += k
    plan.reverse()
    return plan


def consistency_plan(old_size: int, new_size: int) -> list[Range]:
    """RFC 6962 PROOF(m, D[0:n]) as ranges, in proof order."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    plan: list[Range] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = largest_power_of_two_below(end - start)
        if m <= k:
            plan.append(Range(start + k, end))
            end = start + k
        else:
            plan.append(Range(start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        plan.append(Range(start, end))
    plan.reverse()
    return plan


def root_plan(size: int) -> Range:
    return Range(0, size)


def needed_nodes(ranges: Iterable[Range]) -> set[NodeKey]:
    return {key for r in ranges for key in r.subtrees()}


def resolve(ranges: Sequence[Range], nodes: Mapping[NodeKey, bytes]) -> list[bytes]:
    """Turn planned ranges into hashes using fetched subtree hashes."""
    return [fold_subtrees([nodes[key] for key in r.subtrees()]) for r in ranges]


# --- Building ---------------------------------------------------------------------------------


def new_nodes_for_leaf(
    index: int, leaf: bytes, sibling: Callable[[NodeKey], bytes]
) -> list[tuple[NodeKey, bytes]]:
    """Complete subtrees (level >= 1) that appending leaf ``index`` closes.

    ``sibling`` returns the stored hash of a left sibling; at most log2(n) are asked for.
    """
    created: list[tuple[NodeKey, bytes]] = []
    current, level, position = leaf, 0, index
    while position & 1:
        left = sibling((level, position - 1))
        current = node_hash(left, current)
        level, position = level + 1, position >> 1
        created.append(((level, position), current))
    return created


def left_siblings_for_leaf(index: int) -> list[NodeKey]:
    """The stored nodes ``new_nodes_for_leaf(index, ...)`` will ask ``sibling`` for."""
    keys: list[NodeKey] = []
    level, position = 0, index
    while position & 1:
        keys.append((level, position - 1))
        level, position = level + 1, position >> 1
    return keys


def levels_from_leaves(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every complete aligned subtree hash, level by level (level 0 is the leaf hashes)."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return levels


def root_from_levels(levels: Sequence[Sequence[bytes]], size: int) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    keys = root_plan(size).subtrees()
    return fold_subtrees([levels[level][index] for level, index in keys])


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    return root_from_levels(levels_from_leaves(leaf_hashes), len(leaf_hashes))


# --- Verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -------------------------------------


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    if old_size == new_size:
        return not proof and old_root == new_root
    if not 0 < old_size < new_size or not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
