import { conflict, fieldError } from './errors';
import {
  CONSTRAINTS,
  optionalBoolean,
  optionalString,
  optionalTags,
  queryPageSize,
  requireEnum,
  requireObject,
  requireString,
} from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { paginate } from './pagination';
import { epochSeconds, ImportJobOutput, ImportJobRecord, ImportJobRequest, randomId } from './state';

const JOB_TYPES = ['NODE_PACKAGE_VERSION', 'MARKETPLACE_NODE_PACKAGE_VERSION'];

/** The Output of a job that is PENDING or FAILED: every required member, none naming anything yet. */
export const NOTHING_IMPORTED: ImportJobOutput = {
  PackageId: '',
  PackageVersion: '',
  PatchVersion: '',
  OutputS3Location: { BucketName: '', ObjectKey: '' },
};
const JOB_RESOURCE_TYPES = ['PACKAGE'];

/**
 * CreatePackageImportJob. ClientToken idempotency: the same token with the same request returns
 * the first JobId and starts nothing; the same token with a different request is a 409
 * ConflictException with ErrorId `IdempotentParameterMismatch` (the model has no dedicated
 * idempotency error, and Conflict is what AWS services use for this).
 */
export function createPackageImportJob(context: OperationContext, { body }: OperationInput): object {
  const request = parseImportJobRequest(body);
  const fingerprint = canonicalJson({ ...request, OutputConfig: withDefaultMarkLatest(request) });
  const { state } = context;
  const earlierJobId = state.jobIdByClientToken.get(request.ClientToken);
  if (earlierJobId) {
    if (state.jobs.get(earlierJobId)!.fingerprint === fingerprint) return { JobId: earlierJobId };
    throw conflict(
      'PackageImportJob',
      earlierJobId,
      `ClientToken ${request.ClientToken} was already used for job ${earlierJobId} with different parameters.`,
      'IdempotentParameterMismatch',
    );
  }
  const now = epochSeconds();
  const job: ImportJobRecord = {
    jobId: `packageImportJob-${randomId(26)}`,
    request,
    fingerprint,
    createdTime: now,
    lastUpdatedTime: now,
    status: 'PENDING',
    statusMessage: 'Import job is pending.',
  };
  state.addJob(job);
  context.jobs.schedule(state, job, context.faults.takeJobOutcome());
  return { JobId: job.jobId };
}

/**
 * DescribePackageImportJob. An unknown JobId is a 400 ValidationException (FIELD_VALIDATION_FAILED
 * naming JobId), never ResourceNotFound: the model lists no ResourceNotFound for this operation.
 * The model requires `Output`; until the job succeeded it holds empty strings (README).
 */
export function describePackageImportJob({ state }: OperationContext, { labels }: OperationInput): object {
  const jobId = requireString(labels.JobId, 'JobId', CONSTRAINTS.JobId);
  const job = state.jobs.get(jobId);
  if (!job) throw fieldError('JobId', `'${jobId}' names no package import job in account ${state.account}, Region ${state.region}.`);
  return {
    JobId: job.jobId,
    ClientToken: job.request.ClientToken,
    JobType: job.request.JobType,
    InputConfig: job.request.InputConfig,
    OutputConfig: job.request.OutputConfig,
    Output: job.output ?? NOTHING_IMPORTED,
    CreatedTime: job.createdTime,
    LastUpdatedTime: job.lastUpdatedTime,
    Status: job.status,
    StatusMessage: job.statusMessage,
    JobTags: job.request.JobTags,
  };
}

/** ListPackageImportJobs, paged with the capitalised NextToken/MaxResults query parameters. */
export function listPackageImportJobs({ state }: OperationContext, { query }: OperationInput): object {
  const pageSize = queryPageSize(query.get('MaxResults'), 'MaxResults');
  const page = paginate([...state.jobs.values()], pageSize, query.get('NextToken'), 'NextToken', 'ListPackageImportJobs');
  return {
    PackageImportJobs: page.items.map((job) => ({
      JobId: job.jobId,
      JobType: job.request.JobType,
      Status: job.status,
      StatusMessage: job.statusMessage,
      CreatedTime: job.createdTime,
      LastUpdatedTime: job.lastUpdatedTime,
    })),
    NextToken: page.nextToken,
  };
}

function parseImportJobRequest(body: Readonly<Record<string, unknown>>): ImportJobRequest {
  const JobType = requireEnum(body.JobType, 'JobType', JOB_TYPES);
  const inputConfig = requireObject(body.InputConfig, 'InputConfig');
  const versionInput = requireObject(inputConfig.PackageVersionInputConfig, 'InputConfig.PackageVersionInputConfig');
  const s3Location = requireObject(versionInput.S3Location, 'InputConfig.PackageVersionInputConfig.S3Location');
  const region = optionalString(s3Location.Region, 'InputConfig.PackageVersionInputConfig.S3Location.Region', { min: 1, max: 255 });
  const outputConfig = requireObject(body.OutputConfig, 'OutputConfig');
  const versionOutput = requireObject(outputConfig.PackageVersionOutputConfig, 'OutputConfig.PackageVersionOutputConfig');
  const markLatest = optionalBoolean(versionOutput.MarkLatest, 'OutputConfig.PackageVersionOutputConfig.MarkLatest');
  return {
    JobType,
    InputConfig: {
      PackageVersionInputConfig: {
        S3Location: {
          BucketName: requireString(s3Location.BucketName, 'InputConfig.PackageVersionInputConfig.S3Location.BucketName', CONSTRAINTS.BucketName),
          ObjectKey: requireString(s3Location.ObjectKey, 'InputConfig.PackageVersionInputConfig.S3Location.ObjectKey', CONSTRAINTS.ObjectKey),
          ...(region !== undefined ? { Region: region } : {}),
        },
      },
    },
    OutputConfig: {
      PackageVersionOutputConfig: {
        PackageName: requireString(versionOutput.PackageName, 'OutputConfig.PackageVersionOutputConfig.PackageName', CONSTRAINTS.PackageName),
        PackageVersion: requireString(versionOutput.PackageVersion, 'OutputConfig.PackageVersionOutputConfig.PackageVersion', CONSTRAINTS.PackageVersion),
        ...(markLatest !== undefined ? { MarkLatest: markLatest } : {}),
      },
    },
    ClientToken: requireString(body.ClientToken, 'ClientToken', CONSTRAINTS.ClientToken),
    ...(body.JobTags !== undefined ? { JobTags: parseJobTags(body.JobTags) } : {}),
  };
}

function parseJobTags(value: unknown): ImportJobRequest['JobTags'] {
  if (!Array.isArray(value)) throw fieldError('JobTags', 'must be a list.');
  return value.map((entry, index) => {
    const jobTag = requireObject(entry, `JobTags[${index}]`);
    return {
      ResourceType: requireEnum(jobTag.ResourceType, `JobTags[${index}].ResourceType`, JOB_RESOURCE_TYPES),
      Tags: optionalTags(jobTag.Tags, `JobTags[${index}].Tags`) ?? failRequired(`JobTags[${index}].Tags`),
    };
  });
}

function failRequired(field: string): never {
  throw fieldError(field, 'is required.');
}

function withDefaultMarkLatest(request: ImportJobRequest): ImportJobRequest['OutputConfig'] {
  const output = request.OutputConfig.PackageVersionOutputConfig;
  return { PackageVersionOutputConfig: { ...output, MarkLatest: output.MarkLatest ?? false } };
}

/** JSON with sorted keys, so that key order never makes two equal requests differ. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
