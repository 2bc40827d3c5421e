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
s=.venv/bin/sitrep
d=$shared/data
status=0
run() {
  local started=$SECONDS
  echo; echo "== sitrep eval $*"
  "$s" eval "$@" || status=1
  echo "== ($1: $((SECONDS - started)) s)"
}
run seed --data "$shared/seed"
[ -d "$d/news-gold" ] && [ -d "$d/guardian-sdf" ] && run news --data "$d/news-gold" --texts "$d/guardian-sdf" --quiet
[ -d "$d/geoparsing" ] && run geoparse --data "$d/geoparsing"
[ -d "$d/acled" ] && run acled --data "$d/acled"
[ -d "$d/isaf" ] && run isaf --data "$d/isaf"
[ -d "$d/muc4" ] && run muc4 --data "$d/muc4"
[ -d "$d/plover" ] && run plover --data "$d/plover"
if [ -d "$d/guardian-sdf" ]; then
  run control --sample samples/ukraine-2022 --guardian "$d/guardian-sdf"
else
  run control --sample samples/ukraine-2022
fi
exit $status
