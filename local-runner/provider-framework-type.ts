/**
 * A custom resource served by aws-cdk-lib's Provider framework, as a resource type: each Create,
 * Update and Delete is a CloudFormation request (cfn-events.ts) delivered to the functions behind
 * the ServiceToken (custom-resources.ts), and a FAILED response fails the resource, naming the
 * physical id it reported so that the rollback deletes it.
 */
import { customResourceRequest } from './cfn-events';
import { deliver, providerBinding } from './custom-resources';
import { CustomResourceRequest, CustomResourceResponse, WaiterPolicy } from './provider-framework';
import { ResourceFailure } from './resource-failure';
import type { ResourceType, TypeContext } from './resource-type';

/** What a Provider-framework type adds to the delivery. */
export interface ProviderFrameworkTypeOptions {
  /** The attributes to log once the stack deployed, in order. @default none */
  readonly loggedAttributes?: (attributes: Record<string, string>) => string[];
}

/** The type of a custom resource whose ServiceToken is a Provider framework's onEvent function. */
export function providerFrameworkType(options: ProviderFrameworkTypeOptions = {}): ResourceType {
  return {
    emulated: true,
    reported: true,
    // CloudFormation sends an unchanged custom resource no request: the trace says so.
    tracesUnchanged: true,
    loggedAttributes: options.loggedAttributes,
    async create(context, logicalId, type, properties) {
      const response = await send(context, { requestType: 'Create', logicalResourceId: logicalId, resourceType: type, properties });
      return { physicalId: response.PhysicalResourceId, attributes: stringAttributes(response.Data) };
    },
    async update(context, logicalId, type, properties, current) {
      // The rollback's Update back passes the attempted resource as `current`: old and new properties swap.
      const response = await send(context, {
        requestType: 'Update',
        logicalResourceId: logicalId,
        resourceType: type,
        properties,
        physicalResourceId: current.physicalId,
        oldProperties: current.properties,
      });
      return { physicalId: response.PhysicalResourceId, attributes: stringAttributes(response.Data) };
    },
    async delete(context, physicalId, properties) {
      const { logicalId, resourceType } = context.operation;
      await send(context, { requestType: 'Delete', logicalResourceId: logicalId, resourceType, properties, physicalResourceId: physicalId });
    },
  };
}

/** The request's fields that differ per operation. */
type RequestInput = Omit<Parameters<typeof customResourceRequest>[0], 'stackId' | 'region'>;

/** Sends one request through the Provider framework; throws ResourceFailure on a FAILED response. */
async function send(context: TypeContext, input: RequestInput): Promise<CustomResourceResponse> {
  const request: CustomResourceRequest = customResourceRequest({ ...input, stackId: context.stackId, region: context.region });
  const binding = {
    ...providerBinding(String(input.properties.ServiceToken), (predicate) => context.findResource(predicate), context.codeStore),
    unmeteredReads: context.unmeteredReads,
  };
  const { operation } = context;
  const started = (physicalId: string) => operation.started(physicalId);
  const delivery = await deliver(binding, request, (step) => operation.step(step), context.redeliver?.(request), context.signal, started);
  if (delivery.duplicates.length > 0) {
    delivery.duplicates.forEach((d, i) => operation.step(`(delivery ${i + 2}) ${d.Status} physical id ${d.PhysicalResourceId} (ignored: CloudFormation acts on the first response)`));
    operation.recordDuplicates(delivery.duplicates);
  }
  if (delivery.response.Status === 'FAILED') {
    const reason = delivery.response.Reason === 'Operation timed out'
      ? `Operation timed out: ${describeWaiter(binding.waiter)}`
      : delivery.response.Reason ?? 'FAILED';
    throw new ResourceFailure(reason, delivery.response.PhysicalResourceId);
  }
  return delivery.response;
}

function stringAttributes(data: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function describeWaiter(waiter: WaiterPolicy | undefined): string {
  if (!waiter) return 'isComplete did not complete within the default waiter policy';
  const total = waiter.maxAttempts * waiter.intervalSeconds;
  return `isComplete did not complete within totalTimeout ${total} s (${waiter.maxAttempts + 1} checks, every ${waiter.intervalSeconds} s)`;
}
