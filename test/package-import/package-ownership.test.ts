/**
 * One package version, one owner per stack: identical imports of it share one custom resource, a
 * differing one is a synth error naming both; other stacks have their own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PackageSource, PanoramaApplication, PanoramaPackageImport } from '../../src';
import { cameraCodeDisplayProject, SAMPLE_ACCOUNT, writeApplication } from '../support/application-fixture';
import { removeFixtures } from '../support/package-fixture';
import { TEST_ENV } from '../support/stacks';

afterAll(removeFixtures);

const IMPORT = 'Custom::PanoramaPackageImport';
const INSTANCE = 'AWS::Panorama::ApplicationInstance';
const MODEL_FOLDER = `${SAMPLE_ACCOUNT}-COUNTER_MODEL-1.0`;

function newStack(id = 'Stack'): Stack {
  return new Stack(new App(), id, { env: TEST_ENV });
}

function project() {
  return writeApplication(cameraCodeDisplayProject());
}

function importNames(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources(IMPORT)).map((r: any) => r.Properties.PackageName).sort();
}

test('an application and an import of the same package folder share one import', () => {
  // GIVEN an application, and an import of its model's folder, in one stack
  const stack = newStack();
  const fixture = project();
  const app = new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-1' });
  const model = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir(MODEL_FOLDER)) });
  // THEN the stack has one import per package, and the second reads the first's patch
  expect(importNames(stack)).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
  expect(stack.resolve(model.patchVersion)).toEqual(stack.resolve(app.packageImport('COUNTER_MODEL').patchVersion));
});

test('two applications of one project in one stack share their imports', () => {
  // GIVEN the same project deployed twice (two devices) from one stack
  const stack = newStack();
  const fixture = project();
  new PanoramaApplication(stack, 'Lobby', { projectDirectory: fixture.projectDir, device: 'device-1', applicationName: 'lobby' });
  new PanoramaApplication(stack, 'Hall', { projectDirectory: fixture.projectDir, device: 'device-2', applicationName: 'hall' });
  // THEN one import per package, and both instances depend on them
  expect(importNames(stack)).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
  const template = Template.fromStack(stack);
  const importIds = Object.keys(template.findResources(IMPORT)).sort();
  for (const instance of Object.values(template.findResources(INSTANCE))) {
    expect([...instance.DependsOn].filter((id: string) => importIds.includes(id)).sort()).toEqual(importIds);
  }
});

test('an import made before the application is the one the application uses', () => {
  // GIVEN an import of the model, then the application
  const stack = newStack();
  const fixture = project();
  const model = new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir(MODEL_FOLDER)) });
  const app = new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-1' });
  // THEN the application's model patch is the import's
  expect(importNames(stack)).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
  expect(stack.resolve(app.packageImport('COUNTER_MODEL').patchVersion)).toEqual(stack.resolve(model.patchVersion));
});

test('the same package version with other content in one stack is a synth error naming both', () => {
  // GIVEN two copies of the project, the second's model rebuilt
  const stack = newStack();
  const first = project();
  const second = project();
  const manifest = JSON.parse(fs.readFileSync(path.join(second.packageDir(MODEL_FOLDER), 'package.json'), 'utf-8'));
  fs.writeFileSync(path.join(second.assetsDir, manifest.nodePackage.assets[0].implementations[0].assetUri), 'other weights');
  new PanoramaApplication(stack, 'Lobby', { projectDirectory: first.projectDir, device: 'device-1', applicationName: 'lobby' });
  // WHEN the second is added / THEN the message names both and what differs
  expect(() => new PanoramaApplication(stack, 'Hall', { projectDirectory: second.projectDir, device: 'device-2', applicationName: 'hall' }))
    .toThrow(/^Stack\/Hall\/Package-COUNTER_MODEL: "COUNTER_MODEL 1\.0" must be imported once per stack, but Stack\/Lobby\/Package-COUNTER_MODEL imports package COUNTER_MODEL version 1\.0 too, with other Source: /);
});

test('the same package with other settings in one stack is a synth error naming the setting', () => {
  // GIVEN an application, and an import of its model with tags of its own
  const stack = newStack();
  const fixture = project();
  new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-1' });
  // THEN the tags are named
  expect(() => new PanoramaPackageImport(stack, 'Model', { source: PackageSource.fromDirectory(fixture.packageDir(MODEL_FOLDER)), tags: { team: 'vision' } }))
    .toThrow(/with other Tags: one package version has one owner/);
});

test('another stack has its own import of the same package', () => {
  // GIVEN the project in two stacks of one app
  const app = new App();
  const fixture = project();
  const stacks = ['One', 'Two'].map((id) => new Stack(app, id, { env: TEST_ENV }));
  for (const stack of stacks) new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-1' });
  // THEN each stack imports both packages
  for (const stack of stacks) expect(importNames(stack)).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
});
