import { NodeJobRunner } from './camera-jobs';
import { DeviceSetup } from './devices';
import { FaultPlan } from './faults';
import { ImportJobRunner } from './import-jobs';
import { InstanceLifecycle } from './instance-lifecycle';
import { S3Access } from './s3-access';
import { EmulatorState } from './state';

/** What an operation handler may use. */
export interface OperationContext {
  readonly state: EmulatorState;
  readonly s3: S3Access;
  readonly faults: FaultPlan;
  readonly jobs: ImportJobRunner;
  /** Runs CreateNodeFromTemplateJob jobs. */
  readonly nodeJobs: NodeJobRunner;
  /** Moves application instances through their deployment and removal statuses. */
  readonly instances: InstanceLifecycle;
  /** Completes the setup of provisioned devices. */
  readonly deviceSetup: DeviceSetup;
}

/** A decoded request: path labels, query string and JSON body ({} when empty). */
export interface OperationInput {
  readonly labels: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Serves one operation; returns the JSON response body or throws a ServiceError. */
export type OperationHandler = (context: OperationContext, input: OperationInput) => Promise<object> | object;
