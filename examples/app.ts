/**
 * The example CDK app: one stack that imports the model and the code package of a Panorama
 * application. As a CDK app, `ts-node examples/app.ts <application folder>` synthesizes it into
 * CDK_OUTDIR (the folder is written first when it does not exist); `npm run demo` deploys it with
 * `panorama-local`, as a user would.
 */
import * as fs from 'fs';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PackageSource, PanoramaPackageImport } from '../src';
import { PanoramaApplication, panoramaApplicationAt, writePanoramaApplication } from './panorama-application';

export const STACK_NAME = 'PanoramaPeopleCounter';

/** Adds the example stack to `app`, over an application on disk. */
export function addExampleStack(app: App, application: PanoramaApplication): Stack {
  const stack = new Stack(app, STACK_NAME, { env: { account: '123456789012', region: 'us-east-1' } });
  new PanoramaPackageImport(stack, 'Model', {
    source: PackageSource.fromDirectory(application.modelPackageDir),
    removalPolicy: RemovalPolicy.DESTROY,
    tags: { application: 'people-counter' },
    queryInterval: Duration.seconds(1),
    totalTimeout: Duration.minutes(5),
    outputs: true,
  });
  new PanoramaPackageImport(stack, 'Code', {
    source: PackageSource.fromDirectory(application.codePackageDir),
    removalPolicy: RemovalPolicy.DESTROY,
    queryInterval: Duration.seconds(1),
    totalTimeout: Duration.minutes(5),
  });
  return stack;
}

/** Builds the example app over a generated application and synthesizes it into `outdir`. */
export function synthExampleApp(application: PanoramaApplication, outdir: string): cxapi.CloudAssembly {
  const app = new App({ outdir });
  addExampleStack(app, application);
  return app.synth();
}

/** The CDK app over the application under `root` (written first when absent), synthesized into CDK_OUTDIR. */
export function synthesizeExampleApp(root: string): void {
  const application = fs.existsSync(root) ? panoramaApplicationAt(root) : writePanoramaApplication(root);
  const app = new App();
  addExampleStack(app, application);
  app.synth();
}

if (require.main === module) {
  if (!process.argv[2]) throw new Error('usage: ts-node examples/app.ts <application folder>');
  synthesizeExampleApp(process.argv[2]);
}
