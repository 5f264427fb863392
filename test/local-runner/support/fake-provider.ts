/**
 * A real CDK app whose custom resource is served by the real Provider framework construct, but
 * with fake user handlers: tiny functions that call whatever the test put in `fakeHandlers`.
 * The runner's contract with the framework can then be specified event by event.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';

/** What the fake handlers do; each test sets them. */
export interface FakeHandlers {
  onEvent(event: any): any;
  isComplete(event: any): any;
}

declare global {
  // eslint-disable-next-line no-var
  var fakeHandlers: FakeHandlers | undefined;
}

const CODE = `exports.onEvent = async (event) => globalThis.fakeHandlers.onEvent(event);
exports.isComplete = async (event) => globalThis.fakeHandlers.isComplete(event);
`;

const directories: string[] = [];

function temporaryDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  directories.push(dir);
  return dir;
}

/** Synthesizes stack `FakeStack` with resources `Fake` (and `Other` when asked) of `resourceType` (default Custom::PanoramaPackageImport). */
export function synthFakeApp(options: {
  properties: Record<string, unknown>;
  resourceType?: string;
  otherProperties?: Record<string, unknown>;
  queryInterval?: Duration;
  totalTimeout?: Duration;
}): string {
  const codeDir = temporaryDirectory('fake-handler-');
  fs.writeFileSync(path.join(codeDir, 'index.js'), CODE);
  const outdir = temporaryDirectory('fake-assembly-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'FakeStack');
  const code = lambda.Code.fromAsset(codeDir);
  const provider = new cr.Provider(stack, 'Provider', {
    onEventHandler: new lambda.Function(stack, 'OnEvent', { code, handler: 'index.onEvent', runtime: lambda.Runtime.NODEJS_22_X }),
    isCompleteHandler: new lambda.Function(stack, 'IsComplete', { code, handler: 'index.isComplete', runtime: lambda.Runtime.NODEJS_22_X }),
    queryInterval: options.queryInterval ?? Duration.seconds(1),
    totalTimeout: options.totalTimeout ?? Duration.seconds(3),
  });
  const resourceType = options.resourceType ?? 'Custom::PanoramaPackageImport';
  const resource = new CustomResource(stack, 'Fake', { serviceToken: provider.serviceToken, resourceType, properties: options.properties });
  new CfnOutput(stack, 'Answer', { value: resource.getAttString('Answer') });
  if (options.otherProperties) {
    new CustomResource(stack, 'Other', { serviceToken: provider.serviceToken, resourceType, properties: options.otherProperties });
  }
  app.synth();
  return outdir;
}

/** Removes the directories written so far. */
export function removeFakeApps(): void {
  for (const dir of directories.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
