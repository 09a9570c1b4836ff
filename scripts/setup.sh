#!/usr/bin/env bash
# Installs whatever the build and the tests need and is not there yet.
# Idempotent: when everything is present it only checks, in a few seconds.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

TRUNK_VERSION=0.21.14
WASM_OPT_MIN=120
APT_PACKAGES=(chromium chromium-driver brotli zopfli)

say() { printf 'setup: %s\n' "$*" >&2; }

# --- Rust: target and components -------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed)"
for component in rustfmt clippy; do
  if ! grep -q "^$component" <<<"$installed_components"; then
    say "adding rust component $component"
    rustup component add "$component"
  fi
done

# --- crates: first, so Cargo.lock names the wasm-bindgen version -----------
cargo fetch --quiet

# --- trunk -----------------------------------------------------------------
# 0.21.14 is the newest that builds with this rustc; --locked keeps its
# dependency tree the one it was released with.
if [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
  say "installing trunk $TRUNK_VERSION (about 11 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# --- wasm-bindgen-cli, exactly the version in Cargo.lock --------------------
wbg_version="$(awk '
  /^name = "wasm-bindgen"$/ { found = 1; next }
  found && /^version = / { gsub(/version = |"/, ""); print; exit }
' Cargo.lock)"
if [[ -z "$wbg_version" ]]; then
  say "Cargo.lock has no wasm-bindgen entry"
  exit 1
fi
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wbg_version" ]] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  # No --locked: one of its locked dependencies is not in the registry here.
  say "installing wasm-bindgen-cli $wbg_version (about 6 minutes)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# --- wasm-split-cli: splits lazy routes into chunks (split-build.mjs) -------
# Our copy in tools/wasm-split (it merges small shared chunks); its version
# names the change, so an older install is replaced.
wasm_split_version="$(sed -n 's/^version = "\(.*\)"$/\1/p' tools/wasm-split/Cargo.toml | head -n 1)"
if ! command -v wasm-split-cli >/dev/null ||
  ! cargo install --list | grep -q "^wasm_split_cli_support v$wasm_split_version "; then
  say "installing wasm-split-cli $wasm_split_version from tools/wasm-split (about 2 minutes)"
  cargo install --path tools/wasm-split --features build-binary --locked --force
fi

# --- npm packages ----------------------------------------------------------
# `npm ci` when node_modules is missing or older than the lockfile.
npm_ci() {
  local dir="$1"
  if [[ ! -f "$dir/node_modules/.package-lock.json" ||
    "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    say "npm ci in ${dir#"$SUPPLY_ROOT"/}"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

npm_ci "$SUPPLY_ROOT/scripts/tools"
wasm_opt_major="$(wasm-opt --version 2>/dev/null | sed -n 's/^wasm-opt version \([0-9][0-9]*\).*/\1/p')"
if [[ -z "$wasm_opt_major" || "$wasm_opt_major" -lt "$WASM_OPT_MIN" ]]; then
  say "wasm-opt on PATH is '${wasm_opt_major:-missing}', need $WASM_OPT_MIN or newer"
  exit 1
fi

npm_ci "$SUPPLY_ROOT/tests/e2e"
# The bench's packages too, so a lockfile that `npm ci` refuses fails here
# rather than on the next person who runs the bench.
npm_ci "$SUPPLY_ROOT/tests/bench"

# --- Debian packages: the browser, its driver, zopfli and brotli for the build
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
  say "installing ${missing[*]} with apt-get"
  apt_log="$(mktemp)"
  # Quiet unless it fails: apt and debconf chatter is not news.
  if ! { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    exit 1
  fi
  rm -f "$apt_log"
fi
