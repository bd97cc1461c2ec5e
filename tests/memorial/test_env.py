"""Settings readers fail loudly, accept ``*_FILE`` secrets, and switch backends by URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from memorial import env

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean(monkeypatch) -> None:
    for name in ("X_FLAG", "X_FLAG_FILE", "X_NUM", "X_LIST", "X_SECRET", "X_SECRET_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("", False)]
)
def test_booleans_parse(monkeypatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG", not expected) is expected


def test_bad_values_fail_loudly(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a boolean"):
        env.env_bool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 1"):
        env.env_int("X_NUM", 1, minimum=1)


def test_secrets_come_from_files(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env.env_optional("X_SECRET") == "s3cret"
    monkeypatch.setenv("X_SECRET", "also")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_optional("X_SECRET")
    monkeypatch.delenv("X_SECRET")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env.env_optional("X_SECRET")


def test_lists_split_on_commas(monkeypatch) -> None:
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env.env_list("X_LIST", []) == ["a.example", "b.example"]


def _settings_in_subprocess(extra: dict[str, str], tmp_path: Path, expr: str) -> str:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "MEMORIAL_"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "memorial.settings",
        "MEMORIAL_DATA_DIR": str(tmp_path),
    }
    environment |= extra
    code = f"import django; django.setup(); from django.conf import settings as s; print({expr})"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=environment, capture_output=True, text=True
    )
    return done.stdout.strip() + done.stderr


def test_embedded_defaults_need_no_variables(tmp_path) -> None:
    out = _settings_in_subprocess(
        {}, tmp_path, "s.DATABASES['default']['ENGINE'], s.HUEY['huey_class']"
    )
    assert out == "django.db.backends.sqlite3 huey.SqliteHuey"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_urls_switch_to_postgresql_and_redis(tmp_path) -> None:
    extra = {
        "DATABASE_URL": "postgres://someone@db.example:5432/memorial",
        "MEMORIAL_REDIS_URL": "redis://cache.example:6379/2",
    }
    out = _settings_in_subprocess(
        extra,
        tmp_path,
        "s.DATABASES['default']['ENGINE'], s.HUEY['huey_class'], s.HUEY['connection']",
    )
    assert out.startswith("django.db.backends.postgresql huey.RedisHuey")
    assert "redis://cache.example:6379/2" in out


def test_a_bad_variable_stops_start_up(tmp_path) -> None:
    out = _settings_in_subprocess({"MEMORIAL_DEBUG": "perhaps"}, tmp_path, "s.DEBUG")
    assert "ImproperlyConfigured: MEMORIAL_DEBUG='perhaps' is not a boolean" in out
