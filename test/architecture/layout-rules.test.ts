/**
 * The layout's rules (docs/ARCHITECTURE.md) are held by tools, not by comments: lint refuses a pure
 * module that imports aws-cdk-lib or the construct code, and a runtime import cycle; dpdm finds
 * every cycle, type-only ones included, and the repository has none.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// The repository's .eslintrc.json is a legacy config; ESLint 9 reads it through LegacyESLint.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LegacyESLint } = require('eslint/use-at-your-own-risk');

const ROOT = path.resolve(__dirname, '..', '..');
const PROBE = `layout-probe-${process.pid}`;

interface LintMessage { readonly ruleId: string | null; readonly message: string }

/** Writes probe modules into the repository (lint resolves real files), lints one, removes them all. */
async function lintProbe(files: Record<string, string>, target: string): Promise<LintMessage[]> {
  const written = Object.entries(files).map(([relative, text]) => {
    const file = path.join(ROOT, relative);
    fs.writeFileSync(file, text);
    return file;
  });
  try {
    const eslint = new LegacyESLint({ cwd: ROOT, useEslintrc: true, fix: false });
    const [result] = await eslint.lintFiles([path.join(ROOT, target)]);
    return result.messages;
  } finally {
    written.forEach((file) => fs.rmSync(file, { force: true }));
  }
}

const RULES_PROBE = `src/rules/${PROBE}.ts`;

test('a pure module (src/rules/) that imports aws-cdk-lib fails lint', async () => {
  // GIVEN a module in src/rules/ that imports aws-cdk-lib
  const files = { [RULES_PROBE]: "import { Stack } from 'aws-cdk-lib';\n\nexport const probe = Stack;\n" };

  // WHEN it is linted
  const messages = await lintProbe(files, RULES_PROBE);

  // THEN no-restricted-imports refuses it, naming the rule of the pure modules
  expect(messages).toContainEqual(expect.objectContaining({
    ruleId: 'no-restricted-imports',
    message: expect.stringContaining('must not import aws-cdk-lib or constructs'),
  }));
});

test('a pure module (src/rules/) that imports the construct code fails lint', async () => {
  // GIVEN a module in src/rules/ that imports the import construct (which imports aws-cdk-lib)
  const files = { [RULES_PROBE]: "import { PanoramaPackageImport } from '../package-import/panorama-package-import';\n\nexport const probe = PanoramaPackageImport;\n" };

  // WHEN it is linted
  const messages = await lintProbe(files, RULES_PROBE);

  // THEN import/no-restricted-paths refuses it
  expect(messages).toContainEqual(expect.objectContaining({ ruleId: 'import/no-restricted-paths' }));
});

test('a handler module that imports aws-cdk-lib fails lint', async () => {
  // GIVEN a module in src/handler/ (bundled into the Lambda functions) that imports aws-cdk-lib
  const probe = `src/handler/${PROBE}.ts`;
  const files = { [probe]: "import { Duration } from 'aws-cdk-lib';\n\nexport const probe = Duration;\n" };

  // WHEN it is linted
  const messages = await lintProbe(files, probe);

  // THEN no-restricted-imports refuses it
  expect(messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
});

test('two modules that import each other fail lint', async () => {
  // GIVEN two modules in src/rules/ that import each other at run time
  const a = `src/rules/${PROBE}-a.ts`;
  const files = {
    [a]: `import { b } from './${PROBE}-b';\n\nexport const a = (): number => b() + 1;\n`,
    [`src/rules/${PROBE}-b.ts`]: `import { a } from './${PROBE}-a';\n\nexport const b = (): number => a() - 1;\n`,
  };

  // WHEN one is linted
  const messages = await lintProbe(files, a);

  // THEN import/no-cycle refuses it
  expect(messages.map((m) => m.ruleId)).toContain('import/no-cycle');
});

/** Every import cycle among the given entry files (globs), type-only imports included, as dpdm reports them. */
function cycles(entries: string[]): string[][] {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dpdm-')), 'tree.json');
  try {
    // dpdm's API loads ES modules that jest cannot; its command line is the same analysis.
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'dpdm'), ['--no-tree', '--no-warning', '--no-progress', '--output', output, ...entries], { cwd: ROOT, stdio: 'pipe' });
    return JSON.parse(fs.readFileSync(output, 'utf-8')).circulars;
  } finally {
    fs.rmSync(path.dirname(output), { recursive: true, force: true });
  }
}

test('a cycle made of type-only imports is found', async () => {
  // GIVEN two modules whose cycle exists only through `import type` (which lint's no-cycle skips)
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'architecture', `${PROBE}-`));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\n\nexport interface A { readonly b?: B }\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a';\n\nexport interface B { readonly a?: A }\n");

    // WHEN the dependency tree is searched for cycles
    const found = cycles([path.join(dir, 'a.ts')]);

    // THEN the cycle is reported
    expect(found).toHaveLength(1);
    expect(found[0].map((file) => path.basename(file)).sort()).toEqual(['a.ts', 'b.ts']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the library, the handlers, the emulator, the runner and the commands have no import cycle', async () => {
  // GIVEN every module of src/, emulator/, local-runner/ and cli/
  const entries = ['src', 'emulator', 'local-runner', 'cli'].map((dir) => `${dir}/**/*.ts`);

  // WHEN their imports are followed, `import type` included
  const found = cycles(entries);

  // THEN no module reaches itself again
  expect(found.map((cycle) => cycle.join(' -> '))).toEqual([]);
});
