/** panorama-local synthesizes as the cdk CLI does: the app command in a shell, CDK_OUTDIR, the context in CDK_CONTEXT_JSON. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_ENVIRONMENT } from '../../local-runner/emulated-environment';
import { readCdkJson, synthesize } from '../../local-runner/synth';

let app: string;
let outdir: string;
beforeEach(() => {
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-app-'));
  outdir = path.join(app, 'out');
  // A stand-in for a CDK app: prints a line, records what it was given, writes a manifest.
  fs.writeFileSync(path.join(app, 'app.js'), `
    const fs = require('fs');
    console.log('synthesizing with ' + process.argv.slice(2).join(' '));
    fs.writeFileSync(process.env.CDK_OUTDIR + '/manifest.json', JSON.stringify({
      context: JSON.parse(process.env.CDK_CONTEXT_JSON), account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION,
    }));
    if (process.argv[2] === 'fail') { console.error('the app broke'); process.exit(3); }
    if (process.argv[2] === 'throw') {
      console.error('a warning of the app');
      class PanoramaValidationError extends Error {}
      PanoramaValidationError.prototype.name = 'PanoramaValidationError';
      const error = new PanoramaValidationError('graphs/lobby/graph.json: nodeGraph.nodes[0].name: "a b" must match ^[a-zA-Z0-9_]+$');
      // As the library's refusals at synth: the message only, unless CDK_DEBUG asks for the trace.
      if (process.argv[3] === 'brief' && !process.env.CDK_DEBUG) error.stack = error.name + ': ' + error.message;
      throw error;
    }
  `);
});
afterEach(() => fs.rmSync(app, { recursive: true, force: true }));

function run(command: string, context: Record<string, unknown> = {}, verbose = false): Promise<string> & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(synthesize({ app: command, cwd: app, outdir, context, output: (line) => lines.push(line), verbose }), { lines });
}

test('the app runs in its folder with CDK_OUTDIR emptied, the context, and the emulators\' account and Region', async () => {
  // GIVEN an outdir holding an earlier synth
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'stale.template.json'), '{}');

  // WHEN the app is synthesized
  const synth = run('node app.js first', { '@aws-cdk/core:someFlag': true });
  const assembly = await synth;

  // THEN it wrote into the emptied outdir, and was given what the cdk CLI gives
  expect(assembly).toBe(outdir);
  expect(fs.readdirSync(outdir)).toEqual(['manifest.json']);
  expect(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'))).toEqual({
    context: {
      '@aws-cdk/core:someFlag': true,
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:version-reporting': false,
    },
    account: DEFAULT_ENVIRONMENT.account,
    region: DEFAULT_ENVIRONMENT.region,
  });
  // AND what it printed was passed on
  expect(synth.lines).toEqual(['synthesizing with first']);
});

test('an app that is a .js file runs with node, as the cdk CLI runs it', async () => {
  await expect(run('app.js')).resolves.toBe(outdir);
});

test('an app that fails names its command and exit code, its own output passed on', async () => {
  const synth = run('node app.js fail');
  await expect(synth).rejects.toThrow(`Synthesis failed: \`node app.js fail\` exited with code 3 (in ${app})`);
  expect(synth.lines).toContain('the app broke');
});

test('an app that throws: the error\'s message ends the failure, without the source excerpt and the stack trace', async () => {
  // GIVEN an app that throws the library's error / WHEN synthesized
  const synth = run('node app.js throw');
  const error = await synth.catch((e: Error) => e);

  // THEN the failure names the command, then the app's message as its last line
  expect((error as Error).message.split('\n')).toEqual([
    `Synthesis failed: \`node app.js throw\` exited with code 1 (in ${app}); --verbose shows its stack trace. The app's error:`,
    'PanoramaValidationError: graphs/lobby/graph.json: nodeGraph.nodes[0].name: "a b" must match ^[a-zA-Z0-9_]+$',
  ]);
  // AND the app's other lines were passed on, but no frame, no excerpt, no Node version
  expect(synth.lines).toContain('a warning of the app');
  expect(synth.lines.filter((line) => /^\s+at |app\.js:\d+$|^Node\.js v|throw new/.test(line))).toEqual([]);
});

test('an app that throws an error without a stack trace (the library\'s refusals): its message ends the failure all the same', async () => {
  // GIVEN / WHEN an app whose error is its message only
  const synth = run('node app.js throw brief');
  const error = await synth.catch((e: Error) => e);

  // THEN the message is the failure's last line, and Node's excerpt and version line are left out
  expect((error as Error).message.split('\n').at(-1)).toBe('PanoramaValidationError: graphs/lobby/graph.json: nodeGraph.nodes[0].name: "a b" must match ^[a-zA-Z0-9_]+$');
  expect(synth.lines).toEqual(['synthesizing with throw brief', 'a warning of the app']);
});

test('an app that throws, with --verbose: the stack trace is passed on, CDK_DEBUG set so the library keeps its trace', async () => {
  // GIVEN / WHEN the throwing app, verbose
  const synth = run('node app.js throw brief', {}, true);
  await expect(synth).rejects.toThrow(/exited with code 1/);

  // THEN its whole error output was passed on, frames included
  expect(synth.lines).toContainEqual(expect.stringMatching(/^\s+at .*app\.js:\d+/));
});

test('an app that writes no assembly is an error that says so', async () => {
  await expect(run('node -e 0')).rejects.toThrow(/^Synthesis wrote no cloud assembly: `node -e 0` did not call app\.synth\(\), or wrote elsewhere than CDK_OUTDIR/);
});

test('cdk.json gives the app and, with cdk.context.json, the context (cdk.json wins)', () => {
  // GIVEN both files
  fs.writeFileSync(path.join(app, 'cdk.json'), JSON.stringify({ app: 'npx ts-node bin/app.ts', context: { a: 1, b: 2 } }));
  fs.writeFileSync(path.join(app, 'cdk.context.json'), JSON.stringify({ b: 'cached', c: 3 }));

  // WHEN read / THEN the app and the merged context
  expect(readCdkJson(app)).toEqual({ app: 'npx ts-node bin/app.ts', context: { a: 1, b: 2, c: 3 } });
});

test('without cdk.json there is no app and no context; a broken one is an error naming it', () => {
  expect(readCdkJson(app)).toEqual({ app: undefined, context: {} });
  fs.writeFileSync(path.join(app, 'cdk.json'), '{"app": ');
  expect(() => readCdkJson(app)).toThrow(`Cannot read ${path.join(app, 'cdk.json')}`);
});
