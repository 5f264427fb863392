/**
 * 3. The handlers: bundle size (raw, minified with esbuild --minify, gzipped) and cold start
 * (time to `require` the bundle in a fresh Node process) of our two handlers, beside the same
 * figures for the Provider framework's own handler, bundled with esbuild the same way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { build } from 'esbuild';
import { installFrameworkSdk, SDK_VERSION } from './framework-sdk';
import { runChild } from '../lib/child';
import { compileChild } from '../lib/compile-child';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport } from '../lib/section';
import { formatSummary, kibibytes, mebibytes, millis, summarize } from '../lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const FRAMEWORK_DIR = path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'custom-resources', 'lib', 'provider-framework', 'runtime');

interface Handler {
  readonly label: string;
  readonly entry: string;
  /** The bundle as it ships; ours are built by `projen bundle` (the bench task runs it first). */
  readonly shipped?: string;
}

const HANDLERS: Handler[] = [
  { label: 'onEvent (ours)', entry: path.join(ROOT, 'src/handler/on-event.lambda.ts'), shipped: path.join(ROOT, 'assets/handler/on-event.lambda/index.js') },
  { label: 'isComplete (ours)', entry: path.join(ROOT, 'src/handler/is-complete.lambda.ts'), shipped: path.join(ROOT, 'assets/handler/is-complete.lambda/index.js') },
  { label: 'Provider framework (framework.js)', entry: path.join(FRAMEWORK_DIR, 'framework.js') },
];

/** Same options as the projen bundle tasks: node24 target, node platform, every dependency bundled. */
async function bundle(entry: string, outfile: string, minify: boolean, nodePaths: string[], external: string[]): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node24',
    outfile,
    minify,
    nodePaths,
    external,
    tsconfig: path.join(ROOT, 'test', 'tsconfig.json'),
    logLevel: 'error',
  });
}

function orDash(samples: number[] | undefined, format: (value: number) => string): string {
  return samples ? formatSummary(summarize(samples), format) : '—';
}

export async function benchHandlers(ctx: BenchContext): Promise<SectionReport> {
  const dir = path.join(ctx.tmp, 'bundles');
  fs.mkdirSync(dir, { recursive: true });
  const sdk = installFrameworkSdk(path.join(ctx.tmp, 'framework-sdk'), ctx.log);
  const nodePaths = sdk ? [sdk] : [];
  const external = sdk ? [] : ['@aws-sdk/*'];

  const variants: Array<{ handler: Handler; raw: string; minified: string }> = [];
  for (const [i, handler] of HANDLERS.entries()) {
    const raw = path.join(dir, `h${i}-raw`, 'index.js');
    const minified = path.join(dir, `h${i}-min`, 'index.js');
    if (handler.shipped) {
      fs.mkdirSync(path.dirname(raw), { recursive: true });
      fs.copyFileSync(handler.shipped, raw);
    } else {
      await bundle(handler.entry, raw, false, nodePaths, external);
    }
    await bundle(handler.entry, minified, true, nodePaths, external);
    variants.push({ handler, raw, minified });
  }

  const requireChild = compileChild(path.join(__dirname, 'require-child.ts'), dir);
  const coldStart = new Map<string, number[]>();
  const rssAfter = new Map<string, number[]>();
  // Interleaved: every bundle once per round, so load on the shared cores hits them alike.
  for (let run = 0; run < ctx.runs; run++) {
    for (const v of variants) {
      // Without its SDK clients the framework's bundle cannot load: no cold start to measure.
      if (!sdk && !v.handler.shipped) continue;
      for (const file of [v.raw, v.minified]) {
        const r = await runChild<{ requireMs: number; rssAfterRequireBytes: number }>({ script: requireChild, args: [file], env: { AWS_REGION: 'us-east-1' } });
        coldStart.set(file, [...(coldStart.get(file) ?? []), r.result.requireMs]);
        rssAfter.set(file, [...(rssAfter.get(file) ?? []), r.result.rssAfterRequireBytes]);
      }
    }
  }
  ctx.log('handlers: cold starts measured');

  const size = (file: string): number => fs.statSync(file).size;
  const gz = (file: string): number => gzipSync(fs.readFileSync(file)).length;
  const rows = variants.map((v) => [
    v.handler.label,
    kibibytes(size(v.raw)),
    kibibytes(size(v.minified)),
    kibibytes(gz(v.raw)),
    kibibytes(gz(v.minified)),
    orDash(coldStart.get(v.raw), millis),
    orDash(coldStart.get(v.minified), millis),
    orDash(rssAfter.get(v.raw), mebibytes),
  ]);
  const shippedFramework = fs.readdirSync(FRAMEWORK_DIR).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + size(path.join(FRAMEWORK_DIR, f)), 0);

  const markdown = [
    table(['handler', 'raw', 'minified', 'gzip (raw)', 'gzip (minified)', 'cold start: require (raw)', 'cold start: require (minified)', 'RSS after require (raw)'], rows),
    '',
    'Our raw bundles are the shipped assets/handler/*/index.js; minified is the same esbuild build with --minify; gzip is zlib\'s default level (as `gzip`). '
      + `Cold start is the \`require\` of the bundle in a fresh Node ${process.version} process (${ctx.runs} runs each, interleaved), Lambda's runtime init excluded. `
      + (sdk
        ? `The framework's bundle includes @aws-sdk/client-lambda and @aws-sdk/client-sfn ${SDK_VERSION} (installed by the bench with npm), as ours include the Panorama and S3 clients; `
          + `as CDK ships it the framework is ${kibibytes(shippedFramework)} of JavaScript that loads those clients from the Lambda runtime, so its real cold start also pays for them.`
        : 'npm could not fetch the framework\'s SDK clients, so its bundle leaves @aws-sdk/* external and its cold start fails to load: compare sizes only.'),
  ].join('\n');
  return { title: '3. The handlers', markdown, targets: [] };
}
