/**
 * The README's main job: the example application through its whole lifecycle, offline.
 * It starts the S3 and Panorama emulators, synthesizes the example app, deploys it through the
 * local runner (the real bundled handlers), redeploys it with new model bytes (a new patch
 * version), then destroys it, checking each outcome. Any failure exits non-zero with the reason.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ListPackagesCommand, PanoramaClient } from '@aws-sdk/client-panorama';
import { PanoramaEmulator, startS3Server } from '../emulator';
import { DeployResult, LocalDeployer } from '../local-runner';
import { STACK_NAME, synthExampleApp } from './app';
import { MODEL_PACKAGE, writePanoramaApplication } from './panorama-application';

function heading(text: string): void {
  console.log(`\n=== ${text} ===`);
}

/** Each import's attributes, by construct id (`Model0301700E` → `Model`). */
function imports(result: DeployResult): Record<string, Record<string, string>> {
  return Object.fromEntries(result.resources
    .filter((r) => r.type === 'Custom::PanoramaPackageImport')
    .map((r) => [r.logicalId.replace(/[0-9A-F]{8}$/, ''), r.attributes]));
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok: ${message}`);
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-demo-'));
  const s3 = await startS3Server();
  const emulator = await PanoramaEmulator.start({ s3Endpoint: s3.endpoint, jobDelayMs: 500 });
  const panorama = new PanoramaClient({
    endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const runner = new LocalDeployer({ panoramaEndpoint: emulator.endpoint, s3Endpoint: s3.endpoint });
  console.log(`Panorama emulator: ${emulator.endpoint}   S3 emulator: ${s3.endpoint}   work folder: ${work}`);
  try {
    heading('1. create: synthesize the example app and deploy it');
    const v1 = synthExampleApp(writePanoramaApplication(path.join(work, 'app-v1'), { modelRevision: 1 }), path.join(work, 'cdk.out.v1'));
    const created = imports(await runner.deploy(v1.directory));
    check(Object.keys(created).length === 2, 'two packages imported (model and code)');
    check(created.Model.PackageName === MODEL_PACKAGE, `Model is ${created.Model.PackageArn}`);

    heading('2. update: new model bytes, a new synth, a redeploy');
    const v2 = synthExampleApp(writePanoramaApplication(path.join(work, 'app-v2'), { modelRevision: 2 }), path.join(work, 'cdk.out.v2'));
    const jobsBefore = emulator.jobs().length;
    const updated = imports(await runner.deploy(v2.directory));
    check(emulator.jobs().length === jobsBefore + 1, 'exactly one new import job (the model; the code is unchanged)');
    check(updated.Model.PatchVersion !== created.Model.PatchVersion, `new model patch version ${updated.Model.PatchVersion}`);
    check(updated.Code.PatchVersion === created.Code.PatchVersion, 'code package untouched');
    check(updated.Model.PackageArn === created.Model.PackageArn, 'same package, new patch');

    heading(`3. delete: destroy ${STACK_NAME} (removalPolicy DESTROY)`);
    await runner.destroy();
    const left = await panorama.send(new ListPackagesCommand({}));
    check((left.Packages ?? []).length === 0, 'both packages deregistered and deleted');

    heading('done');
    console.log(`Model package ARN:  ${updated.Model.PackageArn}`);
    console.log(`StorageLocation:    bucket ${updated.Model['StorageLocation.Bucket']}, binaries ${updated.Model['StorageLocation.BinaryPrefixLocation']}`);
    console.log(`Import jobs run:    ${emulator.jobs().length}; Panorama API calls: ${emulator.requests.length}`);
  } finally {
    panorama.destroy();
    await emulator.stop();
    await s3.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`\ndemo failed: ${error.message}`);
  process.exit(1);
});
