/**
 * CloudFormation for the subset our construct needs, against the emulators: deploys the stacks of
 * a cloud assembly in dependency order (each through a StackSession, stack-session.ts), destroys
 * them in reverse order, and keeps the state between calls (in a file when given one).
 */
import * as os from 'os';
import * as path from 'path';
import { AssetPublishReport } from './asset-publisher';
import { FileAsset, readCloudAssembly, selectStacks } from './cloud-assembly';
import { RedeliveryPolicy } from './custom-resources';
import { DEFAULT_ENVIRONMENT, EmulatedEnvironment, environmentMismatch } from './emulated-environment';
import { HandlerLogSink, withDeploymentEnvironment } from './environment';
import { Logger, stdoutLogger } from './logger';
import { CustomResourceResponse } from './provider-framework';
import { NATIVE_TYPES, NativeType } from './resource-types';
import { localS3Client } from './s3-objects';
import { StackEventSink } from './stack-events';
import { StackSession } from './stack-session';
import { emptyState, loadState, RunnerState, saveState } from './state';

/** Where the emulators are and what the runner pretends to be. */
export interface LocalDeployerOptions {
  readonly panoramaEndpoint: string;
  readonly s3Endpoint: string;
  /** The account the emulators serve; a stack bound to another is refused. @default '123456789012' (the emulator's default) */
  readonly account?: string;
  /** The Region the emulators serve; a stack bound to another is refused. @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** State kept by the caller; changed in place. @default a new empty state (or the stateFile's) */
  readonly state?: RunnerState;
  /** JSON file the state is loaded from and saved to after every stack. */
  readonly stateFile?: string;
  /** Progress lines. @default stdout */
  readonly logger?: Logger;
  /** Lines the handlers log. @default stdout */
  readonly handlerLog?: HandlerLogSink;
  /** Where Lambda code is copied on deploy. @default beside the state file, else in the OS temp dir */
  readonly codeStore?: string;
  /** Receives every stack and resource status change, as CloudFormation's stack events. */
  readonly events?: StackEventSink;
  /** Native types besides (or instead of) the built-in ones, by CloudFormation type name. */
  readonly resourceTypes?: Readonly<Record<string, NativeType>>;
}

/** Options of one deployment. */
export interface DeployOptions {
  /** Roll a failed deployment back, as CloudFormation does. @default true */
  readonly rollback?: boolean;
  /** Deliver some custom resource requests more than once (same RequestId). */
  readonly redeliver?: RedeliveryPolicy;
  /** Deploy only these stacks (names or artifact ids, `*` as a wildcard) and those they depend on. @default every stack */
  readonly stacks?: readonly string[];
  /**
   * Cancels the deployment when it aborts, as CloudFormation's CancelUpdateStack: no new resource
   * or stack starts, waiting imports stop (their Create or Update fails as cancelled), and the
   * stack rolls back, so the state records what exists.
   */
  readonly signal?: AbortSignal;
}

/** Resource statuses in CloudFormation's words, plus NO_CHANGE and NOT_STARTED. */
export type ResourceStatus =
  | 'CREATE_COMPLETE' | 'CREATE_FAILED' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED' | 'NO_CHANGE' | 'NOT_STARTED'
  | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'DELETE_SKIPPED';

/** What happened to one resource. */
export interface ResourceResult {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: ResourceStatus;
  readonly physicalId?: string;
  readonly attributes: Record<string, string>;
  readonly reason?: string;
  /** Responses of extra deliveries of the same request (see DeployOptions.redeliver). */
  readonly duplicateResponses?: CustomResourceResponse[];
}

/** What happened to one stack. */
export interface StackResult {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  /** False when nothing had to change (an unchanged redeploy): CloudFormation's "no changes". */
  readonly changed: boolean;
  readonly resources: ResourceResult[];
  readonly outputs: Record<string, string>;
  /** Failures CloudFormation would only warn about (cleanup, rollback). */
  readonly warnings: string[];
  readonly assets?: AssetPublishReport;
}

/** What a deploy or destroy did, stack by stack. */
export interface DeployResult {
  readonly stacks: StackResult[];
  /** Every resource of every stack. */
  readonly resources: ResourceResult[];
}

/** A deployment or destruction that failed; `result` says what happened before. */
export class DeploymentError extends Error {
  constructor(message: string, readonly result: DeployResult) {
    super(message);
    this.name = 'DeploymentError';
  }
}


/** Deploys cloud assemblies against the emulators and remembers what it deployed. */
export class LocalDeployer {
  /** The deployed stacks; pass it to a new deployer to continue where this one stopped. */
  readonly state: RunnerState;
  private readonly log: Logger;

  constructor(private readonly options: LocalDeployerOptions) {
    this.state = options.state ?? (options.stateFile ? loadState(options.stateFile) : emptyState());
    this.log = options.logger ?? stdoutLogger;
  }

  /** Creates or updates every stack of the assembly, in dependency order; throws DeploymentError. */
  async deploy(assemblyDirectory: string, options: DeployOptions = {}): Promise<DeployResult> {
    const assembly = readCloudAssembly(assemblyDirectory);
    const selected = selectStacks(assembly, options.stacks ?? []);
    // Checked for every stack first, so a refusal deploys nothing.
    const mismatches = selected.map((artifact) => environmentMismatch(artifact, this.environment)).filter((m): m is string => m !== undefined);
    if (mismatches.length > 0) throw new DeploymentError(mismatches.join('\n'), summary([]));
    const stacks: StackResult[] = [];
    for (const artifact of selected) {
      if (options.signal?.aborted) throw new DeploymentError(`Deployment cancelled before stack ${artifact.stackName}`, summary(stacks));
      const session = this.session(artifact.stackName, artifact.account, artifact.region, artifact.assets);
      const result = await this.inEnvironment(session.region, () => session.deploy(artifact.template, options));
      stacks.push(result.stack);
      this.save();
      if (result.error) throw new DeploymentError(result.error, summary(stacks));
    }
    return summary(stacks);
  }

  /**
   * Deletes every resource of the given stacks (default: all), dependents first; throws
   * DeploymentError. Once `signal` aborts, nothing new is deleted and the state keeps what is left.
   */
  async destroy(stackNames: string[] = Object.keys(this.state.stacks).reverse(), options: { signal?: AbortSignal } = {}): Promise<DeployResult> {
    const stacks: StackResult[] = [];
    for (const stackName of stackNames) {
      const existing = this.state.stacks[stackName];
      if (!existing) continue;
      if (options.signal?.aborted) throw new DeploymentError(`Destroy cancelled before stack ${stackName}`, summary(stacks));
      const session = this.session(stackName, existing.account, existing.region, []);
      const result = await this.inEnvironment(session.region, () => session.destroy(options.signal));
      stacks.push(result.stack);
      this.save();
      if (result.error) throw new DeploymentError(result.error, summary(stacks));
    }
    return summary(stacks);
  }

  private get environment(): EmulatedEnvironment {
    return { account: this.options.account ?? DEFAULT_ENVIRONMENT.account, region: this.options.region ?? DEFAULT_ENVIRONMENT.region };
  }

  private session(stackName: string, account: string | undefined, region: string | undefined, assets: FileAsset[]): StackSession {
    const previous = this.state.stacks[stackName];
    const resolvedRegion = region ?? previous?.region ?? this.environment.region;
    return new StackSession({
      state: this.state,
      stackName,
      account: account ?? previous?.account ?? this.environment.account,
      region: resolvedRegion,
      partition: this.options.partition ?? 'aws',
      s3: localS3Client(this.options.s3Endpoint, resolvedRegion),
      assets,
      codeStore: this.options.codeStore ?? (this.options.stateFile
        ? path.join(path.dirname(this.options.stateFile), 'functions')
        : path.join(os.tmpdir(), 'cdk-panorama-local-runner', 'functions')),
      panoramaEndpoint: this.options.panoramaEndpoint,
      s3Endpoint: this.options.s3Endpoint,
      log: this.log,
      events: this.options.events,
      types: { ...NATIVE_TYPES, ...this.options.resourceTypes },
    });
  }

  private inEnvironment<T>(region: string, work: () => Promise<T>): Promise<T> {
    const environment = { panoramaEndpoint: this.options.panoramaEndpoint, s3Endpoint: this.options.s3Endpoint, region };
    return withDeploymentEnvironment(environment, this.options.handlerLog ?? stdoutLogger, work);
  }

  private save(): void {
    if (this.options.stateFile) saveState(this.options.stateFile, this.state);
  }
}

function summary(stacks: StackResult[]): DeployResult {
  return { stacks, resources: stacks.flatMap((s) => s.resources) };
}
