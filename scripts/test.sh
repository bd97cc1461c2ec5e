#!/usr/bin/env bash
# Set up from nothing and run every check: lint, types, migrations, the OpenAPI schema, the
# test suite on SQLite (embedded defaults), then again on PostgreSQL with Huey on Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"
mypy memorial provenance synthesis tests
echo "== migrations and schema"
export MEMORIAL_DATA_DIR
MEMORIAL_DATA_DIR=$(mktemp -d)
trap 'rm -rf "$MEMORIAL_DATA_DIR"' EXIT
python manage.py makemigrations --check --dry-run
python manage.py spectacular --validate --fail-on-warn --file "$MEMORIAL_DATA_DIR/schema.yml"

echo "== tests on SQLite"
python -m pytest -q -p no:cacheprovider

echo "== tests on PostgreSQL with Huey on Redis"
scripts/services.sh
DATABASE_URL=postgres://root@127.0.0.1:5432/test MEMORIAL_REDIS_URL=redis://127.0.0.1:6379/15 \
  python -m pytest -q -p no:cacheprovider
