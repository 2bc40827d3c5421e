#!/usr/bin/env bash
# Set up, then run the test suite (it needs nothing outside the repository but the
# Debian packages it installs: a headless Chromium and its driver for the dashboard tests,
# and PostgreSQL's server, which the PostgreSQL store's tests start on loopback themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/debian.sh chromium=chromium chromedriver=chromium-driver pg_ctlcluster=postgresql
exec .venv/bin/python -m pytest -q "$@"
