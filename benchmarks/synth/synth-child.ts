/**
 * One synth in a fresh process (run by the bench through lib/child.ts): builds the app, times the
 * construct tree plus `app.synth()` (module loading excluded, it is the same for every row), and
 * reports what the template and asset manifest hold. Argument: a JSON SynthJob.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { PackageSource, PanoramaApplication, PanoramaPackageImport } from '../../src';
import { reportResult } from '../lib/child';

export const BENCH_STACK = 'PanoramaBench';
/** The device the application job's instance runs on. */
export const BENCH_DEVICE = 'bench-device';

export type SynthJob =
  | { readonly kind: 'imports'; readonly packageDirs: string[]; readonly outdir: string; readonly destroy?: boolean }
  | { readonly kind: 'application'; readonly projectDir: string; readonly outdir: string; readonly destroy?: boolean; readonly defaultProps?: boolean }
  | { readonly kind: 'bucket-deployment'; readonly directory: string; readonly outdir: string };

export interface SynthResult {
  readonly synthMs: number;
  readonly templateBytes: number;
  readonly resources: number;
  readonly functions: number;
  readonly importResources: number;
  readonly fileAssets: number;
  readonly directoryAssets: number;
  /** Overflow policies CDK splits off a role's policy when it outgrows IAM's inline size limit. */
  readonly managedPolicies: number;
  /** Characters of the import handlers' role policies (default plus overflow), as written in the template. */
  readonly handlerPolicyChars: number;
  readonly applicationInstances: number;
  /** The manifest payload's characters as deployed with a 12-digit account and 64-character patches (an application job). */
  readonly payloadCharacters?: number;
}

/** The import handlers' role policies: `…Provider<suffix>RoleDefaultPolicy…` and `…RoleOverflowPolicy…`. */
const HANDLER_POLICY = /^PanoramaPackageImportProvider[0-9a-f]*Role(DefaultPolicy|OverflowPolicy)/;

function build(job: SynthJob, stack: Stack): void {
  if (job.kind === 'imports') {
    job.packageDirs.forEach((dir, i) => new PanoramaPackageImport(stack, `Import${i}`, {
      source: PackageSource.fromDirectory(dir),
      queryInterval: Duration.seconds(1),
      ...(job.destroy ? { removalPolicy: RemovalPolicy.DESTROY } : {}),
    }));
    return;
  }
  if (job.kind === 'application') {
    // The same handler configuration as the imports job, so both share one kind of Provider.
    new PanoramaApplication(stack, 'App', {
      projectDirectory: job.projectDir,
      device: BENCH_DEVICE,
      // defaultProps: as a new CDK app writes it (the Provider's default 5 s queryInterval).
      ...(job.defaultProps ? {} : { queryInterval: Duration.seconds(1) }),
      ...(job.destroy ? { removalPolicy: RemovalPolicy.DESTROY } : {}),
    });
    return;
  }
  // The zip-then-copy way: the folder is one directory asset, zipped when it is published.
  new s3deploy.BucketDeployment(stack, 'Deploy', {
    sources: [s3deploy.Source.asset(job.directory)],
    destinationBucket: new s3.Bucket(stack, 'Destination'),
  });
}

/** The application's payload as CloudFormation would resolve it, with the longest values its tokens take. */
function deployedPayloadCharacters(resources: Array<{ Type: string; Properties?: any }>): number | undefined {
  const instance = resources.find((r) => r.Type === 'AWS::Panorama::ApplicationInstance');
  const data = instance?.Properties?.ManifestPayload?.PayloadData;
  if (data === undefined) return undefined;
  const parts: unknown[] = typeof data === 'string' ? [data] : data['Fn::Join'][1];
  const text = parts.map((p: any) => (typeof p === 'string' ? p : p.Ref === 'AWS::AccountId' ? '123456789012' : 'f'.repeat(64))).join('');
  return [...text].length;
}

function main(): void {
  const job = JSON.parse(process.argv[2]) as SynthJob;
  const started = process.hrtime.bigint();
  const app = new App({ outdir: job.outdir });
  const stack = new Stack(app, BENCH_STACK, { env: { account: '123456789012', region: 'us-east-1' } });
  build(job, stack);
  const assembly = app.synth();
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;

  const artifact = assembly.getStackByName(BENCH_STACK);
  const entries = Object.entries<{ Type: string; Properties?: { PolicyDocument?: unknown } }>(artifact.template.Resources ?? {});
  const resources = entries.map(([, r]) => r);
  const assets = JSON.parse(fs.readFileSync(path.join(job.outdir, `${BENCH_STACK}.assets.json`), 'utf-8')) as { files?: Record<string, { source: { packaging?: string } }> };
  const files = Object.values(assets.files ?? {});
  const result: SynthResult = {
    synthMs,
    templateBytes: fs.statSync(artifact.templateFullPath).size,
    resources: resources.length,
    functions: resources.filter((r) => r.Type === 'AWS::Lambda::Function').length,
    importResources: resources.filter((r) => r.Type === 'Custom::PanoramaPackageImport').length,
    fileAssets: files.filter((f) => (f.source.packaging ?? 'file') === 'file').length,
    directoryAssets: files.filter((f) => f.source.packaging === 'zip').length,
    managedPolicies: resources.filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').length,
    handlerPolicyChars: entries
      .filter(([id]) => HANDLER_POLICY.test(id))
      .reduce((n, [, r]) => n + JSON.stringify(r.Properties?.PolicyDocument ?? {}).length, 0),
    applicationInstances: resources.filter((r) => r.Type === 'AWS::Panorama::ApplicationInstance').length,
    payloadCharacters: deployedPayloadCharacters(resources),
  };
  reportResult(result);
}

if (require.main === module) main();
