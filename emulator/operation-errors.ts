/**
 * The errors each served operation may return, as the Panorama Smithy model lists them (the
 * `@throws` of the pinned `@aws-sdk/client-panorama` 3.1076.0 commands; botocore's copy of the
 * model agrees). The emulator answers only with these, and fault injection offers only these plus
 * ThrottlingException. Serving a new operation means adding its row here.
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
};

/** Whether the operation may answer with this error: the model lists it, or it is throttling. */
export function mayAnswerWith(operation: OperationName, errorType: string): boolean {
  return errorType === THROTTLING_ERROR || (OPERATION_ERRORS[operation] as readonly string[]).includes(errorType);
}

/** The errors a test may inject into an operation. */
export function injectableErrors(operation: OperationName): readonly string[] {
  return [...OPERATION_ERRORS[operation], THROTTLING_ERROR];
}
