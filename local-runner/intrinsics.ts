/**
 * Resolves the CloudFormation intrinsics our construct's templates use: Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub, Fn::Select and Fn::Split. Anything else is an error that names it.
 */

/** The pseudo parameters (`AWS::…`) of one stack deployment. */
export interface PseudoParameters {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly urlSuffix: string;
}

/** What a template's names resolve to. */
export interface IntrinsicContext {
  readonly pseudo: PseudoParameters;
  /** `Ref` of a resource or parameter; throws when it is unknown. */
  ref(logicalId: string): string;
  /** `Fn::GetAtt` of a resource; throws when the resource or attribute is unknown. */
  getAtt(logicalId: string, attribute: string): string;
}

/** Marks a property that `Ref: AWS::NoValue` removed. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves every intrinsic in a value; the result is plain JSON. */
export function resolveIntrinsics(value: unknown, context: IntrinsicContext): unknown {
  const resolved = resolve(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolve(value: unknown, context: IntrinsicContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, context)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const intrinsic = entries.length === 1 && isIntrinsicName(entries[0][0]) ? entries[0] : undefined;
  if (intrinsic) return resolveIntrinsic(intrinsic[0], intrinsic[1], context);
  const result: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const r = resolve(v, context);
    if (r !== NO_VALUE) result[key] = r;
  }
  return result;
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function resolveIntrinsic(name: string, argument: unknown, context: IntrinsicContext): unknown {
  switch (name) {
    case 'Ref':
      return argument === 'AWS::NoValue' ? NO_VALUE : ref(expectString(name, argument), context);
    case 'Fn::GetAtt':
      return getAtt(argument, context);
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(name, argument, 2);
      return expectStringList(name, resolve(list, context)).join(expectString(name, delimiter));
    }
    case 'Fn::Select': {
      const [index, list] = expectArray(name, argument, 2);
      const items = resolve(list, context) as unknown[];
      const i = Number(resolve(index, context));
      if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new Error(`Fn::Select index ${JSON.stringify(index)} is out of range of ${JSON.stringify(items)}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [delimiter, text] = expectArray(name, argument, 2);
      return expectString(name, resolve(text, context)).split(expectString(name, delimiter));
    }
    case 'Fn::Sub':
      return substitute(argument, context);
    default:
      throw new Error(`Unsupported intrinsic ${name} (the local runner resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split)`);
  }
}

function ref(name: string, context: IntrinsicContext): string {
  const { pseudo } = context;
  switch (name) {
    case 'AWS::AccountId': return pseudo.accountId;
    case 'AWS::Region': return pseudo.region;
    case 'AWS::Partition': return pseudo.partition;
    case 'AWS::StackName': return pseudo.stackName;
    case 'AWS::StackId': return pseudo.stackId;
    case 'AWS::URLSuffix': return pseudo.urlSuffix;
    default:
      if (name.startsWith('AWS::')) throw new Error(`Unsupported pseudo parameter ${name}`);
      return context.ref(name);
  }
}

function getAtt(argument: unknown, context: IntrinsicContext): string {
  // Both forms: ["Resource", "Attr.Name"] and "Resource.Attr.Name".
  const parts = typeof argument === 'string'
    ? [argument.slice(0, argument.indexOf('.')), argument.slice(argument.indexOf('.') + 1)]
    : expectArray('Fn::GetAtt', argument, 2).map((p) => resolve(p, context));
  const [logicalId, attribute] = parts;
  if (typeof logicalId !== 'string' || typeof attribute !== 'string' || !logicalId || !attribute) {
    throw new Error(`Fn::GetAtt needs a resource and an attribute, got ${JSON.stringify(argument)}`);
  }
  return context.getAtt(logicalId, attribute);
}

/** `${Name}`, `${Resource.Attr}`, `${!Literal}`; variables of the two-argument form come first. */
function substitute(argument: unknown, context: IntrinsicContext): string {
  const [template, variables] = typeof argument === 'string'
    ? [argument, {}]
    : expectArray('Fn::Sub', argument, 2) as [unknown, Record<string, unknown>];
  const resolvedVariables = resolve(variables ?? {}, context) as Record<string, unknown>;
  return expectString('Fn::Sub', template).replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    const name = expression.trim();
    if (name in resolvedVariables) return String(resolvedVariables[name]);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return context.getAtt(name.slice(0, dot), name.slice(dot + 1));
    if (!name) throw new Error(`Fn::Sub has an empty variable in ${JSON.stringify(whole)}`);
    return ref(name, context);
  });
}

/** Every resource or parameter name a value refers to (for the dependency graph). */
export function referencedNames(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedNames(v, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'Ref' && typeof v === 'string') found.add(v);
      else if (key === 'Fn::GetAtt') found.add(typeof v === 'string' ? v.split('.')[0] : String((v as unknown[])[0]));
      else if (key === 'Fn::Sub') subVariables(v).forEach((n) => found.add(n));
      referencedNames(v, found);
    }
  }
  return found;
}

function subVariables(argument: unknown): string[] {
  const template = typeof argument === 'string' ? argument : Array.isArray(argument) ? argument[0] : undefined;
  const local = Array.isArray(argument) && argument[1] && typeof argument[1] === 'object' ? Object.keys(argument[1]) : [];
  if (typeof template !== 'string') return [];
  return [...template.matchAll(/\$\{([^!}][^}]*)\}/g)]
    .map((m) => m[1].trim().split('.')[0])
    .filter((n) => !n.startsWith('AWS::') && !local.includes(n));
}

function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${name} expects a string, got ${JSON.stringify(value)}`);
  return value;
}

function expectArray(name: string, value: unknown, length: number): unknown[] {
  if (!Array.isArray(value) || value.length !== length) {
    throw new Error(`${name} expects a list of ${length} elements, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectStringList(name: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new Error(`${name} expects a list, got ${JSON.stringify(value)}`);
  return value.map((v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : expectString(name, v)));
}
