/**
 * CloudFormation for the subset our construct needs, against the emulators: deploys the stacks of
 * a cloud assembly (nested assemblies' included) in dependency order, each through a StackSession
 * (stack-session.ts), destroys them in reverse order, and keeps the state between calls (in a file
 * when given one).
 */
import * as os from 'os';
import * as path from 'path';
import { readCloudAssembly, StackArtifact } from './cloud-assembly';
import type { DeployOptions } from './deploy-options';
import { DEFAULT_ENVIRONMENT, EmulatedEnvironment, environmentMismatch } from './emulated-environment';
import { HandlerLogSink, withDeploymentEnvironment } from './environment';
import { Journal } from './journal';
import { Logger, stdoutLogger } from './logger';
import type { ResourceType } from './resource-type';
import { RESOURCE_TYPES } from './resource-types';
import { DeploymentError, DeployResult, StackResult, summary } from './results';
import { localS3Client } from './s3-objects';
import { SecretStore } from './secret-store';
import { startSecretsEndpoint } from './secrets-endpoint';
import { enforcedQuotas, handlerWriteSlotMs, readsUnmetered } from './service-quotas';
import { StackEventSink } from './stack-events';
import { selectStacks } from './stack-selection';
import { StackSession } from './stack-session';
import { emptyState, loadState, RunnerState, saveState } from './state';
import type { EnforcedQuotas } from '../emulator/rate-limit';

// The runner as a library: the deployer with the types of its options and results.
export type { DeployOptions } from './deploy-options';
export { DeploymentError } from './results';
export type { DeployResult, ResourceResult, ResourceStatus, StackResult } from './results';

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
  /** Resource types besides (or instead of) the built-in ones, by CloudFormation type name. */
  readonly resourceTypes?: Readonly<Record<string, ResourceType>>;
  /**
   * The emulated Secrets Manager's storage (secrets encrypted at rest). Each deployment serves it to
   * the handlers on a loopback endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER).
   * @default a store beside the state file, else one in memory
   */
  readonly secretStore?: SecretStore;
}

/** Deploys cloud assemblies against the emulators and remembers what it deployed. */
export class LocalDeployer {
  /** The deployed stacks; pass it to a new deployer to continue where this one stopped. */
  readonly state: RunnerState;
  /** What each stack session is about to do, written before it does it (beside the state file; in memory without one). */
  readonly journal: Journal;
  /** The secrets the deployments' AWS::SecretsManager::Secret resources hold. */
  readonly secrets: SecretStore;
  private readonly log: Logger;

  constructor(private readonly options: LocalDeployerOptions) {
    this.state = options.state ?? (options.stateFile ? loadState(options.stateFile) : emptyState());
    this.journal = new Journal(options.stateFile ? journalFileOf(options.stateFile) : undefined);
    this.log = options.logger ?? stdoutLogger;
    this.secrets = options.secretStore ?? SecretStore.open(options.stateFile ? path.dirname(options.stateFile) : undefined);
  }

  /**
   * The stacks a destroy can select: the deployed ones, and those an interrupted command had begun
   * to create (known to the journal only), as stubs carrying their path.
   */
  destroyable(): RunnerState {
    const stacks = { ...this.state.stacks };
    for (const stackName of this.journal.stackNames()) {
      if (stacks[stackName]) continue;
      const entry = this.journal.entry(stackName)!;
      stacks[stackName] = {
        stackName,
        stackId: entry.stackId,
        account: entry.account,
        region: entry.region,
        resources: {},
        outputs: {},
        ...(entry.hierarchicalId !== undefined ? { hierarchicalId: entry.hierarchicalId } : {}),
      };
    }
    return { stacks };
  }

  /** Creates or updates the selected stacks of the assembly (default: all), in dependency order; throws DeploymentError. */
  async deploy(assemblyDirectory: string, options: DeployOptions = {}): Promise<DeployResult> {
    const assembly = readCloudAssembly(assemblyDirectory);
    const selected = selectStacks(assembly, options.stacks ?? []);
    // Checked for every stack first, so a refusal deploys nothing.
    const mismatches = selected.map((artifact) => environmentMismatch(artifact, this.environment)).filter((m): m is string => m !== undefined);
    if (mismatches.length > 0) throw new DeploymentError(mismatches.join('\n'), summary([]));
    const stacks: StackResult[] = [];
    const quotas = await enforcedQuotas(this.options.panoramaEndpoint);
    for (const artifact of selected) {
      if (options.signal?.aborted) throw new DeploymentError(`Deployment cancelled before stack ${artifact.stackName}`, summary(stacks));
      const session = this.session(artifact.stackName, artifact, quotas);
      const result = await this.inEnvironment(session.region, quotas, () => session.deploy(artifact.template, options));
      stacks.push(result.stack);
      this.save(artifact.stackName);
      if (result.error) throw new DeploymentError(result.error, summary(stacks));
    }
    return summary(stacks);
  }

  /**
   * Deletes every resource of the given stacks (default: all), dependents first; throws
   * DeploymentError. Once `signal` aborts, nothing new is deleted and the state keeps what is left.
   */
  async destroy(
    stackNames: string[] = Object.keys(this.destroyable().stacks).reverse(), options: { signal?: AbortSignal } = {},
  ): Promise<DeployResult> {
    const stacks: StackResult[] = [];
    const quotas = await enforcedQuotas(this.options.panoramaEndpoint);
    for (const stackName of stackNames) {
      const existing = this.destroyable().stacks[stackName];
      if (!existing) continue;
      if (options.signal?.aborted) throw new DeploymentError(`Destroy cancelled before stack ${stackName}`, summary(stacks));
      const session = this.session(stackName, existing, quotas);
      const result = await this.inEnvironment(session.region, quotas, () => session.destroy(options.signal));
      stacks.push(result.stack);
      this.save(stackName);
      if (result.error) throw new DeploymentError(result.error, summary(stacks));
    }
    return summary(stacks);
  }

  private get environment(): EmulatedEnvironment {
    return { account: this.options.account ?? DEFAULT_ENVIRONMENT.account, region: this.options.region ?? DEFAULT_ENVIRONMENT.region };
  }

  /** The session of one stack: from its artifact to deploy it, from its state to destroy it. */
  private session(
    stackName: string, stack: Partial<Pick<StackArtifact, 'account' | 'region' | 'assets' | 'hierarchicalId'>>, quotas: EnforcedQuotas | undefined,
  ): StackSession {
    const previous = this.state.stacks[stackName];
    const resolvedRegion = stack.region ?? previous?.region ?? this.environment.region;
    return new StackSession({
      state: this.state,
      stackName,
      account: stack.account ?? previous?.account ?? this.environment.account,
      region: resolvedRegion,
      partition: this.options.partition ?? 'aws',
      s3: localS3Client(this.options.s3Endpoint, resolvedRegion),
      assets: stack.assets ?? [],
      codeStore: this.options.codeStore ?? (this.options.stateFile
        ? path.join(path.dirname(this.options.stateFile), 'functions')
        : path.join(os.tmpdir(), 'cdk-panorama-local-runner', 'functions')),
      panoramaEndpoint: this.options.panoramaEndpoint,
      s3Endpoint: this.options.s3Endpoint,
      secrets: this.secrets,
      log: this.log,
      events: this.options.events,
      types: { ...RESOURCE_TYPES, ...this.options.resourceTypes },
      journal: this.journal,
      hierarchicalId: stack.hierarchicalId ?? previous?.hierarchicalId,
      unmeteredReads: readsUnmetered(quotas),
    });
  }

  /** Runs a stack's work with the handlers' environment set, and the secrets served for its length. */
  private async inEnvironment<T>(region: string, quotas: EnforcedQuotas | undefined, work: () => Promise<T>): Promise<T> {
    const secretsEndpoint = await startSecretsEndpoint(this.secrets);
    try {
      const environment = {
        panoramaEndpoint: this.options.panoramaEndpoint,
        s3Endpoint: this.options.s3Endpoint,
        secretsEndpoint: secretsEndpoint.url,
        region,
        writeSlotMs: handlerWriteSlotMs(quotas),
      };
      return await withDeploymentEnvironment(environment, this.options.handlerLog ?? stdoutLogger, work);
    } finally {
      await secretsEndpoint.stop();
    }
  }

  /** The state after a stack's session, then the session's journal entry closed (a kill between the two only recovers what is recorded). */
  private save(stackName: string): void {
    if (this.options.stateFile) saveState(this.options.stateFile, this.state);
    this.journal.close(stackName);
  }
}

/** The journal's file: beside the state file. */
export function journalFileOf(stateFile: string): string {
  return path.join(path.dirname(stateFile), 'journal.json');
}
