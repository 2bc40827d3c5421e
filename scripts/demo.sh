#!/usr/bin/env bash
# The main job on the bundled sample: set up, ingest the dispatches, print the picture.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
db=${SITREP_DB:-sample.db}
.venv/bin/sitrep ingest samples/ukraine-2022/dispatches.jsonl --db "$db"
.venv/bin/sitrep summary --db "$db"
