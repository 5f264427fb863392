/**
 * Application instances as the emulated service holds them, and how their status moves: a
 * deployment goes DEPLOYMENT_PENDING → DEPLOYMENT_REQUESTED → DEPLOYMENT_IN_PROGRESS →
 * DEPLOYMENT_SUCCEEDED (or DEPLOYMENT_FAILED), a removal REMOVAL_PENDING → REMOVAL_REQUESTED →
 * REMOVAL_IN_PROGRESS → REMOVAL_SUCCEEDED (or REMOVAL_FAILED), one step every `stepMs`.
 */
import { EmulatorState, epochSeconds } from './state';
import { StepScheduler } from './step-scheduler';

/** The model's ApplicationInstanceStatus. */
export type ApplicationInstanceStatus =
  | 'DEPLOYMENT_PENDING' | 'DEPLOYMENT_REQUESTED' | 'DEPLOYMENT_IN_PROGRESS' | 'DEPLOYMENT_ERROR' | 'DEPLOYMENT_SUCCEEDED' | 'DEPLOYMENT_FAILED'
  | 'REMOVAL_PENDING' | 'REMOVAL_REQUESTED' | 'REMOVAL_IN_PROGRESS' | 'REMOVAL_FAILED' | 'REMOVAL_SUCCEEDED';

/** The model's ApplicationInstanceHealthStatus. */
export type ApplicationInstanceHealthStatus = 'RUNNING' | 'ERROR' | 'NOT_AVAILABLE';

/** ListApplicationInstances' statusFilter values, and the statuses each one selects. */
export const STATUS_FILTERS: Readonly<Record<string, readonly ApplicationInstanceStatus[]>> = {
  DEPLOYMENT_SUCCEEDED: ['DEPLOYMENT_SUCCEEDED'],
  DEPLOYMENT_ERROR: ['DEPLOYMENT_ERROR'],
  REMOVAL_SUCCEEDED: ['REMOVAL_SUCCEEDED'],
  REMOVAL_FAILED: ['REMOVAL_FAILED'],
  PROCESSING_DEPLOYMENT: ['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS'],
  PROCESSING_REMOVAL: ['REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS'],
  DEPLOYMENT_FAILED: ['DEPLOYMENT_FAILED'],
};

/** A package version the instance was deployed with, its patch resolved (ListApplicationInstanceDependencies). */
export interface PackageDependency {
  /** The account in the manifest: this account's, or `panorama` for AWS's packages. */
  readonly account: string;
  readonly name: string;
  readonly version: string;
  readonly patchVersion: string;
  /** The package's id in this account (absent for AWS's packages). */
  readonly packageId?: string;
}

/** One node of the deployed graph (ListApplicationInstanceNodeInstances). */
export interface NodeInstanceRecord {
  readonly nodeInstanceId: string;
  readonly nodeName: string;
  /** For a package node: where its code comes from. Absent for a parameter node. */
  readonly nodeId?: string;
  readonly packageName?: string;
  readonly packageVersion?: string;
  readonly packagePatchVersion?: string;
}

/** An application instance and its progress. */
export interface ApplicationInstanceRecord {
  readonly applicationInstanceId: string;
  readonly arn: string;
  readonly name?: string;
  readonly description?: string;
  readonly defaultRuntimeContextDevice: string;
  /** The device's name when the instance was created (DefaultRuntimeContextDeviceName). */
  readonly defaultRuntimeContextDeviceName: string;
  readonly manifestPayload: string;
  readonly manifestOverridesPayload?: string;
  readonly applicationInstanceIdToReplace?: string;
  readonly runtimeRoleArn?: string;
  readonly dependencies: PackageDependency[];
  readonly nodes: NodeInstanceRecord[];
  tags: Record<string, string>;
  /** Epoch seconds. */
  readonly createdTime: number;
  lastUpdatedTime: number;
  status: ApplicationInstanceStatus;
  healthStatus: ApplicationInstanceHealthStatus;
  statusDescription: string;
  /** Every status it went through, oldest first (not in the API: for tests and for reading a state file). */
  readonly history: Array<{ readonly status: ApplicationInstanceStatus; readonly time: number }>;
}

/** What the next deployments or removals do (fault injection): finish as usual, fail, or never finish. */
export type InstanceOutcome = 'succeed' | 'fail' | 'pending';

/** The decision for one deployment or removal. */
export interface InstanceOutcomeDecision {
  readonly outcome: InstanceOutcome;
  readonly message?: string;
}

/** The model bounds StatusDescription to 1..255 characters. */
const MAX_STATUS_DESCRIPTION = 255;

/** Statuses in which an instance is still being deployed. */
export const DEPLOYING: readonly ApplicationInstanceStatus[] = STATUS_FILTERS.PROCESSING_DEPLOYMENT;
/** Statuses in which an instance is being removed or is gone. */
export const REMOVING_OR_REMOVED: readonly ApplicationInstanceStatus[] = [...STATUS_FILTERS.PROCESSING_REMOVAL, 'REMOVAL_SUCCEEDED'];

/** Whether an instance still exists on its device in some form (everything but a finished removal). */
export function isActive(instance: ApplicationInstanceRecord): boolean {
  return instance.status !== 'REMOVAL_SUCCEEDED';
}

/** The instances not removed that run this patch (DeregisterPackageVersion refuses then). */
export function instancesUsingPatch(state: EmulatorState, packageId: string, version: string, patchVersion: string): ApplicationInstanceRecord[] {
  return [...state.instances.values()].filter((instance) => isActive(instance)
    && instance.dependencies.some((d) => d.packageId === packageId && d.version === version && d.patchVersion === patchVersion));
}

/** Moves instances through their statuses, one step every `stepMs`. */
export class InstanceLifecycle {
  private readonly steps: StepScheduler;

  constructor(private readonly stepMs: number, onStep: () => void = () => undefined) {
    this.steps = new StepScheduler(onStep);
  }

  /** Starts the deployment of a new instance (DEPLOYMENT_PENDING); a 'pending' outcome holds it at DEPLOYMENT_IN_PROGRESS. */
  deploy(state: EmulatorState, instance: ApplicationInstanceRecord, decision: InstanceOutcomeDecision): void {
    setStatus(instance, 'DEPLOYMENT_PENDING', 'NOT_AVAILABLE', 'The deployment is pending.');
    this.continueDeployment(state, instance, decision);
  }

  /** Starts removing an instance (REMOVAL_PENDING), abandoning a deployment in progress. */
  remove(instance: ApplicationInstanceRecord, decision: InstanceOutcomeDecision): void {
    setStatus(instance, 'REMOVAL_PENDING', 'NOT_AVAILABLE', 'The removal is pending.');
    this.continueRemoval(instance, decision);
  }

  /** Picks up an instance an earlier process left mid-way (its forced outcome, if any, is not kept). */
  resume(state: EmulatorState, instance: ApplicationInstanceRecord): void {
    if (DEPLOYING.includes(instance.status)) this.continueDeployment(state, instance, { outcome: 'succeed' });
    else if (STATUS_FILTERS.PROCESSING_REMOVAL.includes(instance.status)) this.continueRemoval(instance, { outcome: 'succeed' });
  }

  /** Resolves once no instance is between two steps (those held by a 'pending' outcome do not count). */
  whenSettled(): Promise<void> {
    return this.steps.whenSettled();
  }

  /** Stops every instance where it is; they stay in their current status. */
  cancelAll(): void {
    this.steps.cancelAll();
  }

  private continueDeployment(state: EmulatorState, instance: ApplicationInstanceRecord, decision: InstanceOutcomeDecision): void {
    const next = (): void => {
      switch (instance.status) {
        case 'DEPLOYMENT_PENDING':
          setStatus(instance, 'DEPLOYMENT_REQUESTED', 'NOT_AVAILABLE', `The deployment was requested of device ${instance.defaultRuntimeContextDevice}.`);
          break;
        case 'DEPLOYMENT_REQUESTED':
          setStatus(instance, 'DEPLOYMENT_IN_PROGRESS', 'NOT_AVAILABLE', `Device ${instance.defaultRuntimeContextDevice} is installing the application.`);
          if (decision.outcome === 'pending') return;
          break;
        case 'DEPLOYMENT_IN_PROGRESS':
          if (decision.outcome === 'fail') {
            setStatus(instance, 'DEPLOYMENT_FAILED', 'ERROR', decision.message ?? 'The deployment failed (failure injected by the emulator).');
          } else {
            setStatus(instance, 'DEPLOYMENT_SUCCEEDED', 'RUNNING', `The application is running on device ${instance.defaultRuntimeContextDevice}.`);
            this.replaceEarlierInstance(state, instance);
          }
          return;
        default:
          return;
      }
      this.steps.schedule(instance.applicationInstanceId, this.stepMs, next);
    };
    this.steps.schedule(instance.applicationInstanceId, this.stepMs, next);
  }

  private continueRemoval(instance: ApplicationInstanceRecord, decision: InstanceOutcomeDecision): void {
    const next = (): void => {
      switch (instance.status) {
        case 'REMOVAL_PENDING':
          setStatus(instance, 'REMOVAL_REQUESTED', 'NOT_AVAILABLE', `The removal was requested of device ${instance.defaultRuntimeContextDevice}.`);
          break;
        case 'REMOVAL_REQUESTED':
          setStatus(instance, 'REMOVAL_IN_PROGRESS', 'NOT_AVAILABLE', `Device ${instance.defaultRuntimeContextDevice} is removing the application.`);
          if (decision.outcome === 'pending') return;
          break;
        case 'REMOVAL_IN_PROGRESS':
          if (decision.outcome === 'fail') {
            setStatus(instance, 'REMOVAL_FAILED', 'ERROR', decision.message ?? 'The removal failed (failure injected by the emulator).');
          } else {
            setStatus(instance, 'REMOVAL_SUCCEEDED', 'NOT_AVAILABLE', `The application was removed from device ${instance.defaultRuntimeContextDevice}.`);
          }
          return;
        default:
          return;
      }
      this.steps.schedule(instance.applicationInstanceId, this.stepMs, next);
    };
    this.steps.schedule(instance.applicationInstanceId, this.stepMs, next);
  }

  /** ApplicationInstanceIdToReplace: the earlier instance is removed once its successor runs. */
  private replaceEarlierInstance(state: EmulatorState, instance: ApplicationInstanceRecord): void {
    const replaced = instance.applicationInstanceIdToReplace && state.instances.get(instance.applicationInstanceIdToReplace);
    if (replaced && !REMOVING_OR_REMOVED.includes(replaced.status)) this.remove(replaced, { outcome: 'succeed' });
  }
}

/** Sets a status, its health and its description (cut to the model's 255 characters), and the update time. */
export function setStatus(
  instance: ApplicationInstanceRecord, status: ApplicationInstanceStatus, health: ApplicationInstanceHealthStatus, description: string,
): void {
  instance.status = status;
  instance.healthStatus = health;
  const characters = [...description];
  instance.statusDescription = characters.length > MAX_STATUS_DESCRIPTION ? `${characters.slice(0, MAX_STATUS_DESCRIPTION - 1).join('')}…` : description;
  instance.lastUpdatedTime = epochSeconds();
  instance.history.push({ status, time: instance.lastUpdatedTime });
}
