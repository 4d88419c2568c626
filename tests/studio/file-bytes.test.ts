import { describe, expect, it } from 'vitest';
import { readBlobInPieces } from '../../src/studio/file-bytes.ts';

describe('readBlobInPieces', () => {
  it('reads a Blob into the same bytes with pieces of 1, 3 and 7 bytes and the default size', async () => {
    const bytes = new TextEncoder().encode('id,名前,😀\n1,"a\nb",é\n'.repeat(7));
    const blob = new Blob([bytes]);
    for (const piece of [1, 3, 7, undefined]) expect(await readBlobInPieces(blob, piece)).toEqual(bytes);
  });

  it('reads an empty Blob as no bytes', async () => {
    expect((await readBlobInPieces(new Blob([]))).length).toBe(0);
  });

  it('says how many MB it could not set aside when the buffer cannot be made, instead of failing later', async () => {
    // A Blob that claims more bytes than any typed array may hold (2^53) makes the allocation fail.
    class HugeBlob extends Blob {
      override get size(): number {
        return 2 ** 53;
      }
    }
    const huge = new HugeBlob([]);
    await expect(readBlobInPieces(huge)).rejects.toThrow(/this tab could not set aside 8589934592 MB of memory to hold it/);
  });
});
