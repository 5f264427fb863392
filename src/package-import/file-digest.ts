/**
 * The sha256 of a file's bytes, read in chunks: a model of several GiB is never held in memory.
 * Synchronous, because constructs are built synchronously at synth.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';

/** Bytes read per call: large enough that a GiB takes a thousand reads, small enough to stay cheap. */
const CHUNK_BYTES = 1024 * 1024;

/** The lowercase hex sha256 of the file's bytes (as panorama-cli names assets). */
export function fileDigest(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The lowercase hex sha256 of a text's UTF-8 bytes. */
export function textDigest(text: string): string {
  return createHash('sha256').update(text, 'utf-8').digest('hex');
}
