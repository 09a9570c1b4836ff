#!/usr/bin/env bash
# First-load budget: the files dist/index.html loads (itself, JS, wasm, CSS),
# their raw, gzip and brotli sizes, and a failure when the gzip total is
# over budget. The compressed sizes are those of the precompressed .gz/.br
# copies the release build ships (what a server sends), or gzip -9 and
# brotli -q 11 of the file where there is none.
# Lazy routes' wasm chunks, fetched on navigation, are listed after the
# budget line with their sizes; they are not part of the first load.
# Usage: scripts/budget.sh [DIST_DIR]   (default: dist)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$SUPPLY_ROOT"

dist="${1:-dist}"
# 256 KB, interim: the header's spend meter and delete wiring (about 20 KB)
# and the JWT expiry chips and k0rdent error envelopes (about 24 KB) took
# the first load from 197 KB to 241 KB; a lost chunk's page, the redeploy
# notice, the demo sign-in and base URLs on the console's own origin took
# it to 255 KB (254,893 B). The per-page budget of the size work (160 KB
# per page, 120 KB for settings signed out) replaces this once main is cut
# down.
budget="${BUDGET_GZIP_BYTES:-262144}"
index="$dist/index.html"

if [[ ! -f "$index" ]]; then
  echo "budget: $index not found (run trunk build --release first)" >&2
  exit 1
fi

# Every .js/.mjs/.wasm/.css reference: href/src attributes (quoted or not:
# trunk's minified HTML drops the quotes) and the quoted paths inside trunk's
# inline loader script.
mapfile -t refs < <({
  grep -oE "(href|src)=(\"[^\"]*\"|'[^']*'|[^\"' >]+)" "$index" | sed -E "s/^(href|src)=//"
  grep -oE "[\"'][^\"' <>]+\.(js|mjs|wasm|css)[\"'?#]" "$index"
} | sed -E "s/^[\"']//; s/[\"']$//; s/[?#].*$//" |
  grep -E '\.(js|mjs|wasm|css)$' | awk '!seen[$0]++')

files=("$index")
missing=0
for ref in "${refs[@]}"; do
  case "$ref" in
  http://* | https://* | //*)
    echo "budget: $index loads $ref from another host; not counted" >&2
    continue
    ;;
  esac
  ref="${ref#./}"
  path="$dist/${ref#/}"
  # Built with --public-url /sub/: the file sits at the top of dist.
  [[ -f "$path" ]] || path="$dist/$(basename "$ref")"
  if [[ ! -f "$path" ]]; then
    echo "budget: $index loads $ref but $dist has no such file" >&2
    missing=1
    continue
  fi
  files+=("$path")
done
((missing == 0)) || exit 1
# The same file may be named twice (modulepreload link and loader script).
mapfile -t files < <(printf '%s\n' "${files[@]}" | awk '!seen[$0]++')

have_brotli=0
command -v brotli >/dev/null && have_brotli=1
[[ -n "$(find "$dist" -maxdepth 1 -name '*.br' -print -quit)" ]] && have_brotli=1

{
  for f in "${files[@]}"; do
    raw=$(wc -c <"$f")
    if [[ -f "$f.gz" ]]; then gz=$(wc -c <"$f.gz"); else gz=$(gzip -9 -c "$f" | wc -c); fi
    if [[ -f "$f.br" ]]; then
      br=$(wc -c <"$f.br")
    elif ((have_brotli)); then
      br=$(brotli -c -q 11 "$f" | wc -c)
    else
      br=-1
    fi
    printf '%s\t%s\t%s\t%s\n' "${f#"$dist"/}" "$raw" "$gz" "$br"
  done
} | awk -F'\t' -v budget="$budget" -v brotli="$have_brotli" '
  function kb(n) { return n < 0 ? "-" : sprintf("%.1f KB", n / 1024) }
  BEGIN { printf "%-44s %11s %11s %11s\n", "file", "raw", "gzip", (brotli ? "brotli" : "brotli n/a") }
  {
    printf "%-44s %11s %11s %11s\n", $1, kb($2), kb($3), kb($4)
    raw += $2; gz += $3; br += $4
  }
  END {
    printf "%-44s %11s %11s %11s\n", "total", kb(raw), kb(gz), (brotli ? kb(br) : "-")
    status = gz > budget ? "OVER BUDGET" : "ok"
    printf "budget: %d bytes gzip of %d allowed (%s)\n", gz, budget, status
    exit gz > budget ? 1 : 0
  }' || over=1

# Lazy route chunks: every wasm under dist that index.html does not load.
mapfile -t lazy < <(find "$dist" -name '*.wasm' | sort | while read -r f; do
  printf '%s\n' "${files[@]}" | grep -qxF "$f" || echo "$f"
done)
if ((${#lazy[@]})); then
  echo
  echo "loaded on navigation (lazy routes, not part of the first load):"
  for f in "${lazy[@]}"; do
    raw=$(wc -c <"$f")
    if [[ -f "$f.gz" ]]; then gz=$(wc -c <"$f.gz"); else gz=$(gzip -9 -c "$f" | wc -c); fi
    awk -v name="$(basename "$f")" -v raw="$raw" -v gz="$gz" \
      'BEGIN { printf "%-56s %8.1f KB raw %8.1f KB gzip\n", name, raw / 1024, gz / 1024 }'
  done
fi
exit "${over:-0}"
