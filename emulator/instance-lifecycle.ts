/**
 * How an application instance's status moves: a deployment goes DEPLOYMENT_PENDING →
 * DEPLOYMENT_REQUESTED → DEPLOYMENT_IN_PROGRESS → DEPLOYMENT_SUCCEEDED (or DEPLOYMENT_FAILED), a
 * removal REMOVAL_PENDING → REMOVAL_REQUESTED → REMOVAL_IN_PROGRESS → REMOVAL_SUCCEEDED (or
 * REMOVAL_FAILED), one step every `stepMs`.
 */
import {
  ApplicationInstanceHealthStatus, ApplicationInstanceRecord, ApplicationInstanceStatus, DEPLOYING, REMOVING_OR_REMOVED, STATUS_FILTERS,
} from './application-instance-record';
import { EmulatorState, epochSeconds } from './state';
import { StepScheduler } from './step-scheduler';

/** What the next deployments or removals do (fault injection): finish as usual, fail, or never finish. */
export type InstanceOutcome = 'succeed' | 'fail' | 'pending';

/** The decision for one deployment or removal. */
export interface InstanceOutcomeDecision {
  readonly outcome: InstanceOutcome;
  readonly message?: string;
}

/** The model bounds StatusDescription to 1..255 characters. */
const MAX_STATUS_DESCRIPTION = 255;

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
