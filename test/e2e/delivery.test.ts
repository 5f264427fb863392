/**
 * CloudFormation may deliver a request more than once, with the same RequestId: the import must
 * still run exactly one job, whether the copies arrive one after the other or at the same time.
 */
import { stagedFileKeys } from './support/staged-files';
import { LocalCloud } from '../support/local-cloud';
import { useLocalCloudPerFile } from './support/suite';
import { writeModelPackage } from '../support/package-fixture';
import { importOf, synthImport } from './support/import-app';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

for (const concurrent of [false, true]) {
  test(`a Create delivered twice ${concurrent ? 'at the same time' : 'one after the other'} runs exactly one import job`, async () => {
    // GIVEN a runner that delivers every Create of the import twice with the same RequestId
    const requestIds: string[] = [];
    const redeliver = (request: { RequestType: string; ResourceType: string; RequestId: string }) => {
      if (request.RequestType !== 'Create' || request.ResourceType !== 'Custom::PanoramaPackageImport') return undefined;
      requestIds.push(request.RequestId);
      return { copies: 1, concurrent };
    };

    const handlerLinesBefore = cloud.handlerLines.length;

    // WHEN the app is deployed
    const result = await cloud.deploy(synthImport({ fixture: writeModelPackage() }), { redeliver });

    // THEN both deliveries succeeded with the same physical id, and only one job exists
    const created = importOf(result);
    expect(requestIds).toHaveLength(1);
    expect(cloud.handlerLines.slice(handlerLinesBefore).filter((line) => line.includes('"requestType":"Create"'))).toHaveLength(2);
    expect(created.duplicateResponses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: created.physicalId })]);
    expect(cloud.emulator.jobs()).toHaveLength(1);
    expect(created.physicalId).toBe(cloud.emulator.jobs()[0].jobId);
    // AND neither delivery left a staged object behind
    const staging = result.resources.find((r) => r.type === 'AWS::S3::Bucket')!.physicalId!;
    expect(await stagedFileKeys(cloud.s3, staging)).toEqual([]);
  });
}
