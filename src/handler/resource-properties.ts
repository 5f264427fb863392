/**
 * The custom resource's properties, as the construct writes them (rules/contract.ts), read back
 * into a typed spec.
 * Values that were tokens at synth are checked here with the construct's own rules and messages.
 */
import {
  BucketSourceProperty, FilesSourceProperty, PACKAGE_IMPORT_JOB_TYPES, PackageImportJobTypeName, PackageImportProperties, RemovalPolicyProperty,
  SourceProperty, StagedFileProperty, StagingProperty,
} from '../rules/contract';
import { checkPackageName, checkPackageVersion, checkS3LocationPart, checkTags, PanoramaValidationError, ValidationProblem } from '../rules/validation';

/** A staged file: where its asset lies, and the name the manifest knows it by. */
export interface SourceFile {
  readonly name: string;
  readonly bucket: string;
  readonly key: string;
}

/** Files staged by the construct as assets; the handler copies them under one prefix. */
export interface FilesSource {
  readonly type: 'Files';
  readonly contentHash: string;
  readonly manifestName: string;
  readonly files: SourceFile[];
}

/** A manifest already in S3 with its files beside it. */
export interface BucketSource {
  readonly type: 'Bucket';
  readonly bucket: string;
  readonly manifestKey: string;
}

/** Everything one import needs. */
export interface ImportSpec {
  readonly packageName?: string;
  readonly packageVersion?: string;
  readonly markLatest: boolean;
  readonly jobType: PackageImportJobTypeName;
  readonly tags: Record<string, string>;
  readonly removalPolicy: RemovalPolicyProperty;
  readonly source: FilesSource | BucketSource;
  readonly staging?: { readonly bucket: string; readonly prefix: string };
}

/** The construct's properties as CloudFormation delivers them: any key may be missing, any value anything. */
export type Delivered<T> = { readonly [K in keyof T]?: unknown };

/** What the construct writes by default, for properties written without it. */
const DEFAULT_JOB_TYPE: PackageImportJobTypeName = 'NODE_PACKAGE_VERSION';

function isJobType(value: string): value is PackageImportJobTypeName {
  return (PACKAGE_IMPORT_JOB_TYPES as readonly string[]).includes(value);
}

function asObject<T>(value: unknown): Delivered<T> {
  return (typeof value === 'object' && value !== null ? value : {}) as Delivered<T>;
}

function text<T>(props: Delivered<T>, key: keyof T & string, problems: ValidationProblem[], field: string = key): string {
  const value = props[key];
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(new ValidationProblem(field, value, 'is required and must be a string'));
    return '';
  }
  return value;
}

function optionalText<T>(props: Delivered<T>, key: keyof T & string, problems: ValidationProblem[]): string | undefined {
  const value = props[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(new ValidationProblem(key, value, 'must be a string'));
    return undefined;
  }
  return value;
}

/** CloudFormation hands booleans to custom resources as the strings "true" and "false". */
function bool<T>(props: Delivered<T>, key: keyof T & string, fallback: boolean, problems: ValidationProblem[]): boolean {
  const value = props[key];
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  problems.push(new ValidationProblem(key, value, 'must be true or false'));
  return fallback;
}

function readSource(value: unknown, problems: ValidationProblem[]): FilesSource | BucketSource {
  if (asObject<SourceProperty>(value).Type === 'Bucket') {
    const source = asObject<BucketSourceProperty>(value);
    const bucket = text(source, 'Bucket', problems, 'source bucket');
    const manifestKey = text(source, 'ManifestKey', problems, 'PackageSource.fromBucket manifestKey');
    problems.push(...checkS3LocationPart(bucket, 'source bucket'), ...checkS3LocationPart(manifestKey, 'PackageSource.fromBucket manifestKey'));
    return { type: 'Bucket', bucket, manifestKey };
  }
  const source = asObject<FilesSourceProperty>(value);
  if (source.Type !== 'Files') {
    problems.push(new ValidationProblem('Source.Type', source.Type, 'must be "Files" or "Bucket"'));
  }
  const files = Array.isArray(source.Files) ? source.Files.map((f) => asObject<StagedFileProperty>(f)) : [];
  if (files.length === 0) {
    problems.push(new ValidationProblem('Source.Files', source.Files, 'must list the manifest and its files'));
  }
  return {
    type: 'Files',
    contentHash: text(source, 'ContentHash', problems, 'Source.ContentHash'),
    manifestName: text(source, 'ManifestName', problems, 'Source.ManifestName'),
    files: files.map((f, i) => ({
      name: text(f, 'Name', problems, `Source.Files[${i}].Name`),
      bucket: text(f, 'Bucket', problems, `Source.Files[${i}].Bucket`),
      key: text(f, 'Key', problems, `Source.Files[${i}].Key`),
    })),
  };
}

/** Reads and checks the properties; throws one error that lists every broken rule. */
export function readImportSpec(props: Delivered<PackageImportProperties>): ImportSpec {
  const problems: ValidationProblem[] = [];
  const packageName = optionalText(props, 'PackageName', problems);
  const packageVersion = optionalText(props, 'PackageVersion', problems);
  if (packageName !== undefined) problems.push(...checkPackageName(packageName));
  if (packageVersion !== undefined) problems.push(...checkPackageVersion(packageVersion));

  const jobType = optionalText(props, 'JobType', problems) ?? DEFAULT_JOB_TYPE;
  if (!isJobType(jobType)) {
    problems.push(new ValidationProblem('jobType', jobType, `must be one of ${PACKAGE_IMPORT_JOB_TYPES.join(', ')}`));
  }
  const tags = (props.Tags ?? {}) as Record<string, string>;
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    problems.push(new ValidationProblem('tags', tags, 'must be a map of strings'));
  } else {
    problems.push(...checkTags(tags));
  }
  const removalPolicy = props.RemovalPolicy ?? 'retain';
  if (removalPolicy !== 'retain' && removalPolicy !== 'destroy') {
    problems.push(new ValidationProblem('removalPolicy', removalPolicy, 'must be "retain" or "destroy"'));
  }
  const source = readSource(props.Source, problems);
  let staging: ImportSpec['staging'];
  if (source.type === 'Files') {
    const s = asObject<StagingProperty>(props.Staging);
    staging = { bucket: text(s, 'Bucket', problems, 'Staging.Bucket'), prefix: typeof s.Prefix === 'string' ? s.Prefix : '' };
  }
  const markLatest = bool(props, 'MarkLatest', true, problems);
  if (problems.length > 0) throw new PanoramaValidationError(problems);

  return {
    packageName,
    packageVersion,
    markLatest,
    jobType: jobType as PackageImportJobTypeName,
    tags,
    removalPolicy: removalPolicy as RemovalPolicyProperty,
    source,
    staging,
  };
}

/**
 * What decides whether an Update needs a new import: the content and where it goes.
 * Tags and MarkLatest are not part of it; a change to them alone starts no job.
 */
export function importIdentity(spec: ImportSpec): string {
  const content = spec.source.type === 'Files'
    ? { files: spec.source.contentHash }
    : { bucket: spec.source.bucket, key: spec.source.manifestKey };
  return JSON.stringify([content, spec.packageName ?? null, spec.packageVersion ?? null, spec.jobType]);
}
