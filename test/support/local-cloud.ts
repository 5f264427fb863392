/**
 * The one harness of the end-to-end tests: s3rver and the Panorama emulator on 127.0.0.1, a local
 * runner bound to them, and everything stopped afterwards. Progress and handler lines are kept
 * (not printed) so tests can assert on them; LOCAL_CLOUD_VERBOSE=1 prints them too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PanoramaClient } from '@aws-sdk/client-panorama';
import { S3Client } from '@aws-sdk/client-s3';
import { PanoramaEmulator, startS3Server } from '../../emulator';
import { APPLICATION_INSTANCE_TYPE, applicationInstanceType, LocalDeployer } from '../../local-runner';
import { DeployOptions, DeployResult, LocalDeployerOptions } from '../../local-runner/deployer';

const HANDLER_BUNDLES = ['on-event.lambda', 'is-complete.lambda'].map((name) => path.join(__dirname, '..', '..', 'assets', 'handler', name, 'index.js'));

/** The running emulators and a runner bound to them. */
export interface LocalCloud {
  readonly emulator: PanoramaEmulator;
  readonly s3Endpoint: string;
  /** Progress lines of the runner, in order. */
  readonly progress: string[];
  /** Lines the handlers logged. */
  readonly handlerLines: string[];
  /** The runner deploy and destroy use; replaced by {@link LocalCloud.reset}. */
  readonly runner: LocalDeployer;
  /** Clients of the emulators, as a test would use against AWS. */
  readonly panorama: PanoramaClient;
  readonly s3: S3Client;
  deploy(assemblyDirectory: string, options?: DeployOptions): Promise<DeployResult>;
  destroy(): Promise<DeployResult>;
  /** A second runner over the same emulators (a fresh state unless one is given). */
  newRunner(options?: Partial<LocalDeployerOptions>): LocalDeployer;
  /**
   * A clean start for the next test: an emptied emulator, a runner that deployed nothing, no
   * recorded lines. Whatever an earlier test left behind cannot reach the next one.
   */
  reset(): void;
  stop(): Promise<void>;
}

/** How often the runner reads an application instance's status in the end-to-end tests. */
export const INSTANCE_POLL_INTERVAL_MS = 50;
/** How long the runner waits for an instance's deployment or removal there (it takes 3 × 20 ms). */
export const INSTANCE_TIMEOUT_MS = 20_000;

/**
 * Starts s3rver and the emulator; jobs finish after `jobDelayMs` (default 100 ms), application
 * instances take `instanceStepMs` (default 20 ms) per status.
 */
export async function startLocalCloud(options: { jobDelayMs?: number; rateLimits?: boolean; instanceStepMs?: number } = {}): Promise<LocalCloud> {
  const missing = HANDLER_BUNDLES.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) throw new Error(`Handler bundles missing (${missing.join(', ')}): run \`npx projen bundle\` first`);
  const s3Server = await startS3Server();
  const emulator = await PanoramaEmulator.start({
    s3Endpoint: s3Server.endpoint,
    jobDelayMs: options.jobDelayMs ?? 100,
    rateLimits: options.rateLimits,
    instanceStepMs: options.instanceStepMs ?? 20,
  });
  const progress: string[] = [];
  const handlerLines: string[] = [];
  const verbose = process.env.LOCAL_CLOUD_VERBOSE === '1';
  const runnerOptions: LocalDeployerOptions = {
    panoramaEndpoint: emulator.endpoint,
    s3Endpoint: s3Server.endpoint,
    logger: (line) => {
      progress.push(line);
      if (verbose) process.stdout.write(`${line}\n`);
    },
    handlerLog: (line) => {
      handlerLines.push(line);
      if (verbose) process.stdout.write(`  | ${line}\n`);
    },
    resourceTypes: {
      [APPLICATION_INSTANCE_TYPE]: applicationInstanceType({ pollIntervalMs: INSTANCE_POLL_INTERVAL_MS, timeoutMs: INSTANCE_TIMEOUT_MS }),
    },
  };
  const newRunner = (overrides: Partial<LocalDeployerOptions> = {}) => new LocalDeployer({ ...runnerOptions, ...overrides });
  let runner = newRunner();
  const clientOptions = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: 'dummy' },
  };
  const panorama = new PanoramaClient({ ...clientOptions, endpoint: emulator.endpoint });
  const s3 = new S3Client({ ...clientOptions, endpoint: s3Server.endpoint, forcePathStyle: true });
  return {
    emulator,
    s3Endpoint: s3Server.endpoint,
    progress,
    handlerLines,
    get runner() {
      return runner;
    },
    panorama,
    s3,
    deploy: (assemblyDirectory, deployOptions) => runner.deploy(assemblyDirectory, deployOptions),
    destroy: () => runner.destroy(),
    newRunner,
    reset() {
      emulator.reset();
      runner = newRunner();
      progress.length = 0;
      handlerLines.length = 0;
    },
    async stop() {
      panorama.destroy();
      s3.destroy();
      await emulator.stop();
      await s3Server.stop();
    },
  };
}
