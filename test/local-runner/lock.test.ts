/** One command per state folder: the lock names its holder, is released once, and a dead holder's lock is taken over. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireLock, LockHeldError, readOwner } from '../../local-runner/lock';

let directory: string;
let file: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  file = path.join(directory, 'lock');
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

test('a second holder is refused with a message naming the lock and the first holder', () => {
  // GIVEN a held lock
  const first = acquireLock(file, 'panorama-local deploy');

  // WHEN another command asks for it / THEN it is refused, naming the file, the command and the pid
  let error: unknown;
  try {
    acquireLock(file, 'panorama-local destroy');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LockHeldError);
  expect((error as Error).message).toBe(`Another command uses this state folder: \`panorama-local deploy\` (pid ${process.pid} on ${os.hostname()}, `
    + `started ${readOwner(file)!.startedAt}) holds the lock ${file}. Wait for it to finish; if no such process runs any more, delete that file.`);
  first.release();
});

test('a released lock can be taken again; releasing twice is harmless', () => {
  const first = acquireLock(file, 'a');
  first.release();
  first.release();
  expect(fs.existsSync(file)).toBe(false);
  const second = acquireLock(file, 'b');
  expect(readOwner(file)).toMatchObject({ command: 'b', pid: process.pid });
  second.release();
});

test('the lock of a process that died on this machine is taken over, saying whose it was', () => {
  // GIVEN a lock left by a process that has exited
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  fs.writeFileSync(file, JSON.stringify({ pid: dead, hostname: os.hostname(), command: 'panorama-local deploy', startedAt: 'then', token: 'old' }));

  // WHEN a command asks for it / THEN it gets it, and knows it replaced the dead one
  const lock = acquireLock(file, 'panorama-local deploy');
  expect(lock.replaced).toMatchObject({ pid: dead, token: 'old' });
  expect(readOwner(file)).toMatchObject({ pid: process.pid });
  lock.release();
});

test('a lock held on another machine is never taken over', () => {
  // GIVEN a lock of a host that cannot be asked whether its process lives
  fs.writeFileSync(file, JSON.stringify({ pid: 1, hostname: 'elsewhere', command: 'panorama-local deploy', startedAt: 'then', token: 'x' }));
  expect(() => acquireLock(file, 'panorama-local deploy')).toThrow(LockHeldError);
});

test('releasing does not remove a lock that someone else holds now', () => {
  // GIVEN a holder whose lock was replaced behind its back
  const first = acquireLock(file, 'a');
  fs.writeFileSync(file, JSON.stringify({ pid: 1, hostname: 'elsewhere', command: 'b', startedAt: 'now', token: 'other' }));

  // WHEN the first releases / THEN the other's lock stays
  first.release();
  expect(readOwner(file)).toMatchObject({ token: 'other' });
});

test('the lock file is whole from the first moment: no temporary file is left', () => {
  const lock = acquireLock(file, 'a');
  expect(fs.readdirSync(directory)).toEqual(['lock']);
  lock.release();
});
