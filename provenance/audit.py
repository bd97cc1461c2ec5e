"""Full audit of the ledger: recompute every leaf, every stored subtree and every checkpoint.

``ledger audit`` runs this. It trusts nothing stored: each entry's leaf bytes are rebuilt from
its columns, the tree is rebuilt from those leaves, and the result is compared with the stored
leaf hashes, the stored subtree hashes, the checkpoints in the database and the checkpoints
exported to files. The first problem is named by the lowest entry index it concerns (for a
subtree, its first leaf).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from provenance import checkpoints, merkle
from provenance.canonical import dumps_unchecked
from provenance.models import Checkpoint, LedgerEntry, MerkleNode, leaf_document

Progress = Callable[[str, int, int], None]
_CHUNK = 20_000


@dataclass(frozen=True)
class Problem:
    first_index: int
    what: str
    # False when only a range is known (a checkpoint root differs): the first entry of the
    # range is named, but an exact finding elsewhere names the entry better.
    exact: bool = True


@dataclass
class AuditReport:
    entries: int = 0
    nodes_checked: int = 0
    checkpoints_checked: int = 0
    root: bytes = merkle.EMPTY_ROOT
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return min(self.problems, key=lambda p: (not p.exact, p.first_index), default=None)


def run_audit(progress: Progress | None = None) -> AuditReport:
    report = AuditReport()
    total = LedgerEntry.objects.count()
    leaves = _check_leaves(report, total, progress)
    levels = merkle.levels_from_leaves(leaves) if leaves else [[]]
    report.root = merkle.root_from_levels(levels, len(leaves))
    _check_nodes(report, levels, progress)
    _check_checkpoints(report, levels, len(leaves))
    return report


def _check_leaves(report: AuditReport, total: int, progress: Progress | None) -> list[bytes]:
    leaves: list[bytes] = []
    rows = LedgerEntry.objects.order_by("index").values_list(
        "index", "time", "event_type", "actor", "subjects", "payload", "leaf_hash"
    )
    for index, time, event_type, actor, subjects, payload, stored in rows.iterator(_CHUNK):
        expected = len(leaves)
        if index != expected:
            report.problems.append(Problem(expected, f"entry {expected} is missing"))
            break
        document = leaf_document(index, time, event_type, actor, subjects, payload)
        leaf = merkle.leaf_hash(dumps_unchecked(document))
        if leaf != bytes(stored):
            report.problems.append(Problem(index, f"entry {index} does not match its leaf hash"))
        leaves.append(leaf)
        if progress and len(leaves) % _CHUNK == 0:
            progress("entries", len(leaves), total)
    report.entries = len(leaves)
    if progress:
        progress("entries", len(leaves), total)
    return leaves


def _check_nodes(report: AuditReport, levels: list[list[bytes]], progress: Progress | None) -> None:
    seen: set[tuple[int, int]] = set()
    rows = MerkleNode.objects.order_by("level", "index").values_list("level", "index", "hash")
    for level, index, stored in rows.iterator(chunk_size=_CHUNK):
        seen.add((level, index))
        if level >= len(levels) or index >= len(levels[level]):
            report.problems.append(_node_problem(level, index, "is beyond the log"))
        elif levels[level][index] != bytes(stored):
            report.problems.append(_node_problem(level, index, "differs from the recomputed tree"))
        report.nodes_checked += 1
        if progress and report.nodes_checked % _CHUNK == 0:
            progress("subtrees", report.nodes_checked, 0)
    for level, row in enumerate(levels):
        report.problems.extend(
            _node_problem(level, index, "is missing")
            for index in range(len(row))
            if (level, index) not in seen
        )
    if progress:
        progress("subtrees", report.nodes_checked, report.nodes_checked)


def _node_problem(level: int, index: int, what: str) -> Problem:
    """A leaf node names its entry exactly; a higher subtree only a range of entries."""
    if level == 0:
        return Problem(index, f"the tree's leaf for entry {index} {what}")
    first, last = index << level, ((index + 1) << level) - 1
    return Problem(first, f"subtree ({level}, {index}) over entries {first}-{last} {what}", False)


def _check_checkpoints(report: AuditReport, levels: list[list[bytes]], size: int) -> None:
    """Every stored and exported checkpoint must verify and match the recomputed tree.

    A mismatch is localised between the largest smaller checkpoint that still matches and the
    mismatching one: without the old leaves, nothing finer can be said.
    """
    name, public = checkpoints.origin(), checkpoints.log_public_key()
    notes = [(f"checkpoint {c.pk} in the database", c.note) for c in Checkpoint.objects.all()]
    notes += [(f"checkpoint file {p.name}", text) for p, text in checkpoints.exported_notes()]
    verified: list[tuple[str, checkpoints.ParsedCheckpoint]] = []
    for label, note in notes:
        report.checkpoints_checked += 1
        try:
            verified.append((label, checkpoints.verify_note(note, name, public)))
        except checkpoints.CheckpointError as exc:
            report.problems.append(Problem(size, f"{label}: {exc}", False))
    matching = [0]
    for label, parsed in sorted(verified, key=lambda item: item[1].tree_size):
        if parsed.tree_size > size:
            report.problems.append(
                Problem(
                    size, f"{label} covers {parsed.tree_size} entries; the log has {size}", False
                )
            )
        elif merkle.root_from_levels(levels, parsed.tree_size) == parsed.root_hash:
            matching.append(parsed.tree_size)
        else:
            report.problems.append(
                Problem(
                    max(matching),
                    f"{label} (size {parsed.tree_size}) does not match the log: entries "
                    f"{max(matching)} to {parsed.tree_size - 1} were changed",
                    exact=False,
                )
            )
