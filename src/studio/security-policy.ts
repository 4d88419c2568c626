/**
 * The studio's Content-Security-Policy and security headers: one source for the build's
 * <meta> tags, the `_headers` file static hosts read, `npm run preview`, the e2e static
 * server, and the off-site fetch frame, which narrows its own policy at run time.
 *
 * Why it is layered this way. A static host sends fixed headers, and a policy can only ever
 * be tightened after a document starts (a second policy is intersected with the first), never
 * loosened. So nothing that runs the studio may reach another site, and the one place that
 * can is a small same-origin frame (`fetcher.html`) created per consent: its header allows at
 * most `connectCeiling`, and before anything else it adds a <meta> policy whose connect-src
 * is exactly the origins the person allowed (`'none'` before any consent). Each new consent
 * replaces the frame. The page's own <meta> keeps connect-src 'self'; the workers are served
 * from assets/ with connect-src 'self' (a worker takes its policy from its own response).
 */

/** A CSP as directive → value, in order. */
export type Directives = [string, string][];

/**
 * The most any context may connect to: https anywhere (a public dataset) and http only on the
 * person's own machine (a local file server). Only the fetch frame is ever left this wide,
 * and it narrows itself to the allowed origins before it fetches.
 */
export const connectCeiling = "https: http://localhost:* http://127.0.0.1:*";

/**
 * The page's policy. Scripts, wasm and workers come only from the page's own origin
 * ('wasm-unsafe-eval' lets same-origin WebAssembly compile; no 'unsafe-eval' for the page).
 * Styles allow 'unsafe-inline' because Svelte Flow positions nodes and Observable Plot styles
 * its SVG with inline styles; no script can come from a style.
 */
export const pageDirectives: Directives = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['connect-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['font-src', "'self' data:"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];

/** Writes directives as a policy string. */
export function policyText(directives: Directives): string {
  return directives.map(([k, v]) => `${k} ${v}`).join('; ');
}

/** The directives with one directive's value replaced. */
function withValue(directives: Directives, name: string, value: (old: string) => string): Directives {
  return directives.map(([k, v]): [string, string] => (k === name ? [k, value(v)] : [k, v]));
}

/**
 * The header policy for every file. Two words wider than the page's: the engine worker gets
 * its CSP from its own response headers, and Arquero compiles table expressions with
 * `Function`, so script-src adds 'unsafe-eval'; connect-src is the ceiling, which only the
 * fetch frame keeps (the page's <meta> and the assets/ rule tighten it back to 'self').
 * frame-ancestors only works as a header: the studio's own pages may frame the fetch frame,
 * nobody else may frame anything.
 */
export const headerDirectives: Directives = [
  ...withValue(withValue(pageDirectives, 'script-src', (v) => `${v} 'unsafe-eval'`), 'connect-src', (v) => `${v} ${connectCeiling}`),
  ['frame-ancestors', "'self'"],
];

/** The header policy for assets/ (the engine and pool workers): as every file's, but connect-src 'self'. */
export const assetDirectives: Directives = withValue(headerDirectives, 'connect-src', () => "'self'");

/** The fetch frame's static <meta> (for hosts that send no headers): the page's, with the ceiling for connect-src. */
export const fetcherDirectives: Directives = withValue(pageDirectives, 'connect-src', () => connectCeiling);

/** The non-CSP headers a careful static host sends with every file. */
const otherHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** One `_headers` rule: a path pattern (`/*` or `/folder/*`) and its headers. */
export interface HeaderRule {
  /** Path relative to the site root; a trailing `*` matches the rest. */
  path: string;
  /** Header name → value. */
  headers: Record<string, string>;
}

/**
 * The header rules, general first. Hosts that let a later rule override a header (Netlify)
 * and hosts that join both values with a comma (Cloudflare Pages, which then enforces both
 * policies, i.e. the stricter) give assets/ the same effective policy.
 */
export const headerRules: HeaderRule[] = [
  { path: '/*', headers: { 'Content-Security-Policy': policyText(headerDirectives), ...otherHeaders } },
  { path: '/assets/*', headers: { 'Content-Security-Policy': policyText(assetDirectives) } },
];

/** Does a rule's path pattern match a path (relative to the site root, starting with '/')? */
function matches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** The headers for one path (relative to the site root), later rules overriding earlier ones. */
export function headersForPath(path: string, rules: HeaderRule[] = headerRules): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) if (matches(rule.path, path)) Object.assign(out, rule.headers);
  return out;
}

/** The rules as a `_headers` file (Netlify, Cloudflare Pages and compatible hosts). */
export function headersFile(rules: HeaderRule[] = headerRules): string {
  return rules.map((rule) => `${rule.path}\n${Object.entries(rule.headers).map(([k, v]) => `  ${k}: ${v}\n`).join('')}`).join('');
}

/** The origin of an http(s) URL or origin string, or null for anything else. */
export function httpOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The fetch frame's run-time policy: connect-src exactly the allowed origins ('none' when there are none). */
export function consentPolicy(origins: readonly string[]): string {
  const valid = [...new Set(origins.map(httpOrigin).filter((o): o is string => o !== null))];
  return `connect-src ${valid.length === 0 ? "'none'" : valid.join(' ')}`;
}
