/**
 * One deployment through the local runner in a fresh process (so every run loads the handlers
 * cold, as new Lambda sandboxes would): its own s3rver, S3 call counter and Panorama emulator,
 * then `LocalDeployer.deploy` of a synthesized assembly, timed. Argument: a JSON DeployJob.
 */
import { PanoramaEmulator, startS3Server } from '../../emulator';
import { DeploymentError, LocalDeployer } from '../../local-runner';
import { reportResult } from '../lib/child';
import { startS3Counter } from '../lib/s3-counter';

export interface DeployJob {
  readonly assemblyDir: string;
  readonly codeStore: string;
  readonly imports: number;
  readonly jobDelayMs: number;
  readonly rateLimits: boolean;
}

export interface DeployRunResult {
  readonly deployMs: number;
  readonly panoramaCalls: Record<string, number>;
  readonly s3Calls: Record<string, number>;
  /** S3 calls answered with 300 or more (`operation status`): existence checks, and retried errors. */
  readonly s3Failures: Record<string, number>;
  /** Panorama calls answered with ThrottlingException, by operation. */
  readonly throttled?: Record<string, number>;
  /** The seconds from the first CreatePackageImportJob admitted to the last (the writes' own span). */
  readonly createSpanMs?: number;
  /** Why the deployment failed (a failed deploy is a result too: it is reported, not thrown). */
  readonly error?: string;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as DeployJob;
  const s3 = await startS3Server();
  const counter = await startS3Counter(s3.endpoint);
  // The emulated service reads the staged files directly: those reads are Panorama's, not ours.
  const emulator = await PanoramaEmulator.start({ s3Endpoint: s3.endpoint, jobDelayMs: job.jobDelayMs, rateLimits: job.rateLimits });
  try {
    const runner = new LocalDeployer({
      panoramaEndpoint: emulator.endpoint,
      s3Endpoint: counter.endpoint,
      codeStore: job.codeStore,
      logger: () => undefined,
      handlerLog: () => undefined,
    });
    const started = process.hrtime.bigint();
    let error: string | undefined;
    try {
      const result = await runner.deploy(job.assemblyDir);
      const imported = result.resources.filter((r) => r.type === 'Custom::PanoramaPackageImport' && r.status === 'CREATE_COMPLETE').length;
      if (imported !== job.imports) error = `expected ${job.imports} imports created, got ${imported}`;
    } catch (e) {
      if (!(e instanceof DeploymentError)) throw e;
      error = e.message;
    }
    const deployMs = Number(process.hrtime.bigint() - started) / 1e6;
    const panoramaCalls: Record<string, number> = {};
    const throttled: Record<string, number> = {};
    for (const r of emulator.requests) panoramaCalls[r.operation] = (panoramaCalls[r.operation] ?? 0) + 1;
    for (const r of emulator.requests.filter((x) => x.errorType === 'ThrottlingException')) throttled[r.operation] = (throttled[r.operation] ?? 0) + 1;
    const admittedCreates = emulator.requests.filter((x) => x.operation === 'CreatePackageImportJob' && x.status === 200).map((x) => x.startedAt);
    const out: DeployRunResult = {
      throttled,
      createSpanMs: admittedCreates.length > 1 ? Math.max(...admittedCreates) - Math.min(...admittedCreates) : 0,
      deployMs,
      panoramaCalls,
      s3Calls: Object.fromEntries(counter.calls),
      s3Failures: Object.fromEntries(counter.failures),
      error,
    };
    reportResult(out);
  } finally {
    await emulator.stop();
    await counter.stop();
    await s3.stop();
  }
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  });
}
