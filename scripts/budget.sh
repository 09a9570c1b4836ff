#!/usr/bin/env bash
# First-visit budget: for every page, the static files a first visit fetches
# before the page can draw (index.html and what it loads, plus the wasm
# chunks the build's manifest lists for the page), their count and their
# gzip and brotli sizes as served, against the page's budget; exit 1 when a
# page is over. scripts/tools/first-visit.mjs does the work; pass --files to
# list every file.
# Usage: scripts/budget.sh [DIST_DIR] [--files]   (default: dist)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

exec node scripts/tools/first-visit.mjs "${@:-dist}"
