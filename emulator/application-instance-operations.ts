/**
 * The application-instance operations: CreateApplicationInstance (the manifest checked, its
 * packages resolved to registered patches, the device found), Describe, DescribeDetails, List,
 * Remove, and the instance's package dependencies and node instances.
 */
import { ApplicationInstanceRecord, NodeInstanceRecord, REMOVING_OR_REMOVED, STATUS_FILTERS } from './application-instance-record';
import { checkOverridesPayload, checkRegisteredPayload, OVERRIDES_FIELD, parseManifestPayload, PAYLOAD_FIELD } from './application-payload';
import { conflict, fieldError, notFound } from './errors';
import {
  CONSTRAINTS, optionalObject, optionalString, optionalTags, queryEnum, queryPageSize, queryString, requireObject, requireString,
} from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { paginate } from './pagination';
import { EmulatorState, epochSeconds, randomId } from './state';

/**
 * CreateApplicationInstance. In order: every field against the model, the payload against the
 * `nodeGraph` schema and the overrides against `nodeGraphOverrides`; then what exists: the device,
 * the instance to replace, every package version the payload names (the pinned patch, else the
 * version's latest), and the nodes and edges against those packages' interfaces. The model lists
 * no ResourceNotFoundException here, so a missing device or package is a ValidationException.
 */
export async function createApplicationInstance(context: OperationContext, { body }: OperationInput): Promise<object> {
  const { state } = context;
  const manifest = requireObject(body.ManifestPayload, 'ManifestPayload');
  const payloadData = requireString(manifest.PayloadData, PAYLOAD_FIELD, CONSTRAINTS.ManifestPayloadData);
  const overrides = optionalObject(body.ManifestOverridesPayload, 'ManifestOverridesPayload');
  // A union: when it is given, its one member must be.
  const overridesData = overrides && requireString(overrides.PayloadData, OVERRIDES_FIELD, CONSTRAINTS.ManifestOverridesPayloadData);
  const deviceId = requireString(body.DefaultRuntimeContextDevice, 'DefaultRuntimeContextDevice', CONSTRAINTS.DeviceId);
  const name = optionalString(body.Name, 'Name', CONSTRAINTS.ApplicationInstanceName);
  const description = optionalString(body.Description, 'Description', CONSTRAINTS.Description);
  const runtimeRoleArn = optionalString(body.RuntimeRoleArn, 'RuntimeRoleArn', CONSTRAINTS.RuntimeRoleArn);
  const toReplace = optionalString(body.ApplicationInstanceIdToReplace, 'ApplicationInstanceIdToReplace', CONSTRAINTS.ApplicationInstanceId);
  const tags = optionalTags(body.Tags, 'Tags') ?? {};
  const document = parseManifestPayload(payloadData);
  const overridesDocument = overridesData === undefined ? undefined : checkOverridesPayload(overridesData);

  const device = state.devices.get(deviceId);
  if (!device || device.ProvisioningStatus === 'DELETING') {
    throw fieldError('DefaultRuntimeContextDevice', `'${deviceId}' names no device in account ${state.account}, Region ${state.region}.`);
  }
  if (toReplace !== undefined) {
    const replaced = state.instances.get(toReplace);
    if (!replaced || REMOVING_OR_REMOVED.includes(replaced.status)) {
      throw fieldError('ApplicationInstanceIdToReplace', `'${toReplace}' names no application instance that can be replaced (none, or it is being removed or was removed).`);
    }
  }
  const checked = await checkRegisteredPayload(state, context.s3, document, overridesDocument);

  const now = epochSeconds();
  const applicationInstanceId = `applicationInstance-${randomId(26)}`;
  const instance: ApplicationInstanceRecord = {
    applicationInstanceId,
    arn: `arn:aws:panorama:${state.region}:${state.account}:applicationInstance/${applicationInstanceId}`,
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    defaultRuntimeContextDevice: deviceId,
    defaultRuntimeContextDeviceName: device.Name,
    manifestPayload: payloadData,
    ...(overridesData !== undefined ? { manifestOverridesPayload: overridesData } : {}),
    ...(toReplace !== undefined ? { applicationInstanceIdToReplace: toReplace } : {}),
    ...(runtimeRoleArn !== undefined ? { runtimeRoleArn } : {}),
    dependencies: checked.dependencies,
    nodes: checked.nodes,
    tags,
    createdTime: now,
    lastUpdatedTime: now,
    status: 'DEPLOYMENT_PENDING',
    healthStatus: 'NOT_AVAILABLE',
    statusDescription: 'The deployment is pending.',
    history: [],
  };
  state.instances.set(applicationInstanceId, instance);
  context.instances.deploy(state, instance, context.faults.takeOutcome('deployment'));
  return { ApplicationInstanceId: applicationInstanceId };
}

/** DescribeApplicationInstance; a removed instance is still described (REMOVAL_SUCCEEDED). */
export function describeApplicationInstance({ state }: OperationContext, { labels }: OperationInput): object {
  const instance = existingInstance(state, instanceIdOf(labels));
  return {
    ...summary(instance),
    ApplicationInstanceIdToReplace: instance.applicationInstanceIdToReplace,
    RuntimeRoleArn: instance.runtimeRoleArn,
    LastUpdatedTime: instance.lastUpdatedTime,
  };
}

/** DescribeApplicationInstanceDetails: what the instance was created with. */
export function describeApplicationInstanceDetails({ state }: OperationContext, { labels }: OperationInput): object {
  const instance = existingInstance(state, instanceIdOf(labels));
  return {
    Name: instance.name,
    Description: instance.description,
    DefaultRuntimeContextDevice: instance.defaultRuntimeContextDevice,
    ManifestPayload: { PayloadData: instance.manifestPayload },
    ManifestOverridesPayload: instance.manifestOverridesPayload === undefined ? undefined : { PayloadData: instance.manifestOverridesPayload },
    ApplicationInstanceIdToReplace: instance.applicationInstanceIdToReplace,
    CreatedTime: instance.createdTime,
    ApplicationInstanceId: instance.applicationInstanceId,
  };
}

/** ListApplicationInstances, oldest first, filtered by device and status; lower-case query parameters. */
export function listApplicationInstances({ state }: OperationContext, { query }: OperationInput): object {
  const deviceId = queryString(query.get('deviceId'), 'deviceId', CONSTRAINTS.DeviceId);
  const statusFilter = queryEnum(query.get('statusFilter'), 'statusFilter', Object.keys(STATUS_FILTERS));
  const pageSize = queryPageSize(query.get('maxResults'), 'maxResults');
  const selected = [...state.instances.values()].filter((instance) =>
    (deviceId === undefined || instance.defaultRuntimeContextDevice === deviceId)
    && (statusFilter === undefined || STATUS_FILTERS[statusFilter].includes(instance.status)));
  const page = paginate(selected, pageSize, query.get('nextToken'), 'nextToken', 'ListApplicationInstances');
  return { ApplicationInstances: page.items.map(summary), NextToken: page.nextToken };
}

/**
 * RemoveApplicationInstance: starts the removal, abandoning a deployment still in progress. An
 * instance already being removed, or removed, is a 409 ConflictException.
 */
export function removeApplicationInstance(context: OperationContext, { labels }: OperationInput): object {
  const instance = existingInstance(context.state, instanceIdOf(labels));
  if (REMOVING_OR_REMOVED.includes(instance.status)) {
    throw conflict('ApplicationInstance', instance.applicationInstanceId,
      `Application instance ${instance.applicationInstanceId} is ${instance.status === 'REMOVAL_SUCCEEDED' ? 'already removed' : 'already being removed'} (${instance.status}).`);
  }
  context.instances.remove(instance, context.faults.takeOutcome('removal'));
  return {};
}

/** ListApplicationInstanceDependencies: the package versions the instance runs, each with the patch it resolved to. */
export function listApplicationInstanceDependencies({ state }: OperationContext, { labels, query }: OperationInput): object {
  const instance = listedInstance(state, instanceIdOf(labels), query);
  const page = paginate(instance.dependencies, queryPageSize(query.get('maxResults'), 'maxResults'), query.get('nextToken'), 'nextToken', 'ListApplicationInstanceDependencies');
  return {
    PackageObjects: page.items.map((d) => ({ Name: d.name, PackageVersion: d.version, PatchVersion: d.patchVersion })),
    NextToken: page.nextToken,
  };
}

/** ListApplicationInstanceNodeInstances: one per node of the deployed graph, RUNNING once deployed. */
export function listApplicationInstanceNodeInstances({ state }: OperationContext, { labels, query }: OperationInput): object {
  const instance = listedInstance(state, instanceIdOf(labels), query);
  const page = paginate(instance.nodes, queryPageSize(query.get('maxResults'), 'maxResults'), query.get('nextToken'), 'nextToken', 'ListApplicationInstanceNodeInstances');
  const currentStatus = nodeStatus(instance);
  return {
    NodeInstances: page.items.map((node: NodeInstanceRecord) => ({
      NodeInstanceId: node.nodeInstanceId,
      NodeId: node.nodeId,
      PackageName: node.packageName,
      PackageVersion: node.packageVersion,
      PackagePatchVersion: node.packagePatchVersion,
      NodeName: node.nodeName,
      CurrentStatus: currentStatus,
    })),
    NextToken: page.nextToken,
  };
}

/** The members DescribeApplicationInstance and ListApplicationInstances share. */
function summary(instance: ApplicationInstanceRecord): object {
  return {
    Name: instance.name,
    ApplicationInstanceId: instance.applicationInstanceId,
    DefaultRuntimeContextDevice: instance.defaultRuntimeContextDevice,
    DefaultRuntimeContextDeviceName: instance.defaultRuntimeContextDeviceName,
    Description: instance.description,
    Status: instance.status,
    HealthStatus: instance.healthStatus,
    StatusDescription: instance.statusDescription,
    CreatedTime: instance.createdTime,
    Arn: instance.arn,
    Tags: instance.tags,
  };
}

/** A node runs once its instance is deployed; it is in error when the deployment or removal failed. */
function nodeStatus(instance: ApplicationInstanceRecord): string {
  if (instance.status === 'DEPLOYMENT_SUCCEEDED') return 'RUNNING';
  if (['DEPLOYMENT_FAILED', 'DEPLOYMENT_ERROR', 'REMOVAL_FAILED'].includes(instance.status)) return 'ERROR';
  return 'NOT_AVAILABLE';
}

function instanceIdOf(labels: OperationInput['labels']): string {
  return requireString(labels.ApplicationInstanceId, 'ApplicationInstanceId', CONSTRAINTS.ApplicationInstanceId);
}

/** The instance, or the 404 the describe and remove operations list. Looked up once the request is valid. */
function existingInstance(state: EmulatorState, applicationInstanceId: string): ApplicationInstanceRecord {
  const instance = state.instances.get(applicationInstanceId);
  if (!instance) throw notFound('ApplicationInstance', applicationInstanceId, `Application instance ${applicationInstanceId} not found.`);
  return instance;
}

/**
 * For the list operations of one instance, which list no ResourceNotFoundException: its paging
 * parameters are checked first, then an unknown id is a ValidationException naming it (README).
 */
function listedInstance(state: EmulatorState, applicationInstanceId: string, query: URLSearchParams): ApplicationInstanceRecord {
  queryPageSize(query.get('maxResults'), 'maxResults');
  queryString(query.get('nextToken'), 'nextToken', CONSTRAINTS.NextToken);
  const instance = state.instances.get(applicationInstanceId);
  if (!instance) throw fieldError('ApplicationInstanceId', `'${applicationInstanceId}' names no application instance in account ${state.account}, Region ${state.region}.`);
  return instance;
}
