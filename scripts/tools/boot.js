// The entry module (split-build.mjs fills in the manifest). Before the main
// module is even fetched, it asks for the wasm files the address's page
// needs, so they download beside the main module instead of after it; the
// split loader's own fetches then find them in the preload cache.
const manifest = __MANIFEST__;
const segments = (path) => path.split('/').filter(Boolean);
const base = segments(new URL(document.baseURI).pathname);
const here = segments(location.pathname);
const path = base.every((s, i) => here[i] === s) ? here.slice(base.length) : here;
const fits = (pattern) => {
  const want = segments(pattern);
  return want.length === path.length && want.every((w, i) => w.startsWith(':') || w === path[i]);
};
// Signed out, every page sends the visit to settings, which is in the main
// module. Only the presence of a stored token is looked at, never its value.
const stored = (name) => {
  try {
    const area = window[name];
    return Object.keys(area).some((key) => key.endsWith('api_token') && area.getItem(key));
  } catch {
    return false; // storage refused: the console reads it the same way
  }
};
const signedIn = stored('localStorage') || stored('sessionStorage');
const route = manifest.routes.find(([pattern]) => fits(pattern));
const point = signedIn ? route?.[1] : undefined;
for (const file of manifest.chunks[point] ?? []) {
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'fetch';
  link.crossOrigin = 'anonymous';
  link.href = new URL(file, import.meta.url).href;
  document.head.append(link);
}
import('__MAIN__').then((main) => main.default());
