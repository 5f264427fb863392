/**
 * The emulator's life (start, listen, stop, the state file) and the controls tests use on it
 * (faults, outcomes, snapshots, reset). Answering requests is `request-handler.ts`'s job.
 */
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { ApplicationInstanceRecord } from './application-instance-record';
import { NodeJobRunner } from './camera-jobs';
import { NodeJobRecord, NodeRecord } from './camera-node-record';
import { DeviceRecord, deviceIdProblem, DeviceSetup, provisionedDevice } from './devices';
import { InjectedFault } from './errors';
import { FaultPlan, JobOutcome } from './faults';
import { ImportJobRunner } from './import-jobs';
import { InstanceLifecycle } from './instance-lifecycle';
import { loadEmulatorState, saveEmulatorState } from './persistence';
import { RateLimiter } from './rate-limit';
import { RecordedRequest, requestListener } from './request-handler';
import { S3Access } from './s3-access';
import { EmulatorState, epochSeconds, ImportJobRecord, PackageRecord, PackageVersionRecord } from './state';
import { loadValidators } from '../src/rules/schema';

/** How to start a {@link PanoramaEmulator}. */
export interface PanoramaEmulatorOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default 123456789012. */
  readonly account?: string;
  /** Endpoint of the S3 the emulated service reads from and stores into (e.g. s3rver). */
  readonly s3Endpoint: string;
  /** How long a new import job stays PENDING before it is processed; default 200 ms. */
  readonly jobDelayMs?: number;
  /**
   * How long an application instance stays in each status on its way (DEPLOYMENT_PENDING,
   * DEPLOYMENT_REQUESTED, DEPLOYMENT_IN_PROGRESS; likewise for a removal); default 200 ms. A
   * provisioned device completes its setup after the same time.
   */
  readonly instanceStepMs?: number;
  /** Enforce 5 requests/s overall and 1 request/s for writes; default false. */
  readonly rateLimits?: boolean;
  /**
   * JSON file that keeps the service's state (packages, versions, import jobs, devices,
   * application instances) between processes: read at start, rewritten atomically after every
   * change. Jobs still PENDING in it are processed again, instances on their way go on, devices
   * awaiting their setup complete it. Default: the state lives in memory only.
   */
  readonly stateFile?: string;
}

/** A read-only snapshot of an application instance. */
export type ApplicationInstanceView = Readonly<ApplicationInstanceRecord>;

/** A read-only snapshot of an import job. */
export type ImportJobView = Readonly<Omit<ImportJobRecord, 'fingerprint'>>;

/** A read-only snapshot of a package with all its versions (deregistered ones included). */
export interface PackageView extends Readonly<PackageRecord> {
  readonly versions: readonly Readonly<PackageVersionRecord>[];
}

/** A local AWS Panorama service (packages, import jobs, devices, application instances), answering the real `@aws-sdk/client-panorama` (restJson1). */
export class PanoramaEmulator {
  /** Starts the emulator on 127.0.0.1. */
  static async start(options: PanoramaEmulatorOptions): Promise<PanoramaEmulator> {
    // The schema validators are loaded lazily (the handler bundles need them for bucket sources
    // only); the service has them ready before its first request, not during a deployment.
    loadValidators();
    const emulator = new PanoramaEmulator(options);
    await emulator.listen(options.port ?? 0);
    return emulator;
  }

  /** Every request answered since start (or the last reset), in order of completion. */
  readonly requests: RecordedRequest[] = [];
  private readonly region: string;
  private readonly account: string;
  private readonly s3: S3Access;
  private readonly faults = new FaultPlan();
  private readonly rateLimiter: RateLimiter;
  private readonly rateLimitsAtStart: boolean;
  private readonly runner: ImportJobRunner;
  private readonly nodeJobRunner: NodeJobRunner;
  private readonly lifecycle: InstanceLifecycle;
  private readonly deviceSetup: DeviceSetup;
  private readonly server: Server;
  private state: EmulatorState;
  private readonly stateFile?: string;
  private port = 0;

  private constructor(options: PanoramaEmulatorOptions) {
    if (!options.s3Endpoint) throw new Error('PanoramaEmulator needs an s3Endpoint');
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.s3 = new S3Access(options.s3Endpoint, this.region);
    this.rateLimitsAtStart = options.rateLimits ?? false;
    this.rateLimiter = new RateLimiter(this.rateLimitsAtStart);
    this.runner = new ImportJobRunner(this.s3, options.jobDelayMs ?? 200, () => this.persist());
    this.nodeJobRunner = new NodeJobRunner(this.s3, options.jobDelayMs ?? 200, () => this.persist());
    const stepMs = options.instanceStepMs ?? 200;
    this.lifecycle = new InstanceLifecycle(stepMs, () => this.persist());
    this.deviceSetup = new DeviceSetup(stepMs, () => this.persist());
    this.stateFile = options.stateFile;
    this.state = this.stateFile ? loadEmulatorState(this.stateFile, this.region, this.account) : new EmulatorState(this.region, this.account);
    // What an earlier process accepted but never finished: the service would finish it.
    for (const job of this.state.jobs.values()) {
      if (job.status === 'PENDING') this.runner.schedule(this.state, job, { outcome: 'succeed' });
    }
    for (const job of this.state.nodeJobs.values()) {
      if (job.status === 'PENDING') this.nodeJobRunner.schedule(this.state, job, { outcome: 'succeed' });
    }
    for (const instance of this.state.instances.values()) this.lifecycle.resume(this.state, instance);
    for (const device of this.state.devices.values()) {
      if (device.ProvisioningStatus === 'AWAITING_PROVISIONING') this.deviceSetup.schedule(device);
    }
    this.server = createServer(requestListener({
      rateLimiter: this.rateLimiter,
      faults: this.faults,
      context: () => ({
        state: this.state,
        s3: this.s3,
        faults: this.faults,
        jobs: this.runner,
        nodeJobs: this.nodeJobRunner,
        instances: this.lifecycle,
        deviceSetup: this.deviceSetup,
      }),
      persist: () => this.persist(),
      record: (request) => this.requests.push(request),
    }));
  }

  /** Base URL for `new PanoramaClient({ endpoint })`, e.g. http://127.0.0.1:8085. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Recorded requests of one operation. */
  callsOf(operation: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  /** Makes the next `count` calls of an operation fail with the given error. */
  failNext(operation: string, count: number, fault: InjectedFault): void {
    this.faults.failNext(operation, count, fault);
  }

  /** Delays every call of an operation, or of all operations with '*', by `ms` (0 removes it). */
  addLatency(operation: string, ms: number): void {
    this.faults.addLatency(operation, ms);
  }

  /** Forces the outcome of the next `count` new jobs, or of all following jobs when count is omitted. */
  setJobOutcome(outcome: JobOutcome, options?: { message?: string; count?: number }): void {
    this.faults.setJobOutcome(outcome, options);
  }

  /** As {@link setJobOutcome}, for CreateNodeFromTemplateJob jobs (camera nodes). */
  setNodeJobOutcome(outcome: JobOutcome, options?: { message?: string; count?: number }): void {
    this.faults.setOutcome('node job', outcome, options);
  }

  /** Snapshots of all node-from-template jobs, oldest first (credentials read SAVED_AS_SECRET). */
  nodeJobs(): NodeJobRecord[] {
    return [...this.state.nodeJobs.values()].map((job) => structuredClone(job));
  }

  /** Snapshots of the camera nodes whose package version is registered. */
  nodes(): NodeRecord[] {
    return this.state.liveNodes().map((node) => structuredClone(node));
  }

  /**
   * Forces the outcome of the next `count` deployments of application instances (or of all
   * following ones when count is omitted): 'fail' ends them in DEPLOYMENT_FAILED with `message` as
   * their StatusDescription, 'pending' holds them in DEPLOYMENT_IN_PROGRESS.
   */
  setDeploymentOutcome(outcome: JobOutcome, options?: { message?: string; count?: number }): void {
    this.faults.setOutcome('deployment', outcome, options);
  }

  /** As {@link setDeploymentOutcome}, for removals: REMOVAL_FAILED, or held in REMOVAL_IN_PROGRESS. */
  setRemovalOutcome(outcome: JobOutcome, options?: { message?: string; count?: number }): void {
    this.faults.setOutcome('removal', outcome, options);
  }

  /** Switches the 5/s overall and 1/s write rate limits on or off. */
  setRateLimits(enabled: boolean): void {
    this.rateLimiter.enabled = enabled;
    this.rateLimiter.clear();
  }

  /** Snapshots of all import jobs, oldest first. */
  jobs(): ImportJobView[] {
    return [...this.state.jobs.values()].map(({ fingerprint: _fingerprint, ...job }) => structuredClone(job));
  }

  /** Snapshots of all packages with their versions, oldest first. */
  packages(): PackageView[] {
    return [...this.state.packages.values()].map((pkg) =>
      structuredClone({ ...pkg, versions: this.state.versions.filter((v) => v.packageId === pkg.packageId) }),
    );
  }

  /** Snapshots of all application instances (removed ones included), oldest first. */
  applicationInstances(): ApplicationInstanceView[] {
    return [...this.state.instances.values()].map((instance) => structuredClone(instance));
  }

  /** Snapshots of all devices, oldest first. */
  devices(): DeviceRecord[] {
    return [...this.state.devices.values()].map((device) => structuredClone(device));
  }

  /**
   * Makes sure a provisioned, online device with this id exists (a new one is recorded; an
   * existing one is left as it is) and returns it. Throws when the id breaks the model's rule.
   */
  ensureDevice(deviceId: string): { readonly device: DeviceRecord; readonly created: boolean } {
    const problem = deviceIdProblem(deviceId);
    if (problem) throw new Error(problem);
    const existing = this.state.devices.get(deviceId);
    if (existing) return { device: structuredClone(existing), created: false };
    const device = provisionedDevice(deviceId, this.region, this.account, epochSeconds());
    this.state.devices.set(deviceId, device);
    this.persist();
    return { device: structuredClone(device), created: true };
  }

  /** Resolves once no import job is waiting or mid-processing. */
  async whenJobsSettled(): Promise<void> {
    await Promise.all([this.runner.whenSettled(), this.nodeJobRunner.whenSettled()]);
  }

  /**
   * Resolves once no application instance is on its way between two statuses and no device awaits
   * its setup (instances held by a 'pending' outcome do not count).
   */
  async whenInstancesSettled(): Promise<void> {
    await Promise.all([this.lifecycle.whenSettled(), this.deviceSetup.whenSettled()]);
  }

  /** Forgets faults, latency, recorded requests, packages, jobs, devices and instances; rate limits return to the start option. */
  reset(): void {
    this.runner.cancelWaiting();
    this.nodeJobRunner.cancelWaiting();
    this.lifecycle.cancelAll();
    this.deviceSetup.cancelAll();
    this.faults.clear();
    this.setRateLimits(this.rateLimitsAtStart);
    this.requests.length = 0;
    // Jobs already mid-processing keep writing to the old state, so they cannot leak into the new one.
    this.state = new EmulatorState(this.region, this.account);
    this.persist();
  }

  /**
   * Stops serving; jobs not yet started stay PENDING, running ones finish first; instances stay in
   * their current status (a next emulator over the same state file takes them on).
   */
  async stop(): Promise<void> {
    this.runner.cancelWaiting();
    this.nodeJobRunner.cancelWaiting();
    this.lifecycle.cancelAll();
    this.deviceSetup.cancelAll();
    await this.runner.whenSettled();
    await this.nodeJobRunner.whenSettled();
    this.persist();
    // Keep-alive sockets of SDK clients would otherwise hold close() open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.s3.destroy();
  }

  private persist(): void {
    if (this.stateFile) saveEmulatorState(this.stateFile, this.state);
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }
}
