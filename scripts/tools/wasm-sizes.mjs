// The largest functions of wasm files, by code size, with their names:
// what a first visit pays for, function by function. Names are there only
// in the build that keeps them (README, "The offers filter benchmark").
// Usage: node scripts/tools/wasm-sizes.mjs FILE.wasm... [--top N] [--match REGEX]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args.splice(at, 2)[1];
};
const top = Number(option('--top', 40));
const match = new RegExp(option('--match', ''));
if (args.length === 0) {
  console.error('usage: node scripts/tools/wasm-sizes.mjs FILE.wasm... [--top N] [--match REGEX]');
  process.exit(2);
}

/** [{ size, name }] for every function body of one module. */
function functions(file) {
  const bytes = readFileSync(file);
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const skipLimits = () => {
    const flags = bytes[at++];
    leb();
    if (flags & 1) leb();
  };
  let imported = 0;
  const sizes = [];
  const names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 2) {
      // Imported functions come first in the index space.
      for (let n = leb(); n > 0; n--) {
        // Module and field names (`at += leb()` would read `at` first).
        for (let name = 0; name < 2; name++) {
          const length = leb();
          at += length;
        }
        const kind = bytes[at++];
        if (kind === 0) {
          imported++;
          leb();
        } else if (kind === 1) {
          at++;
          skipLimits();
        } else if (kind === 2) {
          skipLimits();
        } else {
          at += 2;
        }
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const body = leb();
        sizes.push(body);
        at += body;
      }
    } else if (id === 0) {
      const length = leb();
      const section = bytes.subarray(at, at + length).toString();
      at += length;
      while (section === 'name' && at < end) {
        const sub = bytes[at++];
        const subEnd = leb() + at;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            const nameLength = leb();
            names.set(index, bytes.subarray(at, at + nameLength).toString());
            at += nameLength;
          }
        }
        at = subEnd;
      }
    }
    at = end;
  }
  return sizes.map((size, n) => ({ size, name: demangle(names.get(n + imported) ?? `func${n + imported}`) }));
}

/** Legacy Rust symbols (_ZN…E) made readable; others as they are. */
function demangle(symbol) {
  if (!symbol.startsWith('_ZN')) return symbol;
  const parts = [];
  let at = 3;
  while (at < symbol.length && symbol[at] !== 'E') {
    const digits = /^\d+/.exec(symbol.slice(at));
    if (!digits) break;
    at += digits[0].length;
    parts.push(symbol.slice(at, at + Number(digits[0])));
    at += Number(digits[0]);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$C\$/g, ',')
    .replace(/\$RF\$/g, '&').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}').replace(/\$LP\$/g, '(')
    .replace(/\$RP\$/g, ')').replace(/\$BP\$/g, '*').replace(/\.\./g, '::');
}

const all = args.flatMap((file) => functions(file).map((f) => ({ ...f, file })));
const shown = all.filter((f) => match.test(f.name)).sort((a, b) => b.size - a.size);
const total = (list) => list.reduce((sum, f) => sum + f.size, 0);
console.log(`${all.length} functions, ${total(all)} B of code; ${shown.length} match, ${total(shown)} B`);
for (const f of shown.slice(0, top)) {
  console.log(`${String(f.size).padStart(7)}  ${args.length > 1 ? `${f.file}  ` : ''}${f.name.slice(0, 180)}`);
}
