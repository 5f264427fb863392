/**
 * Integration test (integ-runner): imports the committed model package under
 * `test/integ-fixtures/panorama-app` and, on a real deployment, asks Panorama for the imported
 * package by the construct's `packageId`.
 *
 * `npm test` compares the committed snapshot (`integ.package-import.ts.snapshot/`) offline;
 * `npx projen integ:update` rewrites it without deploying. The fixture is committed (not a temp
 * folder) so the asset hashes, and with them the snapshot, are the same on every run.
 */
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PackageSource, PanoramaPackageImport } from '../src';

const PACKAGE_NAME = 'INTEG_SQUEEZENET';
const PACKAGE_DIR = path.join(__dirname, 'integ-fixtures', 'panorama-app', 'packages', `123456789012-${PACKAGE_NAME}-1.0`);

const app = new App();
const stack = new Stack(app, 'PanoramaPackageImportInteg');

const packageImport = new PanoramaPackageImport(stack, 'Model', {
  source: PackageSource.fromDirectory(PACKAGE_DIR),
  // An integration test leaves nothing behind.
  removalPolicy: RemovalPolicy.DESTROY,
  outputs: true,
});

const integ = new IntegTest(app, 'PackageImport', {
  testCases: [stack],
  diffAssets: false,
});

integ.assertions
  .awsApiCall('Panorama', 'describePackage', { PackageId: packageImport.packageId })
  .expect(ExpectedResult.objectLike({ PackageId: packageImport.packageId, PackageName: PACKAGE_NAME }));
