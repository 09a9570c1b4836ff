// A plain static file server, as a static host would be: it serves a build
// made with `trunk build --public-url /console/` under /console/, answers
// unknown paths with 404.html (as GitHub Pages does), and writes its own
// config.json so the same build points at whichever APIs this host names.
//
// Usage: node static-server.mjs DIST PREFIX PORT API_URL K0RDENT_URL

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const [dist, prefix, port, apiUrl, k0rdentUrl] = process.argv.slice(2);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

async function file(path) {
  try {
    if ((await stat(path)).isFile()) return await readFile(path);
  } catch {
    // not there
  }
  return null;
}

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (!path.startsWith(prefix)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const rel = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
  if (rel === 'config.json') {
    res.writeHead(200, { 'content-type': types['.json'], 'cache-control': 'no-cache' });
    res.end(JSON.stringify({ api_base_url: apiUrl, k0rdent_base_url: k0rdentUrl }));
    return;
  }
  const name = rel === '.' || rel === '' ? 'index.html' : rel;
  const body = await file(join(dist, name));
  if (body) {
    res.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' });
    res.end(body);
    return;
  }
  const fallback = await file(join(dist, '404.html'));
  res.writeHead(404, { 'content-type': types['.html'] });
  res.end(fallback ?? 'not found');
}).listen(Number(port), '127.0.0.1', () => console.log('ready'));
