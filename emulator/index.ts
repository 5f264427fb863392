export { PanoramaEmulator } from './server';
export type { PanoramaEmulatorOptions, ImportJobView, PackageView, ApplicationInstanceView } from './server';
export type { RecordedRequest } from './request-handler';
export { ERROR_STATUS } from './errors';
export type { InjectedFault } from './errors';
export type { JobOutcome } from './faults';
export { OPERATIONS } from './routes';
export type { OperationName } from './routes';
export { WRITE_OPERATIONS, OVERALL_REQUESTS_PER_SECOND, WRITE_REQUESTS_PER_SECOND } from './rate-limit';
export { MAX_PACKAGES, MAX_VERSIONS_PER_PACKAGE, versionQuotaMessage } from './quotas';
export { checkManifest, ENVELOPE_VERSION } from './manifest-check';
export type { CheckedManifest, ManifestCheckResult, ReferencedFile } from './manifest-check';
export { startS3Server } from './s3-server';
export type { S3ServerOptions, RunningS3Server } from './s3-server';
export { saveEmulatorState, loadEmulatorState, StateFileError, STATE_FILE_FORMAT, STATE_FILE_VERSION } from './persistence';
export type { EmulatorStateFile } from './persistence';
export { deviceIdProblem } from './devices';
export { AWS_PACKAGE_VERSIONS } from './aws-packages';
export type { AwsPackageVersion } from './aws-packages';
export { STATUS_FILTERS } from './application-instance-record';
export type {
  ApplicationInstanceRecord, ApplicationInstanceStatus, ApplicationInstanceHealthStatus, PackageDependency, NodeInstanceRecord,
} from './application-instance-record';
export type { DeviceRecord } from './devices';
export { writeFileAtomically } from './atomic-file';
