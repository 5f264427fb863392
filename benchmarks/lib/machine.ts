/** What the figures were measured on, for the top of BENCHMARKS.md. */
import { execFileSync } from 'child_process';
import * as os from 'os';

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly tmpFilesystem: string;
  readonly load: string;
  readonly commit: string;
}

function tryExec(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(tmpDir: string): MachineInfo {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    // Copies may be reflinks on some file systems, which changes what `cp` and CDK's copy cost.
    tmpFilesystem: tryExec('stat', ['-f', '-c', '%T', tmpDir]),
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    commit: tryExec('git', ['rev-parse', '--short', 'HEAD']),
  };
}
