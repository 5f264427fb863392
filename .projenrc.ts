import { awscdk, javascript, JsonFile } from 'projen';

// The last Panorama client ever published (the SDKs dropped Panorama in June 2026). It is bundled
// into the handler, so it is a dev dependency: nothing at run time resolves it from node_modules.
const PANORAMA_SDK = '3.1076.0';
// Same release as the Panorama client, so the bundle carries one copy of the shared SDK core.
const S3_SDK = PANORAMA_SDK;
// The camera handler reads its credentials secret; same release again, for the same reason.
const SECRETS_MANAGER_SDK = PANORAMA_SDK;

// Folders outside the jsii library: type-checked and linted, never part of the jsii API.
const TOOL_DIRS = ['emulator', 'local-runner', 'cli', 'examples', 'benchmarks', 'scripts'];

// The handler bundles: every dependency included (the Lambda runtimes' SDK no longer ships the
// Panorama client), minified, with a source map that Lambda reads because the functions set
// NODE_OPTIONS=--enable-source-maps (src/package-import/private/import-provider.ts). The map leaves out the sources' text,
// which stack traces do not need. The SDK's ES module builds tree-shake far better than its
// CommonJS ones; they load Node built-ins with import(), turned into require() so that the bundle
// also loads where import() is unavailable (a vm context, as the local runner's tests use).
// Two things every cold start would load for nothing are left out of index.js (each bundle ≤ 400 KB,
// test/handler/bundle-size.test.ts): the SDK's default credential chain, replaced by what a Lambda
// function has (src/handler/lambda-credentials.ts), and the compiled schema validators, which only a
// bucket source's event needs: src/rules/schema/index.ts requires them on first use, from a file of
// their own that the onEvent bundle task writes beside index.js.
const HANDLER_BUNDLING = {
  externals: ['./validators.generated'],
  sourcemap: true,
  minify: true,
  mainFields: ['module', 'main'],
  esbuildArgs: {
    '--sources-content': 'false',
    '--supported:dynamic-import': 'false',
    '--alias:@aws-sdk/credential-provider-node': './src/handler/lambda-credentials.ts',
  },
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-panorama-package-import',
  description:
    'AWS CDK L2 construct that imports an AWS Panorama node package: stages its files in S3, runs an idempotent CreatePackageImportJob and exposes the package ARN and StorageLocation.',
  keywords: ['awscdk', 'cdk', 'panorama', 'aws-panorama', 'computer-vision', 'edge', 'custom-resource'],
  author: 'cdk-panorama-package-import maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-panorama/cdk-panorama-package-import.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,

  cdkVersion: '2.245.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  compat: false,

  publishToPypi: {
    distName: 'cdk-panorama-package-import',
    module: 'cdk_panorama_package_import',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkpanorama.packageimport',
    mavenGroupId: 'io.github.cdk-panorama',
    mavenArtifactId: 'cdk-panorama-package-import',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkPanorama.PackageImport',
    packageId: 'CdkPanorama.PackageImport',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-panorama/cdk-panorama-package-import-go',
    packageName: 'panoramapackageimport',
  },

  devDeps: [
    `@aws-sdk/client-panorama@${PANORAMA_SDK}`,
    `@aws-sdk/client-s3@${S3_SDK}`,
    // The two credential providers of the chain those clients use that a Lambda function needs
    // (src/handler/lambda-credentials.ts), at the versions that chain resolves.
    '@aws-sdk/credential-provider-env@3.972.85',
    '@aws-sdk/credential-provider-http@3.972.87',
    `@aws-sdk/client-secrets-manager@${SECRETS_MANAGER_SDK}`,
    '@types/aws-lambda',
    's3rver@3.7.1',
    'esbuild',
    'cdk-nag@^2.38.2',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/integ-runner',
    'aws-cdk@^2',
    // JSON Schema compiler, used at build time only (Ajv standalone): nothing at run time needs it.
    'ajv@^8.20.0',
    // Finds import cycles, type-only ones included (lint's import/no-cycle skips `import type`).
    'dpdm@4.3.0',
    // The cloud assembly reader of the CDK toolkit, and the globs `cdk deploy` selects stacks with:
    // bundled into the panorama-local command (assets/cli/commands.js), so dev dependencies. The
    // reader is the last release on the schema aws-cdk-lib 2.245 resolves (53.x): a later one wants
    // schema 54+, whose copy aws-cdk-lib itself would then load.
    '@aws-cdk/cloud-assembly-api@2.2.5',
    '@aws-cdk/cloud-assembly-schema@^53.28.0',
    'minimatch@^11.0.9',
  ],

  lambdaOptions: {
    // The latest Node.js runtime that the minimum aws-cdk-lib (2.245.0) knows: Node.js 24.
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: HANDLER_BUNDLING,
    awsSdkConnectionReuse: false,
  },
  integrationTestAutoDiscover: false,

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', ...TOOL_DIRS],
  },
  jestOptions: {
    jestConfig: {
      testTimeout: 60_000,
      // Every source file is reported, loaded by a test or not (a file no test loads shows 0%).
      // The handlers count through the unit tests that run them from src/; the end-to-end tests
      // run their bundles, which are build output and not reported, as are the generated validators.
      collectCoverageFrom: ['src/**/*.ts', 'emulator/**/*.ts', 'local-runner/**/*.ts', '!**/*.d.ts', '!src/rules/schema/validators.generated.ts'],
    },
  },
  gitignore: ['cdk.out', '*.cdk.out', '.panorama-local', '/examples/**/cdk.out'],
});

// `npm ci` fails on the lock file projen writes: the registry here lacks some versions of
// unrs-resolver's platform packages. Pinning the resolver makes the lock file installable.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Each tool folder type-checks and lints against the library through a tsconfig of its own,
// which eslint's project service finds as the nearest one.
for (const dir of TOOL_DIRS) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { rootDir: '..', noEmit: true },
      include: ['**/*.ts', '../src/**/*.ts'],
    },
  });
}

// The handlers bundle their SDK clients (dev dependencies), so importing them there is right.
project.eslint?.addOverride({
  files: ['src/handler/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});

// The layout's rules, held by lint rather than by comments (docs/ARCHITECTURE.md):
// - src/rules/ is pure: the handler bundles and the emulator import it, so it never imports
//   aws-cdk-lib, constructs, or the construct code beside it;
// - src/handler/ (but the function classes projen generates) and emulator/ likewise;
// - no import cycles anywhere.
const CDK_IMPORTS = {
  group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'constructs/*'],
  message: 'src/rules/, src/handler/ and emulator/ run in the Lambda handlers and the emulator: they must not import aws-cdk-lib or constructs (docs/ARCHITECTURE.md)',
};
project.eslint?.addOverride({
  files: ['src/rules/**/*.ts', 'src/handler/**/*.ts', 'emulator/**/*.ts'],
  excludedFiles: ['src/handler/*-function.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: [CDK_IMPORTS] }] },
});
const CONSTRUCT_CODE = ['./src/index.ts', './src/package-import', './src/application'];
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './src/rules', from: [...CONSTRUCT_CODE, './src/handler'], message: 'src/rules/ is pure: it imports no construct or handler code' },
      { target: './src/handler', from: CONSTRUCT_CODE, message: 'the handlers import src/rules/, never the constructs' },
      { target: './emulator', from: [...CONSTRUCT_CODE, './src/handler', './local-runner'], message: 'the emulator imports src/rules/ only' },
    ],
  }],
});

// `npm test` is the whole check: the handler bundles (the end-to-end tests load them), the jsii
// compilation and API.md (CI fails when they change), then jest and eslint.
project.testTask.prependSpawn(project.tasks.tryFind('docgen')!);
project.testTask.prependSpawn(project.compileTask);
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);

// The package's commands, for its users: `panorama-local` (local deploys, local-runner/) and
// `panorama-emulator` (emulator/). Both embed the emulators, so they share one bundle,
// assets/cli/commands.js (s3rver and the SDK clients included: no dev dependency, no ts-node at run
// time), and each bin is a two-line stub that calls it. In assets/ beside the handler bundles
// (projen would list any file under bin/ as a second bin).
// The compiled validators beside the onEvent bundle, which requires them lazily (HANDLER_BUNDLING).
project.tasks.tryFind('bundle:handler/on-event.lambda')!.exec(
  'esbuild src/handler/document-validators.ts --bundle --format=cjs --platform=node --target=node24 --minify --sourcemap --sources-content=false --outfile=assets/handler/on-event.lambda/validators.generated.js --log-level=warning',
);
const bundleTask = project.tasks.tryFind('bundle')!;
bundleTask.exec('rm -rf assets/cli');
bundleTask.exec('esbuild cli/commands.ts --bundle --platform=node --target=node20 --minify --main-fields=module,main --supported:dynamic-import=false --outfile=assets/cli/commands.js --log-level=warning');
bundleTask.exec('esbuild cli/panorama-local.ts cli/panorama-emulator.ts --platform=node --format=cjs --target=node20 --outdir=assets/cli --log-level=warning');
project.addBins({ 'panorama-local': 'assets/cli/panorama-local.js', 'panorama-emulator': 'assets/cli/panorama-emulator.js' });

// The package holds what its users run, and nothing else: the compiled library and its typings,
// the bundles, the jsii assembly and the docs (npm adds package.json, README.md and LICENSE).
// No tests, benchmarks, examples, CI scripts, and no TypeScript source but .d.ts.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', 'assets/**', '.jsii', 'API.md']);

// ts-jest transpiles file by file, so type errors in tests and tool folders need their own check.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests and the tool folders (emulator, local runner, examples, benchmarks)',
  steps: ['test', ...TOOL_DIRS].map((dir) => ({ exec: `tsc --noEmit -p ${dir}/tsconfig.json` })),
});
project.testTask.prependSpawn(typecheck);

// The README's main job: the example application through create, update and delete, locally.
project.addTask('demo', {
  description: 'Deploy, update and destroy the example app against the local Panorama and S3 emulators',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node examples/demo.ts' }],
});
project.addTask('emulator', {
  description: 'Serve the local Panorama emulator (and an S3 emulator) until stopped',
  exec: 'ts-node emulator/cli.ts',
  receiveArgs: true,
});
// Issue #6: `npm run bench` writes BENCHMARKS.md. Not part of `npm test`: it takes minutes and its
// figures depend on the machine. It loads the shipped handler bundles, so it bundles first.
project.addTask('bench', {
  description: 'Measure synth, staging, the handlers and local deploys; writes BENCHMARKS.md',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node benchmarks/run.ts' }],
});

// ---- Issue #5: every jsii language, the README's examples and the integration snapshots ----
// jsii fails on any warning. Reserved words are not silenced: they become `lambda_`-style names
// in the other languages.
project.compileTask.reset('jsii --fail-on-warnings');

// Python, Java, .NET and Go bindings, code only (offline), into a scratch folder; then the
// generated Python must byte-compile.
const LANGUAGES_DIR = '.jsii-languages';
const languagesTask = project.addTask('test:languages', {
  description: 'Generate the Python, Java, .NET and Go bindings (code only) and byte-compile the Python',
  steps: [
    { exec: `rm -rf ${LANGUAGES_DIR}` },
    { exec: `jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir ${LANGUAGES_DIR}` },
    { exec: `find ${LANGUAGES_DIR}/python -name '*.py' | grep -q .` },
    { exec: `find ${LANGUAGES_DIR}/python -name '*.py' -print0 | xargs -0 python3 -m py_compile` },
  ],
});
project.gitignore.exclude(`/${LANGUAGES_DIR}/`, '.jsii.tabl.json');
project.addPackageIgnore(`/${LANGUAGES_DIR}/`);

// The README's TypeScript examples must compile (fixture: rosetta/default.ts-fixture).
project.package.addField('jsiiRosetta', { strict: true });
const rosettaTask = project.addTask('test:rosetta', {
  description: "Compile the README's TypeScript examples with jsii-rosetta; fails on any error",
  exec: 'jsii-rosetta extract --strict',
});
project.addPackageIgnore('/rosetta/');

// Integration tests (test/integ.*.ts) against their committed snapshots, offline: dummy
// credentials so nothing waits on (or reaches) AWS. Deploying one for real is
// `npx integ-runner --language typescript --directory test --update-on-failed` with real credentials.
const INTEG_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'dummy',
  AWS_SECRET_ACCESS_KEY: 'dummy',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const integTask = project.addTask('integ', {
  description: 'Compare the integration tests (test/integ.*.ts) with their committed snapshots, offline',
  env: INTEG_ENV,
  exec: 'integ-runner --language typescript --directory test',
  receiveArgs: true,
});
project.addTask('integ:update', {
  description: 'Rewrite the snapshots of changed integration tests without deploying them',
  env: INTEG_ENV,
  exec: 'integ-runner --language typescript --directory test --update-on-failed --dry-run',
  receiveArgs: true,
});
project.gitattributes.addAttributes('/test/*.snapshot/**', 'linguist-generated');

// npm test: bundle, compile, docgen, README examples, other languages, jest, integ, eslint.
const afterDocgen = project.testTask.steps.findIndex((step) => step.spawn === 'docgen') + 1;
project.testTask.insertStep(afterDocgen, { spawn: rosettaTask.name }, { spawn: languagesTask.name });
const jestStep = project.testTask.steps.findIndex((step) => step.exec?.startsWith('jest') || step.execArgs?.[0] === 'jest');
project.testTask.insertStep(jestStep + 1, { spawn: integTask.name });

// ---- Issue #9: the Panorama schemas, written once as data (src/rules/schema/*.schema.json) ----
// Compiled with Ajv at build time into src/rules/schema/validators.generated.ts, self-contained (the ajv
// runtime helpers it needs are bundled in), so synth, the handlers and the emulator carry no schema
// compiler. Generated, not committed: it runs before anything compiles, bundles or type-checks src/.
const GENERATED_VALIDATORS = 'src/rules/schema/validators.generated.ts';
const schemasTask = project.addTask('schemas', {
  description: 'Compile the JSON Schemas in src/rules/schema/ into self-contained validators (Ajv standalone)',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/compile-schemas.ts',
});
project.gitignore.exclude(`/${GENERATED_VALIDATORS}`);
project.tasks.tryFind('bundle')!.prependSpawn(schemasTask);
project.compileTask.prependSpawn(schemasTask);
project.testTask.prependSpawn(schemasTask);

project.synth();
