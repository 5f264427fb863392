/**
 * 3. The handlers: bundle size (raw and gzipped, with its source map) and cold start (time to
 * `require` the bundle in a fresh Node process) of our two handlers before and after issue #10
 * (unminified CommonJS build → minified ES-module build with a source map, loaded as Lambda loads
 * it with NODE_OPTIONS=--enable-source-maps) and before and after issue #20 (the SDK's default
 * credential chain and the compiled validators in index.js → Lambda's credential providers, the
 * validators in a file of their own loaded when a bucket source needs them), beside the Provider
 * framework's own handler, bundled with esbuild the same ways. Every row is measured in the same
 * run, interleaved.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { build } from 'esbuild';
import { installFrameworkSdk, SDK_VERSION } from './framework-sdk';
import { runChild } from '../lib/child';
import { compileChild } from '../lib/compile-child';
import { table } from '../lib/markdown';
import { BenchContext, SectionReport, TargetVerdict } from '../lib/section';
import { formatSummary, kibibytes, mebibytes, millis, ratio, summarize } from '../lib/stats';

const ROOT = path.resolve(__dirname, '..', '..');
const FRAMEWORK_DIR = path.join(ROOT, 'node_modules', 'aws-cdk-lib', 'custom-resources', 'lib', 'provider-framework', 'runtime');
/** Issue #20's limit per handler bundle, in decimal kilobytes (the stricter reading). */
const MAX_BUNDLE_BYTES = 400 * 1000;

/** The last commit before #20: its handler sources, bundled as #10 shipped them. */
const BEFORE_20 = '39df320';

/** That commit's src/ (with today's generated validators: the schemas did not change), or undefined outside a clone that has it. */
function sourcesBefore20(into: string): string | undefined {
  try {
    fs.mkdirSync(into, { recursive: true });
    execFileSync('tar', ['-x', '-C', into], { input: execFileSync('git', ['archive', BEFORE_20, 'src'], { cwd: ROOT, maxBuffer: 64 * 1024 ** 2 }) });
    const generated = path.join('src', 'rules', 'schema', 'validators.generated.ts');
    fs.copyFileSync(path.join(ROOT, generated), path.join(into, generated));
    return path.join(into, 'src');
  } catch {
    return undefined;
  }
}

/** How a row's bundle is made and loaded. */
interface Variant {
  readonly handler: string;
  readonly build: string;
  readonly file: string;
  /** Loaded with NODE_OPTIONS=--enable-source-maps, as the functions ask Lambda to. */
  readonly sourceMaps: boolean;
  readonly ours: boolean;
  readonly shipped: boolean;
}

/** esbuild options of the bundles: node platform, every dependency bundled. */
interface BundleOptions {
  readonly minify: boolean;
  /** The SDK's ES module files (tree-shaken), their import() of built-ins as require(), as the shipped handlers. */
  readonly esm: boolean;
  readonly nodePaths?: string[];
  readonly external?: string[];
  /** A source map beside the bundle, without the sources' text, as the shipped handlers have. */
  readonly sourcemap?: boolean;
}

async function bundle(entry: string, outfile: string, options: BundleOptions): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node24',
    outfile,
    minify: options.minify,
    ...(options.esm ? { mainFields: ['module', 'main'], supported: { 'dynamic-import': false } } : {}),
    nodePaths: options.nodePaths,
    external: options.external,
    ...(options.sourcemap ? { sourcemap: true, sourcesContent: false } : {}),
    tsconfig: path.join(ROOT, 'test', 'tsconfig.json'),
    logLevel: 'error',
  });
}

function orDash(samples: number[] | undefined, format: (value: number) => string): string {
  return samples && samples.length > 0 ? formatSummary(summarize(samples), format) : '—';
}

export async function benchHandlers(ctx: BenchContext): Promise<SectionReport> {
  const dir = path.join(ctx.tmp, 'bundles');
  fs.mkdirSync(dir, { recursive: true });
  const sdk = installFrameworkSdk(path.join(ctx.tmp, 'framework-sdk'), ctx.log);

  const variants: Variant[] = [];
  const before20Sources = sourcesBefore20(path.join(dir, 'before-20-sources'));
  for (const [label, name] of [['onEvent', 'on-event.lambda'], ['isComplete', 'is-complete.lambda']]) {
    // Before #10: what projen's bundle task built then (unminified, the SDK's CommonJS, no map).
    const before = path.join(dir, `${name}-before`, 'index.js');
    await bundle(path.join(ROOT, 'src', 'handler', `${name}.ts`), before, { minify: false, esm: false });
    variants.push({ handler: label, build: 'before #10: unminified, CommonJS SDK', file: before, sourceMaps: false, ours: true, shipped: false });
    // Before #20: the build #10 shipped (the SDK's default credential chain, the validators bundled in).
    if (before20Sources) {
      const before20 = path.join(dir, `${name}-before-20`, 'index.js');
      await bundle(path.join(before20Sources, 'handler', `${name}.ts`), before20, { minify: true, esm: true, sourcemap: true, nodePaths: [path.join(ROOT, 'node_modules')] });
      variants.push({ handler: label, build: 'before #20: default credential chain, validators inside; --enable-source-maps', file: before20, sourceMaps: true, ours: true, shipped: false });
    }
    // After: the bundle as it ships (`projen bundle` ran before the bench), copied with its map.
    const shipped = path.join(dir, `${name}-shipped`, 'index.js');
    fs.mkdirSync(path.dirname(shipped), { recursive: true });
    for (const file of fs.readdirSync(path.join(ROOT, 'assets', 'handler', name))) {
      fs.copyFileSync(path.join(ROOT, 'assets', 'handler', name, file), path.join(path.dirname(shipped), file));
    }
    variants.push({ handler: label, build: 'shipped: minified, ES SDK, source map; --enable-source-maps', file: shipped, sourceMaps: true, ours: true, shipped: true });
    variants.push({ handler: label, build: 'shipped, loaded without --enable-source-maps', file: shipped, sourceMaps: false, ours: true, shipped: false });
  }
  const nodePaths = sdk ? [sdk] : [];
  const external = sdk ? [] : ['@aws-sdk/*'];
  for (const minify of [false, true]) {
    const file = path.join(dir, `framework-${minify ? 'min' : 'raw'}`, 'index.js');
    await bundle(path.join(FRAMEWORK_DIR, 'framework.js'), file, { minify, esm: minify, nodePaths, external });
    variants.push({
      handler: 'Provider framework (framework.js)', build: minify ? 'minified, ES SDK' : 'unminified, CommonJS SDK', file, sourceMaps: false, ours: false, shipped: false,
    });
  }

  const requireChild = compileChild(path.join(__dirname, 'require-child.ts'), dir);
  const coldStart = new Map<Variant, number[]>();
  const rssAfter = new Map<Variant, number[]>();
  // Interleaved: every row once per round, so load on the shared cores hits them alike.
  for (let run = 0; run < ctx.runs; run++) {
    for (const v of variants) {
      // Without its SDK clients the framework's bundle cannot load: no cold start to measure.
      if (!sdk && !v.ours) continue;
      const env: Record<string, string> = { AWS_REGION: 'us-east-1', NODE_OPTIONS: v.sourceMaps ? '--enable-source-maps' : '' };
      const r = await runChild<{ requireMs: number; rssAfterRequireBytes: number }>({ script: requireChild, args: [v.file], env });
      coldStart.set(v, [...(coldStart.get(v) ?? []), r.result.requireMs]);
      rssAfter.set(v, [...(rssAfter.get(v) ?? []), r.result.rssAfterRequireBytes]);
    }
  }
  ctx.log('handlers: cold starts measured');

  const size = (file: string): number => fs.statSync(file).size;
  const gz = (file: string): number => gzipSync(fs.readFileSync(file)).length;
  const mapOf = (file: string): string | undefined => (fs.existsSync(`${file}.map`) ? `${file}.map` : undefined);
  const rows = variants.map((v) => {
    const map = mapOf(v.file);
    return [
      v.handler,
      v.build,
      kibibytes(size(v.file)),
      kibibytes(gz(v.file)),
      map ? `${kibibytes(size(map))} (${kibibytes(gz(map))} gzip)` : '—',
      orDash(coldStart.get(v), millis),
      orDash(rssAfter.get(v), mebibytes),
    ];
  });

  // Ratios of the same round: shipped (as Lambda loads it) ÷ before, and ÷ the framework's unminified bundle.
  const perRound = (a: Variant, b: Variant): string => {
    const as = coldStart.get(a);
    const bs = coldStart.get(b);
    if (!as || !bs) return '—';
    return formatSummary(summarize(as.map((x, i) => x / bs[i])), ratio);
  };
  const framework = variants.find((v) => !v.ours && v.build.startsWith('unminified'))!;
  const ratioLines = ['onEvent', 'isComplete'].map((handler) => {
    const shipped = variants.find((v) => v.handler === handler && v.shipped)!;
    const before = variants.find((v) => v.handler === handler && v.build.startsWith('before #10'))!;
    const before20 = variants.find((v) => v.handler === handler && v.build.startsWith('before #20'));
    const noMaps = variants.find((v) => v.handler === handler && !v.shipped && v.file === shipped.file)!;
    return `- ${handler}: cold start shipped ÷ before #20 ${before20 ? perRound(shipped, before20) : '—'}, ÷ before #10 ${perRound(shipped, before)}; `
      + `shipped ÷ Provider framework (unminified) ${perRound(shipped, framework)}; `
      + `with ÷ without --enable-source-maps ${perRound(shipped, noMaps)}; size shipped ÷ before #20 ${before20 ? ratio(size(shipped.file) / size(before20.file)) : '—'}, `
      + `÷ before #10 ${ratio(size(shipped.file) / size(before.file))}.`;
  });

  const shippedVariants = variants.filter((v) => v.shipped);
  const lazyFiles = (v: Variant): string[] => fs.readdirSync(path.dirname(v.file)).filter((f) => f.endsWith('.js') && f !== 'index.js');
  const lazyNote = shippedVariants.flatMap((v) => lazyFiles(v).map((f) => `${v.handler}'s ${f} ${(size(path.join(path.dirname(v.file), f)) / 1000).toFixed(1)} KB`));
  const kb = (v: Variant): string => `${(size(v.file) / 1000).toFixed(1)} KB`;
  const coldStarts = shippedVariants.map((v) => {
    const before20 = variants.find((b) => b.handler === v.handler && b.build.startsWith('before #20'));
    return `${v.handler} ${before20 ? perRound(v, before20) : '— (commit not in this clone)'}`;
  });
  const slower = shippedVariants.some((v) => {
    const before20 = variants.find((b) => b.handler === v.handler && b.build.startsWith('before #20'));
    if (!before20) return false;
    const ratios = (coldStart.get(v) ?? []).map((x, i) => x / coldStart.get(before20)![i]);
    return ratios.length > 0 && summarize(ratios).median > 1;
  });
  const targets: TargetVerdict[] = [{
    target: 'Handler bundles: each at most 400 KB (minified, source map beside it); cold start no slower than before #20 (same run)',
    met: shippedVariants.every((v) => size(v.file) <= MAX_BUNDLE_BYTES) && !slower,
    detail: shippedVariants.map((v) => `${v.handler} ${kb(v)}`).join(', ')
      + ` (before #20: ${variants.filter((v) => v.build.startsWith('before #20')).map(kb).join(', ')}; `
      + `before #10: ${variants.filter((v) => v.build.startsWith('before #10')).map(kb).join(', ')}); `
      + `loaded only when a bucket source's event checks a document: ${lazyNote.join(', ') || 'nothing'}; `
      + `cold start shipped ÷ before #20: ${coldStarts.join(', ')}`,
  }];

  const markdown = [
    table(['handler', 'build', 'bundle', 'gzip', 'source map', 'cold start: require', 'RSS after require'], rows),
    '',
    ...ratioLines,
    '',
    `Before #20 is commit ${BEFORE_20}'s handlers as #10 shipped them (the SDK's default credential chain, the compiled validators in index.js), bundled here. `
      + 'Before #10 is the build projen shipped until then (esbuild --bundle, the SDK\'s CommonJS files, no minification, no source map), rebuilt here from today\'s sources; '
      + 'shipped is assets/handler/*/index.js and its map as `projen bundle` makes them (--minify, --main-fields=module,main, --sourcemap without the sources\' text), '
      + 'loaded with NODE_OPTIONS=--enable-source-maps as the functions set it for Lambda, and once without, to show what the source map costs at load. '
      + 'gzip is zlib\'s default level. '
      + `Cold start is the \`require\` of the bundle in a fresh Node ${process.version} process (${ctx.runs} runs each, interleaved), Lambda's runtime init excluded. `
      + (sdk
        ? `The framework's bundles include @aws-sdk/client-lambda and @aws-sdk/client-sfn ${SDK_VERSION} (installed by the bench with npm), as ours include the Panorama and S3 clients; `
          + 'as CDK ships it the framework is JavaScript that loads those clients from the Lambda runtime, so its real cold start also pays for them.'
        : 'npm could not fetch the framework\'s SDK clients, so its bundles leave @aws-sdk/* external and cannot load: compare sizes only.'),
  ].join('\n');
  return { title: '3. The handlers', markdown, targets };
}
