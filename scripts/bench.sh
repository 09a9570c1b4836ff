#!/usr/bin/env bash
# Figures, not pass/fail: builds the release console and simulator, then
# prints the first-load sizes, the offers filter benchmark (10,000 offers,
# console against a plain JavaScript page over the same data) and the status
# page polling figures (hidden tab, requests to ready).
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

scripts/setup.sh
trunk build --release --offline --dist dist
cargo build --release -p supply-sim
echo
echo "== first load"
scripts/budget.sh dist || true
echo
echo "== offers filter"
node tests/bench/offers-filter.mjs
echo
echo "== status polling"
node tests/bench/status-polls.mjs
