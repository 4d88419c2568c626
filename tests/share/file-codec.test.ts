import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { exportProjectFile, fileSlug, importProjectFile } from '../../src/share/file-codec.ts';

const doc: PipelineDocument = {
  format: 'insight-pipeline',
  version: 1,
  name: 'Churn — Q3 study!',
  description: '',
  seed: 9,
  nodes: [{ id: 'load1', kind: 'load', version: 1, params: {}, position: [0, 0], note: '' }],
  edges: [],
  notes: [],
};

describe('project files', () => {
  it('exports the document as pretty JSON under a safe file name and imports it back unchanged', async () => {
    const file = exportProjectFile(doc);
    expect(file.name).toBe('churn-q3-study.json');
    expect(file.type).toBe('application/json');
    expect(await importProjectFile(file.text)).toEqual({ ok: true, document: doc, migratedFrom: null });
  });

  it('names a file "pipeline" when the project name has no letters or digits', () => {
    expect(fileSlug('—!')).toBe('pipeline');
  });

  it('refuses a file that is not JSON, a polluting key, and a wrong field with a message', async () => {
    expect(await importProjectFile('hello')).toMatchObject({ ok: false, message: expect.stringMatching(/^The file is not a pipeline: It is not valid JSON \(/) });
    expect(await importProjectFile('{"__proto__": {"x": 1}}')).toEqual({ ok: false, message: 'The file is not a pipeline: The key "__proto__" is not allowed.', problems: [] });
    const bad = await importProjectFile(JSON.stringify({ ...doc, seed: -1 }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toBe('The file is not a valid pipeline: Field $.seed: expected a number of at least 0, got -1.');
  });

  it('refuses a file over 4 MB without parsing it', async () => {
    expect(await importProjectFile(' '.repeat(4 * 1024 * 1024 + 1))).toEqual({ ok: false, message: 'The file is 4.0 MB; a project file may be at most 4.0 MB.', problems: [] });
  });
});
