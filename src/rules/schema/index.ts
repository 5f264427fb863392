/**
 * The Panorama document schemas (envelope 2021-01-01), one function per kind of document.
 *
 * The schemas are data (`*.schema.json` beside this file), written from the official 2021-01-01
 * schemas and compiled with Ajv at build time (projenrc/compile-schemas.ts) into plain functions:
 * nothing here compiles a schema at run time, and ajv is not needed to run it. The construct (at
 * synth), the handler (bucket sources) and the emulator (import jobs) all check with these.
 *
 * Each function returns every broken rule as a ValidationProblem whose field is `<source> <path>`,
 * e.g. `…/package.json nodePackage.assets[0].implementations[0].type`; an empty list means the
 * document conforms. This module must not import aws-cdk-lib: it is bundled into the handler.
 */
import { described, fieldIn, ValidationProblem } from '../validation';
import { checkJsonText } from './json-text';
import { SchemaError, schemaProblems } from './messages';
import type * as CompiledValidators from './validators.generated';

export { ENVELOPE_VERSION, fieldPath } from './messages';
export { MAX_NESTING } from './json-text';

/** A Panorama JSON document is a few kilobytes; anything past this is not one. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

type CompiledValidator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let loaded: typeof CompiledValidators | undefined;

/**
 * The compiled validators (about 100 KB minified), loaded the first time a document is checked.
 * The handler bundles keep them in a file of their own beside index.js (`validators.generated.js`,
 * see the bundle task in .projenrc.ts): only a bucket source's Create or Update reads a document,
 * so no other event loads them, and the bundle every cold start loads stays small.
 */
function compiled(): typeof CompiledValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./validators.generated') as typeof CompiledValidators;
  return loaded;
}

/** Loads the compiled validators now rather than at the first check (a long-running service's start-up). */
export function loadValidators(): void {
  compiled();
}

function conformance(validator: CompiledValidator | undefined, document: unknown, source: string): ValidationProblem[] {
  if (validator === undefined) throw new Error(`No compiled validator for ${source} here: src/handler/document-validators.ts lists those the handler bundles carry`);
  if (validator(document)) return [];
  return schemaProblems(validator.errors ?? [], document, source);
}

/**
 * The official schemas leave a document's one root property optional, so `{}` conforms; but it then
 * describes nothing, and panorama-cli reads that property unconditionally.
 */
function rootProblems(document: unknown, root: string, source: string): ValidationProblem[] {
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document);
  if (isObject && (document as Record<string, unknown>)[root] !== undefined) return [];
  return [new ValidationProblem(fieldIn(source, root), described('missing'), `must be given: the document is {"${root}": {…}}`)];
}

/** A node package manifest (`package.json`, `{"nodePackage": …}`). */
export function checkNodePackageDocument(document: unknown, source: string): ValidationProblem[] {
  return [...rootProblems(document, 'nodePackage', source), ...conformance(compiled().validateNodePackage as CompiledValidator | undefined, document, source)];
}

/** An asset descriptor (the file a `descriptorUri` names: `{"mlModelDescriptor": …}` or `{"runtimeDescriptor": …}`). */
export function checkAssetDescriptorDocument(document: unknown, source: string): ValidationProblem[] {
  return conformance(compiled().validateAssetDescriptor as CompiledValidator | undefined, document, source);
}

/** An application manifest (`graph.json`, `{"nodeGraph": …}`): the schema only, not how nodes, packages and edges refer to each other. */
export function checkNodeGraphDocument(document: unknown, source: string): ValidationProblem[] {
  return [...rootProblems(document, 'nodeGraph', source), ...conformance(compiled().validateNodeGraph as CompiledValidator | undefined, document, source)];
}

/** Application manifest overrides (`override.json`, `{"nodeGraphOverrides": …}`). */
export function checkNodeGraphOverridesDocument(document: unknown, source: string): ValidationProblem[] {
  return [...rootProblems(document, 'nodeGraphOverrides', source), ...conformance(compiled().validateNodeGraphOverrides as CompiledValidator | undefined, document, source)];
}

/** A JSON document read from bytes: the parsed document, or the problem that kept it from being read. */
export interface JsonReading {
  readonly document?: unknown;
  readonly problems: ValidationProblem[];
}

/**
 * Parses a document's bytes, refusing what cannot be one: more than `MAX_DOCUMENT_BYTES`, not UTF-8
 * (a BOM, UTF-16), nested too deep, a number no float holds, or not JSON (json-text.ts).
 * @param what what the document is, for the message ("a node package manifest")
 */
export function parseJsonDocument(bytes: Uint8Array, source: string, what: string): JsonReading {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    return { problems: [new ValidationProblem(source, described(`${bytes.byteLength} bytes`), `must be at most ${MAX_DOCUMENT_BYTES} bytes: ${what} is a small JSON document`)] };
  }
  const checked = checkJsonText(bytes, source);
  if (checked.text === undefined) return { problems: checked.problems };
  try {
    return { document: JSON.parse(checked.text), problems: [] };
  } catch (e) {
    return { problems: [new ValidationProblem(source, described('its content'), `must be valid JSON: ${what} is a JSON document (${(e as Error).message})`)] };
  }
}
