// Trunk post-build hook (see Trunk.toml). For release builds it:
// 1. minifies wasm-bindgen's JS glue with esbuild (trunk's own JS minifier
//    cannot parse the glue's `export { … as default }`), and rewrites that
//    file's Subresource Integrity hash in index.html to match;
// 2. writes precompressed `.gz` (zopfli, smaller than gzip -9 and readable
//    by every gzip client) and `.br` copies of the first-load assets, which
//    the simulator's static server and `gzip_static`/`brotli_static` hosts
//    serve as they are.
// config.json is left alone: deployers edit it, and a stale .gz would win.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { transformSync } from 'esbuild';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('postbuild: TRUNK_STAGING_DIR is not set; run through trunk');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');

for (const name of readdirSync(staging).filter((n) => n.endsWith('.js'))) {
  const path = join(staging, name);
  const { code } = transformSync(readFileSync(path, 'utf8'), {
    format: 'esm',
    minify: true,
    target: 'es2020',
  });
  writeFileSync(path, code);
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  const link = new RegExp(`(href=["']?[^"' >]*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?[^>]*?integrity=["']?)sha384-[A-Za-z0-9+/=]+`);
  if (!link.test(index)) {
    console.error(`postbuild: index.html has no integrity attribute for ${name}`);
    process.exit(1);
  }
  index = index.replace(link, `$1${integrity}`);
}
writeFileSync(indexPath, index);

const compressible = /\.(html|js|wasm|css|svg)$/;
for (const name of readdirSync(staging).filter((n) => compressible.test(n))) {
  const path = join(staging, name);
  execFileSync('zopfli', ['--i15', path]);
  const brotli = brotliCompressSync(readFileSync(path), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  });
  writeFileSync(`${path}.br`, brotli);
}
