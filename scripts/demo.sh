#!/usr/bin/env bash
# The main job on the bundled sample: set up, ingest the dispatches, print the picture.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
db=${SITREP_DB:-sample.db}
.venv/bin/sitrep ingest samples/ukraine-2022/dispatches.jsonl --db "$db"
.venv/bin/sitrep summary --db "$db"
echo
echo "More on the same database:"
echo "  .venv/bin/sitrep control --db $db                 # who holds which place since when"
echo "  .venv/bin/sitrep report --db $db --since 2022-09-01 --until 2022-11-15 --format html > report.html"
echo "  .venv/bin/sitrep events --db $db --format csv > events.csv   # ACLED's columns, merged events"
echo "  .venv/bin/sitrep events --db $db --type 'Air/drone strike' --country Ukraine --search drone"
echo "  .venv/bin/sitrep serve --db $db                   # map dashboard at http://127.0.0.1:8000/, JSON API at /api/"
