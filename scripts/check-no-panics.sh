#!/usr/bin/env bash
# App code must not panic: with panic = "abort" one panic kills the whole
# console. Flags .unwrap() / .expect( / panic! / unreachable! / todo! /
# unimplemented! and indexing (`v[i]`, `s[a..b]`) in src/ outside
# #[cfg(test)] items, comments and string literals, as file:line.
# Usage: scripts/check-no-panics.sh [DIR...]   (default: src)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

dirs=("$@")
((${#dirs[@]})) || dirs=(src)

mapfile -t all_sources < <(find "${dirs[@]}" -type f -name '*.rs' | sort)

# Files that are test modules declared elsewhere as `#[cfg(test)] mod NAME;`.
test_files=()
for f in "${all_sources[@]}"; do
  while read -r name; do
    case "$(basename "$f")" in
    lib.rs | main.rs | mod.rs) base="$(dirname "$f")" ;;
    *) base="${f%.rs}" ;;
    esac
    test_files+=("$base/$name.rs" "$base/$name/mod.rs")
  done < <(grep -A2 -E '^[[:space:]]*#\[cfg\(test\)\]' "$f" |
    sed -nE 's/^[[:space:]]*(pub(\([a-z]+\))? )?mod ([A-Za-z0-9_]+);.*/\3/p')
done
sources=()
for f in "${all_sources[@]}"; do
  [[ " ${test_files[*]} " == *" $f "* ]] || sources+=("$f")
done
((${#sources[@]})) || exit 0

# Brace counting is enough for code that rustfmt has laid out; braces inside
# string literals are balanced in practice ("{}" format strings).
awk '
  FNR == 1 { skipping = 0; pending = 0; depth = 0; whole_file = 0 }
  whole_file { next }
  /^[[:space:]]*#!\[cfg\(test\)\]/ { whole_file = 1; next }
  {
    code = $0
    sub(/\/\/.*/, "", code)   # line comments, doc comments included
  }
  skipping {
    depth += gsub(/\{/, "{", code) - gsub(/\}/, "}", code)
    if (depth <= 0) skipping = 0
    next
  }
  /^[[:space:]]*#\[cfg\(test\)\]/ { pending = 1; next }
  pending {
    opens = gsub(/\{/, "{", code)
    if (opens > 0) {
      depth = opens - gsub(/\}/, "}", code)
      pending = 0
      skipping = depth > 0
      next
    }
    if (code ~ /;/) { pending = 0; next }
    next   # further attributes or the item signature
  }
  # Indexing (`v[i]`, `s[a..b]`) panics when out of range: use .get().
  # String literals are left out first, so CSS selectors do not count.
  {
    bare = code
    gsub(/"([^"\\]|\\.)*"/, "\"\"", bare)
  }
  bare ~ /[A-Za-z0-9_)\]]\[/ && bare !~ /#!?\[/ {
    sub(/^[[:space:]]+/, "", $0)
    printf "%s:%d: indexing can panic: %s\n", FILENAME, FNR, $0
    found = 1
    next
  }
  code ~ /\.unwrap\(\)|\.expect\(|(^|[^A-Za-z0-9_])(panic|unreachable|todo|unimplemented)!/ {
    sub(/^[[:space:]]+/, "", $0)
    printf "%s:%d: %s\n", FILENAME, FNR, $0
    found = 1
  }
  END { exit found }
' "${sources[@]}" || {
  echo "check-no-panics: app code must handle errors instead of panicking (see above)" >&2
  exit 1
}
