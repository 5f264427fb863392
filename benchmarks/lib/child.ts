/**
 * Runs a measurement in a fresh Node process, so each figure is one process's own: its wall time
 * seen from here, the JSON result it prints, and its peak memory (max RSS) from `/usr/bin/time -v`
 * when present, else from the child's own `process.resourceUsage()`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The line prefix a child prints its result after; everything else on stdout is ignored. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

const TIME_BINARY = '/usr/bin/time';
export const HAS_GNU_TIME = fs.existsSync(TIME_BINARY);

export interface ChildRun<T> {
  readonly result: T;
  /** Wall time of the whole process, seen by the parent (start-up included). */
  readonly wallMs: number;
  /** Peak resident memory of the child, in bytes. */
  readonly maxRssBytes: number;
  /** Which tool measured maxRssBytes. */
  readonly rssSource: 'time -v' | 'resourceUsage';
}

export interface ChildOptions {
  /** A .ts file runs through ts-node (transpile only: the parent run type-checks); a .js file runs as is. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

/** Prints the result for the parent; children call it once, last. */
export function reportResult(result: object): void {
  const withRss = { ...result, resourceUsageMaxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(withRss)}\n`);
}

export async function runChild<T>(options: ChildOptions): Promise<ChildRun<T>> {
  const nodeArgs = options.script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only', options.script] : [options.script];
  const [file, args] = HAS_GNU_TIME
    ? [TIME_BINARY, ['-v', process.execPath, ...nodeArgs, ...(options.args ?? [])]]
    : [process.execPath, [...nodeArgs, ...(options.args ?? [])]];
  const started = process.hrtime.bigint();
  // Asynchronous on purpose: some children talk to servers that run in this process.
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? path.resolve(__dirname, '..', '..'),
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) {
    throw new Error(`${path.basename(options.script)} ${(options.args ?? []).join(' ').slice(0, 200)} failed (exit ${code}):\n${stderr.slice(-3000)}\n${stdout.slice(-2000)}`);
  }
  const result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T & { resourceUsageMaxRssBytes: number };
  const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return {
    result,
    wallMs,
    maxRssBytes: timed ? Number(timed[1]) * 1024 : result.resourceUsageMaxRssBytes,
    rssSource: timed ? 'time -v' : 'resourceUsage',
  };
}
