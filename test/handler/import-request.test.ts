/** The import request, its ClientToken and what makes an Update start a job. */
import { clientToken, importRequest } from '../../src/handler/import-job';
import { logStep } from '../../src/handler/log';
import { importIdentity, ImportSpec, readImportSpec } from '../../src/handler/resource-properties';
import { LIMITS } from '../../src/rules/validation';

const PROPERTIES = {
  PackageName: 'SQUEEZENET_PYTORCH',
  PackageVersion: '1.0',
  MarkLatest: 'true',
  JobType: 'NODE_PACKAGE_VERSION',
  RemovalPolicy: 'destroy',
  Tags: { team: 'vision' },
  Source: { Type: 'Files', ContentHash: 'a'.repeat(64), ManifestName: 'package.json', Files: [{ Name: 'package.json', Bucket: 'assets', Key: 'k.json' }] },
  Staging: { Bucket: 'staging', Prefix: 'imports/' },
};

const spec = (overrides: Record<string, unknown> = {}): ImportSpec => readImportSpec({ ...PROPERTIES, ...overrides });
const request = (s: ImportSpec) => importRequest(s, { bucket: 'staging', key: 'imports/x/package.json' }, { packageName: s.packageName!, packageVersion: s.packageVersion! }, 'us-east-1');

test('CloudFormation\'s string booleans are read as booleans', () => {
  expect(spec({ MarkLatest: 'false' }).markLatest).toBe(false);
  expect(spec({ MarkLatest: 'true' }).markLatest).toBe(true);
  expect(spec({ MarkLatest: undefined }).markLatest).toBe(true);
});

test('the request carries the S3 location, the output and the package tags', () => {
  expect(request(spec())).toEqual({
    JobType: 'NODE_PACKAGE_VERSION',
    InputConfig: { PackageVersionInputConfig: { S3Location: { BucketName: 'staging', ObjectKey: 'imports/x/package.json', Region: 'us-east-1' } } },
    OutputConfig: { PackageVersionOutputConfig: { PackageName: 'SQUEEZENET_PYTORCH', PackageVersion: '1.0', MarkLatest: true } },
    JobTags: [{ ResourceType: 'PACKAGE', Tags: { team: 'vision' } }],
  });
  expect(request(spec({ Tags: undefined })).JobTags).toBeUndefined();
});

describe('the ClientToken', () => {
  const token = (stack: string, resource: string, s: ImportSpec, etag?: string) => clientToken(stack, resource, request(s), etag);

  test('fits the API: 64 characters of [a-zA-Z0-9-_]', () => {
    const t = token('stack', 'Model', spec());
    expect(t).toHaveLength(LIMITS.clientToken.max);
    expect(t).toMatch(LIMITS.clientToken.pattern);
  });

  test('is the same for the same stack, resource and request (a redelivered event)', () => {
    expect(token('stack', 'Model', spec())).toBe(token('stack', 'Model', spec()));
  });

  test('differs when the stack, the resource, the request or a bucket manifest\'s ETag differs', () => {
    const base = token('stack', 'Model', spec());
    expect(token('other-stack', 'Model', spec())).not.toBe(base);
    expect(token('stack', 'Other', spec())).not.toBe(base);
    expect(token('stack', 'Model', spec({ PackageVersion: '1.1' }))).not.toBe(base);
    expect(token('stack', 'Model', spec(), '"etag"')).not.toBe(base);
  });
});

describe('what starts a new import on Update', () => {
  test('content, name, version or job type', () => {
    const base = importIdentity(spec());
    expect(importIdentity(spec({ Source: { ...PROPERTIES.Source, ContentHash: 'b'.repeat(64) } }))).not.toBe(base);
    expect(importIdentity(spec({ PackageName: 'OTHER' }))).not.toBe(base);
    expect(importIdentity(spec({ PackageVersion: '2.0' }))).not.toBe(base);
    expect(importIdentity(spec({ JobType: 'MARKETPLACE_NODE_PACKAGE_VERSION' }))).not.toBe(base);
  });

  test('not tags, markLatest or the removal policy', () => {
    const base = importIdentity(spec());
    expect(importIdentity(spec({ Tags: { team: 'other' }, MarkLatest: 'false', RemovalPolicy: 'retain' }))).toBe(base);
  });
});

test('a log line is one JSON object and drops fields that smell of secrets', () => {
  // GIVEN a step logged with a harmless and two dangerous fields
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  logStep('import job started', { jobId: 'job-1', responseURL: 'https://x?X-Amz-Signature=abc', secretAccessKey: 'shh' });
  spy.mockRestore();
  // THEN only the harmless one is written
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toEqual({ step: 'import job started', jobId: 'job-1' });
});
