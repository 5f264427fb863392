/**
 * The folder `panorama-local` keeps everything in (`.panorama-local/` by default): the runner's
 * state, the emulated Panorama service's state, the emulated S3's objects, the Lambda code it
 * runs and the last synthesized assembly. A format marker makes a folder of another version (or
 * not ours at all) a clear refusal instead of a misreading.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../emulator/atomic-file';

/** The folder used when `--state` is not given, relative to the current directory. */
export const DEFAULT_STATE_FOLDER = '.panorama-local';
/** What the marker's `format` says. */
export const STATE_FOLDER_FORMAT = 'panorama-local-state';
/** Bumped whenever anything in the folder changes shape; another version is refused. */
export const STATE_FOLDER_VERSION = 1;
/** The marker's file name. */
export const MARKER_FILE = 'format.json';

/** Where each part of the state lives. */
export interface StateFolder {
  readonly root: string;
  readonly marker: string;
  readonly lockFile: string;
  /** The deployed stacks (local-runner/state.ts). */
  readonly runnerStateFile: string;
  /** Packages, versions, import jobs, devices and application instances of the embedded Panorama emulator. */
  readonly emulatorStateFile: string;
  /** The embedded S3 emulator's buckets and objects. */
  readonly s3Directory: string;
  /** Lambda code copied out of the assemblies, so a later destroy can run it. */
  readonly functionsDirectory: string;
  /** Where `deploy` synthesizes the app (emptied first). */
  readonly assemblyDirectory: string;
}

/** A state folder that cannot be used; the message names the folder, the problem and the way out. */
export class StateFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFolderError';
  }
}

/** The layout of a state folder, without touching the disk. */
export function stateFolderAt(directory: string): StateFolder {
  const root = path.resolve(directory);
  return {
    root,
    marker: path.join(root, MARKER_FILE),
    lockFile: path.join(root, 'lock'),
    runnerStateFile: path.join(root, 'runner-state.json'),
    emulatorStateFile: path.join(root, 'panorama-state.json'),
    s3Directory: path.join(root, 's3'),
    functionsDirectory: path.join(root, 'functions'),
    assemblyDirectory: path.join(root, 'cdk.out'),
  };
}

/** How to start over, for messages. */
export function resetHint(folder: StateFolder): string {
  return `To start over, delete the folder (rm -rf ${displayPath(folder.root)}): everything deployed locally is then forgotten.`;
}

/**
 * Opens a state folder: creates it (with its marker) when it does not exist or is empty, checks
 * the marker otherwise. Throws StateFolderError for a folder of another version or another tool.
 */
export function openStateFolder(directory: string): StateFolder {
  const folder = stateFolderAt(directory);
  const shown = displayPath(folder.root);
  if (fs.existsSync(folder.root) && !fs.statSync(folder.root).isDirectory()) {
    throw new StateFolderError(`${shown} is a file, not a state folder: pass another --state folder.`);
  }
  if (!fs.existsSync(folder.marker)) {
    if (fs.existsSync(folder.root) && fs.readdirSync(folder.root).length > 0) {
      throw new StateFolderError(`${shown} is not a panorama-local state folder (it has files but no ${MARKER_FILE}), so nothing in it is touched. `
        + 'Pass an empty or new folder with --state.');
    }
    fs.mkdirSync(folder.root, { recursive: true });
    writeFileAtomically(folder.marker, JSON.stringify({ format: STATE_FOLDER_FORMAT, version: STATE_FOLDER_VERSION }, null, 2) + '\n');
    return folder;
  }
  let marker: { format?: unknown; version?: unknown };
  try {
    marker = JSON.parse(fs.readFileSync(folder.marker, 'utf8'));
  } catch (error) {
    throw new StateFolderError(`${displayPath(folder.marker)} is not valid JSON (${(error as Error).message}). ${resetHint(folder)}`);
  }
  if (marker?.format !== STATE_FOLDER_FORMAT) {
    throw new StateFolderError(`${shown} is not a panorama-local state folder (${MARKER_FILE} says format ${JSON.stringify(marker?.format)}, `
      + `expected "${STATE_FOLDER_FORMAT}"). Pass another --state folder.`);
  }
  if (marker.version !== STATE_FOLDER_VERSION) {
    throw new StateFolderError(`${shown} holds state of version ${JSON.stringify(marker.version)}, and this panorama-local reads version `
      + `${STATE_FOLDER_VERSION} only. Use the release of cdk-panorama-package-import that wrote it, or start over: `
      + `delete the folder (rm -rf ${shown}), which forgets everything deployed locally.`);
  }
  return folder;
}

/** Relative to the current directory when inside it, for shorter messages. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
