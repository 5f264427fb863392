/**
 * Reads a project's JSON document (a manifest, a descriptor, graph.json, override.json) from disk
 * without ever hanging or reading more than a document can be: only a regular file is read (a FIFO,
 * socket or device is refused before it is opened for reading, so nothing waits on a writer), and
 * its size is checked before a byte is read. A symlink is followed.
 */
import * as fs from 'fs';
import { MAX_DOCUMENT_BYTES } from '../rules/schema';
import { described, PanoramaValidationError, ValidationProblem } from '../rules/validation';

/** What a file that is not a regular file is, in words. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}

function fail(file: string, value: unknown, rule: string): never {
  throw new PanoramaValidationError([new ValidationProblem(file, value, rule)]);
}

/**
 * The bytes of a document file; throws a PanoramaValidationError naming the file, what it is and the
 * rule when it is missing, not a regular file, larger than `MAX_DOCUMENT_BYTES`, or unreadable.
 * @param what what the document is, for messages ("an application manifest (graph.json)")
 */
export function readDocumentFile(file: string, what: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(file, described('missing'), `must exist: it is ${what}`);
    if (code === 'ELOOP') fail(file, described('a symbolic link loop'), `must lead to a regular file: it is ${what}`);
    return fail(file, described(`unreadable (${code})`), `must be a readable regular file: it is ${what}`);
  }
  if (!stat.isFile()) fail(file, described(kindOf(stat)), `must be a regular file: it is ${what}`);
  if (stat.size > MAX_DOCUMENT_BYTES) {
    fail(file, described(`${stat.size} bytes`), `must be at most ${MAX_DOCUMENT_BYTES} bytes: ${what} is a small JSON document`);
  }
  let fd: number;
  try {
    // Non-blocking, so a file swapped for a FIFO after the stat cannot block the open either.
    // eslint-disable-next-line no-bitwise
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return fail(file, described(`unreadable (${(e as NodeJS.ErrnoException).code})`), `must be readable: it is ${what}`);
  }
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) fail(file, described(kindOf(opened)), `must be a regular file: it is ${what}`);
    // One byte more than the limit: a file that grew since the stat is still caught, never read whole.
    const buffer = Buffer.allocUnsafe(MAX_DOCUMENT_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) break;
    }
    if (length > MAX_DOCUMENT_BYTES) {
      fail(file, described(`more than ${MAX_DOCUMENT_BYTES} bytes`), `must be at most ${MAX_DOCUMENT_BYTES} bytes: ${what} is a small JSON document`);
    }
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
