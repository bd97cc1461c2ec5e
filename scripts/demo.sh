#!/usr/bin/env bash
# Set up and run Memorial with demo data on the embedded defaults: SQLite, Huey on SQLite,
# private local files and a development signer, all under ./var (or $MEMORIAL_DATA_DIR).
# Serves http://127.0.0.1:8000 and runs a Huey worker until you press Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate

python manage.py migrate --no-input -v0
python manage.py collectstatic --no-input -v0

mkdir -p var
python manage.py run_huey --flush-locks >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "demo: Huey worker running (pid $worker, log var/worker.log)"

# Creates the demo estate, consent, family member and one rendered, signed clip (idempotent).
python manage.py demo_setup

echo "demo: serving http://127.0.0.1:8000 (Ctrl-C stops the server and the worker)"
python manage.py runserver 127.0.0.1:8000 --noreload
