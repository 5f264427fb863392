/**
 * Application instances as the emulated service holds them (the fields of
 * DescribeApplicationInstance and its list operations) and the sets of statuses the operations
 * test against. A leaf: the state, the lifecycle and the operations all read it.
 */

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

/** Statuses in which an instance is still being deployed. */
export const DEPLOYING: readonly ApplicationInstanceStatus[] = STATUS_FILTERS.PROCESSING_DEPLOYMENT;
/** Statuses in which an instance is being removed or is gone. */
export const REMOVING_OR_REMOVED: readonly ApplicationInstanceStatus[] = [...STATUS_FILTERS.PROCESSING_REMOVAL, 'REMOVAL_SUCCEEDED'];

/** Whether an instance still exists on its device in some form (everything but a finished removal). */
export function isActive(instance: ApplicationInstanceRecord): boolean {
  return instance.status !== 'REMOVAL_SUCCEEDED';
}
