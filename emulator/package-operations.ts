import { conflict, fieldError, notFound, validationError } from './errors';
import {
  CONSTRAINTS,
  optionalBoolean,
  optionalString,
  optionalTags,
  queryBoolean,
  queryPageSize,
  requireString,
} from './input-validation';
import { OperationContext, OperationInput } from './operation-context';
import { paginate } from './pagination';
import { MAX_PACKAGES, MAX_VERSIONS_PER_PACKAGE, PACKAGE_QUOTA_ERROR_ID, packageQuotaMessage, VERSION_QUOTA_ERROR_ID, versionQuotaMessage } from './quotas';
import { EmulatorState, epochSeconds, PackageRecord, PackageVersionRecord } from './state';

/**
 * CreatePackage: a new, empty package; a taken name is a 409 ConflictException. The model lists no
 * ServiceQuotaExceededException here, so the 51st package is a ConflictException too (README).
 */
export function createPackage({ state }: OperationContext, { body }: OperationInput): object {
  const packageName = requireString(body.PackageName, 'PackageName', CONSTRAINTS.PackageName);
  const tags = optionalTags(body.Tags, 'Tags') ?? {};
  const existing = state.findPackageByName(packageName);
  if (existing) throw conflict('Package', existing.packageId, `A package named ${packageName} already exists: ${existing.packageId}.`);
  if (state.packages.size >= MAX_PACKAGES) throw conflict('Package', packageName, packageQuotaMessage(state.region), PACKAGE_QUOTA_ERROR_ID);
  const pkg = state.addPackage(packageName, tags, epochSeconds());
  return { PackageId: pkg.packageId, Arn: pkg.arn, StorageLocation: pkg.storageLocation };
}

/** DescribePackage, by PackageId or `packageName/<name>`. */
export function describePackage({ state }: OperationContext, { labels }: OperationInput): object {
  const pkg = existingPackage(state, packageIdOf(labels));
  return {
    PackageId: pkg.packageId,
    PackageName: pkg.packageName,
    Arn: pkg.arn,
    StorageLocation: pkg.storageLocation,
    CreatedTime: pkg.createdTime,
    Tags: pkg.tags,
  };
}

/** ListPackages, paged with the lower-case nextToken/maxResults query parameters. */
export function listPackages({ state }: OperationContext, { query }: OperationInput): object {
  const pageSize = queryPageSize(query.get('maxResults'), 'maxResults');
  const page = paginate([...state.packages.values()], pageSize, query.get('nextToken'), 'nextToken', 'ListPackages');
  return {
    Packages: page.items.map((pkg) => ({
      PackageId: pkg.packageId,
      PackageName: pkg.packageName,
      Arn: pkg.arn,
      CreatedTime: pkg.createdTime,
      Tags: pkg.tags,
    })),
    NextToken: page.nextToken,
  };
}

/**
 * DeletePackage. Our hypothesis of the service's rules: 409 while any version is still
 * registered; without ForceDelete, 409 while its storage holds objects; ForceDelete removes them.
 */
export async function deletePackage({ state, s3 }: OperationContext, { labels, query }: OperationInput): Promise<object> {
  const packageId = packageIdOf(labels);
  const forceDelete = queryBoolean(query.get('ForceDelete'), 'ForceDelete') ?? false;
  const pkg = existingPackage(state, packageId);
  const registered = state.registeredVersions(pkg.packageId);
  if (registered.length > 0) {
    const list = registered.map((v) => `${v.packageVersion}/${v.patchVersion}`).join(', ');
    throw conflict('Package', pkg.packageId, `Package ${pkg.packageId} still has registered versions (${list}). Deregister them first.`, 'PACKAGE_VERSIONS_REGISTERED');
  }
  const storage = pkg.storageLocation;
  const keys = await s3.list(storage.Bucket, `${storage.RepoPrefixLocation}/`);
  if (keys.length > 0 && !forceDelete) {
    throw conflict('Package', pkg.packageId, `Package ${pkg.packageId} storage still holds ${keys.length} objects. Set ForceDelete to delete them.`, 'PACKAGE_STORAGE_NOT_EMPTY');
  }
  await s3.remove(storage.Bucket, keys);
  state.removePackage(pkg.packageId);
  return {};
}

/** DescribePackageVersion: a given patch, or the latest (else newest) registered one. */
export function describePackageVersion({ state }: OperationContext, { labels, query }: OperationInput): object {
  const packageId = packageIdOf(labels);
  const packageVersion = requireString(labels.PackageVersion, 'PackageVersion', CONSTRAINTS.PackageVersion);
  const ownerAccount = optionalString(query.get('OwnerAccount') ?? undefined, 'OwnerAccount', CONSTRAINTS.OwnerAccount);
  const patchVersion = optionalString(query.get('PatchVersion') ?? undefined, 'PatchVersion', CONSTRAINTS.PatchVersion);
  const pkg = existingPackage(state, packageId);
  const candidates = ownerAccount && ownerAccount !== state.account ? [] : state.registeredVersions(pkg.packageId, packageVersion);
  const version = patchVersion !== undefined
    ? candidates.find((v) => v.patchVersion === patchVersion)
    : candidates.find((v) => v.isLatestPatch) ?? candidates[candidates.length - 1];
  const id = `${pkg.packageId}/${packageVersion}${patchVersion ? `/${patchVersion}` : ''}`;
  if (!version) throw notFound('PackageVersion', id, `No registered package version found for ${id}.`);
  return {
    PackageId: pkg.packageId,
    PackageName: pkg.packageName,
    PackageArn: pkg.arn,
    PackageVersion: version.packageVersion,
    PatchVersion: version.patchVersion,
    IsLatestPatch: version.isLatestPatch,
    Status: version.status,
    StatusDescription: 'Package version registered.',
    OwnerAccount: version.ownerAccount,
    RegisteredTime: version.registeredTime,
  };
}

/**
 * RegisterPackageVersion: registers a patch whose manifest is already in the package's managed
 * storage. The model lists no ResourceNotFound here, so unknown packages are ValidationExceptions,
 * and no ServiceQuotaExceeded either, so a 21st version is a ConflictException (README).
 */
export async function registerPackageVersion({ state, s3 }: OperationContext, { labels, body }: OperationInput): Promise<object> {
  const packageId = packageIdOf(labels);
  const packageVersion = requireString(labels.PackageVersion, 'PackageVersion', CONSTRAINTS.PackageVersion);
  const patchVersion = requireString(labels.PatchVersion, 'PatchVersion', CONSTRAINTS.PatchVersion);
  const ownerAccount = optionalString(body.OwnerAccount, 'OwnerAccount', CONSTRAINTS.OwnerAccount);
  const markLatest = optionalBoolean(body.MarkLatest, 'MarkLatest') ?? false;
  assertOwnAccount(state, ownerAccount);
  const pkg = state.findPackage(packageId);
  if (!pkg) throw fieldError('PackageId', `'${packageId}' names no package in account ${state.account}.`);
  const storage = pkg.storageLocation;
  const manifestKey = `${storage.ManifestPrefixLocation}/${packageVersion}/${patchVersion}.json`;
  if (!(await s3.exists(storage.Bucket, manifestKey))) {
    throw validationError('OTHER', `No manifest for ${pkg.packageName} ${packageVersion} patch ${patchVersion} at s3://${storage.Bucket}/${manifestKey}.`);
  }
  const alreadyRegistered = state.findRegisteredPatch(pkg.packageId, packageVersion, patchVersion);
  if (!alreadyRegistered && state.registeredVersions(pkg.packageId).length >= MAX_VERSIONS_PER_PACKAGE) {
    throw conflict('Package', pkg.packageId, versionQuotaMessage(pkg.packageName), VERSION_QUOTA_ERROR_ID);
  }
  state.registerPatch(pkg.packageId, packageVersion, patchVersion, markLatest, epochSeconds());
  return {};
}

/** DeregisterPackageVersion; UpdatedLatestPatchVersion names the patch that becomes latest instead. */
export function deregisterPackageVersion({ state }: OperationContext, { labels, query }: OperationInput): object {
  const packageId = packageIdOf(labels);
  const packageVersion = requireString(labels.PackageVersion, 'PackageVersion', CONSTRAINTS.PackageVersion);
  const patchVersion = requireString(labels.PatchVersion, 'PatchVersion', CONSTRAINTS.PatchVersion);
  const ownerAccount = optionalString(query.get('OwnerAccount') ?? undefined, 'OwnerAccount', CONSTRAINTS.OwnerAccount);
  const updatedLatest = optionalString(query.get('UpdatedLatestPatchVersion') ?? undefined, 'UpdatedLatestPatchVersion', CONSTRAINTS.PatchVersion);
  assertOwnAccount(state, ownerAccount);
  const pkg = existingPackage(state, packageId);
  const version = state.findRegisteredPatch(pkg.packageId, packageVersion, patchVersion);
  const id = `${pkg.packageId}/${packageVersion}/${patchVersion}`;
  if (!version) throw notFound('PackageVersion', id, `No registered package version found for ${id}.`);
  const users = state.instancesUsingPatch(pkg.packageId, packageVersion, patchVersion);
  if (users.length > 0) {
    // Our choice (README): an application that runs a patch keeps it registered until it is removed.
    throw conflict('PackageVersion', id, `Package version ${id} is used by application instances that are not removed: `
      + `${users.map((i) => `${i.applicationInstanceId} (${i.status})`).join(', ')}. Remove them first.`, 'PACKAGE_VERSION_IN_USE');
  }
  let successor: PackageVersionRecord | undefined;
  if (updatedLatest !== undefined) {
    successor = state.findRegisteredPatch(pkg.packageId, packageVersion, updatedLatest);
    if (!successor || successor === version) {
      throw fieldError('UpdatedLatestPatchVersion', `'${updatedLatest}' is not another registered patch of ${pkg.packageId} ${packageVersion}.`);
    }
  }
  version.registered = false;
  version.isLatestPatch = false;
  if (successor) state.markLatest(successor);
  return {};
}

/** The validated PackageId path label. */
function packageIdOf(labels: OperationInput['labels']): string {
  return requireString(labels.PackageId, 'PackageId', CONSTRAINTS.PackageId);
}

/**
 * Finds a package by id or alias, or throws the 404 the describe/delete operations return. Called
 * once every input is validated: the service answers a bad request 400 even for an unknown package.
 */
export function existingPackage(state: EmulatorState, packageId: string): PackageRecord {
  const pkg = state.findPackage(packageId);
  if (!pkg) throw notFound('Package', packageId, `Package ${packageId} not found.`);
  return pkg;
}

function assertOwnAccount(state: EmulatorState, ownerAccount: string | undefined): void {
  if (ownerAccount !== undefined && ownerAccount !== state.account) {
    throw fieldError('OwnerAccount', `'${ownerAccount}' is not this account (${state.account}); the emulator serves one account.`);
  }
}
