#!/usr/bin/env bash
# Quality evals against the floors in src/sitrep/data/baseline.json.
# Needs the third-party data beside the project (../shared); skips, saying so, when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SITREP_SHARED:-../shared}
if [ ! -d "$shared/seed" ] || [ ! -d "$shared/data" ]; then
  echo "eval: $shared/seed or $shared/data not found: quality evals skipped"
  exit 0
fi
bash scripts/setup.sh
.venv/bin/sitrep eval seed --data "$shared/seed"
