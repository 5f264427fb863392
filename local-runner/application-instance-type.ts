/**
 * `AWS::Panorama::ApplicationInstance` under the runner, as CloudFormation's resource handler runs
 * it against Panorama:
 * - Create calls CreateApplicationInstance, then reads the instance until its deployment ends:
 *   DEPLOYMENT_SUCCEEDED, or a failure carrying the instance's StatusDescription;
 * - every property but Tags is create-only, so any other change creates a new instance (the deployer
 *   removes the old one once the whole update succeeded); a change of Tags alone retags in place;
 * - Delete removes the instance and waits for REMOVAL_SUCCEEDED (an instance already gone is fine);
 * - the attributes (Fn::GetAtt) come from DescribeApplicationInstance.
 * Calls go through the SDK's standard retry strategy (throttling and 5xx), as the handler's do.
 */
import {
  ConflictException, CreateApplicationInstanceCommand, CreateApplicationInstanceCommandInput, DescribeApplicationInstanceCommand,
  DescribeApplicationInstanceCommandOutput, DescribeApplicationInstanceDetailsCommand, ListApplicationInstancesCommand, PanoramaClient,
  RemoveApplicationInstanceCommand, ResourceNotFoundException, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-panorama';
import { LOCAL_RUNNER_CREDENTIALS } from './environment';
import { instanceReadDelay } from './poll-schedule';
import { CANCELLED_REASON } from './provider-framework';
import { ResourceFailure } from './resource-failure';
import type { Provisioned, ResourceType, TypeContext } from './resource-type';
import { sleep } from './sleep';
import { REPORT_RETRIES, retryReporter } from '../src/handler/retry-report';
import { PACKAGE_IMPORT_RESOURCE_TYPE } from '../src/rules/contract';

export const APPLICATION_INSTANCE_TYPE = 'AWS::Panorama::ApplicationInstance';

/** How the type waits. */
export interface ApplicationInstanceTypeOptions {
  /** The longest wait between two reads of the instance while a deployment or removal runs (the waits start at 0.1 s and double up to it). @default 1000 */
  readonly pollIntervalMs?: number;
  /** How long a deployment or removal may take before the resource fails. @default 30 minutes */
  readonly timeoutMs?: number;
}

/** Attempts per call, by the SDK's standard retry strategy (throttling and 5xx). */
const MAX_ATTEMPTS = 10;

/** Statuses on the way to the end of a deployment or a removal. */
const DEPLOYING = ['DEPLOYMENT_PENDING', 'DEPLOYMENT_REQUESTED', 'DEPLOYMENT_IN_PROGRESS'];
const REMOVING = ['REMOVAL_PENDING', 'REMOVAL_REQUESTED', 'REMOVAL_IN_PROGRESS'];

/** The attributes CloudFormation's schema gives the type, as Describe reports them. */
const ATTRIBUTES = ['ApplicationInstanceId', 'Arn', 'Status', 'HealthStatus', 'StatusDescription', 'DefaultRuntimeContextDeviceName', 'CreatedTime', 'LastUpdatedTime'] as const;

/** The resource handler of AWS::Panorama::ApplicationInstance, against the emulated Panorama. */
export function applicationInstanceType(options: ApplicationInstanceTypeOptions = {}): ResourceType {
  const settings = {
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
  };
  const create = (context: TypeContext, logicalId: string, properties: Record<string, any>): Promise<Provisioned> =>
    withClient(context, logicalId, (panorama) => createInstance(panorama, context, logicalId, properties, settings));
  return {
    emulated: true,
    reported: true,
    dependsOnTypes: [PACKAGE_IMPORT_RESOURCE_TYPE],
    create: (context, logicalId, _type, properties) => create(context, logicalId, properties),
    async update(context, logicalId, _type, properties, current) {
      const changed = changedProperties(current.properties, properties).filter((name) => name !== 'Tags');
      if (changed.length > 0) {
        // Create-only properties: CloudFormation creates a new instance, and deletes the old one in its cleanup.
        context.log(`${logicalId} (${APPLICATION_INSTANCE_TYPE}): ${changed.join(', ')} changed, which requires a new instance (replacing ${current.physicalId})`);
        return create(context, logicalId, properties);
      }
      return withClient(context, logicalId, async (panorama) => {
        const before = tagMap((current.properties as Record<string, any>).Tags);
        const described = await retag(panorama, current.physicalId, before, tagMap(properties.Tags));
        return { physicalId: current.physicalId, attributes: attributesOf(described) };
      });
    },
    delete: (context, physicalId) => withClient(context, physicalId, (panorama) => removeInstance(panorama, context, physicalId, settings)),
    locate: (context, properties) => withClient(context, context.operation.logicalId, (panorama) => locateInstance(panorama, properties)),
    adopt: (context, logicalId, physicalId) =>
      withClient(context, logicalId, (panorama) => adoptInstance(panorama, context, logicalId, physicalId, settings)),
  };
}

/** Statuses of an instance that is, or is becoming, what was asked. */
const ADOPTABLE = [...DEPLOYING, 'DEPLOYMENT_SUCCEEDED'];

/**
 * The instance an interrupted command created with these properties: on their device, with their
 * name, not removed, and deployed with their payload (the newest such one).
 */
async function locateInstance(panorama: PanoramaClient, properties: Record<string, any>): Promise<string | undefined> {
  const candidates = [];
  let token: string | undefined;
  do {
    const page = await panorama.send(new ListApplicationInstancesCommand({ DeviceId: properties.DefaultRuntimeContextDevice, NextToken: token }));
    candidates.push(...(page.ApplicationInstances ?? []).filter((i) => ADOPTABLE.includes(i.Status ?? '') && (properties.Name === undefined || i.Name === properties.Name)));
    token = page.NextToken;
  } while (token);
  candidates.sort((a, b) => (b.CreatedTime?.getTime() ?? 0) - (a.CreatedTime?.getTime() ?? 0));
  for (const candidate of candidates) {
    const details = await panorama.send(new DescribeApplicationInstanceDetailsCommand({ ApplicationInstanceId: candidate.ApplicationInstanceId }));
    if (details.ManifestPayload?.PayloadData === properties.ManifestPayload?.PayloadData) return candidate.ApplicationInstanceId;
  }
  return undefined;
}

/** Waits for an instance an interrupted command created, as its create would have; undefined when it is no longer there to adopt. */
async function adoptInstance(
  panorama: PanoramaClient, context: TypeContext, logicalId: string, applicationInstanceId: string, settings: Settings,
): Promise<Provisioned | undefined> {
  try {
    const described = await describe(panorama, applicationInstanceId);
    if (!ADOPTABLE.includes(described.Status ?? '')) return undefined;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw e;
  }
  context.operation.started(applicationInstanceId);
  return waitForDeployment(panorama, context, logicalId, applicationInstanceId, settings);
}

type Settings = Required<ApplicationInstanceTypeOptions>;

async function createInstance(
  panorama: PanoramaClient, context: TypeContext, logicalId: string, properties: Record<string, any>, settings: Settings,
): Promise<Provisioned> {
  let applicationInstanceId: string;
  try {
    const created = await panorama.send(new CreateApplicationInstanceCommand(createInput(properties)));
    applicationInstanceId = created.ApplicationInstanceId!;
  } catch (e) {
    // Nothing was created: the failure is the service's answer, named as the console names it.
    const device = properties.DefaultRuntimeContextDevice;
    const hint = /names no device/.test((e as Error).message)
      ? ` Provision it: \`panorama-local deploy --device ${device}\` provisions a device of that id in the embedded emulator.`
      : '';
    throw new ResourceFailure(`${(e as Error).name}: ${(e as Error).message}${hint}`);
  }
  context.operation.started(applicationInstanceId);
  context.log(`${logicalId} (${APPLICATION_INSTANCE_TYPE}): created ${applicationInstanceId}, waiting for its deployment`);
  return waitForDeployment(panorama, context, logicalId, applicationInstanceId, settings);
}

/** Waits until the instance's deployment ended; a failed one throws ResourceFailure naming the instance. */
async function waitForDeployment(
  panorama: PanoramaClient, context: TypeContext, logicalId: string, applicationInstanceId: string, settings: Settings,
): Promise<Provisioned> {
  const described = await waitWhile(panorama, context, logicalId, applicationInstanceId, DEPLOYING, settings, context.signal);
  if (described.Status !== 'DEPLOYMENT_SUCCEEDED') {
    throw new ResourceFailure(`Application instance ${applicationInstanceId} ${described.Status}: ${described.StatusDescription ?? 'no status description'}`, applicationInstanceId);
  }
  return { physicalId: applicationInstanceId, attributes: attributesOf(described) };
}

/** Removes the instance and waits until it is; one already removed, or unknown, is fine (CloudFormation's "not found"). */
async function removeInstance(panorama: PanoramaClient, context: TypeContext, applicationInstanceId: string, settings: Settings): Promise<void> {
  const label = `${applicationInstanceId} (${APPLICATION_INSTANCE_TYPE})`;
  let described: DescribeApplicationInstanceCommandOutput;
  try {
    described = await describe(panorama, applicationInstanceId);
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    context.log(`${label}: not found, nothing to remove`);
    return;
  }
  if (described.Status === 'REMOVAL_SUCCEEDED') {
    context.log(`${label}: already removed`);
    return;
  }
  if (!REMOVING.includes(described.Status ?? '')) {
    try {
      await panorama.send(new RemoveApplicationInstanceCommand({ ApplicationInstanceId: applicationInstanceId }));
    } catch (e) {
      // Another removal started meanwhile: waiting for it is all there is to do.
      if (!(e instanceof ConflictException)) throw e;
    }
  }
  const ended = await waitWhile(panorama, context, applicationInstanceId, applicationInstanceId, REMOVING, settings);
  if (ended.Status !== 'REMOVAL_SUCCEEDED') {
    throw new Error(`Application instance ${applicationInstanceId} ${ended.Status}: ${ended.StatusDescription ?? 'no status description'}`);
  }
}

/** Reads the instance (0.1 s, then doubling up to the poll interval, apart; every 0.1 s for a second where reads are free) while its status is one of `statuses`; throws ResourceFailure on timeout or cancel. */
async function waitWhile(
  panorama: PanoramaClient, context: TypeContext, logicalId: string, applicationInstanceId: string,
  statuses: readonly string[], settings: Settings, signal?: AbortSignal,
): Promise<DescribeApplicationInstanceCommandOutput> {
  const deadline = Date.now() + settings.timeoutMs;
  let last: string | undefined;
  for (let read = 0; ; read++) {
    const described = await describe(panorama, applicationInstanceId);
    if (described.Status !== last) {
      last = described.Status;
      context.log(`${logicalId} (${APPLICATION_INSTANCE_TYPE}): ${applicationInstanceId} ${described.Status}`);
    }
    if (!statuses.includes(described.Status ?? '')) return described;
    if (signal?.aborted) throw new ResourceFailure(CANCELLED_REASON, applicationInstanceId);
    if (Date.now() >= deadline) {
      throw new ResourceFailure(`Application instance ${applicationInstanceId} still ${described.Status} after ${settings.timeoutMs / 1000} s`, applicationInstanceId);
    }
    await sleep(instanceReadDelay(read, settings.pollIntervalMs, context.unmeteredReads), signal);
  }
}

function describe(panorama: PanoramaClient, applicationInstanceId: string): Promise<DescribeApplicationInstanceCommandOutput> {
  return panorama.send(new DescribeApplicationInstanceCommand({ ApplicationInstanceId: applicationInstanceId }));
}

/** Tags alone changed: untag the keys that went, tag those that came or changed, and describe again. */
async function retag(
  panorama: PanoramaClient, applicationInstanceId: string, before: Record<string, string>, after: Record<string, string>,
): Promise<DescribeApplicationInstanceCommandOutput> {
  const described = await describe(panorama, applicationInstanceId);
  const removed = Object.keys(before).filter((key) => !(key in after));
  const changed = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  if (removed.length > 0) await panorama.send(new UntagResourceCommand({ ResourceArn: described.Arn, TagKeys: removed }));
  if (Object.keys(changed).length > 0) await panorama.send(new TagResourceCommand({ ResourceArn: described.Arn, Tags: changed }));
  return describe(panorama, applicationInstanceId);
}

/** The CloudFormation properties as CreateApplicationInstance takes them. */
function createInput(properties: Record<string, any>): CreateApplicationInstanceCommandInput {
  const tags = tagMap(properties.Tags);
  return {
    ManifestPayload: properties.ManifestPayload,
    DefaultRuntimeContextDevice: properties.DefaultRuntimeContextDevice,
    ...(properties.ManifestOverridesPayload !== undefined ? { ManifestOverridesPayload: properties.ManifestOverridesPayload } : {}),
    ...(properties.Name !== undefined ? { Name: properties.Name } : {}),
    ...(properties.Description !== undefined ? { Description: properties.Description } : {}),
    ...(properties.RuntimeRoleArn !== undefined ? { RuntimeRoleArn: properties.RuntimeRoleArn } : {}),
    ...(properties.ApplicationInstanceIdToReplace !== undefined ? { ApplicationInstanceIdToReplace: properties.ApplicationInstanceIdToReplace } : {}),
    ...(Object.keys(tags).length > 0 ? { Tags: tags } : {}),
  };
}

/** CloudFormation's `[{Key, Value}]` as the API's map. */
function tagMap(tags: unknown): Record<string, string> {
  if (!Array.isArray(tags)) return {};
  return Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]));
}

/** The names of the properties whose values differ. */
function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

/** Fn::GetAtt's values; times as CloudFormation's schema types them, epoch seconds. */
function attributesOf(described: DescribeApplicationInstanceCommandOutput): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of ATTRIBUTES) {
    const value = described[name];
    if (value instanceof Date) attributes[name] = String(Math.floor(value.getTime() / 1000));
    else if (value !== undefined) attributes[name] = String(value);
  }
  return attributes;
}

/** A client of the emulated Panorama for one operation of the type; retried calls are logged with what the strategy decided. */
async function withClient<T>(context: TypeContext, subject: string, work: (panorama: PanoramaClient) => Promise<T>): Promise<T> {
  const panorama = new PanoramaClient({
    endpoint: context.panoramaEndpoint,
    region: context.region,
    credentials: LOCAL_RUNNER_CREDENTIALS,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
  });
  panorama.middlewareStack.add(
    retryReporter((call) => context.log(`${subject} (${APPLICATION_INSTANCE_TYPE}): call retried ${JSON.stringify(call)}`)), REPORT_RETRIES);
  try {
    return await work(panorama);
  } finally {
    panorama.destroy();
  }
}
