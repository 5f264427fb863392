import { Harness } from './harness';
import { PanoramaEmulator } from '../../emulator';

/** These read the raw HTTP answers, which the SDK would otherwise hide or normalise. */
let harness: Harness;

beforeAll(async () => {
  harness = await Harness.start();
});
afterAll(() => harness.stop());
beforeEach(() => harness.emulator.reset());

async function call(method: string, path: string, body?: string) {
  const response = await fetch(harness.emulator.endpoint + path, { method, body, headers: { 'content-type': 'application/json' } });
  return { status: response.status, headers: response.headers, json: await response.json() as any };
}

test('error bodies carry PascalCase and camelCase keys and X-Amzn-ErrorType', async () => {
  // GIVEN no package / WHEN one is described
  const { status, headers, json } = await call('GET', '/packages/metadata/package-missing');
  // THEN the 404 names its type in the header and its members in both casings
  expect(status).toBe(404);
  expect(headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  expect(json).toEqual({
    Message: 'Package package-missing not found.',
    ResourceId: 'package-missing',
    ResourceType: 'Package',
    message: 'Package package-missing not found.',
    resourceId: 'package-missing',
    resourceType: 'Package',
  });
});

test('a ValidationException body carries reason and fields in both casings', async () => {
  // GIVEN / WHEN a bad package name
  const { json } = await call('POST', '/packages', JSON.stringify({ PackageName: 'bad name' }));
  // THEN reason and fields appear in both casings
  expect(json.Reason).toBe('FIELD_VALIDATION_FAILED');
  expect(json.reason).toBe('FIELD_VALIDATION_FAILED');
  expect(json.Fields[0].Name).toBe('PackageName');
  expect(json.fields[0].name).toBe('PackageName');
});

test('an unknown route is a ValidationException UNKNOWN_OPERATION', async () => {
  // GIVEN / WHEN a path no operation serves
  const { status, json } = await call('GET', '/jobs');
  // THEN 400 with the reason
  expect(status).toBe(400);
  expect(json.Reason).toBe('UNKNOWN_OPERATION');
  expect(harness.emulator.requests[0].operation).toBe('UnknownOperation');
});

test('an unparsable body is a ValidationException CANNOT_PARSE', async () => {
  // GIVEN / WHEN broken JSON
  const { status, json } = await call('POST', '/packages', '{"PackageName":');
  // THEN 400 with the reason, and the raw text is recorded
  expect(status).toBe(400);
  expect(json.Reason).toBe('CANNOT_PARSE');
  expect(harness.emulator.requests[0].body).toBe('{"PackageName":');
});

test('an unexpected internal error is a 500 with Retry-After', async () => {
  // GIVEN an S3 that has gone away, so DeletePackage cannot list the storage
  const broken = await PanoramaEmulator.start({ s3Endpoint: 'http://127.0.0.1:9' });
  try {
    const created = await fetch(`${broken.endpoint}/packages`, { method: 'POST', body: JSON.stringify({ PackageName: 'p' }) }).then((r) => r.json() as any);
    // WHEN the package is deleted
    const response = await fetch(`${broken.endpoint}/packages/${created.PackageId}`, { method: 'DELETE' });
    // THEN the service answers 500 with a Retry-After header
    expect(response.status).toBe(500);
    expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerException');
    expect(response.headers.get('retry-after')).toBe('1');
  } finally {
    await broken.stop();
  }
});

test('empty responses are 200 with {}', async () => {
  // GIVEN a package
  const created = await call('POST', '/packages', JSON.stringify({ PackageName: 'emptybody' }));
  // WHEN it is tagged
  const tagged = await call('POST', `/tags/${encodeURIComponent(created.json.Arn)}`, JSON.stringify({ Tags: { a: 'b' } }));
  // THEN the answer is exactly {}
  expect(tagged).toMatchObject({ status: 200, json: {} });
});

test('timestamps are epoch-second numbers', async () => {
  // GIVEN a package
  const before = Date.now() / 1000;
  await call('POST', '/packages', JSON.stringify({ PackageName: 'timed' }));
  // WHEN described by its alias
  const { json } = await call('GET', '/packages/metadata/packageName%2Ftimed');
  // THEN CreatedTime is a number of seconds, not a string
  expect(typeof json.CreatedTime).toBe('number');
  expect(json.CreatedTime).toBeGreaterThanOrEqual(Math.floor(before));
  expect(json.CreatedTime).toBeLessThan(before + 60);
});
