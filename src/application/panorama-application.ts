import * as path from 'path';
import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as panorama from 'aws-cdk-lib/aws-panorama';
import { Construct } from 'constructs';
import { renderCameraOverrides } from './application-cameras';
import { ImportedPackage, ProjectPackage, readApplicationGraph, renderManifestPayload } from './application-manifest';
import { readApplicationProject } from './application-project';
import type { PanoramaCamera } from '../camera/panorama-camera';
import { PackageBuild } from '../package-import/build/package-build';
import { importedIdentity, readDirectoryPackage } from '../package-import/directory-package';
import { importOptionsOf, PackageImportOptions } from '../package-import/package-import-options';
import { PackageSource } from '../package-import/package-source';
import { PanoramaPackageImport } from '../package-import/panorama-package-import';
import { propTypeProblems } from '../rules/prop-types';
import {
  checkApplicationInstanceDescription, checkApplicationInstanceName, checkDeviceId, checkRuntimeRoleArn, checkTags,
  PanoramaValidationError, throwIfProblems, ValidationProblem,
} from '../rules/validation';

/** Properties of a `PanoramaApplication`. */
export interface PanoramaApplicationProps extends PackageImportOptions {
  /**
   * The panorama-cli project: `graphs/<name>/graph.json`, the package folders
   * `packages/<account>-<name>-<version>/` and the `assets/` their manifests name.
   */
  readonly projectDirectory: string;

  /**
   * The graph to deploy: a folder under `graphs/`.
   *
   * @default - the only folder under `graphs/` (an error when there are several)
   */
  readonly graphName?: string;

  /** The id of the device the application instance runs on (`DefaultRuntimeContextDevice`). */
  readonly device: string;

  /**
   * The application instance's name.
   *
   * @default - the graph folder's name
   */
  readonly applicationName?: string;

  /**
   * The application instance's description (one line, at most 255 characters).
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The role the application's code runs with on the device (`RuntimeRoleArn`).
   *
   * @default - no runtime role: the application's code gets no AWS credentials
   */
  readonly runtimeRole?: iam.IRole;

  /**
   * An overrides file (`override.json`, `{"nodeGraphOverrides": …}`), deployed as the instance's
   * `ManifestOverridesPayload`: typically the cameras that replace the graph's abstract camera.
   * A relative path is taken from `projectDirectory`.
   *
   * @default - no overrides
   */
  readonly overridesFile?: string;

  /**
   * Cameras that replace the graph's abstract camera nodes, by node name: each list's cameras
   * replace that node, in the overrides the samples write (`<camera>_node`, interface
   * `<account>::<camera>.<camera>`, pinned to the patch the camera registered). The key
   * `PanoramaApplication.ABSTRACT_CAMERA` (`*`) means the graph's only
   * `panorama::abstract_rtsp_media_source` node. Checked at synth: the node exists and is
   * overridable, and each camera offers the ports the graph's edges use of it. With an
   * `overridesFile` too, both are merged; a package, node or replacement in both is an error.
   * The instance depends on the cameras, and a new camera (a new URL or credentials) is a new instance.
   *
   * @default - no cameras
   */
  readonly cameras?: { [abstractNode: string]: PanoramaCamera[] };

  /**
   * Tags for the application instance.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * How to build the project's packages that are kept unbuilt (as in git), at synth, into
   * `cdk.out`: keyed by the package's name without account (`SSD_MODEL`), as the graph names it.
   * A key that names no package the graph imports is an error.
   *
   * @default - a package folder whose code asset is not built and that holds a `Dockerfile` is
   * built with `PackageBuild.container()`; an unbuilt model package is refused, naming the entry to add
   */
  readonly builds?: { [packageName: string]: PackageBuild };
}

/**
 * Deploys a panorama-cli project as an AWS Panorama application instance: imports every package of
 * the project that its graph lists, and creates the instance from the graph with each of those
 * packages renamed to this stack's account and pinned to the patch version its import registered.
 */
export class PanoramaApplication extends Construct {
  /** The key of `cameras` that means the graph's only `panorama::abstract_rtsp_media_source` node. */
  public static readonly ABSTRACT_CAMERA = '*';

  /** The application instance's id. */
  public readonly applicationInstanceId: string;
  /** The application instance's ARN. */
  public readonly applicationInstanceArn: string;
  /** The application instance's status (`DEPLOYMENT_SUCCEEDED` once deployed). */
  public readonly applicationInstanceStatus: string;
  /** The application instance's name. */
  public readonly applicationName: string;
  /** The graph deployed: its folder under `graphs/`. */
  public readonly graphName: string;
  /** The names of the project's packages the graph lists, each imported (in the graph's order). */
  public readonly packageNames: string[];
  /**
   * The role every import of the application runs its handlers with (they share one provider).
   * Grant it what the construct cannot see, as for `PanoramaPackageImport.handlerRole`. Undefined
   * when the graph lists no package of the project, so that nothing is imported.
   */
  public readonly handlerRole?: iam.IRole;

  private readonly imports: Map<string, PanoramaPackageImport>;

  /**
   * @param scope the construct this one is made in (inside a Stack)
   * @param id the construct's id (its imports are its children `Package-<name>`)
   * @param props the project, the device, and how its packages are imported
   */
  constructor(scope: Construct, id: string, props: PanoramaApplicationProps) {
    super(scope, id);
    throwIfProblems(propTypeProblems(props, 'PanoramaApplication props', { projectDirectory: 'string', device: 'string' }, {
      graphName: 'string',
      applicationName: 'string',
      description: 'string',
      overridesFile: 'string',
      tags: 'string map',
      runtimeRole: 'object',
      markLatest: 'boolean',
    }));
    const project = readApplicationProject(props.projectDirectory, props.graphName);
    this.graphName = project.graphName;
    this.applicationName = props.applicationName ?? project.graphName;
    validateProps(props, this.applicationName);

    // Everything the graph and the overrides alone can show, before any package folder is read.
    const graph = readApplicationGraph(this, project);
    const overrides = renderCameraOverrides(this, graph, props.cameras,
      props.overridesFile === undefined ? undefined : path.resolve(project.directory, props.overridesFile));

    checkBuilds(props.builds, graph.projectPackages.map((pkg) => pkg.name));
    const imported = new Map(graph.projectPackages.map((pkg) => [pkg.name, this.importPackage(pkg, props)]));
    this.imports = new Map([...imported].map(([name, { packageImport }]) => [name, packageImport]));
    this.packageNames = [...this.imports.keys()];
    this.handlerRole = [...this.imports.values()][0]?.handlerRole;
    const payload = renderManifestPayload(this, graph, imported);

    const resource = new panorama.CfnApplicationInstance(this, 'Resource', {
      name: this.applicationName,
      description: props.description,
      defaultRuntimeContextDevice: props.device,
      runtimeRoleArn: props.runtimeRole?.roleArn,
      manifestPayload: { payloadData: payload },
      manifestOverridesPayload: overrides === undefined ? undefined : { payloadData: overrides },
      tags: props.tags === undefined ? undefined : Object.entries(props.tags).map(([key, value]) => ({ key, value })),
    });
    // The payload names every imported patch: each must be registered before the instance is created.
    for (const packageImport of this.imports.values()) resource.node.addDependency(packageImport._owner);
    // And every camera its overrides name.
    for (const camera of Object.values(props.cameras ?? {}).flat()) resource.node.addDependency(camera);

    this.applicationInstanceId = resource.attrApplicationInstanceId;
    this.applicationInstanceArn = resource.attrArn;
    this.applicationInstanceStatus = resource.attrStatus;
  }

  /**
   * The import of one of the project's packages, by its name (`SQUEEZENET_PYTORCH`, without account).
   * @param packageName a name in `packageNames`
   */
  public packageImport(packageName: string): PanoramaPackageImport {
    const found = this.imports.get(packageName);
    if (!found) {
      throw new PanoramaValidationError([new ValidationProblem('packageName', packageName,
        `must be one of the packages this application imports: ${this.packageNames.join(', ') || 'none'}`)]);
    }
    return found;
  }

  /**
   * Imports one package of the project. Its folder is read here, by the reader a folder source
   * uses, so that the graph is checked against the very manifest and version the import stages.
   */
  private importPackage(pkg: ProjectPackage, options: PanoramaApplicationProps): ImportedPackage & { packageImport: PanoramaPackageImport } {
    const read = readDirectoryPackage(pkg.folder.path, { packageBuild: options.builds?.[pkg.name] }, {
      scope: this,
      buildOption: (kind, assetName) => (kind === 'model'
        ? `add builds: { '${pkg.name}': PackageBuild.model({ modelFile: '<model .tar.gz>', assetName: '${assetName}' }) } to the PanoramaApplication`
        : `add builds: { '${pkg.name}': PackageBuild.container() } to the PanoramaApplication (with a Dockerfile in the package folder)`),
    });
    // Named after the package, never its position: a reordered graph keeps every import.
    const packageImport = new PanoramaPackageImport(this, `Package-${pkg.name}`, {
      ...importOptionsOf(options),
      source: PackageSource._fromDirectoryPackage(read),
    });
    return {
      nodePackage: read.folder.nodePackage,
      // The import is given no name or version of its own, so it decides as here.
      packageVersion: importedIdentity(read, {}).version,
      patchVersion: packageImport.patchVersion,
      packageImport,
    };
  }
}

/** Every `builds` key must name a package the graph imports: a misspelt one would build nothing. */
function checkBuilds(builds: PanoramaApplicationProps['builds'], imported: string[]): void {
  const problems = Object.keys(builds ?? {}).filter((name) => !imported.includes(name)).map((name) => new ValidationProblem(`builds.${name}`, name,
    `must name a package of the project that the graph imports (${imported.join(', ') || 'none'}), by its name without account`));
  throwIfProblems(problems);
}

function validateProps(props: PanoramaApplicationProps, applicationName: string): void {
  const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);
  const problems: ValidationProblem[] = [];
  if (known(props.device)) problems.push(...checkDeviceId(props.device));
  if (known(applicationName)) {
    problems.push(...checkApplicationInstanceName(applicationName, props.applicationName === undefined ? "applicationName (by default the graph folder's name)" : 'applicationName'));
  }
  if (known(props.description)) problems.push(...checkApplicationInstanceDescription(props.description));
  if (props.runtimeRole && known(props.runtimeRole.roleArn)) problems.push(...checkRuntimeRoleArn(props.runtimeRole.roleArn));
  if (props.tags && !Token.isUnresolved(props.tags)) {
    problems.push(...checkTags(Object.fromEntries(Object.entries(props.tags).filter(([k, v]) => !Token.isUnresolved(k) && !Token.isUnresolved(v)))));
  }
  throwIfProblems(problems);
}
