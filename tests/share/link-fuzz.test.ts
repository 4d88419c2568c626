/**
 * Share links cut short or altered at every position: a link either opens exactly the document
 * that was shared or is refused with a one-sentence reason; it never opens a different one
 * (deflate has no checksum: before the link checksum, 75 of 3,338 altered links opened a
 * changed pipeline, one with seed 22 instead of 42).
 */
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { nodeRegistry } from '../../nodes/index.ts';
import { LINK_LIMITS, decodeShareLink, encodeShareLink } from '../../src/share/link-codec.ts';
import { encodeBase64url } from '../../src/share/base64url.ts';
import { deflateSync } from 'fflate';

const doc: PipelineDocument = {
  format: 'insight-pipeline',
  version: 1,
  name: 'Shared',
  description: 'd',
  seed: 42,
  nodes: [
    { id: 'load1', kind: 'load', version: 1, params: { source: 'sample', sample: 'customer-insight/transactions.csv' }, position: [0, 0], note: '' },
    { id: 'norm1', kind: 'normalise', version: 1, params: { method: 'z-score' }, position: [1, 0], note: '' },
  ],
  edges: [{ from: ['load1', 'table'], to: ['norm1', 'table'] }],
  notes: [],
};
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const validate = (d: PipelineDocument) => {
  const r = loadPipeline(d, nodeRegistry);
  return r.ok ? [] : r.problems;
};

/** Decodes every variant; returns the outcomes counted by code, and any variant that opened something else. */
async function outcomes(variants: string[]): Promise<{ counts: Record<string, number>; different: string[]; longMessages: string[] }> {
  const counts: Record<string, number> = {};
  const different: string[] = [];
  const longMessages: string[] = [];
  const original = JSON.stringify(doc);
  for (const hash of variants) {
    const r = await decodeShareLink(hash, validate);
    const key = r.ok ? (JSON.stringify(r.document) === original ? 'same' : 'DIFFERENT') : r.code;
    counts[key] = (counts[key] ?? 0) + 1;
    if (r.ok && JSON.stringify(r.document) !== original) different.push(hash);
    if (!r.ok && (r.message.length > 300 || r.message.includes('\n'))) longMessages.push(r.message);
  }
  return { counts, different, longMessages };
}

describe('share links cut short or altered', () => {
  it('a link with its file list and data, cut at every position, never opens a different pipeline', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'a.csv', bytes: new TextEncoder().encode('a,b\n1,2\n') }], includeData: true });
    const cuts = Array.from({ length: link.fragment.length - 1 }, (_, i) => link.fragment.slice(0, i + 1));
    const r = await outcomes(cuts);
    expect(r.different).toEqual([]);
    expect(r.longMessages).toEqual([]);
    expect(r.counts.same ?? 0).toBe(0);
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(cuts.length);
  });

  it('a link with one character changed (three bit flips at each position) opens the same pipeline or is refused', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'a.csv', bytes: new TextEncoder().encode('a,b\n1,2\n') }], includeData: true });
    const f = link.fragment;
    const variants: string[] = [];
    for (let i = 3; i < f.length; i++) {
      const at = alphabet.indexOf(f[i] ?? '');
      if (at < 0) continue;
      for (const bit of [1, 8, 32]) variants.push(`${f.slice(0, i)}${alphabet[at ^ bit]}${f.slice(i + 1)}`);
    }
    const r = await outcomes(variants);
    expect(r.different).toEqual([]);
    expect(r.longMessages).toEqual([]);
    // Only the unused low bits of a part's last character can change without changing a byte.
    expect(r.counts.same ?? 0).toBeLessThanOrEqual(6);
    expect(r.counts['link.corrupt'] ?? 0).toBeGreaterThan(variants.length * 0.9);
  });

  it('refuses wrong versions, wrong formats and oversized links with a reason', async () => {
    const craft = (value: unknown) => `#p=${encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(value))))}`;
    const cases: [string, string, RegExp][] = [
      ['a document from a newer studio', craft({ ...doc, version: 2 }), /^This link's pipeline is not valid: This document has version 2; this studio reads up to version 1\. Update the studio\.$/],
      ['a node from a newer studio', craft({ ...doc, nodes: [{ ...doc.nodes[0], version: 7 }, doc.nodes[1]] }), /Node "load1" \(load\) has version 7; this studio knows up to version 1\./],
      ['another format', craft({ ...doc, format: 'something-else' }), /Field "format" must be "insight-pipeline", got "something-else"\./],
      ['a link over the size cap', `#p=${'A'.repeat(LINK_LIMITS.maxFragmentChars + 1)}`, /^This link is 512 KB long; the most a link may carry is 512 KB\./],
      ['a checksum over something else', (await encodeShareLink(doc)).fragment.replace(/^#p=[\w-]{12}\./, `#p=${'A'.repeat(12)}.`), /^This link is damaged: its checksum does not match/],
      ['an empty pipeline part after the checksum', '#p=AAAAAAAAAAAA.', /^This link is damaged: /],
      ['a part given twice', `${(await encodeShareLink(doc)).fragment}&p=x`, /^This link is damaged: a part appears twice\.$/],
    ];
    const failures: string[] = [];
    for (const [name, hash, says] of cases) {
      const r = await decodeShareLink(hash, validate);
      if (r.ok || !says.test(r.message)) failures.push(`${name}: ${r.ok ? 'opened' : r.message}`);
    }
    expect(failures).toEqual([]);
  });

  it('still opens a link made before the checksum existed', async () => {
    const old = `#p=${encodeBase64url(deflateSync(new TextEncoder().encode(JSON.stringify(doc)), { level: 9 }))}`;
    expect(await decodeShareLink(old, validate)).toEqual({ ok: true, document: doc, datasets: [] });
  });
});
