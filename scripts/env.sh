# shellcheck shell=bash
# Sourced by the other scripts: puts the project's tools on PATH and tells the
# browser-test runners where Debian's Chromium and ChromeDriver live.
# Any of these can be overridden from the environment.

SUPPLY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SUPPLY_ROOT

# cargo-installed trunk and wasm-bindgen; wasm-opt from the npm `binaryen`
# package (Debian's binaryen is too old for current rustc output).
PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$SUPPLY_ROOT/scripts/tools/node_modules/.bin:$PATH"
export PATH

export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
# The runner reads webdriver.json from the current directory unless told where.
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$SUPPLY_ROOT/webdriver.json}"
# The default 20 s is too short for a cold Chromium start on 2 cores.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
# Tools must never fetch a browser of their own: the machine has no route to it.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
