/** HTTP status of each error the emulator can return, as in the Panorama Smithy model. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  ConflictException: 409,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ValidationException: 400,
  // Not in the Panorama model; it is the common AWS throttling error, which the SDK retries on 429.
  ThrottlingException: 429,
};

/** Why a request failed validation, as the model's ValidationExceptionReason enum names it. */
export type ValidationReason = 'UNKNOWN_OPERATION' | 'CANNOT_PARSE' | 'FIELD_VALIDATION_FAILED' | 'OTHER';

/** One field named by a ValidationException. */
export interface FieldProblem {
  readonly Name: string;
  readonly Message: string;
}

/** Seconds a 500 asks the caller to wait when nobody chose a value. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** A modelled service error; the server turns it into the HTTP response the SDK expects. */
export class ServiceError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
    /** Body members besides Message, in the model's PascalCase. */
    readonly members: Readonly<Record<string, unknown>> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = errorType;
  }

  get status(): number {
    return ERROR_STATUS[this.errorType] ?? 400;
  }
}

/** 400 ValidationException with reason FIELD_VALIDATION_FAILED naming the field. */
export function fieldError(field: string, problem: string): ServiceError {
  const message = `${field} ${problem}`;
  return new ServiceError('ValidationException', message, {
    Reason: 'FIELD_VALIDATION_FAILED',
    Fields: [{ Name: field, Message: message }],
  });
}

/** 400 ValidationException with any other reason. */
export function validationError(reason: ValidationReason, message: string): ServiceError {
  return new ServiceError('ValidationException', message, { Reason: reason });
}

/** 404 ResourceNotFoundException for a package or package version. */
export function notFound(resourceType: string, resourceId: string, message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message, { ResourceId: resourceId, ResourceType: resourceType });
}

/** 409 ConflictException. */
export function conflict(resourceType: string, resourceId: string, message: string, errorId?: string): ServiceError {
  return new ServiceError('ConflictException', message, {
    ResourceId: resourceId,
    ResourceType: resourceType,
    ...(errorId ? { ErrorId: errorId } : {}),
  });
}

/** 402 ServiceQuotaExceededException. */
export function quotaExceeded(quotaCode: string, message: string, resourceType?: string, resourceId?: string): ServiceError {
  return new ServiceError('ServiceQuotaExceededException', message, {
    QuotaCode: quotaCode,
    ServiceCode: 'panorama',
    ...(resourceId ? { ResourceId: resourceId, ResourceType: resourceType } : {}),
  });
}

/** An error that a test asked for through fault injection. */
export interface InjectedFault {
  /** A modelled error name, or ThrottlingException. */
  readonly errorType: string;
  readonly message?: string;
  /** For InternalServerException: the Retry-After header (default 1). */
  readonly retryAfterSeconds?: number;
}

/** Builds the error an injected fault stands for, with plausible members for its type. */
export function errorFromFault(operation: string, fault: InjectedFault): ServiceError {
  const message = fault.message ?? `Injected ${fault.errorType} for ${operation}`;
  switch (fault.errorType) {
    case 'ValidationException':
      return validationError('OTHER', message);
    case 'ConflictException':
      return conflict('Package', 'injected', message);
    case 'ResourceNotFoundException':
      return notFound('Package', 'injected', message);
    case 'ServiceQuotaExceededException':
      return quotaExceeded('injected', message);
    case 'InternalServerException':
      return new ServiceError('InternalServerException', message, {}, fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
    default:
      return new ServiceError(fault.errorType, message);
  }
}

/** The HTTP response for an error: status, headers and a body with both key casings. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

/** Renders an error the way the real service did: X-Amzn-ErrorType plus PascalCase and camelCase keys. */
export function renderError(error: ServiceError): ErrorResponse {
  const headers: Record<string, string> = { 'X-Amzn-ErrorType': error.errorType };
  const pascal: Record<string, unknown> = { Message: error.message, ...error.members };
  if (error.errorType === 'InternalServerException') {
    const seconds = error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    headers['Retry-After'] = String(seconds);
    pascal.RetryAfterSeconds = seconds;
  }
  // The model documents PascalCase, real responses were seen in camelCase: send both.
  return { status: error.status, headers, body: { ...pascal, ...camelCaseKeys(pascal) } };
}

function camelCaseKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), camelCaseKeys(inner)]),
  );
}
