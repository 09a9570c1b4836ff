#!/usr/bin/env bash
# Builds the release console and serves it against a real Supply Service
# (and optionally k0rdent), without the simulator.
#   SUPPLY_API_URL    Supply API base URL (required, or --supply-url)
#   K0RDENT_API_URL   k0rdent API base URL (optional, or --k0rdent-url)
# Extra arguments go to supply-console, e.g.
#   SUPPLY_API_URL=https://supply.example.com scripts/serve.sh --proxy --port 9000
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

scripts/setup.sh
trunk build --release --offline --dist dist

# exec: Ctrl-C reaches the server directly (cargo run execs it in turn).
exec cargo run --release --quiet -p supply-sim --bin supply-console -- --ui-dir dist "$@"
