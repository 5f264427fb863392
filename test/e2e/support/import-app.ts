/**
 * Synthesizes the apps the end-to-end tests deploy: a new App per synth, one stack, one import,
 * written to its own temporary assembly directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Environment, Stack } from 'aws-cdk-lib';
import { ResourceResult } from '../../../local-runner';
import { DeployResult } from '../../../local-runner/deployer';
import { PackageSource, PanoramaPackageImport, PanoramaPackageImportProps } from '../../../src';
import { PACKAGE_IMPORT_RESOURCE_TYPE } from '../../../src/rules/contract';
import { PackageFixture } from '../../support/package-fixture';

const assemblies: string[] = [];

/** Fast polling: every e2e import asks once a second, for at most 30 s (its job takes 100 ms). */
export const FAST = { queryInterval: Duration.seconds(1), totalTimeout: Duration.seconds(30) };

/** Synthesizes a new App with one stack that `build` fills; returns the assembly directory. */
export function synthApp(build: (stack: Stack) => void, stackName = 'ImportStack', env?: Environment): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-assembly-'));
  assemblies.push(outdir);
  const app = new App({ outdir });
  build(new Stack(app, stackName, { env }));
  app.synth();
  return outdir;
}

/** Synthesizes a stack `ImportStack` with one import `Model`; returns the assembly directory. */
export function synthImport(
  props: Omit<Partial<PanoramaPackageImportProps>, 'source'> & ({ fixture: PackageFixture } | { source: (stack: Stack) => PackageSource }),
): string {
  const { fixture, source, ...rest } = props as Omit<Partial<PanoramaPackageImportProps>, 'source'> & { fixture?: PackageFixture; source?: (stack: Stack) => PackageSource };
  return synthApp((stack) => {
    new PanoramaPackageImport(stack, 'Model', {
      ...FAST,
      ...rest,
      source: fixture ? PackageSource.fromDirectory(fixture.packageDir) : source!(stack),
    });
  });
}

/** Removes every assembly synthesized so far (call in afterAll). */
export function removeAssemblies(): void {
  for (const dir of assemblies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The one import of a deployment. */
export function importOf(result: DeployResult): ResourceResult {
  const found = result.resources.filter((r) => r.type === PACKAGE_IMPORT_RESOURCE_TYPE);
  if (found.length !== 1) throw new Error(`expected one ${PACKAGE_IMPORT_RESOURCE_TYPE}, found ${found.length}`);
  return found[0];
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { result?: DeployResult }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { result?: DeployResult };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
