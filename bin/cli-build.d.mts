// Types of bin/cli-build.mjs (for the tests).
export function defaultCacheDir(root: string): string;
export function builtEntries(root: string, entries: Record<string, string>, cacheDir?: string): Promise<{ urls: Record<string, string>; built: boolean }>;
export const cliEntries: Record<string, string>;
export function firstLine(err: unknown): string;
export function precompiledEntries(root: string, entries: Record<string, string>): Promise<{ urls: Record<string, string> } | { failed: string; tsxAsked: boolean }>;
/** The V8 flags `insight` starts Node with (bin/insight.mjs's first line). */
export const cliNodeFlags: readonly string[];
