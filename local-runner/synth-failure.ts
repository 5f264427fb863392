/**
 * What a person needs from an app that failed to synthesize: the error's own message, not Node's
 * report of it. An uncaught error prints the source line it was thrown at, the message, a stack of
 * frames (in files a package user does not even have) and Node's version; the library's line
 * (file, field, value, rule) is lost in the middle. This picks the message out, so that
 * `panorama-local` prints it last, and keeps the rest for `--verbose`.
 */

/** An app's error output, taken apart. */
export interface SynthFailure {
  /** The error's message lines (`PanoramaValidationError: …`), when the output holds an uncaught error. */
  readonly message?: string[];
  /** The other lines, without the source excerpt, the stack frames and Node's version line. */
  readonly otherLines: string[];
}

/** A frame of a stack trace. */
const FRAME = /^\s+at /;
/** The first line of an error as Node prints it: `Name: message`, `Name [code]: message`, or a bare `Error`. */
const ERROR_HEADER = /^\[?(?:[A-Za-z_$][\w$.]*(?:Error|Exception|Failure)|Error)(?: \[[^\]]+\])?(?::|$)/;
/** Where Node's excerpt of the throwing source starts: `/path/file.js:12`. */
const SOURCE_LOCATION = /^\S.*:\d+$/;

/** The line Node ends an uncaught error's report with. */
const NODE_VERSION = /^Node\.js v\d/;

/**
 * Separates an uncaught error's message from the rest of the app's error output: the error ends at
 * its first stack frame, or (an error without frames: the library's refusals at synth) at Node's
 * version line.
 */
export function readSynthFailure(lines: readonly string[]): SynthFailure {
  let end = lines.findIndex((line) => FRAME.test(line));
  if (end < 0) end = lines.findIndex((line) => NODE_VERSION.test(line));
  if (end < 0) return { otherLines: [...lines] };
  while (end > 0 && lines[end - 1].trim() === '') end--;
  const firstFrame = end;
  let header = -1;
  for (let i = firstFrame - 1; i >= 0; i--) {
    if (ERROR_HEADER.test(lines[i])) {
      header = i;
      break;
    }
  }
  if (header < 0) return { otherLines: lines.filter((line) => !FRAME.test(line)) };
  const message = lines.slice(header, firstFrame);
  // An error without frames is printed as Node inspects it: `[Name: message]`.
  if (message[0].startsWith('[') && message[message.length - 1].endsWith(']')) {
    message[0] = message[0].slice(1);
    message[message.length - 1] = message[message.length - 1].slice(0, -1);
  }
  // Node's excerpt: `file:line`, the source line, the caret, a blank line, right before the message.
  let start = header;
  for (let i = header - 1; i >= Math.max(0, header - 5); i--) {
    if (SOURCE_LOCATION.test(lines[i])) {
      start = i;
      break;
    }
  }
  const before = lines.slice(0, start);
  while (before.length > 0 && before[before.length - 1].trim() === '') before.pop();
  return { message, otherLines: before };
}
