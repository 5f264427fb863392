/**
 * A panorama-cli application project on disk, read at synth: `graphs/<name>/graph.json`, the package
 * folders `packages/<account>-<name>-<version>/`, and which folder holds each package a graph lists.
 * Every problem names the folder or field, the value and the rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readDocumentFile } from '../package-import/document-file';
import { GraphPackage, isAwsPackage, splitPackageName } from '../rules/graph';
import { parsePackageFolderName } from '../rules/package-name';
import { parseJsonDocument } from '../rules/schema';
import { described, fieldIn, PanoramaValidationError, ValidationProblem } from '../rules/validation';

/** A package folder named as panorama-cli names them. */
export interface ProjectPackageFolder {
  /** `<account>-<name>-<version>`. */
  readonly folderName: string;
  readonly path: string;
  readonly name: string;
  readonly version: string;
}

/** The project, with the graph chosen. */
export interface ApplicationProject {
  readonly directory: string;
  /** The graph's folder under `graphs/`. */
  readonly graphName: string;
  readonly graphPath: string;
  /** The package folders named `<account>-<name>-<version>`. */
  readonly packageFolders: readonly ProjectPackageFolder[];
  /** Every folder under `packages/`, for messages. */
  readonly allPackageFolders: readonly string[];
}

/** The folders in a folder, a symlink to a folder counting as one (panorama-cli follows links too). */
function subfolders(directory: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory() || (e.isSymbolicLink() && isFolder(path.join(directory, e.name)))).map((e) => e.name).sort();
}

function isFolder(directory: string): boolean {
  try {
    return fs.statSync(directory).isDirectory();
  } catch {
    return false;
  }
}

function fail(field: string, value: unknown, rule: string): never {
  throw new PanoramaValidationError([new ValidationProblem(field, value, rule)]);
}

/** The graph folder: the one given, else the only one under `graphs/`. */
function chooseGraph(directory: string, graphName: string | undefined): string {
  const graphsDir = path.join(directory, 'graphs');
  const graphs = subfolders(graphsDir);
  if (graphName !== undefined) {
    if (!graphs.includes(graphName)) {
      fail('graphName', graphName, `must name a folder under ${graphsDir} (there: ${graphs.join(', ') || 'none'})`);
    }
    return graphName;
  }
  if (graphs.length === 1) return graphs[0];
  if (graphs.length === 0) {
    fail('projectDirectory', directory, `must hold graphs/<name>/graph.json as panorama-cli lays out a project, but ${graphsDir} holds no graph folder`);
  }
  return fail('graphName', described('missing'), `must be given: ${graphsDir} holds several graphs (${graphs.join(', ')}); choose one`);
}

/** Reads the project's layout and chooses its graph. */
export function readApplicationProject(projectDirectory: string, graphName?: string): ApplicationProject {
  if (projectDirectory === '') {
    fail('projectDirectory', projectDirectory, 'must not be empty: it names the panorama-cli project (use "." for the current folder)');
  }
  const directory = path.resolve(projectDirectory);
  if (!isFolder(directory)) {
    fail('projectDirectory', projectDirectory, 'must be an existing folder: a panorama-cli project with graphs/, packages/ and assets/');
  }
  const chosen = chooseGraph(directory, graphName);
  const graphPath = path.join(directory, 'graphs', chosen, 'graph.json');
  if (!fs.existsSync(graphPath)) {
    fail(graphPath, described('missing'), `must exist: the graph folder ${chosen} holds the application manifest graph.json`);
  }
  const packagesDir = path.join(directory, 'packages');
  const allPackageFolders = subfolders(packagesDir);
  const packageFolders = allPackageFolders.flatMap((folderName) => {
    const parsed = parsePackageFolderName(folderName);
    return parsed ? [{ folderName, path: path.join(packagesDir, folderName), name: parsed.name, version: parsed.version }] : [];
  });
  return { directory, graphName: chosen, graphPath, packageFolders, allPackageFolders };
}

/** Reads a JSON document of the project (graph.json, override.json): parsed, or every reason it is not. */
export function readProjectDocument(file: string, what: string): unknown {
  const reading = parseJsonDocument(readDocumentFile(file, what), file, what);
  if (reading.problems.length > 0) throw new PanoramaValidationError(reading.problems);
  return reading.document;
}

/** Where a listed package comes from: AWS, or a folder of the project; or the problem that says neither. */
export interface PackageOrigin {
  readonly folder?: ProjectPackageFolder;
  readonly problem?: ValidationProblem;
}

/**
 * The folder of a listed package: `packages/<any account>-<name>-<version>`. AWS's `panorama::`
 * packages come from no folder; any other package must have exactly one.
 */
export function packageOrigin(project: ApplicationProject, pkg: GraphPackage, index: number, source: string): PackageOrigin {
  if (isAwsPackage(pkg.name)) return {};
  const { name } = splitPackageName(pkg.name);
  const field = fieldIn(source, `nodeGraph.packages[${index}].name`);
  const matches = project.packageFolders.filter((f) => f.name === name && f.version === pkg.version);
  if (matches.length === 1) return { folder: matches[0] };
  const packagesDir = path.join(project.directory, 'packages');
  if (matches.length > 1) {
    return {
      problem: new ValidationProblem(field, pkg.name,
        `must match one package folder, but several in ${packagesDir} are package ${name} version ${pkg.version}: ${matches.map((f) => f.folderName).join(', ')}`),
    };
  }
  // A folder named for the package but with an account that is not 12 digits: say the rule.
  const misnamed = project.allPackageFolders.find((f) => f.endsWith(`-${name}-${pkg.version}`) && /^[0-9]+$/.test(f.slice(0, f.length - name.length - pkg.version.length - 2)));
  if (misnamed) {
    const account = misnamed.slice(0, misnamed.length - name.length - pkg.version.length - 2);
    return {
      problem: new ValidationProblem(field, pkg.name,
        `must name a package folder ${packagesDir}/<12-digit account>-${name}-${pkg.version}, but ${misnamed} has an account of ${account.length} digits (${account}): `
        + 'panorama-cli names package folders <12-digit account id>-<name>-<version>'),
    };
  }
  return {
    problem: new ValidationProblem(field, pkg.name,
      `must be one of AWS's packages (panorama::…) or a package of the project, a folder ${packagesDir}/<12-digit account>-${name}-${pkg.version}, `
      + `but there is no such folder (packages/ holds: ${project.allPackageFolders.join(', ') || 'nothing'})`),
  };
}
