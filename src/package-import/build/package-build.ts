/**
 * How an unbuilt package (as it is kept in git: a Dockerfile and `src/`, or a model descriptor)
 * is built at synth, into `cdk.out`, the way panorama-cli's `build-container` and `add-raw-model`
 * build it.
 */

/** Options of `PackageBuild.container`. */
export interface ContainerBuildOptions {
  /**
   * The Dockerfile, relative to the package folder (the build context).
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;

  /**
   * Build arguments (`--build-arg KEY=VALUE`).
   *
   * @default - none
   */
  readonly buildArgs?: { [key: string]: string };

  /**
   * The platform to build for (`--platform`).
   *
   * @default 'linux/arm64' (what Panorama devices run)
   */
  readonly platform?: string;

  /**
   * The asset the archive becomes in the manifest.
   *
   * @default - the asset that the package's code interface names (the one not built yet, when several)
   */
  readonly assetName?: string;

  /**
   * The asset's descriptor, relative to the package folder.
   *
   * @default 'descriptor.json'
   */
  readonly descriptor?: string;

  /**
   * Pull the base image even when the engine has it (`--pull`).
   *
   * @default false
   */
  readonly pull?: boolean;
}

/** Options of `PackageBuild.model`. */
export interface ModelBuildOptions {
  /** The model archive (as downloaded, a `.tar.gz`), staged byte for byte. */
  readonly modelFile: string;

  /**
   * The model's descriptor, relative to the package folder.
   *
   * @default 'descriptor.json'
   */
  readonly descriptor?: string;

  /**
   * The asset the model becomes in the manifest.
   *
   * @default - the asset that the package's `ml_model` interface names
   */
  readonly assetName?: string;
}

/** A build, as the folder reader runs it. */
export type PackageBuildSpec =
  | { readonly kind: 'container'; readonly options: ContainerBuildOptions }
  | { readonly kind: 'model'; readonly options: ModelBuildOptions };

/**
 * Builds a package folder that is kept unbuilt, at synth, into `cdk.out` (never into the folder):
 * the staged manifest is the built one, with the asset entry as panorama-cli writes it.
 * Unchanged sources give the same archive name (a reproducible archive), so no new import job.
 */
export class PackageBuild {
  /**
   * A code package: builds the folder's Dockerfile with the engine CDK's bundling runs
   * (`CDK_DOCKER`, else `docker`), exports the container's file system and archives it as
   * `panorama-cli build-container` does, but reproducibly. Skipped, as CDK's own bundling is, for
   * a stack whose bundling is skipped.
   */
  public static container(options: ContainerBuildOptions = {}): PackageBuild {
    return new PackageBuild({ kind: 'container', options });
  }

  /**
   * A model package: the model archive staged as it is, named as `panorama-cli add-raw-model`
   * names it (`sha256(file).tar.gz`), with its descriptor checked against the schema. No engine.
   */
  public static model(options: ModelBuildOptions): PackageBuild {
    return new PackageBuild({ kind: 'model', options });
  }

  private constructor(
    /** @internal */
    public readonly _spec: PackageBuildSpec,
  ) {}
}
