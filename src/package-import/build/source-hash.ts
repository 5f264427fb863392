/**
 * The hash of a build's inputs, taken before anything is built (as CDK's `AssetHashType.SOURCE`):
 * every file of the build context by path, kind, mode and bytes, plus the other files and the
 * options. An unchanged source gives the same hash, and the build it names is reused.
 */
import { createHash, Hash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Bumped when a build's output for the same inputs changes, so old caches are not reused. */
const BUILD_FORMAT = 'panorama-build-1';

/** Folders no build reads: tool state that changes on every run. */
const SKIPPED_FOLDERS = new Set(['.git', 'cdk.out', 'node_modules']);

function hashFileInto(hash: Hash, file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    let n: number;
    while ((n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

function isExecutable(mode: number): boolean {
  return Math.floor(mode / 0o100) % 2 === 1 || Math.floor(mode / 0o10) % 2 === 1 || mode % 2 === 1;
}

function hashTreeInto(hash: Hash, root: string, relative: string): void {
  const entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true })
    .map((e) => e.name)
    .sort();
  for (const name of entries) {
    const rel = relative === '' ? name : `${relative}/${name}`;
    const full = path.join(root, rel);
    const stat = fs.lstatSync(full);
    if (stat.isDirectory()) {
      if (SKIPPED_FOLDERS.has(name)) continue;
      hash.update(`dir\0${rel}\0`);
      hashTreeInto(hash, root, rel);
    } else if (stat.isSymbolicLink()) {
      hash.update(`link\0${rel}\0${fs.readlinkSync(full)}\0`);
    } else if (stat.isFile()) {
      // The executable bit travels into the image (COPY keeps the mode); other bits vary by umask.
      hash.update(`file\0${rel}\0${isExecutable(stat.mode) ? 'x' : '-'}\0${stat.size}\0`);
      hashFileInto(hash, full);
    }
  }
}

/** What a build reads. */
export interface BuildInputs {
  /** Folders hashed whole (the build context). */
  readonly trees?: string[];
  /** Single files (a Dockerfile outside the context, a descriptor, a model). */
  readonly files?: string[];
  /** Everything else that decides the output (options), as JSON. */
  readonly options: unknown;
}

/** The hex sha256 of a build's inputs. */
export function buildSourceHash(inputs: BuildInputs): string {
  const hash = createHash('sha256');
  hash.update(`${BUILD_FORMAT}\0${JSON.stringify(inputs.options)}\0`);
  for (const tree of inputs.trees ?? []) {
    hash.update('tree\0');
    hashTreeInto(hash, tree, '');
  }
  for (const file of inputs.files ?? []) {
    hash.update(`single\0${fs.statSync(file).size}\0`);
    hashFileInto(hash, file);
  }
  return hash.digest('hex');
}
