#!/usr/bin/env bash
# Runs every check and test; stops at the first failure with a non-zero exit.
# Order: cheapest first, so a formatting slip fails in seconds, not minutes.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
step_no=0

# step NAME CMD...: runs CMD, keeps its output for the closing count.
step() {
  local name="$1"
  shift
  step_no=$((step_no + 1))
  printf '\n==> [%d] %s\n' "$step_no" "$name"
  if ! "$@" 2>&1 | tee "$logs/$step_no.log"; then
    printf '\n==> FAILED: %s\n' "$name" >&2
    exit 1
  fi
}

step "setup" scripts/setup.sh
step "rustfmt" cargo fmt --all -- --check
step "clippy (native crates)" \
  cargo clippy -p supply-model -p supply-sim --all-targets -- -D warnings
step "clippy (console, wasm32)" \
  cargo clippy --target wasm32-unknown-unknown -p supply-console -- -D warnings
step "clippy (console, wasm32, split build)" \
  cargo clippy --target wasm32-unknown-unknown -p supply-console --features split -- -D warnings
step "native tests" cargo test -p supply-model -p supply-sim
step "browser tests (wasm-bindgen-test, headless Chromium)" \
  cargo test --target wasm32-unknown-unknown -p supply-console
step "release build (trunk)" trunk build --release --offline --dist dist
step "first-visit budget (every page)" scripts/budget.sh dist
# The same console for a host that serves it under a sub-path; the
# end-to-end suite opens deep links in it from a plain static server.
step "release build under /console/ (trunk --public-url)" \
  trunk build --release --offline --public-url /console/ --dist dist-console
step "simulator release build" cargo build --release -p supply-sim

target_dir="${CARGO_TARGET_DIR:-$SUPPLY_ROOT/target}"
export E2E_SIM_BIN="${E2E_SIM_BIN:-$target_dir/release/supply-sim}"
export E2E_DIST_DIR="${E2E_DIST_DIR:-$SUPPLY_ROOT/dist}"
export E2E_SUBPATH_DIST_DIR="${E2E_SUBPATH_DIST_DIR:-$SUPPLY_ROOT/dist-console}"
step "end-to-end (Playwright, headless Chromium)" \
  bash -c 'cd tests/e2e && exec ./node_modules/.bin/playwright test'

# Every step passed, so every test counted here passed: cargo's per-binary
# "test result: ok. N passed" lines plus Playwright's "N passed (time)".
passed="$(cat "$logs"/*.log | awk '
  /^test result: ok\. [0-9]+ passed/ { n += $4 }
  /^ +[0-9]+ passed \(/ { n += $1 }
  END { print n + 0 }')"
printf '\n==> all %d steps passed\n' "$step_no"
printf 'tests: %d passed, 0 failed\n' "$passed"
