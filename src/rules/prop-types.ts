/**
 * The types of props, checked before anything uses them. TypeScript checks them at compile time,
 * but a JavaScript caller (or a jsii language passing null) reaches the construct with whatever it
 * has: a missing `projectDirectory` would otherwise fail deep inside Node.js with `The "paths[0]"
 * argument must be of type string. Received undefined`, which names no prop.
 *
 * Pure: no file system and no aws-cdk-lib.
 */
import { described, ValidationProblem } from './validation';

/** The type a prop must have: a JavaScript `typeof`, or a map of strings (tags). */
export type PropType = 'string' | 'boolean' | 'object' | 'string map';

const WORDS: Record<PropType, string> = {
  'string': 'a string',
  'boolean': 'true or false',
  'object': 'an object',
  'string map': 'an object whose values are strings',
};

function hasType(value: unknown, type: PropType): boolean {
  if (type === 'string map') return typeof value === 'object' && value !== null && !Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null;
  return typeof value === type;
}

function shown(value: unknown): unknown {
  if (value === null || value === undefined) return described(String(value));
  if (typeof value === 'function') return described('a function');
  return value;
}

/**
 * Every prop of the wrong type: a required one missing or of another type, an optional one given
 * (not undefined) with another type. The props themselves must be an object.
 * @param what how the props are named in messages ("PanoramaApplication props")
 */
export function propTypeProblems(
  props: unknown, what: string, required: Record<string, PropType>, optional: Record<string, PropType> = {},
): ValidationProblem[] {
  if (typeof props !== 'object' || props === null) return [new ValidationProblem(what, shown(props), 'must be an object')];
  const record = props as Record<string, unknown>;
  const problems: ValidationProblem[] = [];
  for (const [name, type] of Object.entries(required)) {
    if (!hasType(record[name], type)) problems.push(new ValidationProblem(name, shown(record[name]), `must be ${WORDS[type]}: the prop is required`));
  }
  for (const [name, type] of Object.entries(optional)) {
    if (record[name] !== undefined && !hasType(record[name], type)) {
      problems.push(new ValidationProblem(name, shown(record[name]), `must be ${WORDS[type]}, or left out`));
    }
  }
  return problems;
}
