/**
 * Drives one custom resource request the way aws-cdk-lib's Provider framework does
 * (custom-resources/lib/provider-framework/runtime/framework.js and cfn-response.js): onEvent,
 * then isComplete at once and again until it completes or the waiter's time runs out ("Operation
 * timed out"): the asks start 0.25 s apart and back off to the state machine's interval, so a local
 * deployment waits as long as the work takes (poll-schedule.ts).
 */
import { DeployedFunction, invokeFunction } from './lambda-functions';
import { providerWaits } from './poll-schedule';
import { sleep } from './sleep';

/** The framework's marker for a Create that failed before any physical id existed. */
export const CREATE_FAILED_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
/** What cfn-response sends when an event carries no physical id. */
export const MISSING_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID';
/** CloudFormation rejects a custom resource response larger than this. */
export const MAX_RESPONSE_BYTES = 4096;

/** A CloudFormation custom resource request. */
export interface CustomResourceRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ServiceToken: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** What the framework sends back to CloudFormation. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, unknown>;
  readonly NoEcho?: boolean;
}

/** The waiter's retry policy: the Retry of the state machine's isComplete task. */
export interface WaiterPolicy {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

/** The functions behind one ServiceToken. */
export interface ProviderBinding {
  readonly onEvent: DeployedFunction;
  readonly isComplete?: DeployedFunction;
  readonly waiter?: WaiterPolicy;
  /** The service behind isComplete enforces no request quota: its first waits are shorter (poll-schedule.ts). */
  readonly unmeteredReads?: boolean;
}

/** Reads IntervalSeconds, MaxAttempts and BackoffRate from the waiter's DefinitionString. */
export function waiterPolicy(definitionString: string): WaiterPolicy {
  const definition = JSON.parse(definitionString) as { States?: Record<string, { Type?: string; Retry?: any[] }> };
  const task = Object.values(definition.States ?? {}).find((s) => s.Type === 'Task' && Array.isArray(s.Retry) && s.Retry.length > 0);
  if (!task) throw new Error('The waiter state machine has no Task with a Retry: not a Provider framework waiter');
  const retry = task.Retry![0];
  // Step Functions' own defaults for a Retrier.
  return { intervalSeconds: retry.IntervalSeconds ?? 1, maxAttempts: retry.MaxAttempts ?? 3, backoffRate: retry.BackoffRate ?? 2 };
}

/** Progress of one request: `onEvent`, `isComplete: not yet (1), asking again in 5 s`, … */
export type StepReporter = (step: string) => void;

/** Thrown inside the waiter when the isComplete attempts ran out. */
class OperationTimedOut extends Error {}

/** CloudFormation's reason for a resource whose operation was cancelled (a cancelled deployment). */
export const CANCELLED_REASON = 'Resource operation cancelled';

/** Thrown inside the waiter when the deployment was cancelled. */
class OperationCancelled extends Error {}

/**
 * Handles one request and returns the response the framework would submit; never throws. Once
 * `signal` aborts, the waiter stops asking and the request fails as cancelled, naming the physical
 * id onEvent returned (so a rollback can delete it).
 */
export async function handleCustomResourceRequest(
  binding: ProviderBinding,
  request: CustomResourceRequest,
  report: StepReporter = () => undefined,
  signal?: AbortSignal,
  /** Called with onEvent's physical id before isComplete is waited for (an import's job id, journaled at once). */
  started?: (physicalId: string) => void,
): Promise<CustomResourceResponse> {
  if (request.RequestType === 'Delete' && request.PhysicalResourceId === CREATE_FAILED_PHYSICAL_ID_MARKER) {
    report('skipped: the Create had failed, so there is nothing to delete');
    return { Status: 'SUCCESS', Reason: 'SUCCESS', PhysicalResourceId: request.PhysicalResourceId };
  }
  // The event whose PhysicalResourceId a failure reports: the request, then onEvent's merge.
  let current: CustomResourceRequest & { Data?: Record<string, unknown> } = request;
  try {
    report('onEvent');
    const onEventResult = await invokeFunction(binding.onEvent, request) as Record<string, any> | null;
    current = mergeOnEventResult(request, onEventResult ?? {});
    if (request.RequestType !== 'Delete') started?.(current.PhysicalResourceId!);
    if (!binding.isComplete) return success(current);
    const final = await waitForCompletion(binding, current, report, signal);
    return success(final);
  } catch (e) {
    const reason = e instanceof OperationTimedOut ? 'Operation timed out' : e instanceof OperationCancelled ? CANCELLED_REASON : (e as Error).message;
    return { Status: 'FAILED', Reason: reason, PhysicalResourceId: failedPhysicalId(current) };
  }
}

/** framework.js createResponseEvent: Create defaults to the RequestId; Delete may not change the id. */
function mergeOnEventResult(request: CustomResourceRequest, result: Record<string, any>): CustomResourceRequest & { Data?: Record<string, unknown> } {
  const physicalId = result.PhysicalResourceId || (request.RequestType === 'Create' ? request.RequestId : request.PhysicalResourceId);
  if (request.RequestType === 'Delete' && physicalId !== request.PhysicalResourceId) {
    throw new Error(`DELETE: cannot change the physical resource ID from "${request.PhysicalResourceId}" to "${result.PhysicalResourceId}" during deletion`);
  }
  return { ...request, ...result, PhysicalResourceId: physicalId };
}

async function waitForCompletion(
  binding: ProviderBinding,
  event: CustomResourceRequest & { Data?: Record<string, unknown> },
  report: StepReporter,
  signal?: AbortSignal,
): Promise<CustomResourceRequest & { Data?: Record<string, unknown> }> {
  const waiter = binding.waiter ?? { intervalSeconds: 5, maxAttempts: 360, backoffRate: 1 };
  // Not the state machine's fixed interval: waits that start fast and back off up to it, ending
  // when the framework's would (poll-schedule.ts). What the handlers send is the same per ask.
  const waits = providerWaits(waiter, binding.unmeteredReads);
  for (let attempt = 0; attempt <= waits.length; attempt++) {
    if (attempt > 0) await sleep(waits[attempt - 1], signal);
    if (signal?.aborted) throw new OperationCancelled();
    const result = await invokeFunction(binding.isComplete!, event) as Record<string, any> | null;
    if (result?.IsComplete) {
      return { ...event, ...result, Data: { ...event.Data, ...result.Data } };
    }
    if (result?.Data && Object.keys(result.Data).length > 0) {
      throw new Error('"Data" is not allowed if "IsComplete" is "False"');
    }
    // The wait is reported as decided, so that the waiter's schedule can be checked without a clock.
    report(`isComplete: not yet (${attempt + 1})${attempt < waits.length ? `, asking again in ${waits[attempt] / 1000} s` : ''}`);
  }
  throw new OperationTimedOut();
}

function success(event: CustomResourceRequest & { Data?: Record<string, unknown>; NoEcho?: boolean }): CustomResourceResponse {
  const response: CustomResourceResponse = {
    Status: 'SUCCESS',
    Reason: 'SUCCESS',
    PhysicalResourceId: event.PhysicalResourceId || MISSING_PHYSICAL_ID_MARKER,
    Data: event.Data,
    NoEcho: event.NoEcho,
  };
  if (Buffer.byteLength(JSON.stringify(response)) > MAX_RESPONSE_BYTES) {
    return { Status: 'FAILED', Reason: 'Response object is too long.', PhysicalResourceId: response.PhysicalResourceId };
  }
  return response;
}

/** cfn-response safeHandler: a Create that never got an id answers with the marker. */
function failedPhysicalId(event: CustomResourceRequest): string {
  if (event.PhysicalResourceId) return event.PhysicalResourceId;
  return event.RequestType === 'Create' ? CREATE_FAILED_PHYSICAL_ID_MARKER : MISSING_PHYSICAL_ID_MARKER;
}
