import { OperationName } from './routes';

/** Requests per second the service allows overall (a fixed Panorama quota). */
export const OVERALL_REQUESTS_PER_SECOND = 5;
/** Requests per second the service allows for calls that create or modify. */
export const WRITE_REQUESTS_PER_SECOND = 1;

/** Operations counted against the write quota: those that create, modify or remove. */
export const WRITE_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  'CreatePackageImportJob',
  'CreateNodeFromTemplateJob',
  'CreatePackage',
  'DeletePackage',
  'RegisterPackageVersion',
  'DeregisterPackageVersion',
  'TagResource',
  'UntagResource',
  'CreateApplicationInstance',
  'RemoveApplicationInstance',
  'ProvisionDevice',
  'DeleteDevice',
]);

const WINDOW_MS = 1000;

/**
 * Outside Panorama's API: where the emulator says which quotas it enforces, so that the local
 * runner can tell the handlers not to pace writes that nothing limits. Not recorded as a request.
 */
export const EMULATOR_QUOTAS_PATH = '/_emulator/quotas';

/** The quotas the emulator enforces right now; null: not enforced. */
export interface EnforcedQuotas {
  readonly requestsPerSecond: number | null;
  readonly writesPerSecond: number | null;
}

/** Sliding one-second windows for the overall and the write quota. */
export class RateLimiter {
  private all: number[] = [];
  private writes: number[] = [];

  constructor(public enabled = false) {}

  /** Admits a request (and counts it) or returns false when it is over a quota. */
  admit(operation: OperationName, now = Date.now()): boolean {
    if (!this.enabled) return true;
    this.all = this.all.filter((at) => now - at < WINDOW_MS);
    this.writes = this.writes.filter((at) => now - at < WINDOW_MS);
    const isWrite = WRITE_OPERATIONS.has(operation);
    if (this.all.length >= OVERALL_REQUESTS_PER_SECOND) return false;
    if (isWrite && this.writes.length >= WRITE_REQUESTS_PER_SECOND) return false;
    this.all.push(now);
    if (isWrite) this.writes.push(now);
    return true;
  }

  quotas(): EnforcedQuotas {
    return this.enabled
      ? { requestsPerSecond: OVERALL_REQUESTS_PER_SECOND, writesPerSecond: WRITE_REQUESTS_PER_SECOND }
      : { requestsPerSecond: null, writesPerSecond: null };
  }

  clear(): void {
    this.all = [];
    this.writes = [];
  }
}
