/**
 * Delivers requests to a Provider-framework custom resource: finds the functions behind its
 * ServiceToken among the stack's deployed resources, and (for tests) delivers a request more than
 * once with the same RequestId, as CloudFormation may.
 */
import * as path from 'path';
import { DeployedFunction } from './lambda-functions';
import {
  CustomResourceRequest, CustomResourceResponse, handleCustomResourceRequest, ProviderBinding, StepReporter, waiterPolicy,
} from './provider-framework';
import { ResourceState } from './state';

/** How often to deliver one request: `copies` extra deliveries, one after the other or at once. */
export interface Redelivery {
  readonly copies: number;
  readonly concurrent: boolean;
}

/** Decides, per request, whether it is delivered more than once. */
export type RedeliveryPolicy = (request: CustomResourceRequest) => Redelivery | undefined;

/** The first response (the one CloudFormation acts on) and those of the extra deliveries. */
export interface Delivery {
  readonly response: CustomResourceResponse;
  readonly duplicates: CustomResourceResponse[];
}

/** Finds deployed functions and state machines by ARN. */
export type ResourceLookup = (predicate: (resource: ResourceState) => boolean) => ResourceState | undefined;

/** Resolves ServiceToken → framework onEvent function → its user functions and waiter; code paths are relative to `codeStore`. */
export function providerBinding(serviceToken: string, find: ResourceLookup, codeStore = '.'): ProviderBinding {
  const findFunction = (arn: string, what: string) => functionOf(arn, find, what, codeStore);
  const framework = findFunction(serviceToken, 'ServiceToken');
  const variables = framework.environment;
  if (!variables.USER_ON_EVENT_FUNCTION_ARN) {
    throw new Error(`ServiceToken ${serviceToken} is not a Provider framework onEvent function (no USER_ON_EVENT_FUNCTION_ARN in its environment)`);
  }
  const waiterArn = variables.WAITER_STATE_MACHINE_ARN;
  let waiter;
  if (waiterArn) {
    const machine = find((r) => r.type === 'AWS::StepFunctions::StateMachine' && r.physicalId === waiterArn);
    if (!machine) throw new Error(`WAITER_STATE_MACHINE_ARN ${waiterArn} names no state machine of this stack`);
    waiter = waiterPolicy(String(machine.properties.DefinitionString));
  }
  return {
    onEvent: findFunction(variables.USER_ON_EVENT_FUNCTION_ARN, 'USER_ON_EVENT_FUNCTION_ARN'),
    isComplete: variables.USER_IS_COMPLETE_FUNCTION_ARN ? findFunction(variables.USER_IS_COMPLETE_FUNCTION_ARN, 'USER_IS_COMPLETE_FUNCTION_ARN') : undefined,
    waiter,
  };
}

function functionOf(arn: string, find: ResourceLookup, what: string, codeStore: string): DeployedFunction {
  const resource = find((r) => r.type === 'AWS::Lambda::Function' && r.attributes.Arn === arn);
  if (!resource) throw new Error(`${what} ${arn} names no Lambda function of this stack`);
  const properties = resource.properties as Record<string, any>;
  return {
    arn,
    name: resource.physicalId,
    handler: String(properties.Handler ?? 'index.handler'),
    codeDirectory: resource.codeDirectory === undefined ? undefined : path.resolve(codeStore, resource.codeDirectory),
    environment: properties.Environment?.Variables ?? {},
    timeoutSeconds: Number(properties.Timeout ?? 3),
  };
}

/** Delivers the request (more than once when the policy says so); resolves with the first response. */
export async function deliver(
  binding: ProviderBinding,
  request: CustomResourceRequest,
  report: StepReporter,
  redelivery?: Redelivery,
  signal?: AbortSignal,
  started?: (physicalId: string) => void,
): Promise<Delivery> {
  const copies = redelivery?.copies ?? 0;
  const deliverOnce = (n: number): Promise<CustomResourceResponse> =>
    handleCustomResourceRequest(binding, request, n === 0 ? report : (step) => report(`(delivery ${n + 1}) ${step}`), signal, n === 0 ? started : undefined);
  if (copies === 0) return { response: await deliverOnce(0), duplicates: [] };
  if (!redelivery!.concurrent) {
    const response = await deliverOnce(0);
    const duplicates: CustomResourceResponse[] = [];
    for (let n = 1; n <= copies; n++) duplicates.push(await deliverOnce(n));
    return { response, duplicates };
  }
  // CloudFormation acts on whichever response arrives first.
  const arrived: CustomResourceResponse[] = [];
  await Promise.all(Array.from({ length: copies + 1 }, (_, n) => deliverOnce(n).then((r) => arrived.push(r))));
  return { response: arrived[0], duplicates: arrived.slice(1) };
}
