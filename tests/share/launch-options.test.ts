import { describe, expect, it } from 'vitest';
import { readLaunchOptions } from '../../src/share/launch-options.ts';

describe('readLaunchOptions', () => {
  it('asks for the wasm backend (with cpu as the fallback) from ?backend=wasm', () => {
    expect(readLaunchOptions({ search: '?backend=wasm', hash: '' })).toEqual({ ladder: ['wasm', 'cpu'], share: null, warnings: [] });
  });

  it('uses the default ladder without a query', () => {
    expect(readLaunchOptions({ search: '', hash: '' })).toEqual({ ladder: null, share: null, warnings: [] });
  });

  it('warns about an unknown backend and keeps the default ladder', () => {
    expect(readLaunchOptions({ search: '?backend=<script>', hash: '' })).toEqual({
      ladder: null,
      share: null,
      warnings: ['Unknown backend "<script>" in the address; expected one of webgpu, webgl, wasm, cpu. Using the default.'],
    });
  });

  it('returns the share fragment when the hash carries a pipeline', () => {
    expect(readLaunchOptions({ search: '?backend=cpu', hash: '#p=abc&f=def' })).toEqual({ ladder: ['cpu'], share: '#p=abc&f=def', warnings: [] });
    expect(readLaunchOptions({ search: '', hash: '#help' }).share).toBeNull();
  });

  it('forces the stored backend setting when the address names none, and the address wins over it', () => {
    expect(readLaunchOptions({ search: '', hash: '' }, 'webgpu').ladder).toEqual(['webgpu', 'cpu']);
    expect(readLaunchOptions({ search: '', hash: '' }, 'auto').ladder).toBeNull();
    expect(readLaunchOptions({ search: '', hash: '' }, 'toString').ladder).toBeNull();
    expect(readLaunchOptions({ search: '?backend=wasm', hash: '' }, 'webgpu').ladder).toEqual(['wasm', 'cpu']);
  });
});
