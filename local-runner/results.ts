/** What a deploy or destroy reports, resource by resource and stack by stack. */
import type { AssetPublishReport } from './asset-publisher';
import type { CustomResourceResponse } from './provider-framework';

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

/** The result of the stacks done so far. */
export function summary(stacks: StackResult[]): DeployResult {
  return { stacks, resources: stacks.flatMap((s) => s.resources) };
}
