import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { ApplicationInstanceRecord } from './application-instance-record';
import { DeviceRecord, deviceIdProblem, DeviceSetup, provisionedDevice } from './devices';
import { errorFromFault, InjectedFault, renderError, ServiceError, validationError } from './errors';
import { FaultPlan, JobOutcome } from './faults';
import { HANDLERS } from './handlers';
import { ImportJobRunner } from './import-jobs';
import { InstanceLifecycle } from './instance-lifecycle';
import { OperationContext } from './operation-context';
import { mayAnswerWith } from './operation-errors';
import { loadEmulatorState, saveEmulatorState } from './persistence';
import { RateLimiter } from './rate-limit';
import { matchRoute } from './routes';
import { S3Access } from './s3-access';
import { EmulatorState, epochSeconds, ImportJobRecord, PackageRecord, PackageVersionRecord } from './state';

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

/** One request the emulator answered, for assertions on calls, retries and backoff. */
export interface RecordedRequest {
  /** The operation, or `UnknownOperation` when no route matched. */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Parsed JSON body; the raw text when it did not parse; undefined when empty. */
  readonly body: unknown;
  readonly status: number;
  readonly errorType?: string;
  /** The latency addLatency added to this call, in ms, when there was any. */
  readonly latencyMs?: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A read-only snapshot of an application instance. */
export type ApplicationInstanceView = Readonly<ApplicationInstanceRecord>;

/** A read-only snapshot of an import job. */
export type ImportJobView = Readonly<Omit<ImportJobRecord, 'fingerprint'>>;

/** A read-only snapshot of a package with all its versions (deregistered ones included). */
export interface PackageView extends Readonly<PackageRecord> {
  readonly versions: readonly Readonly<PackageVersionRecord>[];
}

const UNKNOWN_OPERATION = 'UnknownOperation';

/** A local AWS Panorama service (packages, import jobs, devices, application instances), answering the real `@aws-sdk/client-panorama` (restJson1). */
export class PanoramaEmulator {
  /** Starts the emulator on 127.0.0.1. */
  static async start(options: PanoramaEmulatorOptions): Promise<PanoramaEmulator> {
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
    const stepMs = options.instanceStepMs ?? 200;
    this.lifecycle = new InstanceLifecycle(stepMs, () => this.persist());
    this.deviceSetup = new DeviceSetup(stepMs, () => this.persist());
    this.stateFile = options.stateFile;
    this.state = this.stateFile ? loadEmulatorState(this.stateFile, this.region, this.account) : new EmulatorState(this.region, this.account);
    // What an earlier process accepted but never finished: the service would finish it.
    for (const job of this.state.jobs.values()) {
      if (job.status === 'PENDING') this.runner.schedule(this.state, job, { outcome: 'succeed' });
    }
    for (const instance of this.state.instances.values()) this.lifecycle.resume(this.state, instance);
    for (const device of this.state.devices.values()) {
      if (device.ProvisioningStatus === 'AWAITING_PROVISIONING') this.deviceSetup.schedule(device);
    }
    // handle() answers every error itself; only a broken socket can reject, and then nobody is listening.
    this.server = createServer((request, response) => void this.handle(request, response).catch(() => response.destroy()));
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
  whenJobsSettled(): Promise<void> {
    return this.runner.whenSettled();
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
    this.lifecycle.cancelAll();
    this.deviceSetup.cancelAll();
    await this.runner.whenSettled();
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

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const rawBody = await readBody(request);
    const match = matchRoute(method, url.pathname);
    const operation = match?.operation ?? UNKNOWN_OPERATION;
    let status = 200;
    let headers: Record<string, string> = {};
    let body: object;
    let errorType: string | undefined;
    let latency = 0;
    try {
      if (!match) throw validationError('UNKNOWN_OPERATION', `No Panorama operation is served at ${method} ${url.pathname}.`);
      // The Panorama model lists no throttling error; ThrottlingException/429 is the common AWS one, which the SDK retries.
      if (!this.rateLimiter.admit(match.operation)) throw new ServiceError('ThrottlingException', 'Rate exceeded');
      latency = this.faults.latencyOf(match.operation);
      if (latency > 0) await sleep(latency);
      const fault = this.faults.takeFailure(match.operation);
      if (fault) throw errorFromFault(match.operation, fault);
      const context: OperationContext = {
        state: this.state, s3: this.s3, faults: this.faults, jobs: this.runner, instances: this.lifecycle, deviceSetup: this.deviceSetup,
      };
      body = await HANDLERS[match.operation](context, { labels: match.labels, query: url.searchParams, body: parseJsonObject(rawBody) });
      // Durable before it is acknowledged: a crash after the answer cannot lose what it reported.
      if (method !== 'GET') this.persist();
    } catch (error) {
      let serviceError = error instanceof ServiceError ? error : new ServiceError('InternalServerException', `Internal error: ${(error as Error).message}`);
      if (match && !mayAnswerWith(match.operation, serviceError.errorType)) {
        // Loud rather than plausible: the real service cannot answer this, so no client may learn to expect it.
        serviceError = new ServiceError('InternalServerException', `Emulator bug: ${match.operation} may not answer ${serviceError.errorType} (${serviceError.message})`);
      }
      const rendered = renderError(serviceError);
      ({ status, headers, body } = rendered);
      errorType = serviceError.errorType;
    }
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...headers,
    });
    response.end(text);
    this.requests.push({
      operation,
      method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      body: recordedBody(rawBody),
      status,
      ...(errorType ? { errorType } : {}),
      ...(latency > 0 ? { latencyMs: latency } : {}),
      startedAt,
      endedAt: Date.now(),
    });
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The JSON body as an object ({} when empty); anything else is a CANNOT_PARSE ValidationException. */
function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw validationError('CANNOT_PARSE', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw validationError('CANNOT_PARSE', 'Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function recordedBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? values[0] : values;
  }
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
