/**
 * The Panorama API's input rules, as pure functions that return problems instead of throwing.
 *
 * Shared by the construct (at synth, for values that are known) and the handler (at deploy, for
 * values that were tokens at synth), so both report a broken rule with the same words.
 * This module must not import aws-cdk-lib: it is bundled into the Lambda handler.
 */

/** A description that stands in for a value too large or absent to show ("missing", "3660 seconds"). */
export class Described {
  constructor(public readonly text: string) {}
}

/** Wraps a description, so that messages show it as it is rather than as a quoted value. */
export function described(text: string): Described {
  return new Described(text);
}

/** A broken rule: the field, the offending value and the rule, in one sentence. */
export class ValidationProblem {
  constructor(
    public readonly field: string,
    public readonly value: unknown,
    public readonly rule: string,
  ) {}

  public toString(): string {
    const text = `${describeValue(this.value)} ${this.rule}`;
    return this.field === '' ? text : `${this.field}: ${text}`;
  }
}

/**
 * A field inside a document, as messages name it: `<source> <path>`, e.g. `…/package.json
 * nodePackage.name`; the source alone for the whole document, the path alone without a source.
 */
export function fieldIn(source: string, path: string): string {
  return [source, path].filter((part) => part !== '').join(' ');
}

let briefStacks = false;

/**
 * Makes refusals carry their message only, without a stack trace. The constructs call it when
 * loaded (synth); the handlers do not, so their logs keep the trace.
 */
export function useBriefRefusals(): void {
  briefStacks = true;
}

/** Whether CDK_DEBUG asks for stack traces (as aws-cdk-lib reads it: `1` or `true`). */
function debugging(): boolean {
  const value = typeof process === 'undefined' ? undefined : process.env.CDK_DEBUG;
  return value !== undefined && /^(1|true)$/i.test(value.trim());
}

/** An error that lists every broken rule found in one pass. */
export class PanoramaValidationError extends Error {
  public readonly problems!: ValidationProblem[];

  constructor(problems: ValidationProblem[]) {
    super(problems.map((p) => p.toString()).join('\n'));
    // Not enumerable: Node prints an uncaught error's enumerable properties after its message, which
    // would repeat every problem as an object dump below the lines that say it.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
    this.name = 'PanoramaValidationError';
    // Bad input, not a bug: at synth the message is the whole story. A trace into files the package
    // does not ship would bury it (synth prints the stack); CDK_DEBUG=1 brings the trace back, as in CDK.
    if (briefStacks && !debugging()) this.stack = `${this.name}: ${this.message}`;
  }
}

/** Throws when any check found a problem. */
export function throwIfProblems(problems: ValidationProblem[]): void {
  if (problems.length > 0) {
    throw new PanoramaValidationError(problems);
  }
}

/** Limits from the Smithy model of the Panorama API (see the README's "Limits"). */
export const LIMITS = {
  packageName: { min: 1, max: 128, pattern: /^[a-zA-Z0-9\-_]+$/ },
  packageVersion: { min: 1, max: 255, pattern: /^([0-9]+)\.([0-9]+)$/ },
  clientToken: { min: 1, max: 64, pattern: /^[a-zA-Z0-9\-_]+$/ },
  tags: { maxCount: 50, keyMin: 1, keyMax: 128, valueMax: 256 },
  s3Name: { min: 1, max: 255 },
  /** CreateApplicationInstance's Name, and DefaultRuntimeContextDevice (a device id). */
  applicationInstanceName: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  deviceId: { min: 1, max: 255, pattern: /^[a-zA-Z0-9\-_]+$/ },
  /** `^.*$`: one line. */
  applicationInstanceDescription: { min: 0, max: 255, pattern: /^.*$/ },
  runtimeRoleArn: { min: 1, max: 255, pattern: /^arn:[a-z0-9][-.a-z0-9]{0,62}:iam::[0-9]{12}:role\/.+$/ },
  /** CloudFormation fails a custom resource after one hour. */
  maxTotalTimeoutSeconds: 3600,
} as const;

/** A value longer than this many characters is shown by its start and its end. */
const MAX_SHOWN_VALUE = 160;

/** A string's length as the service counts it: Unicode code points (an emoji is one, not two). */
export function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function describeValue(value: unknown): string {
  if (value instanceof Described) return value.text;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  const characters = [...text];
  if (characters.length <= MAX_SHOWN_VALUE) return text;
  // Start and end, cut between code points (never inside an emoji): a path keeps its file name.
  const half = MAX_SHOWN_VALUE / 2;
  return `${characters.slice(0, half).join('')}…${characters.slice(-half).join('')} (${characters.length} characters)`;
}

function lengthProblem(field: string, value: string, min: number, max: number): ValidationProblem[] {
  const length = codePoints(value);
  if (length >= min && length <= max) return [];
  return [new ValidationProblem(field, value, `must be ${min} to ${max} characters long (it has ${length})`)];
}

function checkString(
  field: string,
  value: string,
  rule: { min: number; max: number; pattern?: RegExp },
): ValidationProblem[] {
  const length = lengthProblem(field, value, rule.min, rule.max);
  if (length.length > 0) return length;
  if (rule.pattern && !rule.pattern.test(value)) {
    return [new ValidationProblem(field, value, `must match ${rule.pattern.source}`)];
  }
  return [];
}

/** PackageName: 1..128 characters of `[a-zA-Z0-9-_]`. */
export function checkPackageName(value: string, field = 'packageName'): ValidationProblem[] {
  return checkString(field, value, LIMITS.packageName);
}

/** PackageVersion: `major.minor`, digits only, 1..255 characters. */
export function checkPackageVersion(value: string, field = 'packageVersion'): ValidationProblem[] {
  return checkString(field, value, LIMITS.packageVersion);
}

/** S3 bucket name and object key as the import job's S3Location accepts them: 1..255 characters. */
export function checkS3LocationPart(value: string, field: string): ValidationProblem[] {
  return checkString(field, value, LIMITS.s3Name);
}

/** An application instance's Name: 1..255 characters of `[a-zA-Z0-9-_]`. */
export function checkApplicationInstanceName(value: string, field = 'applicationName'): ValidationProblem[] {
  return checkString(field, value, LIMITS.applicationInstanceName);
}

/** A device id (DefaultRuntimeContextDevice): 1..255 characters of `[a-zA-Z0-9-_]`. */
export function checkDeviceId(value: string, field = 'device'): ValidationProblem[] {
  return checkString(field, value, LIMITS.deviceId);
}

/** An application instance's Description: at most 255 characters on one line. */
export function checkApplicationInstanceDescription(value: string, field = 'description'): ValidationProblem[] {
  const { max, pattern } = LIMITS.applicationInstanceDescription;
  const length = codePoints(value);
  if (length > max) return [new ValidationProblem(field, value, `must be at most ${max} characters long (it has ${length})`)];
  if (!pattern.test(value)) return [new ValidationProblem(field, value, `must be one line (it must match ${pattern.source})`)];
  return [];
}

/** An application instance's RuntimeRoleArn: an IAM role's ARN, at most 255 characters. */
export function checkRuntimeRoleArn(value: string, field = 'runtimeRole'): ValidationProblem[] {
  return checkString(field, value, LIMITS.runtimeRoleArn);
}

/** Job tags on the package: at most 50; keys 1..128 and values 0..256 characters (code points); no key starting `aws:`. */
export function checkTags(tags: Record<string, string>, field = 'tags'): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const keys = Object.keys(tags);
  if (keys.length > LIMITS.tags.maxCount) {
    problems.push(new ValidationProblem(field, described(`${keys.length} tags`), `must hold at most ${LIMITS.tags.maxCount} tags`));
  }
  for (const key of keys) {
    problems.push(...lengthProblem(`${field} key`, key, LIMITS.tags.keyMin, LIMITS.tags.keyMax));
    if (key.toLowerCase().startsWith('aws:')) {
      problems.push(new ValidationProblem(`${field} key`, key, 'must not start with "aws:": AWS reserves the prefix for its own tags'));
    }
    const value = tags[key];
    if (typeof value !== 'string') {
      problems.push(new ValidationProblem(`${field}[${JSON.stringify(key)}]`, value, 'must be a string'));
    } else if (codePoints(value) > LIMITS.tags.valueMax) {
      problems.push(new ValidationProblem(`${field}[${JSON.stringify(key)}]`, value, `must be at most ${LIMITS.tags.valueMax} characters long (it has ${codePoints(value)})`));
    }
  }
  return problems;
}

/**
 * The Provider framework's waiting rules: a whole number of polls, within CloudFormation's hour.
 */
export function checkTimeouts(totalTimeoutSeconds: number, queryIntervalSeconds: number): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!Number.isInteger(queryIntervalSeconds) || queryIntervalSeconds < 1) {
    problems.push(new ValidationProblem('queryInterval', described(`${queryIntervalSeconds} seconds`), 'must be a whole number of seconds, at least 1'));
  }
  if (totalTimeoutSeconds > LIMITS.maxTotalTimeoutSeconds) {
    problems.push(new ValidationProblem('totalTimeout', described(`${totalTimeoutSeconds} seconds`), 'must be at most 1 hour (3600 seconds): CloudFormation fails a custom resource after one hour'));
  }
  if (totalTimeoutSeconds < 1) {
    problems.push(new ValidationProblem('totalTimeout', described(`${totalTimeoutSeconds} seconds`), 'must be at least 1 second'));
  }
  if (queryIntervalSeconds >= 1 && totalTimeoutSeconds % queryIntervalSeconds !== 0) {
    problems.push(new ValidationProblem('totalTimeout', described(`${totalTimeoutSeconds} seconds`), `must be a whole multiple of queryInterval (${queryIntervalSeconds} seconds)`));
  }
  return problems;
}
