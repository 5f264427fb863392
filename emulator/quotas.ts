/** Fixed Panorama quotas (they cannot be raised). */
export const MAX_PACKAGES = 50;
/** Registered patch versions one package may hold at a time. */
export const MAX_VERSIONS_PER_PACKAGE = 20;

/** The service's wording when a package has no room for another version. */
export function versionQuotaMessage(packageName: string): string {
  return `You've reached the maximum number of versions for package ${packageName}. Deregister unused package versions and try again.`;
}

/** The emulator's wording (modelled on the version one) when the Region has no room for another package. */
export function packageQuotaMessage(region: string): string {
  return `You've reached the maximum number of packages (${MAX_PACKAGES}) in ${region}. Delete unused packages and try again.`;
}

/**
 * The model lists no ServiceQuotaExceededException for CreatePackage or RegisterPackageVersion, so
 * the emulator answers a full quota with a ConflictException carrying one of these ErrorIds (README).
 */
export const PACKAGE_QUOTA_ERROR_ID = 'PACKAGE_QUOTA_EXCEEDED';
export const VERSION_QUOTA_ERROR_ID = 'PACKAGE_VERSION_QUOTA_EXCEEDED';
