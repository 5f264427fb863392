/**
 * The errors each served operation may return, as the Panorama Smithy model lists them (the
 * `@throws` of the pinned `@aws-sdk/client-panorama` 3.1076.0 commands; botocore's copy of the
 * model agrees). The emulator answers only with these (and, for the few operations of
 * UNLISTED_VALIDATION, a ValidationException for bad input), and fault injection offers only these
 * plus ThrottlingException. Serving a new operation means adding its row here.
 */
import { OperationName } from './routes';

/** The error shapes of the Panorama model. */
export type ModelledError =
  | 'AccessDeniedException'
  | 'ConflictException'
  | 'InternalServerException'
  | 'ResourceNotFoundException'
  | 'ServiceQuotaExceededException'
  | 'ValidationException';

/**
 * Not in the Panorama model: the common AWS throttling error (429), which the SDK retries. Every
 * operation may answer it, as the real service's front end throttles any call.
 */
export const THROTTLING_ERROR = 'ThrottlingException';

/** Per operation, the errors the model lists for it. */
export const OPERATION_ERRORS: Readonly<Record<OperationName, readonly ModelledError[]>> = {
  CreatePackageImportJob: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  DescribePackageImportJob: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  ListPackageImportJobs: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  CreatePackage: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  DescribePackage: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  ListPackages: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  DeletePackage: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  DescribePackageVersion: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  RegisterPackageVersion: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  DeregisterPackageVersion: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  TagResource: ['InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  UntagResource: ['InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  ListTagsForResource: ['InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  CreateApplicationInstance: ['AccessDeniedException', 'InternalServerException', 'ServiceQuotaExceededException', 'ValidationException'],
  DescribeApplicationInstance: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  DescribeApplicationInstanceDetails: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  ListApplicationInstances: ['AccessDeniedException', 'InternalServerException'],
  RemoveApplicationInstance: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  ListApplicationInstanceDependencies: ['AccessDeniedException', 'InternalServerException'],
  ListApplicationInstanceNodeInstances: ['AccessDeniedException', 'InternalServerException'],
  ProvisionDevice: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ServiceQuotaExceededException', 'ValidationException'],
  DescribeDevice: ['AccessDeniedException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  ListDevices: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  DeleteDevice: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
  CreateNodeFromTemplateJob: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  DescribeNodeFromTemplateJob: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  ListNodeFromTemplateJobs: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ValidationException'],
  ListNodes: ['ConflictException', 'InternalServerException', 'ValidationException'],
  DescribeNode: ['AccessDeniedException', 'ConflictException', 'InternalServerException', 'ResourceNotFoundException', 'ValidationException'],
};

/**
 * Operations whose model lists no ValidationException (nor any other error that means "bad
 * input"), yet take input the model constrains (MaxResults 0..25, NextToken, the instance id). The
 * emulator answers a request that breaks those constraints, or names no application instance, with
 * a 400 ValidationException all the same (README): the alternatives are a 5xx that the SDK retries
 * for nothing, or reading bad input as good. The SDK reads the error by its type, listed or not.
 * Tests cannot inject it there: injection offers only what the model lists.
 */
export const UNLISTED_VALIDATION: ReadonlySet<OperationName> = new Set<OperationName>([
  'ListApplicationInstances', 'ListApplicationInstanceDependencies', 'ListApplicationInstanceNodeInstances',
]);

/** Whether the operation may answer with this error: the model lists it, it is throttling, or the validation of UNLISTED_VALIDATION. */
export function mayAnswerWith(operation: OperationName, errorType: string): boolean {
  return errorType === THROTTLING_ERROR
    || (OPERATION_ERRORS[operation] as readonly string[]).includes(errorType)
    || (errorType === 'ValidationException' && UNLISTED_VALIDATION.has(operation));
}

/** The errors a test may inject into an operation. */
export function injectableErrors(operation: OperationName): readonly string[] {
  return [...OPERATION_ERRORS[operation], THROTTLING_ERROR];
}
