#!/usr/bin/env bash
# Builds the console and serves it with the bundled simulator on loopback.
#   UI_PORT (8080)        console and its generated /config.json
#   API_PORT (8787)       simulated Supply API
#   K0RDENT_PORT (8788)   simulated k0rdent compute API
# Extra arguments go to the simulator, e.g. scripts/run.sh --time-scale 10
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

scripts/setup.sh
trunk build --release --offline --dist dist

# exec: Ctrl-C reaches the simulator directly (cargo run execs it in turn).
exec cargo run --release --quiet -p supply-sim -- \
  --ui-dir dist \
  --ui-port "${UI_PORT:-8080}" \
  --port "${API_PORT:-8787}" \
  --k0rdent-port "${K0RDENT_PORT:-8788}" \
  "$@"
