/**
 * Issue #4 item 6: what the handlers log. Through create, update, a failed import, a refused call
 * and delete, no line may hold the pre-signed ResponseURL (or any part of its query), the
 * credentials of the environment, or any other pre-signed URL; and every line is one JSON object
 * with a `step`, so logs can be queried.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { removeAssemblies } from '../e2e/support/import-app';
import { LocalCloud, startLocalCloud } from '../support/local-cloud';
import { removeFixtures } from '../support/package-fixture';
import { synthKeptImport, removeStagingBuckets } from './support/reliability-app';

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ jobDelayMs: 50 });
});
afterAll(async () => {
  // The test destroyed its stack; a leftover one must fail the run, not be ignored.
  await cloud.destroy();
  await removeStagingBuckets(cloud.s3);
  await cloud.stop();
  removeAssemblies();
  removeFixtures();
});

test('handler log lines never hold the ResponseURL, credentials or a pre-signed URL, and each is one JSON object with a step', async () => {
  // GIVEN the ResponseURLs of every request the runner sends, and the credentials it gives the handlers
  const responseUrls: string[] = [];
  const credentials: string[] = [];
  const capture = {
    redeliver: (request: { ResponseURL: string }) => {
      responseUrls.push(request.ResponseURL);
      credentials.push(process.env.AWS_SECRET_ACCESS_KEY!, process.env.AWS_ACCESS_KEY_ID!);
      return undefined;
    },
  };
  const props = { removalPolicy: RemovalPolicy.DESTROY };

  // WHEN an import is created, updated, updated to content whose job fails, updated while
  // CreatePackageImportJob is refused, and deleted
  await cloud.deploy(synthKeptImport({ ...props, modelBytes: 'v1' }), capture);
  await cloud.deploy(synthKeptImport({ ...props, modelBytes: 'v2' }), capture);
  cloud.emulator.setJobOutcome('fail', { message: 'Model compilation failed (injected)', count: 1 });
  await expect(cloud.deploy(synthKeptImport({ ...props, modelBytes: 'v3' }), capture)).rejects.toThrow(/FAILED: Model compilation failed/);
  cloud.emulator.failNext('CreatePackageImportJob', 1, { errorType: 'AccessDeniedException', message: 'refused (injected)' });
  await expect(cloud.deploy(synthKeptImport({ ...props, modelBytes: 'v4' }), capture)).rejects.toThrow(/AccessDeniedException/);
  await cloud.destroy();
  const lines = [...cloud.handlerLines];

  // THEN the handlers logged every kind of request, the failure and the removal (the check below is not vacuous)
  const steps = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(new Set(steps.filter((s) => s.step === 'onEvent').map((s) => s.requestType))).toEqual(new Set(['Create', 'Update', 'Delete']));
  expect(steps).toContainEqual(expect.objectContaining({ step: 'import job described', status: 'FAILED' }));
  expect(steps).toContainEqual(expect.objectContaining({ step: 'patch version deregistered' }));
  expect(responseUrls.length).toBeGreaterThanOrEqual(6);
  expect(credentials.filter((c) => !c)).toEqual([]);

  // AND each line is exactly one JSON object with a string `step`
  for (const line of lines) {
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(parsed).toEqual(expect.objectContaining({ step: expect.any(String) }));
    expect(Array.isArray(parsed)).toBe(false);
  }

  // AND no line holds a ResponseURL, a piece of its query, a credential, or any pre-signed URL
  const secrets = new Set<string>(credentials);
  for (const url of responseUrls) {
    const parsed = new URL(url);
    secrets.add(url);
    secrets.add(`${parsed.origin}${parsed.pathname}`);
    secrets.add(parsed.pathname);
    for (const value of parsed.searchParams.values()) if (value.length >= 16) secrets.add(value);
  }
  const leaks = lines.flatMap((line) => [
    ...[...secrets].filter((secret) => line.includes(secret)).map((secret) => `${secret.slice(0, 24)}… in ${line.slice(0, 120)}`),
    ...[/X-Amz-Signature/i, /X-Amz-Credential/i, /Signature=/, /X-Amz-Security-Token/i, /https?:\/\/\S*\?\S*X-Amz-/i, /cloudformation-custom-resource-response/i]
      .filter((pattern) => pattern.test(line)).map((pattern) => `${pattern} in ${line.slice(0, 120)}`),
  ]);
  expect(leaks).toEqual([]);
});
