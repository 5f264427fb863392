/**
 * One measurement in a fresh process, for the validation section: loads one version of the library
 * (an esbuild bundle of its src/), then times either a whole synth of the given package folders
 * (construct tree + app.synth) or only the reading and checking of those folders (readPackageFolder:
 * the manifest, its schema, its files, its descriptors). Module loading is excluded from both.
 */
import { createRequire } from 'module';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { reportResult } from '../lib/child';

export interface ValidationJob {
  readonly kind: 'synth' | 'validate';
  /** The bundled library: src/index.ts plus readPackageFolder. */
  readonly library: string;
  readonly packageDirs: string[];
  readonly outdir: string;
}

export interface ValidationResult {
  readonly ms: number;
}

function main(): void {
  const job = JSON.parse(process.argv[2]) as ValidationJob;
  // The version under test, chosen at run time. It and this child resolve aws-cdk-lib from NODE_PATH
  // (left external when this child is compiled), so both share one copy, as an app and a library do.
  const lib = createRequire(__filename)(path.resolve(job.library));
  const started = process.hrtime.bigint();
  if (job.kind === 'synth') {
    const app = new cdk.App({ outdir: job.outdir });
    const stack = new cdk.Stack(app, 'ValidationBench', { env: { account: '123456789012', region: 'us-east-1' } });
    job.packageDirs.forEach((dir, i) => new lib.PanoramaPackageImport(stack, `Import${i}`, { source: lib.PackageSource.fromDirectory(dir) }));
    app.synth();
  } else {
    for (const dir of job.packageDirs) lib.readPackageFolder(dir, { manifestFileName: 'package.json', reservedName: 'package.json' /* read by versions before content names */ });
  }
  const result: ValidationResult = { ms: Number(process.hrtime.bigint() - started) / 1e6 };
  reportResult(result);
}

if (require.main === module) main();
