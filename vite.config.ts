import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The Content-Security-Policy of the build. Scripts, wasm and workers come only from the
 * page's own origin ('wasm-unsafe-eval' lets same-origin WebAssembly compile; no 'unsafe-eval'
 * for the page). Styles allow 'unsafe-inline' because Svelte Flow positions nodes and
 * Observable Plot styles its SVG with inline styles; no script can come from a style.
 * connect-src allows https: so a load node can fetch a public dataset by URL when the user
 * asks for one (the worker only fetches http(s)); nothing is ever posted anywhere.
 */
const cspDirectives: [string, string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['connect-src', "'self' https:"],
  ['img-src', "'self' data: blob:"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['font-src', "'self' data:"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];

/**
 * The header policy differs from the page's in one word: the engine worker gets its CSP from
 * its own response headers (measured in Chromium), and Arquero compiles table expressions
 * with `Function`, so the header allows 'unsafe-eval'. The page is still held to the strict
 * policy: it also carries the <meta> policy, and a document enforces both. frame-ancestors
 * only works as a header, so it is added here.
 */
const headerPolicy = [
  ...cspDirectives.map(([k, v]): [string, string] => (k === 'script-src' ? [k, `${v} 'unsafe-eval'`] : [k, v])),
  ['frame-ancestors', "'none'"],
]
  .map(([k, v]) => `${k} ${v}`)
  .join('; ');
/** The strict page policy for a <meta> tag (hosts that cannot set headers get it too). */
const metaPolicy = cspDirectives.map(([k, v]) => `${k} ${v}`).join('; ');

/** Headers a careful static host sends with every file. */
const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': headerPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/**
 * Build-only CSP: a <meta> in every HTML page, `_headers` for Netlify/Cloudflare-style hosts
 * and `_headers.json` for the e2e static server. Dev keeps Vite's inline HMR working.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'insight-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      // Right after the charset (which must stay first) and before any script or style.
      handler: (html) => html.replace(/(<meta charset="[^"]*"\s*\/?>)/i, `$1\n    <meta http-equiv="Content-Security-Policy" content="${metaPolicy}" />`),
    },
    generateBundle() {
      const lines = Object.entries(securityHeaders).map(([k, v]) => `  ${k}: ${v}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: `/*\n${lines.join('\n')}\n` });
      this.emitFile({ type: 'asset', fileName: '_headers.json', source: `${JSON.stringify(securityHeaders, null, 2)}\n` });
    },
  };
}

// base './' makes the build work from any sub-path of any static host.
export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    VitePWA({
      // A plain same-origin script registers the service worker (an inline one would break the CSP).
      injectRegister: 'script',
      registerType: 'autoUpdate',
      manifest: {
        name: 'Insight Studio',
        short_name: 'Insight',
        description: 'Customer insight pipelines that run in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f2937',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        // Everything the studio needs offline: code, wasm, samples and examples.
        globPatterns: ['**/*.{js,css,html,wasm,svg,csv,json,webmanifest}'],
        globIgnores: ['_headers.json'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: null,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    assetsInlineLimit: 0,
    rolldownOptions: {
      // projects-harness.html mounts the project components on their own for the browser
      // tests; `npm test` builds it (INSIGHT_TEST_PAGES=1), a user's `npm run build` does not.
      input: process.env.INSIGHT_TEST_PAGES === '1' ? { main: 'index.html', 'projects-harness': 'projects-harness.html' } : { main: 'index.html' },
    },
  },
  server: { port: 5173, strictPort: false },
  // `npm run preview` serves the build with the same headers a careful host sends (the worker script included).
  preview: { port: 4173, strictPort: false, headers: securityHeaders },
});
