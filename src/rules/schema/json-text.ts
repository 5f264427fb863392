/**
 * The text of a JSON document, checked before it is parsed: UTF-8 without a byte order mark (a BOM
 * or UTF-16 is named as such), nested at most `MAX_NESTING` levels (deeper documents would overflow
 * the stack of every recursive reader after JSON.parse: the schema checks, messages, serializers),
 * and every number within what a 64-bit float holds (`1e400` would silently become Infinity, shown
 * as null). Each problem names the field by its path and shows the value as the file writes it.
 *
 * Pure: no file system and no aws-cdk-lib (bundled into the handler and used by the emulator).
 */
import { described, fieldIn, ValidationProblem } from '../validation';

/** Far deeper than any Panorama document (the schemas nest a handful of levels). */
export const MAX_NESTING = 64;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Level {
  readonly kind: 'object' | 'array';
  key?: string;
  index: number;
  expectKey: boolean;
}

function pathOf(stack: readonly Level[]): string {
  let path = '';
  for (const level of stack) {
    if (level.kind === 'array') path += `[${level.index}]`;
    else if (level.key !== undefined) path += IDENTIFIER.test(level.key) ? (path === '' ? level.key : `.${level.key}`) : `[${JSON.stringify(level.key)}]`;
  }
  return path;
}

/** The text's problems of encoding: a BOM, UTF-16, or bytes that are not UTF-8. */
function encodingProblem(bytes: Uint8Array, source: string): ValidationProblem | undefined {
  const rule = 'must be UTF-8 text without a byte order mark, as JSON files are (save it as "UTF-8", not "UTF-8 with BOM" or "UTF-16")';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new ValidationProblem(source, described('UTF-8 with a byte order mark (BOM)'), rule);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return new ValidationProblem(source, described('UTF-16 text (it starts with a UTF-16 byte order mark)'), rule);
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) return new ValidationProblem(source, described('UTF-16 text (it holds zero bytes)'), rule);
  return undefined;
}

/** Decodes UTF-8, or returns the problem naming where it is not. */
function decode(bytes: Uint8Array, source: string): string | ValidationProblem {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new ValidationProblem(source, described('bytes that are not UTF-8'), 'must be UTF-8 text, as JSON files are');
  }
}

/**
 * Walks the text once, outside strings, for nesting and numbers. Stops at the first level too deep;
 * leaves syntax to JSON.parse.
 */
function structureProblems(text: string, source: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const stack: Level[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        try {
          top.key = JSON.parse(text.slice(i, j + 1));
        } catch {
          top.key = text.slice(i + 1, j);
        }
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_NESTING) {
        problems.push(new ValidationProblem(fieldIn(source, pathOf(stack)), described(`nested more than ${MAX_NESTING} levels deep`),
          `must be nested at most ${MAX_NESTING} levels deep: no Panorama document comes near it`));
        return problems;
      }
      stack.push({ kind: c === '{' ? 'object' : 'array', index: 0, expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      if (top?.kind === 'array') top.index++;
      else if (top) top.expectKey = true;
    } else if (c === ':') {
      if (top) top.expectKey = false;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9eE.+-]/.test(text[j])) j++;
      const written = text.slice(i, j);
      if (Math.abs(Number(written)) === Infinity) {
        problems.push(new ValidationProblem(fieldIn(source, pathOf(stack)), described(written),
          'must be a number a 64-bit float can hold (at most about 1.8e308 in size): JSON readers take it as Infinity'));
      }
      i = j;
      continue;
    }
    i++;
  }
  return problems;
}

/** A document's text, or every reason it cannot be read as a JSON document. */
export function checkJsonText(bytes: Uint8Array, source: string): { text?: string; problems: ValidationProblem[] } {
  const encoding = encodingProblem(bytes, source);
  if (encoding) return { problems: [encoding] };
  const text = decode(bytes, source);
  if (text instanceof ValidationProblem) return { problems: [text] };
  const problems = structureProblems(text, source);
  return problems.length > 0 ? { problems } : { text, problems };
}
