import { matchRoute } from '../../emulator/routes';

test.each([
  ['POST', '/packages/import-jobs', 'CreatePackageImportJob', {}],
  ['GET', '/packages/import-jobs', 'ListPackageImportJobs', {}],
  ['GET', '/packages/import-jobs/job-1', 'DescribePackageImportJob', { JobId: 'job-1' }],
  ['GET', '/packages/metadata/package-1/versions/1.0', 'DescribePackageVersion', { PackageId: 'package-1', PackageVersion: '1.0' }],
  ['PUT', '/packages/package-1/versions/1.0/patch/abc', 'RegisterPackageVersion', { PackageId: 'package-1', PackageVersion: '1.0', PatchVersion: 'abc' }],
  ['DELETE', '/packages/package-1/versions/1.0/patch/abc', 'DeregisterPackageVersion', { PackageId: 'package-1', PackageVersion: '1.0', PatchVersion: 'abc' }],
  ['DELETE', '/packages/package-1', 'DeletePackage', { PackageId: 'package-1' }],
  ['POST', '/application-instances', 'CreateApplicationInstance', {}],
  ['GET', '/application-instances', 'ListApplicationInstances', {}],
  ['GET', '/application-instances/ai-1', 'DescribeApplicationInstance', { ApplicationInstanceId: 'ai-1' }],
  ['DELETE', '/application-instances/ai-1', 'RemoveApplicationInstance', { ApplicationInstanceId: 'ai-1' }],
  ['GET', '/application-instances/ai-1/details', 'DescribeApplicationInstanceDetails', { ApplicationInstanceId: 'ai-1' }],
  ['GET', '/application-instances/ai-1/package-dependencies', 'ListApplicationInstanceDependencies', { ApplicationInstanceId: 'ai-1' }],
  ['GET', '/application-instances/ai-1/node-instances', 'ListApplicationInstanceNodeInstances', { ApplicationInstanceId: 'ai-1' }],
  ['POST', '/devices', 'ProvisionDevice', {}],
  ['GET', '/devices', 'ListDevices', {}],
  ['GET', '/devices/device-1', 'DescribeDevice', { DeviceId: 'device-1' }],
  ['DELETE', '/devices/device-1', 'DeleteDevice', { DeviceId: 'device-1' }],
])('%s %s is %s', (method, path, operation, labels) => {
  // GIVEN / WHEN a request line / THEN its operation and labels
  expect(matchRoute(method, path)).toEqual({ operation, labels });
});

test('an encoded slash stays inside its label', () => {
  // GIVEN / WHEN the alias sent as the SDK encodes it / THEN one decoded label
  expect(matchRoute('GET', '/packages/metadata/packageName%2Fmy_pkg')).toEqual({ operation: 'DescribePackage', labels: { PackageId: 'packageName/my_pkg' } });
});

test('a tag ARN is matched encoded or not', () => {
  // GIVEN an ARN with a slash
  const arn = 'arn:aws:panorama:us-east-1:123456789012:package/package-1';
  // WHEN sent encoded and raw / THEN both decode to the ARN
  expect(matchRoute('GET', `/tags/${encodeURIComponent(arn)}`)?.labels).toEqual({ ResourceArn: arn });
  expect(matchRoute('DELETE', `/tags/${arn}`)).toEqual({ operation: 'UntagResource', labels: { ResourceArn: arn } });
});

test('an unknown path or method matches nothing', () => {
  // GIVEN / WHEN / THEN
  expect(matchRoute('GET', '/jobs')).toBeUndefined();
  expect(matchRoute('PATCH', '/packages')).toBeUndefined();
  expect(matchRoute('GET', '/packages/metadata/')).toBeUndefined();
});
