/**
 * Schema errors in the project's words: each becomes a ValidationProblem that names the file, the
 * field as a path (`nodePackage.assets[0].implementations[0].type`), the bad value and the rule.
 * Ajv's own English is never shown: the generated validators are compiled without it.
 */
import { described, fieldIn, ValidationProblem } from '../validation';

/** What a compiled validator reports (Ajv's ErrorObject, compiled with `verbose`). */
export interface SchemaError {
  readonly keyword: string;
  /** JSON pointer to the value, e.g. `/nodePackage/assets/0/type`. */
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly params: Record<string, any>;
  readonly schema?: unknown;
  readonly parentSchema?: Record<string, any>;
  readonly data?: unknown;
}

/** The envelope version every Panorama document of this schema carries. */
export const ENVELOPE_VERSION = '2021-01-01';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `path` and then `key`: `.key` for an identifier, `["a key"]` for anything else. */
function join(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** A JSON pointer as a path a reader knows: `nodePackage.assets[0].type`. Arrays are told by the document. */
export function fieldPath(pointer: string, document: unknown): string {
  if (pointer === '') return '';
  let path = '';
  let value: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = Array.isArray(value) ? `${path}[${key}]` : join(path, key);
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function list(values: unknown): string {
  return (Array.isArray(values) ? values : []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function length(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

/** The anyOf of `required`s that says "at least one of these": the names, else undefined. */
function alternativesRequired(schema: unknown): string[] | undefined {
  if (!Array.isArray(schema)) return undefined;
  const names = schema.map((s) => (Array.isArray(s?.required) && s.required.length === 1 && Object.keys(s).length === 1 ? s.required[0] : undefined));
  return names.every((n) => typeof n === 'string') ? names : undefined;
}

/** One schema error as a problem, or undefined for the errors that only wrap others. */
function problemOf(error: SchemaError, document: unknown, source: string): ValidationProblem | undefined {
  const at = fieldPath(error.instancePath, document);
  const field = (path: string) => fieldIn(source, path);
  const p = error.params;
  switch (error.keyword) {
    case 'if':
      // "must match the branch": the branch's own errors say what is wrong.
      return undefined;
    case 'required':
      return new ValidationProblem(field(join(at, p.missingProperty)), described('missing'), 'must be given: the schema requires it');
    case 'dependencies':
      return new ValidationProblem(field(join(at, p.missingProperty)), described('missing'), `must be given when ${join(at, p.property)} is`);
    case 'additionalProperties': {
      const allowed = Object.keys(error.parentSchema?.properties ?? {});
      return new ValidationProblem(field(join(at, p.additionalProperty)), p.additionalProperty,
        `is not a property the ${ENVELOPE_VERSION} schema allows here (allowed: ${allowed.join(', ')})`);
    }
    case 'type':
      return new ValidationProblem(field(at), error.data, `must be ${TYPE_WORDS[p.type] ?? p.type}`);
    case 'enum':
      return new ValidationProblem(field(at), error.data, p.allowedValues?.length === 1
        ? `must be ${JSON.stringify(p.allowedValues[0])}`
        : `must be one of ${list(p.allowedValues)}`);
    case 'const':
      return new ValidationProblem(field(at), error.data, `must be ${JSON.stringify(p.allowedValue)}`);
    case 'pattern':
      return new ValidationProblem(field(at), error.data, `must match ${p.pattern}`);
    case 'minLength':
      return new ValidationProblem(field(at), error.data, p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long (it has ${length(error.data)})`);
    case 'maxLength':
      return new ValidationProblem(field(at), error.data, `must be at most ${p.limit} characters long (it has ${length(error.data)})`);
    case 'minItems':
      return new ValidationProblem(field(at), error.data, `must hold at least ${plural(p.limit, 'item')}`);
    case 'maxItems':
      return new ValidationProblem(field(at), described(plural(Array.isArray(error.data) ? error.data.length : 0, 'item')), `must hold at most ${plural(p.limit, 'item')}`);
    case 'minimum':
      return new ValidationProblem(field(at), error.data, `must be at least ${p.limit}`);
    case 'maximum':
      return new ValidationProblem(field(at), error.data, `must be at most ${p.limit}`);
    case 'anyOf': {
      const names = alternativesRequired(error.schema);
      return new ValidationProblem(field(at), error.data, names
        ? `must give at least one of ${names.join(', ')}`
        : 'must match one of the shapes the schema allows here');
    }
    default:
      return new ValidationProblem(field(at), error.data, `must satisfy the schema's "${error.keyword}" rule (${JSON.stringify(p)})`);
  }
}

/**
 * Every schema error of a document as a problem, in document order, without repeats. The errors
 * that an `anyOf` collects from its alternatives are folded into the anyOf's own one.
 */
export function schemaProblems(errors: readonly SchemaError[], document: unknown, source: string): ValidationProblem[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const insideAnyOf = (e: SchemaError) => anyOfs.some((a) => a !== e && a.instancePath === e.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`));
  const seen = new Set<string>();
  const problems: ValidationProblem[] = [];
  for (const error of errors) {
    if (insideAnyOf(error)) continue;
    const problem = problemOf(error, document, source);
    if (!problem) continue;
    const key = problem.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
