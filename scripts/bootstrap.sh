#!/usr/bin/env bash
# Create .venv with Python 3.12+ and install VillageMarket into it (idempotent).
# Looks for python3.13/python3.12 on PATH, then in pyenv's and the usual install folders.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local cand
  for cand in python3.14 python3.13 python3.12; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
      command -v "$cand"; return 0
    fi
  done
  # Newest first: pyenv's versions are not on PATH unless selected, so look for them directly.
  for cand in $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] \
      /usr/bin/python3.1[2-9] 2>/dev/null | sort -V -r); do
    if [ -x "$cand" ] && "$cand" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1; then
      echo "$cand"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  if PY="$(find_python)"; then
    echo "==> creating .venv with $PY ($("$PY" --version))"
  else
    # Django 6.1 (and its built-in django.tasks, which the worker uses) needs Python 3.12+.
    echo "!!> VillageMarket needs Python 3.12 or newer (python3.12/python3.13, or pyenv install 3.13)." >&2
    echo "    Found only: $(python3 --version 2>&1)" >&2
    exit 1
  fi
  "$PY" -m venv .venv
fi

STAMP=.venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$STAMP" ]; then
  echo "==> installing dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  rm -f .venv/.installed-*
  touch "$STAMP"
fi
