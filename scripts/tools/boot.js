// The entry module (split-build.mjs fills in the manifest). It paints the
// page's heading and lead into index.html's shell, then, while the main
// module (which index.html preloads) is still on its way, asks for the
// wasm files the address's page needs, so they download beside it instead
// of after it; the split loader's own fetches find them in the preload
// cache.
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
// The page's heading and lead, painted now rather than when the wasm has
// arrived (the console draws the same words in their place). Signed out,
// every visit ends on settings, so that is the page painted.
const shell = manifest.shells.find(([pattern]) => (signedIn ? fits(pattern) : pattern === '/settings'));
const slot = document.getElementById('main');
const painting = Boolean(shell && slot);
if (painting) {
  const [pattern, heading, lead] = shell;
  const value = (name) => {
    const segment = path[segments(pattern).indexOf(`:${name}`)] ?? '';
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  };
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  const title = element('div', 'page-heading');
  title.append(element('h1', '', heading.split(' ').map((w) => (w.startsWith(':') ? value(w.slice(1)) : w)).join(' ')));
  const page = element('section', 'page');
  const paragraph = element('p', 'lead', lead);
  paragraph.setAttribute('elementtiming', 'shell-lead');
  page.append(title, paragraph, ...slot.querySelectorAll('.loading'));
  slot.replaceChildren(page);
}
// The console starts once the shell's lead is on screen (element timing
// says when; two frames where it cannot), at most 500 ms on, for a tab in
// the background that paints nothing. However fast the wasm comes, the
// shell is seen before the console's same words replace it.
const shown = new Promise((resolve) => {
  setTimeout(resolve, 500);
  if (painting && PerformanceObserver.supportedEntryTypes?.includes('element')) {
    new PerformanceObserver((_, observer) => {
      observer.disconnect();
      resolve();
    }).observe({ type: 'element', buffered: true });
  } else {
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }
});
// The page's chunks are asked for as the shell shows, a frame after the
// main module (which index.html preloads): the first paint has nothing to
// share the line with but the main module.
const route = manifest.routes.find(([pattern]) => fits(pattern));
const point = signedIn ? route?.[1] : undefined;
shown.then(() => {
  for (const file of manifest.chunks[point] ?? []) {
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = new URL(file, import.meta.url).href;
    document.head.append(link);
  }
});
Promise.all([import('__MAIN__'), shown]).then(([main]) => main.default());
