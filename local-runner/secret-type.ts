/**
 * `AWS::SecretsManager::Secret` under the runner: the secret's value (its `SecretString`, or one made
 * as `GenerateSecretString` says, as Secrets Manager makes it) goes to the encrypted secret store,
 * never to the state file, a progress line or an error. Its Ref and `Id` are the secret's ARN.
 * A new `Name` replaces the secret; a new `SecretString` or `GenerateSecretString` gives it a new value.
 */
import { randomBytes, randomInt } from 'crypto';
import type { ResourceType, TypeContext } from './resource-type';

export const SECRET_TYPE = 'AWS::SecretsManager::Secret';

/** Secrets Manager's punctuation for generated passwords. */
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
/** GetRandomPassword's default length. */
const DEFAULT_LENGTH = 32;

/** The `GenerateSecretString` property, as CloudFormation documents it. */
export interface GenerateSecretString {
  readonly ExcludeCharacters?: string;
  readonly ExcludeLowercase?: boolean | string;
  readonly ExcludeNumbers?: boolean | string;
  readonly ExcludePunctuation?: boolean | string;
  readonly ExcludeUppercase?: boolean | string;
  readonly GenerateStringKey?: string;
  readonly IncludeSpace?: boolean | string;
  readonly PasswordLength?: number | string;
  readonly RequireEachIncludedType?: boolean | string;
  readonly SecretStringTemplate?: string;
}

export const secretType: ResourceType = {
  emulated: true,
  reported: true,
  async create(context, logicalId, _type, properties) {
    const name = typeof properties.Name === 'string' ? properties.Name : `${logicalId}-${randomBytes(6).toString('hex')}`;
    const arn = `arn:${context.partition}:secretsmanager:${context.region}:${context.account}:secret:${name}-${randomSuffix()}`;
    store(context).put(arn, name, secretValue(properties));
    context.operation.step('secret stored (its value encrypted in the state folder\'s secret store)');
    return { physicalId: arn, attributes: { Id: arn } };
  },
  async update(context, logicalId, type, properties, current) {
    if (properties.Name !== current.properties.Name) return this.create(context, logicalId, type, properties);
    const valueChanged = JSON.stringify([properties.SecretString, properties.GenerateSecretString])
      !== JSON.stringify([current.properties.SecretString, current.properties.GenerateSecretString]);
    const existing = store(context).get(current.physicalId);
    if (valueChanged || !existing) {
      store(context).put(current.physicalId, existing?.name ?? nameOf(current.physicalId), secretValue(properties));
      context.operation.step('secret given a new value');
    }
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(context, physicalId) {
    store(context).delete(physicalId);
  },
};

function store(context: TypeContext) {
  if (!context.secrets) throw new Error(`${SECRET_TYPE} needs the runner's secret store, and this deployment has none`);
  return context.secrets;
}

/** The secret's name in its ARN (`…:secret:<name>-<6 characters>`). */
function nameOf(arn: string): string {
  return arn.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
}

function randomSuffix(): string {
  const alphabet = LOWERCASE + UPPERCASE + NUMBERS;
  return Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The value the secret starts with: its SecretString, else a generated one (with no property at all, a 32-character password). */
export function secretValue(properties: Record<string, any>): string {
  if (properties.SecretString !== undefined && properties.GenerateSecretString !== undefined) {
    throw new Error(`${SECRET_TYPE}: SecretString and GenerateSecretString cannot both be given`);
  }
  if (typeof properties.SecretString === 'string') return properties.SecretString;
  const options: GenerateSecretString = properties.GenerateSecretString ?? {};
  const password = generatePassword(options);
  if (options.SecretStringTemplate === undefined && options.GenerateStringKey === undefined) return password;
  if (options.SecretStringTemplate === undefined || options.GenerateStringKey === undefined) {
    throw new Error(`${SECRET_TYPE}: GenerateSecretString needs SecretStringTemplate and GenerateStringKey together`);
  }
  let template: unknown;
  try {
    template = JSON.parse(options.SecretStringTemplate);
  } catch {
    throw new Error(`${SECRET_TYPE}: GenerateSecretString.SecretStringTemplate must be a JSON object`);
  }
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw new Error(`${SECRET_TYPE}: GenerateSecretString.SecretStringTemplate must be a JSON object`);
  }
  return JSON.stringify({ ...template, [options.GenerateStringKey]: password });
}

/** A password as Secrets Manager's GetRandomPassword makes one. */
export function generatePassword(options: GenerateSecretString): string {
  const flag = (value: boolean | string | undefined, fallback: boolean) => (value === undefined ? fallback : value === true || value === 'true');
  const length = Number(options.PasswordLength ?? DEFAULT_LENGTH);
  if (!Number.isInteger(length) || length < 1 || length > 4096) {
    throw new Error(`${SECRET_TYPE}: GenerateSecretString.PasswordLength must be an integer from 1 to 4096, got ${JSON.stringify(options.PasswordLength)}`);
  }
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const keep = (set: string) => [...set].filter((c) => !excluded.has(c)).join('');
  const sets = [
    flag(options.ExcludeLowercase, false) ? '' : keep(LOWERCASE),
    flag(options.ExcludeUppercase, false) ? '' : keep(UPPERCASE),
    flag(options.ExcludeNumbers, false) ? '' : keep(NUMBERS),
    flag(options.ExcludePunctuation, false) ? '' : keep(PUNCTUATION),
    flag(options.IncludeSpace, false) ? keep(' ') : '',
  ].filter((set) => set.length > 0);
  const alphabet = sets.join('');
  if (alphabet.length === 0) throw new Error(`${SECRET_TYPE}: GenerateSecretString excludes every character`);
  const required = flag(options.RequireEachIncludedType, true) ? sets : [];
  if (required.length > length) throw new Error(`${SECRET_TYPE}: GenerateSecretString.PasswordLength ${length} is too short for one character of each included type`);
  const characters = [
    ...required.map((set) => set[randomInt(set.length)]),
    ...Array.from({ length: length - required.length }, () => alphabet[randomInt(alphabet.length)]),
  ];
  // Shuffled, so the required characters are not always first.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j], characters[i]];
  }
  return characters.join('');
}
