"""``manage.py ledger audit|checkpoint|verify-proofs``: operate and check the audit ledger."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from provenance import checkpoints
from provenance.audit import run_audit


class Command(BaseCommand):
    help = "Audit the ledger (recompute every leaf, subtree and checkpoint) or sign a checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        audit = sub.add_parser("audit", help="recompute everything and name the first difference")
        audit.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_parser("checkpoint", help="sign and export a checkpoint of the current tree now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint()
        else:
            self._audit(quiet=options["quiet"])

    def _checkpoint(self) -> None:
        checkpoint = checkpoints.make_checkpoint()
        if checkpoint is None:  # only_if_grown is False, so this cannot happen
            raise CommandError("no checkpoint was made")
        self.stdout.write(checkpoint.note)

    def _audit(self, *, quiet: bool) -> None:
        bars: dict[str, tqdm[Any]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if quiet:
                return
            bar = bars.setdefault(
                stage, tqdm(total=total, desc=stage, unit=" rows", file=sys.stderr)
            )
            bar.total = max(total, done)
            bar.update(done - bar.n)

        report = run_audit(progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            f"entries: {report.entries}  subtrees: {report.nodes_checked}  "
            f"checkpoints: {report.checkpoints_checked}  root: {report.root.hex()}"
        )
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS("ledger audit: OK, every hash and signature matches")
            )
            return
        for problem in sorted(report.problems, key=lambda p: (not p.exact, p.first_index))[:20]:
            self.stderr.write(f"  entry {problem.first_index}: {problem.what}")
        first = report.first_problem
        assert first is not None  # noqa: S101 - report.ok is False
        raise CommandError(
            f"ledger audit FAILED: {len(report.problems)} problem(s); "
            f"first difference at entry {first.first_index}: {first.what}"
        )
