#!/usr/bin/env bash
# Set up, then run the test suite (it needs nothing outside the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
