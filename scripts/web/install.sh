#!/usr/bin/env bash
# The dashboard's third-party files, from npm at the versions pinned in package-lock.json,
# copied into src/sitrep/web/vendor (git-ignored). Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/../../src/sitrep/web/vendor"
stamp="$dest/.installed"
want=$(sha1sum "$here/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm not found: install Debian's npm package (apt-get install npm) for the dashboard" >&2; exit 1; }
echo "installing the dashboard's map libraries (npm ci) ..."
(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
nm="$here/node_modules"
rm -rf "$dest" && mkdir -p "$dest/leaflet" "$dest/leaflet.markercluster" "$dest/topojson-client" "$dest/world-atlas"
cp -r "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/dist/images" "$nm/leaflet/LICENSE" "$dest/leaflet/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" "$nm/leaflet.markercluster/MIT-LICENCE.txt" \
   "$dest/leaflet.markercluster/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" "$dest/topojson-client/"
cp "$nm/world-atlas/countries-50m.json" "$nm/world-atlas/LICENSE" "$dest/world-atlas/"
echo "$want" > "$stamp"
