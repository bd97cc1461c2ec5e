#!/usr/bin/env bash
# Install everything Memorial needs on a fresh Debian machine: the system packages (speech
# synthesis, CJK fonts for the Chinese AI label, gettext, Chromium for browser tests) and a
# Python virtual environment at .venv with the pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(espeak-ng fonts-noto-cjk gettext chromium)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${MEMORIAL_PYTHON:-python3}
"$python" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "setup: Python 3.11 is required (set MEMORIAL_PYTHON)"; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch==2.13.0 is pinned in pyproject.toml: pip takes the CPU build on this machine's disk.
.venv/bin/python -m pip install -q -e ".[dev]"
echo "setup: done ($(.venv/bin/python -c 'import torch, django; print("torch", torch.__version__, "django", django.__version__)'))"
