/**
 * What CreateApplicationInstance checks in the manifest it is given: the payload is a graph.json
 * that the official `nodeGraph` schema accepts; every package version it names is registered in
 * this account (or is one of AWS's), and with a `patchVersion`, that very patch; and its nodes and
 * edges fit the interfaces of those packages. The graph's checks are the library's (src/rules/graph,
 * src/rules/schema), so the emulator judges a payload with the construct's words.
 */
import { NodeInstanceRecord, PackageDependency } from './application-instance-record';
import { findAwsPackage } from './aws-packages';
import { FieldProblem, fieldError, ServiceError } from './errors';
import { S3Access } from './s3-access';
import { EmulatorState } from './state';
import {
  AWS_PACKAGE_ACCOUNT, crossCheckApplicationGraph, GraphPackage, isParameterNode, KnownPackage, manifestInterfaces, NodeGraphDocument,
  NodeGraphOverridesDocument, overrideReplacementProblems, splitInterface, splitPackageName,
} from '../src/rules/graph';
import { readManifest } from '../src/rules/manifest';
import { checkNodeGraphDocument, checkNodeGraphOverridesDocument } from '../src/rules/schema';
import { ValidationProblem } from '../src/rules/validation';

/** How messages name the payloads. */
export const PAYLOAD_FIELD = 'ManifestPayload.PayloadData';
export const OVERRIDES_FIELD = 'ManifestOverridesPayload.PayloadData';

/** What a valid payload deploys. */
export interface CheckedPayload {
  readonly dependencies: PackageDependency[];
  readonly nodes: NodeInstanceRecord[];
}

/** The payload's JSON, checked against the `nodeGraph` schema; throws a ValidationException naming every problem. */
export function parseManifestPayload(payloadData: string): NodeGraphDocument {
  const document = parseJson(payloadData, PAYLOAD_FIELD);
  // Only the schema here: the cross-checks need the registered packages' interfaces (checkRegisteredPayload).
  const problems = checkNodeGraphDocument(document, PAYLOAD_FIELD);
  if (problems.length > 0) throw problemsError(problems);
  return document as NodeGraphDocument;
}

/** The overrides' JSON, checked against the `nodeGraphOverrides` schema. An empty payload is no overrides (undefined). */
export function checkOverridesPayload(overridesData: string): NodeGraphOverridesDocument | undefined {
  if (overridesData === '') return undefined;
  const document = parseJson(overridesData, OVERRIDES_FIELD);
  const problems = checkNodeGraphOverridesDocument(document, OVERRIDES_FIELD);
  if (problems.length > 0) throw problemsError(problems);
  return document as NodeGraphOverridesDocument;
}

/**
 * Resolves every package the graph names to a registered patch (the pinned one, else the version's
 * latest), then checks nodes and edges against the interfaces of those patches' manifests.
 */
export async function checkRegisteredPayload(
  state: EmulatorState, s3: S3Access, document: NodeGraphDocument, overrides?: NodeGraphOverridesDocument,
): Promise<CheckedPayload> {
  const graph = document.nodeGraph;
  const dependencies = new Map<string, PackageDependency>();
  const missing: FieldProblem[] = [];
  const resolve = (listed: GraphPackage, field: string) => {
    const found = registeredVersion(state, listed.name, listed.version, listed.patchVersion);
    if (found) {
      dependencies.set(listed.name, found);
      return;
    }
    const { account, name } = splitPackageName(listed.name);
    const patch = listed.patchVersion === undefined ? '' : `, patchVersion:${listed.patchVersion}`;
    const message = `No registered package version found for accountId:${account}, packageName:${name}, packageVersion:${listed.version}${patch}`;
    missing.push({ Name: field, Message: message });
  };
  graph.packages.forEach((listed, index) => resolve(listed, `${PAYLOAD_FIELD} nodeGraph.packages[${index}]`));
  // The overrides' packages (the cameras) must be registered as the graph's are.
  (overrides?.nodeGraphOverrides.packages ?? []).forEach((listed, index) => resolve(listed, `${OVERRIDES_FIELD} nodeGraphOverrides.packages[${index}]`));
  if (missing.length > 0) {
    throw new ServiceError('ValidationException', missing.map((p) => p.Message).join('; '), { Reason: 'FIELD_VALIDATION_FAILED', Fields: missing });
  }

  const catalog = new Map<string, KnownPackage>();
  for (const [listedName, dependency] of dependencies) {
    const known = await knownPackage(state, s3, dependency);
    if (known) catalog.set(listedName, known);
  }
  // parseManifestPayload checked the schema: the cross-checks remain.
  const problems = [
    ...crossCheckApplicationGraph(document, PAYLOAD_FIELD, catalog),
    ...(overrides ? overrideReplacementProblems(graph, overrides.nodeGraphOverrides, OVERRIDES_FIELD, catalog) : []),
  ];
  if (problems.length > 0) throw problemsError(problems);
  return { dependencies: [...dependencies.values()], nodes: nodeInstances(document, dependencies) };
}

/** The registered patch a manifest's package entry names, or undefined. */
function registeredVersion(state: EmulatorState, listedName: string, version: string, patchVersion?: string): PackageDependency | undefined {
  const { account, name } = splitPackageName(listedName);
  if (account === AWS_PACKAGE_ACCOUNT) {
    const aws = findAwsPackage(name, version);
    if (!aws || (patchVersion !== undefined && patchVersion !== aws.patchVersion)) return undefined;
    return { account, name, version, patchVersion: aws.patchVersion };
  }
  // One account per emulator: a manifest in another account names nothing registered here.
  if (account !== state.account) return undefined;
  const pkg = state.findPackageByName(name);
  if (!pkg) return undefined;
  const candidates = state.registeredVersions(pkg.packageId, version);
  const patch = patchVersion !== undefined
    ? candidates.find((v) => v.patchVersion === patchVersion)
    : candidates.find((v) => v.isLatestPatch) ?? candidates[candidates.length - 1];
  return patch && { account, name, version, patchVersion: patch.patchVersion, packageId: pkg.packageId };
}

/** The interfaces of a registered patch, from the manifest its import stored; undefined when it cannot be read. */
async function knownPackage(state: EmulatorState, s3: S3Access, dependency: PackageDependency): Promise<KnownPackage | undefined> {
  if (dependency.account === AWS_PACKAGE_ACCOUNT) return findAwsPackage(dependency.name, dependency.version)?.known;
  const pkg = dependency.packageId === undefined ? undefined : state.packages.get(dependency.packageId);
  if (!pkg) return undefined;
  const key = `${pkg.storageLocation.ManifestPrefixLocation}/${dependency.version}/${dependency.patchVersion}.json`;
  let bytes: Buffer;
  try {
    bytes = await s3.read(pkg.storageLocation.Bucket, key);
  } catch {
    // A patch registered by RegisterPackageVersion whose manifest is gone: nothing can be said of its ports.
    return undefined;
  }
  const reading = readManifest(bytes, `s3://${pkg.storageLocation.Bucket}/${key}`);
  if (!reading.nodePackage) return undefined;
  return { origin: `the manifest of ${dependency.name} ${dependency.version} patch ${dependency.patchVersion}`, interfaces: manifestInterfaces(reading.nodePackage.interfaces) };
}

/** One node instance per node of the graph; a package node names the patch it runs. */
function nodeInstances(document: NodeGraphDocument, dependencies: ReadonlyMap<string, PackageDependency>): NodeInstanceRecord[] {
  return document.nodeGraph.nodes.map((node) => {
    // The model's NodeInstanceId and NodeName allow [a-zA-Z0-9-_]; a graph's node names may also hold `$`.
    const id = node.name.replace(/[^a-zA-Z0-9\-_]/g, '_');
    if (isParameterNode(node)) return { nodeInstanceId: id, nodeName: id };
    const { packageName, interfaceName } = splitInterface(node.interface);
    const dependency = dependencies.get(packageName)!;
    return {
      nodeInstanceId: id,
      nodeName: id,
      nodeId: `${dependency.account}-${dependency.name}-${dependency.version}-${interfaceName}`.replace(/[^a-zA-Z0-9\-_.]/g, '_'),
      packageName: dependency.name,
      packageVersion: dependency.version,
      packagePatchVersion: dependency.patchVersion,
    };
  });
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw fieldError(field, `must be a JSON document: ${(error as Error).message}.`);
  }
}

function problemsError(problems: readonly ValidationProblem[]): ServiceError {
  const fields = problems.map((p) => ({ Name: p.field, Message: p.toString() }));
  return new ServiceError('ValidationException', fields.map((f) => f.Message).join('; '), { Reason: 'FIELD_VALIDATION_FAILED', Fields: fields });
}
