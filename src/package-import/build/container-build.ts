/**
 * `panorama-cli build-container`, step by step: build the package folder's Dockerfile, create a
 * container of the image, export its file system, and remove the container, with the engine CDK
 * runs. The export is then archived deterministically (archive.ts).
 */
import * as path from 'path';
import { archiveExport } from './archive';
import { Engine } from './engine';

/** What to build. */
export interface ContainerBuildSpec {
  /** The build context: the package folder. */
  readonly contextDirectory: string;
  /** The Dockerfile's path. */
  readonly dockerfile: string;
  readonly buildArgs: { readonly [key: string]: string };
  readonly platform: string;
  readonly pull: boolean;
  /** The image's tag: named after the sources' hash, so an unchanged source finds its image. */
  readonly tag: string;
}

/** The engine's arguments for `build`. */
export function buildArguments(spec: ContainerBuildSpec): string[] {
  const args = ['build', '-t', spec.tag, '--platform', spec.platform, '-f', spec.dockerfile];
  for (const [key, value] of Object.entries(spec.buildArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    args.push('--build-arg', `${key}=${value}`);
  }
  if (spec.pull) args.push('--pull');
  args.push(spec.contextDirectory);
  return args;
}

/**
 * Builds the image and writes its file system as `<sha256>.tar.gz` into `directory`; returns the
 * archive's name. The container created for the export is removed, also when the export fails.
 */
export function buildContainerArchive(engine: Engine, spec: ContainerBuildSpec, directory: string): string {
  engine.run(buildArguments(spec));
  // A command is given so that an image without CMD or ENTRYPOINT can be created too; it never runs.
  const containerId = engine.run(['create', '--platform', spec.platform, spec.tag, 'true']).trim().split('\n').pop()!.trim();
  const exported = path.join(directory, 'export.tar');
  try {
    engine.run(['export', '-o', exported, containerId]);
  } catch (e) {
    // The export's failure is the one to report; the removal is tried all the same.
    try {
      engine.run(['rm', containerId]);
    } catch {}
    throw e;
  }
  engine.run(['rm', containerId]);
  return archiveExport(exported, directory);
}
