/**
 * The example CDK app: one stack that imports the model and the code package of a Panorama
 * application. `npx ts-node examples/app.ts [outdir]` synthesizes it and prints its imports.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PackageSource, PanoramaPackageImport } from '../src';
import { PanoramaApplication, writePanoramaApplication } from './panorama-application';

export const STACK_NAME = 'PanoramaPeopleCounter';

/** Builds the example app over a generated application and synthesizes it into `outdir`. */
export function synthExampleApp(application: PanoramaApplication, outdir: string): cxapi.CloudAssembly {
  const app = new App({ outdir });
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
  return app.synth();
}

if (require.main === module) {
  const outdir = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-example-'));
  const application = writePanoramaApplication(fs.mkdtempSync(path.join(os.tmpdir(), 'panorama-app-')));
  const assembly = synthExampleApp(application, outdir);
  const template = assembly.getStackByName(STACK_NAME).template;
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'Custom::PanoramaPackageImport') {
      console.log(`${id}: ${JSON.stringify(resource.Properties, null, 2)}`);
    }
  }
  console.log(`synthesized into ${outdir}`);
}
