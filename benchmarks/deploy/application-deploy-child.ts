/**
 * One run of section 7 in a fresh process: its own s3rver and Panorama emulator (panorama-local's
 * timings: jobs after 200 ms, 200 ms per instance status; the runner's default instance type, which
 * polls every 250 ms), a device, then, timed one by one: the deployment of an assembly, optionally
 * an update to a second one, and the destroy. Argument: a JSON ApplicationDeployJob.
 */
import { PanoramaEmulator, startS3Server } from '../../emulator';
import { DeploymentError, LocalDeployer } from '../../local-runner';
import { reportResult } from '../lib/child';
import { BENCH_DEVICE } from '../synth/synth-child';

export interface ApplicationDeployJob {
  readonly assemblyDir: string;
  /** Deployed after the first, as an update (the application with a new model). */
  readonly updateAssemblyDir?: string;
  readonly codeStore: string;
}

/** What one phase did. */
export interface PhaseResult {
  readonly ms: number;
  /** Panorama calls of the phase, by operation. */
  readonly calls: Record<string, number>;
  readonly error?: string;
  /** Warnings of the deployment (cleanup failures). */
  readonly warnings: string[];
}

export interface ApplicationDeployResult {
  readonly create: PhaseResult;
  readonly update?: PhaseResult;
  readonly destroy: PhaseResult;
  /** After the create: import jobs, and the instance's status and the patches its manifest pins. */
  readonly jobsAfterCreate: number;
  /** The emulator's own times in the create, from its records: its longest import job (created to ended) and the instance (created to DEPLOYMENT_SUCCEEDED). */
  readonly emulatorJobMs?: number;
  readonly emulatorInstanceMs?: number;
  readonly instanceStatusAfterCreate?: string;
  readonly pinnedPatchesAfterCreate: number;
  /** After the update: import jobs, instances by status, registered patches of the changed package. */
  readonly jobsAfterUpdate?: number;
  readonly instancesAfterUpdate?: Record<string, number>;
  readonly firstPackagePatchesAfterUpdate?: number;
  /** After the destroy: packages left, instances not removed. */
  readonly packagesAfterDestroy: number;
  readonly activeInstancesAfterDestroy: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as ApplicationDeployJob;
  const s3 = await startS3Server();
  const emulator = await PanoramaEmulator.start({ s3Endpoint: s3.endpoint });
  emulator.ensureDevice(BENCH_DEVICE);
  try {
    const runner = new LocalDeployer({
      panoramaEndpoint: emulator.endpoint, s3Endpoint: s3.endpoint, codeStore: job.codeStore, logger: () => undefined, handlerLog: () => undefined,
    });
    const phase = async (work: () => Promise<{ stacks: Array<{ warnings: string[] }> }>): Promise<PhaseResult> => {
      emulator.requests.length = 0;
      const started = process.hrtime.bigint();
      let error: string | undefined;
      let warnings: string[] = [];
      try {
        warnings = (await work()).stacks.flatMap((s) => s.warnings);
      } catch (e) {
        if (!(e instanceof DeploymentError)) throw e;
        error = e.message;
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const calls: Record<string, number> = {};
      for (const r of emulator.requests) calls[r.operation] = (calls[r.operation] ?? 0) + 1;
      return { ms, calls, error, warnings };
    };

    const create = await phase(() => runner.deploy(job.assemblyDir));
    const [instance] = emulator.applicationInstances();
    const listed: Array<{ patchVersion?: string }> = instance ? JSON.parse(instance.manifestPayload).nodeGraph.packages : [];
    const pinned = listed.filter((p) => p.patchVersion).length;
    const jobsAfterCreate = emulator.jobs().length;
    const emulatorJobMs = Math.max(...emulator.jobs().map((j) => (j.lastUpdatedTime - j.createdTime) * 1000));
    const emulatorInstanceMs = instance ? (instance.lastUpdatedTime - instance.createdTime) * 1000 : undefined;

    let update: PhaseResult | undefined;
    let afterUpdate: Pick<ApplicationDeployResult, 'jobsAfterUpdate' | 'instancesAfterUpdate' | 'firstPackagePatchesAfterUpdate'> = {};
    if (job.updateAssemblyDir) {
      update = await phase(() => runner.deploy(job.updateAssemblyDir!));
      const byStatus: Record<string, number> = {};
      for (const i of emulator.applicationInstances()) byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
      const first = emulator.packages().find((p) => p.packageName === 'BenchApp0');
      afterUpdate = {
        jobsAfterUpdate: emulator.jobs().length,
        instancesAfterUpdate: byStatus,
        firstPackagePatchesAfterUpdate: first?.versions.filter((v) => v.registered).length,
      };
    }
    const destroy = await phase(() => runner.destroy());
    const result: ApplicationDeployResult = {
      create,
      update,
      destroy,
      jobsAfterCreate,
      emulatorJobMs,
      emulatorInstanceMs,
      instanceStatusAfterCreate: instance?.status,
      pinnedPatchesAfterCreate: pinned,
      ...afterUpdate,
      packagesAfterDestroy: emulator.packages().length,
      activeInstancesAfterDestroy: emulator.applicationInstances().filter((i) => i.status !== 'REMOVAL_SUCCEEDED').length,
    };
    reportResult(result);
  } finally {
    await emulator.stop();
    await s3.stop();
  }
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.stack ?? e.message);
    process.exit(1);
  });
}
