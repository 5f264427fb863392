/**
 * A Create or Update that failed after its physical resource came to exist: the deployer records
 * `physicalId`, so the rollback (or a later destroy) deletes that resource, as CloudFormation does.
 * Thrown by native types (an application instance whose deployment failed) and for custom
 * resources (the physical id of a FAILED response).
 */
export class ResourceFailure extends Error {
  constructor(message: string, readonly physicalId?: string) {
    super(message);
    this.name = 'ResourceFailure';
  }
}
