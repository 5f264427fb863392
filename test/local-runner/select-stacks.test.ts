/** `panorama-local deploy A` deploys A and the stacks it depends on, as `cdk deploy A` does. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { readCloudAssembly, selectStacks } from '../../local-runner';

let outdir: string;
beforeAll(() => {
  // GIVEN an app whose Consumer stack uses a bucket of the Shared stack, and an unrelated Other stack
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'select-stacks-'));
  const app = new App({ outdir });
  const shared = new Stack(app, 'Shared');
  const bucket = new s3.Bucket(shared, 'Bucket');
  const consumer = new Stack(app, 'Consumer');
  new s3.CfnBucketPolicy(consumer, 'Policy', { bucket: bucket.bucketName, policyDocument: {} });
  new Stack(app, 'Other');
  app.synth();
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function names(selection: readonly string[]): string[] {
  return selectStacks(readCloudAssembly(outdir), selection).map((s) => s.stackName);
}

test('no name selects every stack, dependencies first', () => {
  const all = names([]);
  expect([...all].sort()).toEqual(['Consumer', 'Other', 'Shared']);
  expect(all.indexOf('Shared')).toBeLessThan(all.indexOf('Consumer'));
});

test('a stack comes with the stacks it depends on, in deployment order', () => {
  expect(names(['Consumer'])).toEqual(['Shared', 'Consumer']);
  expect(names(['Shared'])).toEqual(['Shared']);
});

test('* matches any text', () => {
  expect(names(['O*'])).toEqual(['Other']);
});

test('a name that matches nothing is an error listing the stacks', () => {
  expect(() => names(['Missing'])).toThrow(/^No stack matches 'Missing'\. The app's stacks: (Shared|Consumer|Other)(, (Shared|Consumer|Other)){2}$/);
});
