/**
 * The node-from-template operations (camera nodes): CreateNodeFromTemplateJob,
 * DescribeNodeFromTemplateJob, ListNodeFromTemplateJobs, ListNodes and DescribeNode, with the
 * model's members, constraints, errors and pagination. A credential never leaves the request: the
 * job keeps SAVED_AS_SECRET in its place, and no message shows a template value.
 */
import {
  NodeJobRecord, NodeJobRequest, NodeRecord, RTSP_CAMERA_STREAM, RTSP_TEMPLATE_PARAMETERS, withoutSecrets,
} from './camera-node-record';
import { fieldError, notFound } from './errors';
import {
  CONSTRAINTS, optionalString, optionalTags, queryEnum, queryPageSize, queryString, requireEnum, requireObject, requireSensitiveString,
  requireString,
} from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { paginate } from './pagination';
import { epochSeconds, randomId } from './state';
import { cameraInterface } from '../src/rules/camera';

const TEMPLATE_TYPES = [RTSP_CAMERA_STREAM];
const JOB_RESOURCE_TYPES = ['PACKAGE'];
const NODE_CATEGORIES = ['BUSINESS_LOGIC', 'ML_MODEL', 'MEDIA_SOURCE', 'MEDIA_SINK'] as const;

/**
 * CreateNodeFromTemplateJob. The model has no ClientToken here: every call starts a new job (a
 * caller that must not make two finds its earlier job by its JobTags). Hypothesis (README): an
 * RTSP_CAMERA_STREAM job needs `StreamUrl`, and `Username` with `Password` or neither; any other
 * parameter is refused.
 */
export function createNodeFromTemplateJob(context: OperationContext, { body }: OperationInput): object {
  const request = parseNodeJobRequest(body);
  const now = epochSeconds();
  const job: NodeJobRecord = {
    jobId: `nodeFromTemplateJob-${randomId(26)}`,
    request,
    createdTime: now,
    lastUpdatedTime: now,
    status: 'PENDING',
    statusMessage: 'Node job is pending.',
  };
  context.state.nodeJobs.set(job.jobId, job);
  context.nodeJobs.schedule(context.state, job, context.faults.takeOutcome('node job'));
  return { JobId: job.jobId };
}

/**
 * DescribeNodeFromTemplateJob. An unknown JobId is a 400 ValidationException: the model lists no
 * ResourceNotFound for this operation. Credentials read SAVED_AS_SECRET.
 */
export function describeNodeFromTemplateJob({ state }: OperationContext, { labels }: OperationInput): object {
  const jobId = requireString(labels.JobId, 'JobId', CONSTRAINTS.JobId);
  const job = state.nodeJobs.get(jobId);
  if (!job) throw fieldError('JobId', `'${jobId}' names no node-from-template job in account ${state.account}, Region ${state.region}.`);
  return {
    JobId: job.jobId,
    Status: job.status,
    StatusMessage: job.statusMessage,
    CreatedTime: job.createdTime,
    LastUpdatedTime: job.lastUpdatedTime,
    OutputPackageName: job.request.OutputPackageName,
    OutputPackageVersion: job.request.OutputPackageVersion,
    NodeName: job.request.NodeName,
    NodeDescription: job.request.NodeDescription,
    TemplateType: job.request.TemplateType,
    TemplateParameters: job.request.TemplateParameters,
    JobTags: job.request.JobTags,
  };
}

/** ListNodeFromTemplateJobs, paged with the capitalised NextToken/MaxResults query parameters, oldest first. */
export function listNodeFromTemplateJobs({ state }: OperationContext, { query }: OperationInput): object {
  const pageSize = queryPageSize(query.get('MaxResults'), 'MaxResults');
  const page = paginate([...state.nodeJobs.values()], pageSize, query.get('NextToken'), 'NextToken', 'ListNodeFromTemplateJobs');
  return {
    NodeFromTemplateJobs: page.items.map((job) => ({
      JobId: job.jobId,
      TemplateType: job.request.TemplateType,
      Status: job.status,
      StatusMessage: job.statusMessage,
      CreatedTime: job.createdTime,
      NodeName: job.request.NodeName,
    })),
    NextToken: page.nextToken,
  };
}

/**
 * ListNodes, paged with the lower-case nextToken/maxResults, filtered by category, ownerAccount,
 * packageName, packageVersion and patchVersion. It lists the nodes this account's jobs made whose
 * patch is still registered (AWS's own nodes: hypothesis, not listed).
 */
export function listNodes({ state }: OperationContext, { query }: OperationInput): object {
  const category = queryEnum(query.get('category'), 'Category', NODE_CATEGORIES);
  const ownerAccount = queryString(query.get('ownerAccount'), 'OwnerAccount', CONSTRAINTS.OwnerAccount);
  const packageName = queryString(query.get('packageName'), 'PackageName', CONSTRAINTS.PackageName);
  const packageVersion = queryString(query.get('packageVersion'), 'PackageVersion', CONSTRAINTS.PackageVersion);
  const patchVersion = queryString(query.get('patchVersion'), 'PatchVersion', CONSTRAINTS.PatchVersion);
  const pageSize = queryPageSize(query.get('maxResults'), 'MaxResults');
  const nodes = state.liveNodes().filter((node) => (category === undefined || node.category === category)
    && (ownerAccount === undefined || node.ownerAccount === ownerAccount)
    && (packageName === undefined || node.packageName === packageName)
    && (packageVersion === undefined || node.packageVersion === packageVersion)
    && (patchVersion === undefined || node.patchVersion === patchVersion));
  const page = paginate(nodes, pageSize, query.get('nextToken'), 'NextToken', 'ListNodes');
  return {
    Nodes: page.items.map((node) => ({
      NodeId: node.nodeId,
      Name: node.name,
      Category: node.category,
      OwnerAccount: node.ownerAccount,
      PackageName: node.packageName,
      PackageId: node.packageId,
      PackageArn: node.packageArn,
      PackageVersion: node.packageVersion,
      PatchVersion: node.patchVersion,
      Description: node.description,
      CreatedTime: node.createdTime,
    })),
    NextToken: page.nextToken,
  };
}

/** DescribeNode: a node of this account (its patch still registered), else a 404 ResourceNotFoundException. */
export function describeNode({ state }: OperationContext, { labels, query }: OperationInput): object {
  const nodeId = requireString(labels.NodeId, 'NodeId', CONSTRAINTS.NodeId);
  const ownerAccount = queryString(query.get('OwnerAccount'), 'OwnerAccount', CONSTRAINTS.OwnerAccount);
  const node = state.liveNodes().find((n) => n.nodeId === nodeId && (ownerAccount === undefined || n.ownerAccount === ownerAccount));
  if (!node) throw notFound('Node', nodeId, `Node ${nodeId} not found in account ${ownerAccount ?? state.account}.`);
  return describedNode(node);
}

function describedNode(node: NodeRecord): object {
  return {
    NodeId: node.nodeId,
    Name: node.name,
    Category: node.category,
    OwnerAccount: node.ownerAccount,
    PackageName: node.packageName,
    PackageId: node.packageId,
    PackageArn: node.packageArn,
    PackageVersion: node.packageVersion,
    PatchVersion: node.patchVersion,
    NodeInterface: {
      Inputs: cameraInterface(node.name).inputs.map((p) => ({ Name: p.name, Type: p.type.toUpperCase(), MaxConnections: 0 })),
      Outputs: cameraInterface(node.name).outputs.map((p) => ({ Name: p.name, Type: p.type.toUpperCase() })),
    },
    AssetName: node.assetName,
    Description: node.description,
    CreatedTime: node.createdTime,
    LastUpdatedTime: node.lastUpdatedTime,
  };
}

function parseNodeJobRequest(body: Readonly<Record<string, unknown>>): NodeJobRequest {
  const TemplateType = requireEnum(body.TemplateType, 'TemplateType', TEMPLATE_TYPES);
  const OutputPackageName = requireString(body.OutputPackageName, 'OutputPackageName', CONSTRAINTS.PackageName);
  const OutputPackageVersion = requireString(body.OutputPackageVersion, 'OutputPackageVersion', CONSTRAINTS.PackageVersion);
  const NodeName = requireString(body.NodeName, 'NodeName', CONSTRAINTS.NodeName);
  const NodeDescription = optionalString(body.NodeDescription, 'NodeDescription', CONSTRAINTS.Description);
  const parameters = parseTemplateParameters(body.TemplateParameters);
  return {
    TemplateType,
    OutputPackageName,
    OutputPackageVersion,
    NodeName,
    ...(NodeDescription !== undefined ? { NodeDescription } : {}),
    // The credentials are dropped here: nothing after this line (state, state file, answers) holds them.
    TemplateParameters: withoutSecrets(parameters),
    ...(body.JobTags !== undefined ? { JobTags: parseJobTags(body.JobTags) } : {}),
  };
}

function parseTemplateParameters(value: unknown): Record<string, string> {
  const map = requireObject(value, 'TemplateParameters');
  const parameters: Record<string, string> = {};
  for (const [key, parameter] of Object.entries(map)) {
    requireString(key, 'TemplateParameters key', CONSTRAINTS.TemplateKey);
    if (!RTSP_TEMPLATE_PARAMETERS.includes(key)) {
      throw fieldError(`TemplateParameters.${key}`, `is not a parameter of ${RTSP_CAMERA_STREAM} (its parameters: ${RTSP_TEMPLATE_PARAMETERS.join(', ')}).`);
    }
    parameters[key] = requireSensitiveString(parameter, `TemplateParameters.${key}`, CONSTRAINTS.TemplateValue);
  }
  if (parameters.StreamUrl === undefined) throw fieldError('TemplateParameters.StreamUrl', `is required for ${RTSP_CAMERA_STREAM}.`);
  if ((parameters.Username === undefined) !== (parameters.Password === undefined)) {
    throw fieldError('TemplateParameters', 'must hold Username and Password together, or neither (an open stream).');
  }
  return parameters;
}

function parseJobTags(value: unknown): NodeJobRequest['JobTags'] {
  if (!Array.isArray(value)) throw fieldError('JobTags', 'must be a list.');
  return value.map((entry, index) => {
    const jobTag = requireObject(entry, `JobTags[${index}]`);
    const tags = optionalTags(jobTag.Tags, `JobTags[${index}].Tags`);
    if (tags === undefined) throw fieldError(`JobTags[${index}].Tags`, 'is required.');
    return { ResourceType: requireEnum(jobTag.ResourceType, `JobTags[${index}].ResourceType`, JOB_RESOURCE_TYPES), Tags: tags };
  });
}
