/** The options of one deployment. */
import type { RedeliveryPolicy } from './custom-resources';

/** Options of one deployment. */
export interface DeployOptions {
  /** Roll a failed deployment back, as CloudFormation does. @default true */
  readonly rollback?: boolean;
  /** Deliver some custom resource requests more than once (same RequestId). */
  readonly redeliver?: RedeliveryPolicy;
  /**
   * Deploy only these stacks and those they depend on, selected as `cdk deploy` selects them
   * (stack-selection.ts). @default every stack, those of nested assemblies (Stages) included
   */
  readonly stacks?: readonly string[];
  /**
   * Cancels the deployment when it aborts, as CloudFormation's CancelUpdateStack: no new resource
   * or stack starts, waiting imports stop (their Create or Update fails as cancelled), and the
   * stack rolls back, so the state records what exists.
   */
  readonly signal?: AbortSignal;
}
