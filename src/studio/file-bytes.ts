/**
 * Reading a File (or any Blob) into bytes in pieces: one buffer of the file's size, filled
 * 16 MiB at a time through `Blob.slice`, so no step holds a second copy of the file and a
 * tab that cannot set aside the buffer says so with the figure, instead of failing later
 * with a message about an "empty" file. The bytes then go to the load node's reader, which
 * reads delimited UTF-8 text from its bytes (no string-length limit).
 */

/** Bytes per piece. */
export const filePieceBytes = 16 * 1048576;

/** The bytes of a Blob, read piece by piece into one buffer (see the file header). */
export async function readBlobInPieces(blob: Blob, pieceBytes = filePieceBytes): Promise<Uint8Array> {
  const size = blob.size;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(size);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`this tab could not set aside ${Math.round((size / 1048576) * 10) / 10} MB of memory to hold it (${reason}); close other tabs, or load a smaller extract or the same data as Parquet`);
  }
  let at = 0;
  while (at < size) {
    const piece = new Uint8Array(await blob.slice(at, Math.min(size, at + pieceBytes)).arrayBuffer());
    if (piece.length === 0) break;
    bytes.set(piece.subarray(0, size - at), at);
    at += piece.length;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}
