#!/usr/bin/env bash
# Figures, not pass/fail (beyond the first-visit budget, which the test
# command also enforces): builds the release console and simulator, then
# prints
#   - each page's first visit: the static files it fetches before it can
#     draw, how many, gzip and brotli, against its budget;
#   - Lighthouse, mobile and desktop presets, on every page: scores, FCP,
#     LCP, TBT, CLS and the longest chain of requests;
#   - main-thread blocking of a first visit with the CPU slowed 4x, as the
#     browser's own trace counts it;
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
echo "== first visit, every page"
budget_status=0
scripts/budget.sh dist --files || budget_status=$?
echo
echo "== Lighthouse"
node tests/bench/lighthouse.mjs
echo
echo "== main-thread blocking"
node tests/bench/blocking-time.mjs
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
