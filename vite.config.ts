import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { fetcherDirectives, headerRules, headersFile, headersForPath, pageDirectives, policyText } from './src/studio/security-policy.ts';

/** The header rules for `npm run preview`, as a static host applies `_headers` (a path relative to the site root). */
function previewHeaders(): Plugin {
  return {
    name: 'insight-preview-headers',
    configurePreviewServer(server) {
      const base = server.config.base === './' ? '/' : server.config.base;
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const relative = path.startsWith(base) ? `/${path.slice(base.length)}` : path;
        for (const [name, value] of Object.entries(headersForPath(relative))) res.setHeader(name, value);
        next();
      });
    },
  };
}

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
      // The fetch frame's static policy leaves connect-src at the ceiling; the frame narrows it at run time.
      handler: (html, ctx) => {
        const policy = policyText(ctx.filename.endsWith('fetcher.html') ? fetcherDirectives : pageDirectives);
        return html.replace(/(<meta charset="[^"]*"\s*\/?>)/i, `$1\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
      },
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
      this.emitFile({ type: 'asset', fileName: '_headers.json', source: `${JSON.stringify(headerRules, null, 2)}\n` });
    },
  };
}

// base './' makes the build work from any sub-path of any static host.
export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    previewHeaders(),
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
      // fetcher.html is the off-site fetch frame (src/studio/security-policy.ts says why).
      input: { main: 'index.html', fetcher: 'fetcher.html', ...(process.env.INSIGHT_TEST_PAGES === '1' ? { 'projects-harness': 'projects-harness.html' } : {}) },
    },
  },
  server: { port: 5173, strictPort: false },
  // `npm run preview` sends the same header rules as `_headers` (previewHeaders, the worker scripts included).
  preview: { port: 4173, strictPort: false },
});
