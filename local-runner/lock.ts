/**
 * One command at a time per state folder: a lock file created atomically (written aside, then
 * hard-linked into place, which fails when the lock exists). It names its owner, so a refusal can
 * say who holds it; a lock whose owner died on this machine is taken over.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';

/** Who holds a lock. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** The command line, e.g. `panorama-local deploy`. */
  readonly command: string;
  /** ISO time. */
  readonly startedAt: string;
  /** Tells this holder's lock from a later one at the same path. */
  readonly token: string;
}

/** The lock is held by a running command. */
export class LockHeldError extends Error {
  constructor(readonly lockFile: string, readonly owner: LockOwner | undefined) {
    super(owner
      ? `Another command uses this state folder: \`${owner.command}\` (pid ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}) holds the lock ${lockFile}. `
        + 'Wait for it to finish; if no such process runs any more, delete that file.'
      : `Another command uses this state folder: the lock ${lockFile} exists but names no owner. `
        + 'Wait for that command to finish; if none runs, delete that file.');
    this.name = 'LockHeldError';
  }
}

/** A held lock. */
export interface Lock {
  readonly file: string;
  /** Set when a dead owner's lock was taken over. */
  readonly replaced?: LockOwner;
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): void;
}

/** Takes the lock or throws LockHeldError. */
export function acquireLock(file: string, command: string): Lock {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  let replaced: LockOwner | undefined;
  if (!tryCreate(file, owner)) {
    const current = readOwner(file);
    if (!current || current.hostname !== owner.hostname || isAlive(current.pid)) throw new LockHeldError(file, current);
    // The owner died on this machine without releasing it (killed, crashed): take it over, once.
    fs.rmSync(file, { force: true });
    if (!tryCreate(file, owner)) throw new LockHeldError(file, readOwner(file));
    replaced = current;
  }
  let released = false;
  return {
    file,
    replaced,
    release() {
      if (released) return;
      released = true;
      if (readOwner(file)?.token === owner.token) fs.rmSync(file, { force: true });
    },
  };
}

/** Who holds the lock at `file`, or undefined when there is none or it cannot be read. */
export function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner?.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the lock with its whole content in one step; false when it exists. */
function tryCreate(file: string, owner: LockOwner): boolean {
  const aside = `${file}.${owner.token}.tmp`;
  fs.writeFileSync(aside, JSON.stringify(owner));
  try {
    fs.linkSync(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
