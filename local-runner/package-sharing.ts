/**
 * One package version, two owners: the same project deployed by two stacks (or two applications,
 * or an application and an import of the same folder) registers the same patch, each import
 * thinking it its own. Deregistering it for one would pull it from under the other, and Panorama
 * refuses while an instance runs it. So, before an import's Delete deregisters its patch, the
 * runner asks who else uses it: an import of another stack (or one of this stack that stays), or
 * an application instance not removed that runs it. When anyone does, the version is kept
 * (DELETE_SKIPPED) and a warning says who uses it.
 */
import {
  ListApplicationInstanceDependenciesCommand, ListApplicationInstancesCommand, PanoramaClient,
} from '@aws-sdk/client-panorama';
import { LOCAL_RUNNER_CREDENTIALS } from './environment';
import type { StackWork } from './stack-work';
import type { ResourceState } from './state';
import { PACKAGE_IMPORT_ATTRIBUTES, PACKAGE_IMPORT_RESOURCE_TYPE } from '../src/rules/contract';

/** The package version an import registered, as its attributes name it. */
interface ImportedVersion {
  readonly packageId: string;
  readonly packageName: string;
  readonly packageVersion: string;
  readonly patchVersion: string;
}

/** The status of an instance that no longer holds its packages (any other, a failed deployment included, does: Panorama refuses the deregistration). */
const GONE = ['REMOVAL_SUCCEEDED'];

/**
 * Who else uses the package version the import registered, each named for a message; empty when
 * no one does, or when its Delete would not deregister anything (retained, or never registered).
 */
export async function otherUsersOf(work: StackWork, logicalId: string, resource: ResourceState): Promise<string[]> {
  if (resource.type !== PACKAGE_IMPORT_RESOURCE_TYPE || resource.properties.RemovalPolicy !== 'destroy') return [];
  const version = importedVersion(resource);
  if (!version) return [];
  const users: string[] = [];
  const { stackName, state } = work.context;
  // This stack's other imports count unless the whole stack is being destroyed with it.
  if (!work.destroying) {
    for (const [id, other] of Object.entries(work.current)) {
      if (id !== logicalId && other.physicalId !== resource.physicalId && sameVersion(other, version)) users.push(`${id} of this stack`);
    }
  }
  for (const [otherStack, stack] of Object.entries(state.stacks)) {
    if (otherStack === stackName) continue;
    for (const [id, other] of Object.entries(stack.resources)) {
      if (sameVersion(other, version)) users.push(`${id} of stack ${otherStack}`);
    }
  }
  if (users.length > 0) return users;
  return instancesRunning(work, version);
}

/** A note for the DELETE_SKIPPED line and the warning. */
export function keptBecause(resource: ResourceState, users: string[]): string {
  const version = importedVersion(resource)!;
  return `package version ${version.packageName} ${version.packageVersion} (patch ${version.patchVersion.slice(0, 12)}…) kept: `
    + `it is still used by ${users.join(', ')}`;
}

function importedVersion(resource: ResourceState): ImportedVersion | undefined {
  const a = resource.attributes;
  const packageId = a[PACKAGE_IMPORT_ATTRIBUTES.packageId];
  const patchVersion = a[PACKAGE_IMPORT_ATTRIBUTES.patchVersion];
  if (!packageId || !patchVersion) return undefined;
  return {
    packageId,
    packageName: a[PACKAGE_IMPORT_ATTRIBUTES.packageName] ?? '',
    packageVersion: a[PACKAGE_IMPORT_ATTRIBUTES.packageVersion] ?? '',
    patchVersion,
  };
}

function sameVersion(resource: ResourceState, version: ImportedVersion): boolean {
  if (resource.type !== PACKAGE_IMPORT_RESOURCE_TYPE) return false;
  const other = importedVersion(resource);
  return other !== undefined && other.packageId === version.packageId && other.packageVersion === version.packageVersion
    && other.patchVersion === version.patchVersion;
}

/** Application instances not removed whose dependencies include the version (those of no stack the runner knows included). */
async function instancesRunning(work: StackWork, version: ImportedVersion): Promise<string[]> {
  const panorama = new PanoramaClient({
    endpoint: work.context.panoramaEndpoint, region: work.context.region, credentials: LOCAL_RUNNER_CREDENTIALS, maxAttempts: 10,
  });
  try {
    const users: string[] = [];
    let token: string | undefined;
    do {
      const page = await panorama.send(new ListApplicationInstancesCommand({ NextToken: token }));
      for (const instance of page.ApplicationInstances ?? []) {
        if (GONE.includes(instance.Status ?? '')) continue;
        if (await runs(panorama, instance.ApplicationInstanceId!, version)) {
          users.push(`application instance ${instance.ApplicationInstanceId} (${instance.Status})`);
        }
      }
      token = page.NextToken;
    } while (token);
    return users;
  } finally {
    panorama.destroy();
  }
}

async function runs(panorama: PanoramaClient, applicationInstanceId: string, version: ImportedVersion): Promise<boolean> {
  let token: string | undefined;
  do {
    const request = { ApplicationInstanceId: applicationInstanceId, NextToken: token };
    const page = await panorama.send(new ListApplicationInstanceDependenciesCommand(request));
    const found = (page.PackageObjects ?? []).some((p) => p.Name === version.packageName && p.PackageVersion === version.packageVersion
      && p.PatchVersion === version.patchVersion);
    if (found) return true;
    token = page.NextToken;
  } while (token);
  return false;
}
