/**
 * Whole-file writes that a crash can never leave half done: the bytes go to a temporary file
 * beside the target, are flushed to disk, and then replace the target in one rename.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Replaces `file` with `content` atomically (readers see the old or the new file, never a mix). */
export function writeFileAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const descriptor = fs.openSync(temporary, 'w');
  try {
    fs.writeFileSync(descriptor, content);
    // Flushed before the rename, so a power cut cannot leave the new name on empty blocks.
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
