// The entry module (split-build.mjs fills in the manifest). Before the main
// module is even fetched, it asks for the pack of wasm files the address's
// page needs, so they download beside the main module instead of after it.
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
// The page's files come in one pack, fetched before the main module is
// even asked for; the split loader takes each file from it. If the pack
// fails, the loader fetches the files one by one, as it would without it.
const pack = manifest.packs[point];
if (pack) {
  const bytes = fetch(new URL(pack.file, import.meta.url)).then((response) =>
    response.ok ? response.arrayBuffer() : Promise.reject(new Error(`${pack.file}: ${response.status}`)));
  let end = 0;
  const parts = pack.parts.map(([file, length]) => {
    const at = end;
    end += length;
    const part = bytes.then((all) => all.slice(at, at + length));
    part.catch(() => {}); // the loader's own fetch answers for it
    return [file, part];
  });
  globalThis.__consolePack = new Map(parts);
}
import('__MAIN__').then((main) => main.default());
