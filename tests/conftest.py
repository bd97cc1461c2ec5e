"""Suite-wide fixtures.

The ledger tables refuse DELETE and TRUNCATE at the database level, which Django's flush after
a transactional test (live server, worker process) relies on. As a database superuser would, the
flush below lifts the triggers for the duration of the flush and puts them back afterwards; the
application itself has no such path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import TransactionTestCase

from provenance import append_only

_original_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]


def _teardown_without_ledger_triggers(self: TransactionTestCase) -> Any:
    aliases = list(self._databases_names(include_mirrors=False))  # type: ignore[attr-defined]
    for alias in aliases:
        append_only.remove(connections[alias])
    try:
        return _original_teardown(self)
    finally:
        for alias in aliases:
            append_only.install(connections[alias])


TransactionTestCase._fixture_teardown = _teardown_without_ledger_triggers  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _private_dirs(settings: Any, tmp_path: Path) -> None:
    """Each test gets its own media, key and checkpoint directories."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LEDGER_KEY_DIR = tmp_path / "keys"
    settings.LEDGER_CHECKPOINT_DIR = tmp_path / "checkpoints"


def pytest_report_header() -> str:
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (embedded default)')}"
