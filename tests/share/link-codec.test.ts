import { createHash } from 'node:crypto';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { validatePipeline } from '../../src/engine/validate.ts';
import { encodeBase64url } from '../../src/share/base64url.ts';
import { LINK_LIMITS, decodeShareLink, encodeShareLink } from '../../src/share/link-codec.ts';
import { createRng } from '../../src/ml/random.ts';

const doc: PipelineDocument = {
  format: 'insight-pipeline',
  version: 1,
  name: 'Churn study',
  description: 'Telco churn, LSTM',
  seed: 1234,
  nodes: [
    { id: 'load1', kind: 'load', version: 1, params: { source: 'upload' }, position: [0, 0], note: 'customers' },
    { id: 'norm1', kind: 'normalise', version: 1, params: { method: 'min-max', columns: ['tenure'] }, position: [200, 0], note: '' },
  ],
  edges: [{ from: ['load1', 'table'], to: ['norm1', 'table'] }],
  notes: [{ id: 'n1', text: 'read me', position: [10, 10] }],
};

const csv = new TextEncoder().encode('customer,tenure,churn\nA,1,0\nB,24,1\nC,60,0\n');

/** Builds a fragment from arbitrary JSON text, the way a hostile sender would. */
function craft(json: string): string {
  return `#p=${encodeBase64url(deflateSync(new TextEncoder().encode(json)))}`;
}

function withDoc(patch: Record<string, unknown>): string {
  return craft(JSON.stringify({ ...doc, ...patch }));
}

async function failureOf(hash: string): Promise<{ code: string; message: string }> {
  const result = await decodeShareLink(hash);
  if (result.ok) throw new Error('expected the link to be refused');
  return { code: result.code, message: result.message };
}

describe('share links round-trip', () => {
  it('decodes to the same document, seed included', async () => {
    const link = await encodeShareLink(doc);
    expect(link.fragment.startsWith('#p=')).toBe(true);
    expect(link.dataIncluded).toBe(false);
    const back = await decodeShareLink(link.fragment);
    expect(back).toEqual({ ok: true, document: doc, datasets: [] });
  });

  it('carries the fingerprint of each file (columns and SHA-256) but not the bytes unless asked', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'customers.csv', bytes: csv }] });
    expect(link.fragment).toMatch(/^#p=[\w-]{12}\.[\w-]+&f=[\w-]+$/);
    const back = await decodeShareLink(link.fragment);
    expect(back.ok && back.datasets).toEqual([
      {
        ref: {
          node: 'load1',
          name: 'customers.csv',
          size: csv.length,
          columns: ['customer', 'tenure', 'churn'],
          sha256: createHash('sha256').update(csv).digest('hex'),
          embedded: false,
        },
      },
    ]);
  });

  it('embeds small data when the user opts in and returns the same bytes', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'customers.csv', bytes: csv }], includeData: true });
    expect(link.dataIncluded).toBe(true);
    expect(link.dataOmittedReason).toBeNull();
    expect(link.dataOmitted).toBeNull();
    const back = await decodeShareLink(link.fragment);
    if (!back.ok) throw new Error(back.message);
    expect(back.datasets[0]?.ref.embedded).toBe(true);
    expect(Array.from(back.datasets[0]?.bytes ?? [])).toEqual(Array.from(csv));
  });

  it('leaves incompressible data over 256 KB out of the link and says so', async () => {
    const rng = createRng(7);
    const noise = new Uint8Array(300 * 1024).map(() => rng.int(256));
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'noise.csv', bytes: noise }], includeData: true });
    expect(link.dataIncluded).toBe(false);
    expect(link.dataBytes).toBe(0);
    expect(link.dataOmittedReason).toMatch(/^The data compresses to 30\d KB; a link carries at most 256 KB\. The receiver will be asked for the file\.$/);
    expect(link.dataOmitted?.cause).toBe('compressed');
    expect(link.dataOmitted?.limit).toBe(256 * 1024);
    expect(link.dataOmitted?.bytes).toBeGreaterThan(256 * 1024);
    const back = await decodeShareLink(link.fragment);
    expect(back.ok && back.datasets.map((d) => [d.ref.embedded, d.bytes])).toEqual([[false, undefined]]);
  });
});

describe('hostile and broken links open nothing and say why', () => {
  it('refuses a fragment with characters outside base64url', async () => {
    expect(await failureOf('#p=abc$def')).toEqual({ code: 'link.base64', message: 'This link is damaged: the pipeline is not valid base64url. Character "$" at position 3 is not base64url.' });
  });

  it('refuses a truncated link', async () => {
    const link = await encodeShareLink(doc);
    const cut = link.fragment.slice(0, Math.floor(link.fragment.length * 0.6));
    const failure = await failureOf(cut);
    expect(['link.corrupt', 'link.base64']).toContain(failure.code);
    expect(failure.message).toMatch(/^This link is damaged: /);
  });

  it('refuses a link longer than the cap before decoding anything', async () => {
    const failure = await failureOf(`#p=${'A'.repeat(LINK_LIMITS.maxFragmentChars)}`);
    expect(failure).toEqual({ code: 'link.tooLong', message: 'This link is 512 KB long; the most a link may carry is 512 KB. Ask the sender for the project file instead.' });
  });

  it('stops a real decompression bomb (64 MB of zeros in a 64 KB link) at the 1 MB cap', async () => {
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(70_000);
    const hash = `#p=${encodeBase64url(bomb)}`;
    expect(await failureOf(hash)).toEqual({ code: 'link.tooLarge', message: "This link's pipeline is too large: It decompresses to more than 1.0 MB, the most allowed." });
  });

  it('refuses __proto__ keys, keeps a "constructor" key as plain data, and leaves Object.prototype clean', async () => {
    const proto = await failureOf(craft(JSON.stringify(doc).replace('"params":{"source":"upload"}', '"params":{"__proto__":{"polluted":"yes"}}')));
    expect(proto).toEqual({ code: 'link.json', message: 'This link\'s pipeline is not a valid pipeline: The key "__proto__" is not allowed.' });
    // "constructor" may be a column name (per-column params); it stays an own key, and the engine's param check refuses it where it is no param.
    const ctor = await decodeShareLink(craft(JSON.stringify(doc).replace('"params":{"source":"upload"}', '"params":{"types":{"constructor":"text","prototype":"integer"}}')));
    expect(ctor.ok && ctor.document.nodes[0]?.params.types).toEqual({ constructor: 'text', prototype: 'integer' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting deeper than 64 levels without parsing it', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(await failureOf(craft(deep))).toEqual({ code: 'link.json', message: "This link's pipeline is not a valid pipeline: It is nested more than 64 levels deep." });
  });

  it('refuses text that is not JSON', async () => {
    const failure = await failureOf(craft('{"format": "insight-pipeline", '));
    expect(failure.code).toBe('link.json');
    expect(failure.message).toMatch(/^This link's pipeline is not a valid pipeline: It is not valid JSON \(/);
  });

  it('refuses wrong types and names the field', async () => {
    const failure = await failureOf(withDoc({ seed: '1234' }));
    expect(failure.code).toBe('link.invalid');
    expect(failure.message).toBe('This link\'s pipeline is not valid: Field $.seed: expected number, got "1234".');
  });

  it('refuses huge arrays (more than 500 nodes)', async () => {
    const nodes = Array.from({ length: 501 }, (_, i) => ({ id: `n${i}`, kind: 'load', version: 1, params: {}, position: [0, 0] }));
    const failure = await failureOf(withDoc({ nodes, edges: [] }));
    expect(failure.code).toBe('link.invalid');
    expect(failure.message).toMatch(/^This link's pipeline is not valid: Field \$\.nodes: expected /);
  });

  it('refuses unknown node kinds when a validator with the registry is given', async () => {
    const link = await encodeShareLink(doc);
    const result = await decodeShareLink(link.fragment, (d) => validatePipeline(d, {}));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('link.invalid');
    expect(result.message).toMatch(/^This link's pipeline is not valid: .*"load".*\(and \d+ more problems\)$/);
  });

  it('refuses a javascript: URL in a param', async () => {
    const evil = { ...doc, nodes: [{ ...doc.nodes[0], params: { url: 'javascript:alert(1)' } }, doc.nodes[1]] };
    const failure = await failureOf(craft(JSON.stringify(evil)));
    expect(failure).toEqual({ code: 'link.invalid', message: 'This link\'s pipeline is not valid: Node "load1" parameter "url" holds "javascript:alert(1)"; only http(s) addresses are allowed.' });
  });

  it('keeps HTML in names and notes as plain text (rendering escapes it)', async () => {
    const html = '<img src=x onerror="globalThis.pwned=1">';
    const back = await decodeShareLink(withDoc({ name: html }));
    expect(back.ok && back.document.name).toBe(html);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('refuses embedded data whose bytes do not match the fingerprint', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'customers.csv', bytes: csv }], includeData: true });
    const other = new TextEncoder().encode('customer,tenure,churn\nA,1,0\nB,24,1\nC,61,0\n');
    const forged = link.fragment.replace(/&d=.*$/, `&d=${encodeBase64url(deflateSync(other))}`);
    expect(await failureOf(forged)).toEqual({ code: 'link.data', message: 'The data for "customers.csv" does not match its fingerprint; the link was altered.' });
  });

  it('refuses a link whose data part was cut off', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'load1', name: 'customers.csv', bytes: csv }], includeData: true });
    expect(await failureOf(link.fragment.replace(/&d=.*$/, ''))).toEqual({
      code: 'link.data',
      message: 'This link says it carries data, but the data part is missing (the link was probably cut short).',
    });
  });

  it('refuses a file list naming a node that is not in the pipeline', async () => {
    const link = await encodeShareLink(doc, { datasets: [{ node: 'ghost', name: 'customers.csv', bytes: csv }] });
    expect(await failureOf(link.fragment)).toEqual({ code: 'link.invalid', message: 'This link\'s file list names node "ghost", which is not in the pipeline.' });
  });

  it('answers an address with no pipeline', async () => {
    expect(await failureOf('#section-2')).toEqual({ code: 'link.none', message: 'This address carries no shared pipeline.' });
  });
});
