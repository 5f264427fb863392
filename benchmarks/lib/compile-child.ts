/**
 * Compiles a small child script to plain JavaScript with esbuild, so the child runs on bare Node:
 * no ts-node in its memory or its start-up, and the figures it reports are the measured code's own.
 */
import * as path from 'path';
import { buildSync } from 'esbuild';

/** @param external modules the child loads at run time instead (say, the one copy a library under test also loads) */
export function compileChild(script: string, outDir: string, external: string[] = []): string {
  const outfile = path.join(outDir, `${path.basename(script, '.ts')}.js`);
  buildSync({ entryPoints: [script], bundle: true, platform: 'node', target: 'node20', outfile, external, logLevel: 'warning' });
  return outfile;
}
