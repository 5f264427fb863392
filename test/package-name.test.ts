/**
 * Names as panorama-cli gives them: the package folder's `<account>-<name>-<version>` name wins over
 * the manifest's; the version is the manifest's, else 1.0; packageName and packageVersion win over both.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3_assets from 'aws-cdk-lib/aws-s3-assets';
import { PackageSource, PanoramaPackageImport, PanoramaPackageImportProps } from '../src';
import { modelPackage, writePackageFixture, removeFixtures } from './support/package-fixture';
import { cameraPackage, misnamedModelsPackage, PackageShape } from './support/real-shapes';
import { newStack, onlyResource } from './support/stacks';
import { packageIdentity, packageNameOfFolder } from '../src/rules/package-name';

afterAll(removeFixtures);

describe('the name a package folder carries', () => {
  test.each([
    ['123456789012-SQUEEZENET_PYTORCH-1.0', 'SQUEEZENET_PYTORCH'],
    ['619501627742-people-counter-package-1.0', 'people-counter-package'],
    ['278046373397-CAR_TRACKER_CODE-12.34', 'CAR_TRACKER_CODE'],
  ])('%s is named %s', (folder, name) => {
    // GIVEN a folder named as panorama-cli names them / WHEN read / THEN the middle part is the name
    expect(packageNameOfFolder(folder)).toBe(name);
  });

  test.each([
    ['a folder without the account and version', 'squeezenet'],
    ['an account that is not 12 digits', '12345-squeezenet-1.0'],
    ['a version that is not major.minor', '123456789012-squeezenet-latest'],
    ['no name between them', '123456789012--1.0'],
    ['a temporary folder', 'panorama-app-x1Y2z3'],
  ])('%s carries no name (%s)', (_what, folder) => {
    // GIVEN a folder not named as panorama-cli names them / WHEN read / THEN no name
    expect(packageNameOfFolder(folder)).toBeUndefined();
  });
});

describe('the rule', () => {
  test.each([
    ['packageName wins over the folder and the manifest', { packageName: 'prop', folderName: '123456789012-folder-1.0', manifestName: 'manifest' }, { name: 'prop', nameOrigin: 'packageName', version: '1.0' }],
    ['the folder wins over the manifest', { folderName: '123456789012-folder-1.0', manifestName: 'manifest' }, { name: 'folder', nameOrigin: 'folder', version: '1.0' }],
    ['the manifest names a package in a folder of another kind', { folderName: 'models', manifestName: 'manifest' }, { name: 'manifest', nameOrigin: 'manifest', version: '1.0' }],
    ['nothing names it', { folderName: 'models' }, { version: '1.0' }],
    ['the manifest gives the version', { manifestName: 'm', manifestVersion: '2.3' }, { name: 'm', nameOrigin: 'manifest', version: '2.3' }],
    ['packageVersion wins over the manifest', { manifestName: 'm', manifestVersion: '2.3', packageVersion: '3.0' }, { name: 'm', nameOrigin: 'manifest', version: '3.0' }],
  ])('%s', (_what, sources, identity) => {
    // GIVEN the sources / WHEN decided / THEN
    expect(packageIdentity(sources)).toEqual(identity);
  });
});

/** Synthesizes a folder import; returns the custom resource's name and version and the staged manifest. */
function synthesize(shape: PackageShape, props: Partial<PanoramaPackageImportProps> = {}) {
  const fixture = writePackageFixture(shape);
  const stack = newStack();
  const imported = new PanoramaPackageImport(stack, 'Import', { source: PackageSource.fromDirectory(fixture.packageDir), ...props });
  const assembly = (stack.node.root as App).synth();
  const manifestAsset = imported.node.findChild('Manifest') as s3_assets.Asset;
  const properties = onlyResource(Template.fromStack(stack), 'Custom::PanoramaPackageImport').Properties;
  return {
    fixture,
    packageName: properties.PackageName,
    packageVersion: properties.PackageVersion,
    staged: JSON.parse(fs.readFileSync(path.join(assembly.directory, manifestAsset.assetPath), 'utf-8')).nodePackage,
  };
}

describe('a folder source at synth', () => {
  test('the folder\'s name wins over the manifest\'s, and the staged manifest carries it', () => {
    // GIVEN a folder 210987654321-crowd_models-1.0 whose manifest says crowd_model_v1 2.3
    // WHEN it is imported
    const result = synthesize(misnamedModelsPackage());
    // THEN the package is crowd_models 2.3, and the staged copy says so; the user's file is untouched
    expect(result).toMatchObject({ packageName: 'crowd_models', packageVersion: '2.3', staged: { name: 'crowd_models', version: '2.3' } });
    expect(JSON.parse(fs.readFileSync(result.fixture.manifestPath, 'utf-8')).nodePackage.name).toBe('crowd_model_v1');
  });

  test('a manifest without name or version is imported under the folder\'s name, version 1.0', () => {
    // GIVEN a camera package whose manifest has neither, in 210987654321-LOBBY_CAMERA-1.0
    // WHEN it is imported
    const result = synthesize(cameraPackage());
    // THEN it is LOBBY_CAMERA 1.0, written into the staged manifest
    expect(result).toMatchObject({ packageName: 'LOBBY_CAMERA', packageVersion: '1.0', staged: { name: 'LOBBY_CAMERA', version: '1.0' } });
  });

  test('a folder not named <account>-<name>-<version> leaves the manifest\'s name', () => {
    // GIVEN a package in a folder named "squeezenet"
    const { manifest, files } = modelPackage({ name: 'SQUEEZENET_PYTORCH', version: '1.2' });
    // WHEN it is imported
    const result = synthesize({ manifest, files, folderName: 'squeezenet' });
    // THEN the manifest's name and version are used, and the manifest is staged as it is
    expect(result).toMatchObject({ packageName: 'SQUEEZENET_PYTORCH', packageVersion: '1.2', staged: { name: 'SQUEEZENET_PYTORCH', version: '1.2' } });
  });

  test('packageName and packageVersion win over the folder and the manifest', () => {
    // GIVEN the misnamed package / WHEN imported with both props
    const result = synthesize(misnamedModelsPackage(), { packageName: 'crowd_models_eu', packageVersion: '4.0' });
    // THEN the props decide, in the template and the staged manifest
    expect(result).toMatchObject({ packageName: 'crowd_models_eu', packageVersion: '4.0', staged: { name: 'crowd_models_eu', version: '4.0' } });
  });

  test('a package that nothing names is refused, saying what would name it', () => {
    // GIVEN a manifest without a name, in a folder not named as panorama-cli names them
    const { manifest, files } = cameraPackage();
    // WHEN imported without packageName / THEN the message says where a name could come from
    expect(() => synthesize({ manifest, files, folderName: 'camera' })).toThrow(
      /packageName: missing must be given: the manifest has no nodePackage.name and the folder "camera" \(.*camera\) is not named <12-digit account>-<name>-<version> as panorama-cli names package folders/,
    );
  });

  test('a folder whose name is not a valid package name is refused, naming the folder', () => {
    // GIVEN a conventional folder whose middle part has a dot
    const { manifest, files } = modelPackage();
    // WHEN imported / THEN the derived name is refused with the service's rule
    expect(() => synthesize({ manifest, files, folderName: '123456789012-squeeze.net-1.0' })).toThrow(
      'package name from the folder "123456789012-squeeze.net-1.0": "squeeze.net" must match ^[a-zA-Z0-9\\-_]+$',
    );
  });
});
