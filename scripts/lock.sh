#!/usr/bin/env bash
# Rewrites the lock files from the hand-edited requirement lists:
#   requirements.txt      -> requirements.lock      (the app)
#   requirements-dev.txt  -> requirements-dev.lock  (the app, tests and checks)
# Every package, direct or not, is pinned with the sha256 of each of its files on PyPI, for
# Python 3.11 on Linux x86_64; `pip install --require-hashes -r requirements.lock` installs exactly that.
# The development lock is compiled under the app lock as a constraint, so both pin the same versions.
#
# Run after editing requirements*.txt, from any folder: `scripts/lock.sh` (takes a few minutes). Pins
# that still fit are kept; `scripts/lock.sh --upgrade` also moves the indirect ones to their newest releases.
# pip-tools lives in its own virtual environment, never in the app's.
#
# Environment:
#   LOCK_VENV       where pip-tools is installed (default .venv-lock, created when missing)
#   LOCK_INDEX_URL  the package index to resolve against (default https://pypi.org/simple); the local
#                   pip configuration (find-links, extra indexes) is ignored so the hashes are the index's
#   PYTHON          the interpreter the locks are made for (default python3.11, else python3 if it is 3.11)
set -euo pipefail

cd "$(dirname "$0")/.."
PIP_TOOLS_VERSION=7.6.2
LOCK_VENV="${LOCK_VENV:-.venv-lock}"
LOCK_INDEX_URL="${LOCK_INDEX_URL:-https://pypi.org/simple}"

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$version" != "3.11" ]; then
  echo "scripts/lock.sh: the locks are made for Python 3.11, but $PYTHON is $version (set PYTHON=...)" >&2
  exit 1
fi

if ! "$LOCK_VENV/bin/pip-compile" --version 2>/dev/null | grep -q "version $PIP_TOOLS_VERSION\$"; then
  "$PYTHON" -m venv "$LOCK_VENV"
  "$LOCK_VENV/bin/pip" install -q "pip-tools==$PIP_TOOLS_VERSION"
fi

unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT
export PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="scripts/lock.sh"

compile() {
  # compile INPUT OUTPUT [pip-compile options...]
  local input="$1" output="$2"
  shift 2
  echo "pip-compile $input -> $output"
  "$LOCK_VENV/bin/pip-compile" --quiet --generate-hashes --strip-extras --no-emit-index-url \
    --index-url "$LOCK_INDEX_URL" --output-file "$output" "$@" "$input"
}

compile requirements.txt requirements.lock "$@"
compile requirements-dev.txt requirements-dev.lock --constraint requirements.lock "$@"
echo "done: review with \`git diff requirements.lock requirements-dev.lock\`"
