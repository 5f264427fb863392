/** Timed runs of the coreutils baselines, asynchronous so servers in this process keep serving. */
import { spawn } from 'child_process';

/** Runs a command to completion; returns its wall time in ms, throws on a non-zero exit. */
export async function timeCommand(file: string, args: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${err}`))));
  });
  return Number(process.hrtime.bigint() - started) / 1e6;
}
