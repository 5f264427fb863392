/**
 * The application manifest of a project, from graph.json to the payload CloudFormation deploys: read
 * and checked against its schema, its packages found in the project, then (once imported) checked
 * against their manifests, renamed to this stack's account, pinned to the imported patches, measured,
 * and rendered with the tokens CloudFormation fills in.
 */
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApplicationProject, packageOrigin, ProjectPackageFolder, readProjectDocument } from './application-project';
import {
  awsPackage, crossCheckApplicationGraph, GraphPackage, graphAdvice, isAwsPackage, KnownPackage, manifestInterfaces, MAX_PAYLOAD_CHARACTERS,
  literalJson, NodeGraphDocument, NodeGraphOverridesDocument, overridesAdvice, PackagePin, payloadCharacters, pinPackages, splitPackageName,
} from '../rules/graph';
import { NodePackage } from '../rules/manifest';
import { checkNodeGraphDocument, checkNodeGraphOverridesDocument } from '../rules/schema';
import { described, fieldIn, throwIfProblems, ValidationProblem } from '../rules/validation';

/**
 * The longest values the payload's tokens take, for its size: a 12-digit account, and a patch
 * version of 64 hex digits (the sha256 that panorama-cli and the emulator assign).
 */
const LONGEST_ACCOUNT = '0'.repeat(12);
const LONGEST_PATCH_VERSION = 'f'.repeat(64);

/** A package of the project that the graph lists. */
export interface ProjectPackage {
  /** The package's name (without account), which it is imported under. */
  readonly name: string;
  /** Its entry in `packages[]`, as the graph lists it. */
  readonly listedAs: string;
  readonly index: number;
  readonly version: string;
  readonly folder: ProjectPackageFolder;
}

/** A project package as its import sees it: the manifest read at synth, and what the import registers. */
export interface ImportedPackage {
  readonly nodePackage: NodePackage;
  /** The version the import registers (decided at synth: a folder source). */
  readonly packageVersion: string;
  /** The patch version the import registers: a token. */
  readonly patchVersion: string;
}

/** graph.json, read and checked against its schema, with the project's packages it lists. */
export interface ApplicationGraph {
  readonly source: string;
  readonly document: NodeGraphDocument;
  readonly projectPackages: readonly ProjectPackage[];
}

/**
 * Reads the project's graph and checks what needs no package manifest: its schema, a folder of the
 * project for each package not AWS's, nodes, edges and values as far as AWS's packages tell, and
 * the payload's size. All before any import reads a package folder, so a broken graph is reported
 * as such, every problem at once, even beside a broken package.
 */
export function readApplicationGraph(scope: Construct, project: ApplicationProject): ApplicationGraph {
  const source = project.graphPath;
  const read = readProjectDocument(source, 'an application manifest (graph.json)');
  throwIfProblems(checkNodeGraphDocument(read, source));
  const document = read as NodeGraphDocument;
  const graph = document.nodeGraph;

  const problems: ValidationProblem[] = [];
  const projectPackages: ProjectPackage[] = [];
  graph.packages.forEach((pkg, index) => {
    const origin = packageOrigin(project, pkg, index, source);
    if (origin.problem) problems.push(origin.problem);
    if (!origin.folder) return;
    const name = splitPackageName(pkg.name).name;
    // Every listed project package is imported as <this account>::<name>: one name, one import.
    const twin = projectPackages.find((p) => p.name === name);
    if (twin) {
      // The same entry twice is the graph's own duplicate, reported by its checks below.
      if (twin.listedAs === pkg.name) return;
      problems.push(new ValidationProblem(fieldIn(source, `nodeGraph.packages[${index}].name`), pkg.name,
        `must be listed once, but packages[${twin.index}] (${twin.listedAs} ${twin.version}) is package ${name} too, and both would be imported as <this stack's account>::${name}`));
      return;
    }
    projectPackages.push({ name, listedAs: pkg.name, index, version: pkg.version, folder: origin.folder });
  });
  const crossChecks = crossCheckApplicationGraph(document, source, awsCatalog(graph.packages));
  problems.push(...crossChecks);
  if (crossChecks.length === 0) problems.push(...payloadSizeProblems(scope, document, source, projectPackages));
  throwIfProblems(problems);
  return { source, document, projectPackages };
}

/**
 * The payload against its limit, as deployed with its tokens at their longest: a 12-digit account
 * when the stack's is not known, and a 64-character patch version for each project package.
 */
function payloadSizeProblems(
  scope: Construct, document: NodeGraphDocument, source: string, projectPackages: readonly ProjectPackage[],
): ValidationProblem[] {
  const account = Stack.of(scope).account;
  const accountKnown = !Token.isUnresolved(account);
  const longestPin: PackagePin = { account: accountKnown ? account : LONGEST_ACCOUNT, patchVersion: LONGEST_PATCH_VERSION };
  const longest = pinPackages(document, new Map(projectPackages.map((pkg) => [pkg.listedAs, longestPin])));
  const count = projectPackages.length;
  const assumption = `, with ${count} patch version${count === 1 ? '' : 's'} of 64 characters${accountKnown ? '' : ' and a 12-digit account'}`;
  return sizeProblems(longest, source, 'ManifestPayload.PayloadData', assumption, document);
}

/** What the samples show of AWS's packages that the graph lists. */
export function awsCatalog(packages: readonly GraphPackage[]): Map<string, KnownPackage> {
  const catalog = new Map<string, KnownPackage>();
  for (const pkg of packages) {
    const known = isAwsPackage(pkg.name) ? awsPackage(pkg.name, pkg.version) : undefined;
    if (known) catalog.set(pkg.name, known);
  }
  return catalog;
}

/** What the graph's nodes can use of each listed package: AWS's known packages, and the imported manifests. */
function packageCatalog(graph: ApplicationGraph, imports: ReadonlyMap<string, ImportedPackage>): Map<string, KnownPackage> {
  const catalog = awsCatalog(graph.document.nodeGraph.packages);
  for (const pkg of graph.projectPackages) {
    const nodePackage = imports.get(pkg.name)!.nodePackage;
    catalog.set(pkg.listedAs, { origin: `the manifest ${pkg.folder.path}/package.json`, interfaces: manifestInterfaces(nodePackage.interfaces) });
  }
  return catalog;
}

/** The version each import registers must be the one the graph lists, or the payload names a version never registered. */
function versionProblems(graph: ApplicationGraph, imports: ReadonlyMap<string, ImportedPackage>): ValidationProblem[] {
  return graph.projectPackages.flatMap((pkg) => {
    const imported = imports.get(pkg.name)!;
    if (imported.packageVersion === pkg.version) return [];
    const written = imported.nodePackage.version === undefined ? described(`missing (so ${imported.packageVersion}, as panorama-cli reads it)`) : imported.packageVersion;
    return [new ValidationProblem(fieldIn(`${pkg.folder.path}/package.json`, 'nodePackage.version'), written,
      `must be ${pkg.version}, the version in the folder's name and in ${graph.source} packages[${pkg.index}]: the import registers the manifest's version, and the application would name one never registered`)];
  });
}

function warn(scope: Construct, advice: ValidationProblem[]): void {
  for (const problem of advice) Annotations.of(scope).addWarningV2('cdk-panorama-package-import:application-manifest', problem.toString());
}

function sizeProblems(document: unknown, source: string, what: string, assumption: string, original: unknown = document): ValidationProblem[] {
  const characters = payloadCharacters(document, original);
  if (characters <= MAX_PAYLOAD_CHARACTERS) return [];
  return [new ValidationProblem(source, described(`${characters} characters as compact JSON${assumption}`),
    `must be at most ${MAX_PAYLOAD_CHARACTERS} characters: the limit of CreateApplicationInstance's ${what}`)];
}

/**
 * The manifest payload: the graph, checked against the imported manifests, with each project
 * package renamed to this stack's account and pinned to its imported patch. A JSON string with
 * tokens in it, which CloudFormation resolves.
 */
export function renderManifestPayload(scope: Construct, graph: ApplicationGraph, imports: ReadonlyMap<string, ImportedPackage>): string {
  throwIfProblems(versionProblems(graph, imports));
  throwIfProblems(crossCheckApplicationGraph(graph.document, graph.source, packageCatalog(graph, imports)));
  warn(scope, graphAdvice(graph.document, graph.source));

  const stack = Stack.of(scope);
  const pin = (pkg: ProjectPackage): PackagePin => ({ account: stack.account, patchVersion: imports.get(pkg.name)!.patchVersion });
  const pins = new Map(graph.projectPackages.map((pkg) => [pkg.listedAs, pin(pkg)]));
  // The graph's own text never becomes a token; only the pins are resolved by CloudFormation.
  return literalJson(pinPackages(graph.document, pins), graph.document);
}

/** The overrides payload: the file, checked against its schema, as compact JSON. */
export function renderOverridesPayload(scope: Construct, graph: ApplicationGraph, file: string): string {
  return literalJson(readOverridesFile(scope, graph, file));
}

/** The overrides file, checked against its schema and its size, with advice on what it replaces. */
export function readOverridesFile(scope: Construct, graph: ApplicationGraph, file: string): NodeGraphOverridesDocument {
  const document = readProjectDocument(file, 'application manifest overrides (override.json)');
  const problems = checkNodeGraphOverridesDocument(document, file);
  throwIfProblems(problems.length > 0 ? problems : overridesSizeProblems(document, file, ''));
  warn(scope, overridesAdvice(document, graph.document, file));
  return document as NodeGraphOverridesDocument;
}

/** The overrides against the limit of `ManifestOverridesPayload.PayloadData`. */
export function overridesSizeProblems(document: unknown, source: string, assumption: string): ValidationProblem[] {
  return sizeProblems(document, source, 'ManifestOverridesPayload.PayloadData', assumption);
}
