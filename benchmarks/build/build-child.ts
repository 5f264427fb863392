/**
 * One synth of a package folder built at synth (run by section 8 through lib/child.ts): times the
 * construct tree plus `app.synth()`, and reports the archive's name. Argument: a JSON BuildJob.
 */
import { App, Stack } from 'aws-cdk-lib';
import { PackageBuild, PackageSource, PanoramaPackageImport } from '../../src';
import { reportResult } from '../lib/child';

export interface BuildJob {
  readonly packageDir: string;
  readonly outdir: string;
}

export interface BuildResult {
  readonly synthMs: number;
  /** The staged container archive's name (`<sha256>.tar.gz`). */
  readonly archive: string;
}

const job: BuildJob = JSON.parse(process.argv[2]);
const started = process.hrtime.bigint();
const app = new App({ outdir: job.outdir });
const stack = new Stack(app, 'BuildBench', { env: { account: '123456789012', region: 'us-east-1' } });
new PanoramaPackageImport(stack, 'Code', { source: PackageSource.fromDirectory(job.packageDir, { packageBuild: PackageBuild.container() }) });
const assembly = app.synth();
const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
const template = assembly.getStackByName(stack.stackName).template;
const files: Array<{ Name: string }> = Object.values<any>(template.Resources)
  .find((r) => r.Type === 'Custom::PanoramaPackageImport').Properties.Source.Files;
const archive = files.map((f) => f.Name).find((n) => n.endsWith('.tar.gz'));
if (!archive) throw new Error('no archive was staged');
reportResult({ synthMs, archive } satisfies BuildResult);
