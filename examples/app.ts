/**
 * The example CDK app: one stack that deploys the generated panorama-cli project as a whole with
 * `PanoramaApplication`: it imports the model and the code package, makes a camera (its password
 * from a Secrets Manager secret) that replaces the graph's abstract camera, and creates the
 * application instance on a device, pinned to the patches it imported. As a CDK app, `ts-node examples/app.ts
 * <application folder>` synthesizes it into CDK_OUTDIR (the folder is written first when it does
 * not exist); `npm run demo` deploys it with `panorama-local deploy --device …`, as a user would.
 */
import * as fs from 'fs';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CODE_PACKAGE, ExampleProject, MODEL_PACKAGE, panoramaApplicationAt, writePanoramaApplication } from './panorama-application';
import { PanoramaApplication, PanoramaCamera } from '../src';

export const STACK_NAME = 'PanoramaPeopleCounter';
/** The device the application instance runs on (`panorama-local deploy --device` provisions it). */
export const DEVICE = 'device-lobby-demo';
/** The camera that replaces the graph's abstract camera. */
export const CAMERA_NAME = 'lobby_camera';

/** Adds the example stack to `app`, over an application on disk. */
export function addExampleStack(app: App, application: ExampleProject): Stack {
  const stack = new Stack(app, STACK_NAME, { env: { account: '123456789012', region: 'us-east-1' } });
  // The camera's credentials: a secret whose password Secrets Manager generates, so it is in no file.
  const credentials = new secretsmanager.Secret(stack, 'CameraCredentials', {
    generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'admin' }), generateStringKey: 'password' },
  });
  const camera = new PanoramaCamera(stack, 'LobbyCamera', {
    name: CAMERA_NAME,
    streamUrl: 'rtsp://192.168.1.20:554/stream1',
    credentials,
    description: 'The lobby entrance',
  });
  const counter = new PanoramaApplication(stack, 'PeopleCounter', {
    cameras: { [PanoramaApplication.ABSTRACT_CAMERA]: [camera] },
    projectDirectory: application.root,
    device: DEVICE,
    description: 'Counts people in the lobby',
    tags: { application: 'people-counter' },
    removalPolicy: RemovalPolicy.DESTROY,
    queryInterval: Duration.seconds(1),
    totalTimeout: Duration.minutes(5),
  });
  new CfnOutput(stack, 'ApplicationInstanceId', { value: counter.applicationInstanceId });
  new CfnOutput(stack, 'ApplicationInstanceStatus', { value: counter.applicationInstanceStatus });
  new CfnOutput(stack, 'ModelPackageArn', { value: counter.packageImport(MODEL_PACKAGE).packageArn });
  new CfnOutput(stack, 'ModelPatchVersion', { value: counter.packageImport(MODEL_PACKAGE).patchVersion });
  new CfnOutput(stack, 'CodePatchVersion', { value: counter.packageImport(CODE_PACKAGE).patchVersion });
  new CfnOutput(stack, 'CameraPackageName', { value: camera.packageName });
  return stack;
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
