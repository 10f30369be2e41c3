#!/usr/bin/env bash
# Compare blilyst's projection engine with the R peers ccmpp and befproj (see docs/peers.md).
#
#   bench/peers/run.sh [PEERS_SRC_DIR]       # PEERS_SRC_DIR holds CCMPP/ and befproj/ source trees
#
# Installs Debian's R and the peers from source when they are missing, then runs every case of
# bench/peers/compare.py and writes bench/peers/results.json. Extra arguments after the directory
# go to compare.py (e.g. --cases box62,umea --reps 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC="${1:-/tmp/peers}"
shift || true

if ! command -v Rscript >/dev/null; then
    apt-get update && apt-get install -y r-base-core r-base-dev r-cran-dplyr
fi
have() { Rscript -e "quit(status = !requireNamespace('$1', quietly = TRUE))" >/dev/null 2>&1; }
have dplyr || apt-get install -y r-cran-dplyr
have ccmpp || R CMD INSTALL "$SRC/ccmpp"
have befproj || R CMD INSTALL "$SRC/befproj"

.venv/bin/python bench/peers/compare.py "$@"
