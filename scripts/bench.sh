#!/usr/bin/env bash
# Figures, not pass/fail (beyond the first-load budget, which the test
# command also enforces): builds the release console and simulator, then
# prints
#   - first-load bytes per asset and in total, gzip and brotli;
#   - Lighthouse scores with FCP, TBT and TTI for the offers, procure,
#     status and resource pages;
#   - the offers filter benchmark (about 10,000 offers, console against a plain
#     JavaScript page over the same data);
#   - the status page's polling figures (hidden tab, requests to ready);
#   - the status page's JS heap after 1,000 polls against the first.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

# Installs the bench's packages too.
scripts/setup.sh
trunk build --release --offline --dist dist
cargo build --release -p supply-sim

echo
echo "== first load"
budget_status=0
scripts/budget.sh dist || budget_status=$?
echo
echo "== Lighthouse"
node tests/bench/lighthouse.mjs
echo
echo "== offers filter"
node tests/bench/offers-filter.mjs
echo
echo "== status polling"
node tests/bench/status-polls.mjs
echo
echo "== status page memory"
node tests/bench/status-heap.mjs
exit "$budget_status"
