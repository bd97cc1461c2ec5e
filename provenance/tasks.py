"""Huey tasks of the provenance app (thin: they call domain functions)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from provenance import checkpoints


@db_periodic_task(
    crontab(minute=f"*/{settings.LEDGER_CHECKPOINT_MINUTES}"), name="provenance.periodic_checkpoint"
)
def periodic_checkpoint() -> None:
    """Sign a checkpoint whenever the log has grown since the last one."""
    checkpoints.make_checkpoint(only_if_grown=True)
