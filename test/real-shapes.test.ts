/**
 * A folder source at synth, on packages in the shapes the published Panorama samples take: what
 * imports, what is refused, and what the refusal says.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { PackageSource, PanoramaPackageImport } from '../src';
import { writePackageFixture, removeFixtures } from './support/package-fixture';
import { BROKEN_DESCRIPTORS, cameraPackage, gpuCodePackage, misnamedModelsPackage, PackageShape, unbuiltPackage } from './support/real-shapes';
import { newStack, onlyResource } from './support/stacks';

afterAll(removeFixtures);

function importing(shape: PackageShape): () => Template {
  const fixture = writePackageFixture(shape);
  return () => {
    const stack = newStack();
    new PanoramaPackageImport(stack, 'Import', { source: PackageSource.fromDirectory(fixture.packageDir) });
    return Template.fromStack(stack);
  };
}

describe('packages that import', () => {
  test.each([
    ['a GPU code package: hardware_access requirement, runtime descriptor with arguments, environment and events', gpuCodePackage(), 'gpu_detector_app', 2],
    ['a camera package: one system asset, no name, no version', cameraPackage(), 'LOBBY_CAMERA', 0],
    ['two models with model descriptors, in a folder that disagrees with the manifest', misnamedModelsPackage(), 'crowd_models', 4],
  ] as Array<[string, PackageShape, string, number]>)('%s', (_what, shape, name, files) => {
    // GIVEN the package laid out as panorama-cli lays it out / WHEN synthesized
    const template = importing(shape)();
    // THEN it is imported under the folder's name with the manifest and every file it names staged
    const properties = onlyResource(template, 'Custom::PanoramaPackageImport').Properties;
    expect(properties.PackageName).toBe(name);
    expect(properties.Source.Files).toHaveLength(1 + files);
  });
});

describe('an unbuilt package is refused, naming its missing asset and how to build it', () => {
  test('a code package: panorama-cli build-container', () => {
    // GIVEN a code package in source form (assets empty)
    const act = importing(unbuiltPackage('code'));
    // WHEN synthesized / THEN the message names the field, the asset, why, and the command for this folder
    expect(act).toThrow('nodePackage.interfaces[0].asset: "code_asset" must name an asset in nodePackage.assets, which is empty: '
      + 'the package is unbuilt (as it is kept in source control). '
      + 'Build it with `panorama-cli build-container --container-asset-name code_asset --package-path packages/210987654321-COUNTER_CODE-1.0`, '
      + 'or add a Dockerfile to the folder, or give PackageSource.fromDirectory the option packageBuild: PackageBuild.container() to build it at synth, '
      + 'then import it');
  });

  test('a model package: panorama-cli add-raw-model', () => {
    // GIVEN a model package in source form
    const act = importing(unbuiltPackage('model'));
    // WHEN synthesized / THEN the command adds the raw model with its descriptor
    expect(act).toThrow('Build it with `panorama-cli add-raw-model --model-asset-name model_asset --model-local-path <model .tar.gz> '
      + '--descriptor-path packages/210987654321-COUNTER_MODEL-1.0/descriptor.json --packages-path packages/210987654321-COUNTER_MODEL-1.0`, '
      + "or give PackageSource.fromDirectory the option packageBuild: PackageBuild.model({ modelFile: '<model .tar.gz>', assetName: 'model_asset' }) to build it at synth");
  });
});

describe('a broken descriptor is refused by file and field', () => {
  test.each(BROKEN_DESCRIPTORS)('$what', ({ content, field }) => {
    // GIVEN a GPU code package whose descriptor is broken
    const shape = gpuCodePackage({ descriptor: content });
    const descriptor = shape.files[1].name;
    // WHEN synthesized / THEN the message names the descriptor's file, the manifest field naming it, and the rule
    let message = '';
    try {
      importing(shape)();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`assets${path.sep}${descriptor} (nodePackage.assets[0].implementations[0].descriptorUri)`);
    expect(message).toMatch(field);
  });

  test('a runtime event that watches no inputs, and an environment variable without a value, are each named', () => {
    // GIVEN a runtime descriptor with two mistakes
    const descriptor = {
      runtimeDescriptor: {
        envelopeVersion: '2021-01-01',
        entry: { path: 'python3', name: '/panorama/app.py', environment: [{ name: 'MODEL' }] },
        events: [{ type: 'onPartialInput', handler: 'on_frame' }],
      },
    };
    // WHEN synthesized / THEN both are named, with their paths
    const act = importing(gpuCodePackage({ descriptor: JSON.stringify(descriptor) }));
    expect(act).toThrow(/runtimeDescriptor\.entry\.environment\[0\]\.value: missing must be given[\s\S]*runtimeDescriptor\.events\[0\]\.inputs: missing must be given/);
  });

  test('a file too large to be a descriptor is refused without being read', () => {
    // GIVEN a descriptorUri that names a file of more than 1 MiB (a model, by mistake)
    const shape = gpuCodePackage();
    const fixture = writePackageFixture(shape);
    fs.writeFileSync(path.join(fixture.assetsDir, shape.files[1].name), Buffer.alloc(1024 * 1024 + 1));
    // WHEN synthesized / THEN the size and the rule are named
    expect(() => new PanoramaPackageImport(newStack(), 'Import', { source: PackageSource.fromDirectory(fixture.packageDir) }))
      .toThrow(/descriptorUri\): 1048577 bytes must be at most 1048576 bytes: an asset descriptor is a small JSON document/);
  });
});
