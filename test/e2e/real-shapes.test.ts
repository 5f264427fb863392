/**
 * Folder sources in the shapes of the published samples, deployed through the local runner against
 * the emulator: the staged manifest carries the name panorama-cli gives the package, and the
 * emulator, judging with the same schema, imports what the construct accepted.
 */
import { PackageSource, PanoramaPackageImport } from '../../src';
import { LocalCloud } from '../support/local-cloud';
import { writePackageFixture } from '../support/package-fixture';
import { cameraPackage, gpuCodePackage, misnamedModelsPackage } from '../support/real-shapes';
import { FAST, synthApp } from './support/import-app';
import { useLocalCloudPerFile } from './support/suite';

let cloud: LocalCloud;
useLocalCloudPerFile((started) => { cloud = started; });

test('a GPU package, a nameless camera and a folder that disagrees with its manifest are each imported under the folder\'s name', async () => {
  // GIVEN three package folders as panorama-cli lays them out
  const shapes = { Gpu: gpuCodePackage(), Camera: cameraPackage(), Models: misnamedModelsPackage() };
  const folders = Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [id, writePackageFixture(shape).packageDir]));

  // WHEN one stack importing all three is deployed
  const result = await cloud.deploy(synthApp((stack) => {
    for (const [id, folder] of Object.entries(folders)) {
      new PanoramaPackageImport(stack, id, { ...FAST, source: PackageSource.fromDirectory(folder) });
    }
  }));

  // THEN each job succeeded under the folder's name and the version the manifest gives, else 1.0
  const imported = Object.fromEntries(result.resources
    .filter((r) => r.type === 'Custom::PanoramaPackageImport')
    .map((r) => [r.logicalId.replace(/[0-9A-F]{8}$/, ''), [r.status, r.attributes.PackageName, r.attributes.PackageVersion]]));
  expect(imported).toEqual({
    Gpu: ['CREATE_COMPLETE', 'gpu_detector_app', '1.0'],
    Camera: ['CREATE_COMPLETE', 'LOBBY_CAMERA', '1.0'],
    Models: ['CREATE_COMPLETE', 'crowd_models', '2.3'],
  });
  expect(cloud.emulator.jobs().map((job) => job.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
});
