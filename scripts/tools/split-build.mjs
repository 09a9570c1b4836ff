// Trunk post_build hook: cargo build (wasm32, relocations kept) -> wasm-split
// -> wasm-bindgen (--keep-lld-exports --no-demangle) -> wasm-opt on every
// module -> copy into <staging>/pkg-<hash>/ -> add preload links and the
// entry module (boot.js) to the staged index.html; then a 404.html copy of
// it for static hosts that serve that file for unknown paths.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const staging = process.env.TRUNK_STAGING_DIR;
const release = process.env.TRUNK_PROFILE === 'release';
const src = process.env.TRUNK_SOURCE_DIR ?? '.';
const name = 'supply-console';                // bin name
const wasmOpt = process.env.WASM_OPT ?? 'wasm-opt';
const wasmSplit = process.env.WASM_SPLIT ?? 'wasm-split-cli';
const run = (cmd, args, env) => execFileSync(cmd, args, { stdio: 'inherit', cwd: src, env: { ...process.env, ...env } });

// Its own target dir: the relocation flag changes RUSTFLAGS, which would
// otherwise rebuild everything whenever tests and this build alternate.
const targetDir = join(process.env.CARGO_TARGET_DIR ?? join(src, 'target'), 'split');
// Release code carries no panic locations (file, line and column of every
// possible panic) and derived Debug prints only a type's name: no user sees
// either (the console shows no Debug output; its panics are linted away),
// and they cost 5.5-8 KB gzip on every first visit. Both are rustc -Z flags:
// the project builds with stable Rust, which takes them with
// RUSTC_BOOTSTRAP=1, here and only for this release build of the console.
// `shallow`, not `none`: `{:?}` of a string still prints it, as serde's
// messages about a malformed answer do (`invalid type: string "x"`).
const releaseFlags = release ? '-Zlocation-detail=none -Zfmt-debug=shallow' : '';
run('cargo', ['build', '--target', 'wasm32-unknown-unknown', '--features', 'split', '--bin', name,
  ...(release ? ['--release'] : []), ...(process.env.CARGO_OFFLINE ? ['--offline'] : [])],
  {
    RUSTFLAGS: `${process.env.RUSTFLAGS ?? ''} -Clink-args=--emit-relocs ${releaseFlags}`.trim(),
    CARGO_TARGET_DIR: targetDir,
    ...(release && { RUSTC_BOOTSTRAP: '1' }),
  });
const wasm = join(targetDir, 'wasm32-unknown-unknown', release ? 'release' : 'debug', `${name}.wasm`);

const tmp = mkdtempSync(join(tmpdir(), 'split-'));
const split = join(tmp, 'split'), pkg = join(tmp, 'pkg');
mkdirSync(split); mkdirSync(pkg);
// Shared code comes in one chunk per set of pages that need it: 126 chunks,
// most under 1 KB, so a page fetched 39-72 files and preloading them all
// cost a long task in fetch() calls alone. Our wasm-split (tools/wasm-split)
// moves chunks with less than MERGE_BELOW bytes of code into one chunk per
// family of pages (each API's pages), or one for all when they span both.
const MERGE_BELOW = 6000;
const FAMILIES = [
  'offers_chunk,procure_chunk,status_chunk,resources_chunk,resource_chunk',
  'k0rdent_chunk,instances_chunk,instance_chunk',
];
// Split points that belong to no page: code the console fetches when a
// feature first needs it (src/state/yaml_reader.rs: the YAML parser;
// src/components/on_demand.rs: parts of pages shown on request). The
// code one shares with pages stays in those pages' chunks, which it loads
// too, so it adds no chunk to a page's first visit.
const ON_DEMAND = ['yaml_chunk', 'spec_editor_chunk', 'compare_chunk'];
run(wasmSplit, ['--target', 'web', '--out-name', name, '--merge-chunks-below', String(MERGE_BELOW),
  ...FAMILIES.flatMap((family) => ['--merge-family', family]),
  ...ON_DEMAND.flatMap((point) => ['--on-demand', point]), wasm, split]);
for (const f of readdirSync(split)) if (f !== `${name}.wasm`) cpSync(join(split, f), join(pkg, f));
run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
  '--out-name', name, '--out-dir', pkg, join(split, `${name}.wasm`)]);
if (release) for (const f of readdirSync(pkg).filter((f) => f.endsWith('.wasm')))
  run(wasmOpt, ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--strip-producers',
    '--strip-target-features', join(pkg, f), '-o', join(pkg, f)]);

// The manifest: which files each lazy page needs (its own module, if it has
// one, and the shared chunks its code reaches), so the entry script can
// fetch a first page's code beside the main module instead of after it.
const manifest = pageManifest(readFileSync(join(split, '__wasm_split.js'), 'utf8'), readdirSync(split));
writeFileSync(join(pkg, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
// The entry module: a file, not an inline script, so the content security
// policy needs no 'unsafe-inline'.
const boot = readFileSync(join(src, 'scripts', 'tools', 'boot.js'), 'utf8')
  .replace('__MANIFEST__', JSON.stringify(manifest))
  .replaceAll('__MAIN__', `./${name}.js`);
writeFileSync(join(pkg, 'boot.js'), boot);

// Minify the JS glue and loader before hashing (SRI and names then match).
if (release) for (const f of readdirSync(pkg).filter((f) => f.endsWith('.js'))) {
  const { code } = transformSync(readFileSync(join(pkg, f), 'utf8'), { format: 'esm', minify: true, target: 'es2020' });
  writeFileSync(join(pkg, f), code);
}
// One content hash for the whole set: the files import each other by
// relative name, so the directory carries the hash, not each file.
const h = createHash('sha256');
for (const f of readdirSync(pkg).sort()) h.update(f).update(readFileSync(join(pkg, f)));
const dir = `pkg-${h.digest('hex').slice(0, 16)}`;
cpSync(pkg, join(staging, dir), { recursive: true });
rmSync(tmp, { recursive: true, force: true });

const sri = (f) => `sha384-${createHash('sha384').update(readFileSync(join(staging, dir, f))).digest('base64')}`;
// Relative URLs resolve against <base href> (trunk's public URL), so the
// app works under a sub-path; the chunks resolve against import.meta.url.
const tags = [
  // config.json is fetched by the main module once it runs; asked for here,
  // it arrives beside the code instead of after it.
  `<link rel="preload" href="./config.json" as="fetch" crossorigin="anonymous">`,
  `<link rel="modulepreload" href="./${dir}/${name}.js" integrity="${sri(`${name}.js`)}" crossorigin="anonymous">`,
  `<link rel="modulepreload" href="./${dir}/__wasm_split.js" integrity="${sri('__wasm_split.js')}" crossorigin="anonymous">`,
  `<link rel="preload" href="./${dir}/${name}_bg.wasm" as="fetch" type="application/wasm" crossorigin="anonymous">`,
  `<script type="module" src="./${dir}/boot.js" integrity="${sri('boot.js')}" crossorigin="anonymous"></script>`,
].join('');
const indexPath = join(staging, 'index.html');
const index = readFileSync(indexPath, 'utf8');
if (!index.includes('</head>')) throw new Error('split-build: no </head> in staged index.html');
const page = index.replace('</head>', `${tags}</head>`);
writeFileSync(indexPath, page);
// Hosts such as GitHub Pages answer unknown paths with 404.html: the same
// page, so a deep link still opens the console.
writeFileSync(join(staging, '404.html'), page);
console.log(`split-build: ${dir}: ${readdirSync(join(staging, dir)).join(' ')}`);

/**
 * Route -> files, from the split loader wasm-split wrote and the route table
 * in crates/supply-model/src/routes.rs. `chunks` maps each split point to the
 * wasm files its load fetches (wasm-split's shared chunks are named by the
 * split points that need them, in a comment before each); `routes` is the
 * table, `[pattern, split point]`, and `shells` each page's heading and lead
 * for the shell boot.js paints. Either side naming a split point the other
 * lacks stops the build: a stale table would preload the wrong files.
 */
function pageManifest(loader, files) {
  const chunks = {};
  for (const [, point] of loader.matchAll(/export const __wasm_split_load_(\w+) =/g)) chunks[point] = [];
  for (const [, points, n] of loader.matchAll(/\/\* ([\w, ]+) \*\/\s*const __chunk_(\d+) = /g))
    for (const point of points.split(', ')) (chunks[point] ??= []).push(`chunk_${n}.wasm`);
  for (const point of Object.keys(chunks))
    if (files.includes(`split_${point}.wasm`)) chunks[point].unshift(`split_${point}.wasm`);
  const table = readFileSync(join(src, 'crates', 'supply-model', 'src', 'routes.rs'), 'utf8');
  const rows = [...table.matchAll(/pattern: "([^"]*)",\s*chunk: (?:Some\("(\w+)"\)|None),\s*heading: (\w+|"[^"]*"),\s*lead: (\w+|"[^"]*"),/g)];
  if (rows.length === 0) throw new Error('split-build: no route rows in routes.rs');
  const text = (literal) => {
    if (literal.startsWith('"')) return literal.slice(1, -1);
    const constant = table.match(new RegExp(`const ${literal}: &str = "([^"]*)";`));
    if (!constant) throw new Error(`split-build: routes.rs has no constant ${literal}`);
    return constant[1];
  };
  const routes = rows.filter(([, , point]) => point).map(([, pattern, point]) => [pattern, point]);
  // What the shell paints before the wasm: [pattern, heading, lead].
  const shells = rows.map(([, pattern, , heading, lead]) => [pattern, text(heading), text(lead)]);
  const named = new Set(routes.map(([, point]) => point));
  for (const [pattern, point] of routes)
    if (!(point in chunks)) throw new Error(`split-build: route ${pattern} names ${point}, which the split build lacks`);
  for (const point of Object.keys(chunks))
    if (!named.has(point) && !ON_DEMAND.includes(point))
      throw new Error(`split-build: split point ${point} is in no route of routes.rs`);
  return { chunks, routes, shells };
}
