// Second step of the trunk post-build hook (see Trunk.toml), after
// split-build.mjs: for release builds, writes precompressed `.gz` (zopfli:
// smaller than gzip -9 and readable by every gzip client) and `.br` copies
// of the assets, which the simulator's static server and
// `gzip_static`/`brotli_static` hosts serve as they are.
// config.json is left alone: deployers edit it, and a stale .gz would win.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('postbuild: TRUNK_STAGING_DIR is not set; run through trunk');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const compressible = /\.(html|js|wasm|css|svg)$/;
const files = readdirSync(staging, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && compressible.test(entry.name))
  .map((entry) => join(entry.parentPath, entry.name));
for (const path of files) {
  execFileSync('zopfli', ['--i15', path]);
  const brotli = brotliCompressSync(readFileSync(path), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  });
  writeFileSync(`${path}.br`, brotli);
}
