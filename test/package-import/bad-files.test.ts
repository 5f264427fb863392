/**
 * Bad files and bad props get one clear line: the file or field, the value as written, and the
 * rule. Special files are refused before they are opened for reading (nothing hangs), sizes are
 * checked before reading, nesting is bounded, a file's text never becomes a CDK token, symlinks are
 * followed, `aws:` tag keys are refused, lengths are counted in code points.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inspect } from 'util';
import { PackageSource, PanoramaApplication, PanoramaPackageImport } from '../../src';
import { cameraCodeDisplayProject, parametersProject, SAMPLE_ACCOUNT, writeApplication } from '../support/application-fixture';
import { instanceProperties, resolvedPayloadText, synthApplication } from '../support/application-template';
import { fixtureFolder, modelPackage, removeFixtures, writeModelPackage, writePackageFixture } from '../support/package-fixture';
import { newStack, TEST_ENV } from '../support/stacks';

afterAll(removeFixtures);

const CODE_FOLDER = `${SAMPLE_ACCOUNT}-COUNTER_CODE-1.0`;

function project() {
  return writeApplication(cameraCodeDisplayProject());
}

/** The message a synth of the project throws (fails the test when it does not throw). */
function synthError(fixture: ReturnType<typeof project>, props: Record<string, unknown> = {}): string {
  try {
    synthApplication(fixture, props as any);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

function replaceWithFifo(file: string): void {
  fs.rmSync(file);
  execFileSync('mkfifo', [file]);
}

/** Arrays nested `depth` levels deep. */
function deepArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('special files are refused before they are read', () => {
  test('a FIFO as graph.json is refused, naming it, instead of waiting for a writer', () => {
    // GIVEN a project whose graph.json is a named pipe
    const fixture = project();
    replaceWithFifo(fixture.graphPath);
    // WHEN synthesized / THEN one line names the file, what it is and the rule
    expect(synthError(fixture)).toBe(`${fixture.graphPath}: a FIFO (named pipe) must be a regular file: it is an application manifest (graph.json)`);
  });

  test('a FIFO as the overrides file is refused, naming it', () => {
    // GIVEN an overrides file that is a named pipe
    const fixture = project();
    const overrides = path.join(fixture.projectDir, 'override.json');
    execFileSync('mkfifo', [overrides]);
    // WHEN synthesized with it / THEN it is named as a FIFO
    expect(synthError(fixture, { overridesFile: 'override.json' })).toMatch(/override\.json: a FIFO \(named pipe\) must be a regular file/);
  });

  test('a directory as graph.json is named a directory, not missing', () => {
    // GIVEN graph.json that is a folder
    const fixture = project();
    fs.rmSync(fixture.graphPath);
    fs.mkdirSync(fixture.graphPath);
    // THEN it is called a directory
    expect(synthError(fixture)).toBe(`${fixture.graphPath}: a directory must be a regular file: it is an application manifest (graph.json)`);
  });

  test('a graph.json over 1 MiB is refused by its size, without being read', () => {
    // GIVEN a sparse 1 GiB graph.json (no byte of it on disk)
    const fixture = project();
    fs.truncateSync(fixture.graphPath, 1024 ** 3);
    // THEN its size is the message
    expect(synthError(fixture)).toBe(`${fixture.graphPath}: 1073741824 bytes must be at most 1048576 bytes: an application manifest (graph.json) is a small JSON document`);
  });
});

describe('text encodings', () => {
  test('a graph.json with a UTF-8 byte order mark is named as such', () => {
    // GIVEN graph.json saved as "UTF-8 with BOM"
    const fixture = project();
    fs.writeFileSync(fixture.graphPath, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(fixture.graphPath)]));
    // THEN the BOM is named
    expect(synthError(fixture)).toMatch(/graph\.json: UTF-8 with a byte order mark \(BOM\) must be UTF-8 text without a byte order mark/);
  });

  test('a UTF-16 graph.json is named as such', () => {
    // GIVEN graph.json saved as UTF-16 (with its BOM, as editors write it)
    const fixture = project();
    fs.writeFileSync(fixture.graphPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(fixture.graphPath, 'utf-8'), 'utf16le')]));
    // THEN it is named UTF-16
    expect(synthError(fixture)).toMatch(/graph\.json: UTF-16 text \(it starts with a UTF-16 byte order mark\) must be UTF-8 text/);
  });
});

describe('nesting', () => {
  test('arrays nested 6,000 levels in graph.json: one line naming the depth limit, no stack overflow', () => {
    // GIVEN a graph whose node value is nested 6,000 levels deep
    const fixture = project();
    const text = fs.readFileSync(fixture.graphPath, 'utf-8').replace('"value": 60', `"value": ${deepArrays(6000)}`);
    fs.writeFileSync(fixture.graphPath, text);
    // THEN the field where it goes too deep is named with the limit
    expect(synthError(fixture)).toMatch(/graph\.json nodeGraph\.nodes\[4\]\.value(\[0\])+: nested more than 64 levels deep must be nested at most 64 levels deep/);
  });

  test('arrays nested 6,000 levels in a package manifest are refused the same way', () => {
    // GIVEN a manifest with a deeply nested description
    const { manifest, files } = modelPackage();
    const text = JSON.stringify(manifest).replace('"description":"Compact classification model"', `"description":${deepArrays(6000)}`);
    const fixture = writePackageFixture({ manifest: text, files });
    // WHEN imported / THEN refused with the limit
    expect(() => new PanoramaPackageImport(newStack(), 'M', { source: PackageSource.fromDirectory(fixture.packageDir) }))
      .toThrow(/package\.json nodePackage\.description(\[0\])+: nested more than 64 levels deep/);
  });

  test('an overrides file nested 6,000 levels is refused the same way', () => {
    // GIVEN an overrides file that is one deep array
    const fixture = project();
    fs.writeFileSync(path.join(fixture.projectDir, 'override.json'), deepArrays(6000));
    // THEN refused with the limit
    expect(synthError(fixture, { overridesFile: 'override.json' })).toMatch(/override\.json (\[0\])+: nested more than 64 levels deep/);
  });
});

describe('numbers', () => {
  test('1e400 is shown as written, not as null', () => {
    // GIVEN a parameter value no 64-bit float holds
    const fixture = project();
    fs.writeFileSync(fixture.graphPath, fs.readFileSync(fixture.graphPath, 'utf-8').replace('"value": 60', '"value": 1e400'));
    // THEN the value is shown as the file writes it
    expect(synthError(fixture)).toBe(`${fixture.graphPath} nodeGraph.nodes[4].value: 1e400 must be a number a 64-bit float can hold (at most about 1.8e308 in size): JSON readers take it as Infinity`);
  });
});

describe('a file\'s text never becomes a CDK token', () => {
  /** A project whose string parameter holds `text`. */
  function projectWithString(text: string) {
    const shape = parametersProject();
    const nodes = (shape.graph.nodeGraph as any).nodes;
    nodes.find((n: any) => n.interface === 'string').value = text;
    return writeApplication(shape);
  }

  test('a parameter value with a live token\'s marker is deployed as that text', () => {
    // GIVEN a value written like the region's token (as the issue found it deployed as {"Ref":"AWS::Region"})
    const fixture = projectWithString('region=${Token[AWS.Region.8]}');
    // WHEN synthesized
    const { template } = synthApplication(fixture);
    // THEN the payload holds the text, and no reference to the region
    expect(JSON.stringify(instanceProperties(template).ManifestPayload)).not.toContain('AWS::Region');
    expect(JSON.parse(resolvedPayloadText(template, TEST_ENV.account)).nodeGraph.nodes.find((n: any) => n.interface === 'string').value).toBe('region=${Token[AWS.Region.8]}');
  });

  test('text matching no token synthesizes, and deploys as that text', () => {
    // GIVEN a decorator-like value that names no live token
    const fixture = projectWithString('${Token[TOKEN.99999]} and #{codepipeline.x}');
    // WHEN synthesized / THEN no resolution error, and the text is kept
    const { template } = synthApplication(fixture);
    expect(JSON.parse(resolvedPayloadText(template, TEST_ENV.account)).nodeGraph.nodes.find((n: any) => n.interface === 'string').value)
      .toBe('${Token[TOKEN.99999]} and #{codepipeline.x}');
  });

  test('an overrides file\'s text stays text too', () => {
    // GIVEN an overrides file whose key holds a token marker
    const fixture = project();
    fs.writeFileSync(path.join(fixture.projectDir, 'override.json'), JSON.stringify({
      nodeGraphOverrides: { 'envelopeVersion': '2021-01-01', 'packages': [], 'nodes': [], 'nodeOverrides': [], '${Token[AWS.AccountId.4]}': 1 },
    }));
    // WHEN synthesized (the schema refuses the key; the message shows the text, not an account)
    expect(synthError(fixture, { overridesFile: 'override.json' })).toContain('${Token[AWS.AccountId.4]}');
  });
});

describe('symlinks are followed', () => {
  test('a package folder that is a symlink inside the project is found', () => {
    // GIVEN the code package's folder moved aside and linked back under packages/
    const fixture = project();
    const real = path.join(fixture.projectDir, 'real-code-package');
    fs.renameSync(fixture.packageDir(CODE_FOLDER), real);
    fs.symlinkSync(real, fixture.packageDir(CODE_FOLDER));
    // WHEN synthesized / THEN both packages are imported
    expect(synthApplication(fixture).application.packageNames).toEqual(['COUNTER_CODE', 'COUNTER_MODEL']);
  });

  test('a graph folder that is a symlink is found', () => {
    // GIVEN graphs/lobby_app linked to a folder elsewhere
    const fixture = project();
    const graphDir = path.dirname(fixture.graphPath);
    const real = path.join(fixtureFolder('graph-'), 'lobby_app');
    fs.renameSync(graphDir, real);
    fs.symlinkSync(real, graphDir);
    // WHEN synthesized / THEN the graph is deployed
    expect(synthApplication(fixture).application.graphName).toBe('lobby_app');
  });
});

describe('props', () => {
  test('a tag key starting aws: is refused', () => {
    // GIVEN a reserved tag key / THEN refused with the reason
    expect(synthError(project(), { tags: { 'aws:x': 'v' } })).toBe('tags key: "aws:x" must not start with "aws:": AWS reserves the prefix for its own tags');
  });

  test('a package import\'s tag key starting AWS: (any case) is refused', () => {
    // GIVEN an import tagged AWS:team / THEN refused
    expect(() => new PanoramaPackageImport(newStack(), 'M', { source: PackageSource.fromDirectory(writeModelPackage().packageDir), tags: { 'AWS:team': 'a' } }))
      .toThrow('tags key: "AWS:team" must not start with "aws:"');
  });

  test('a description of 200 emoji is accepted: lengths are code points', () => {
    // GIVEN 200 emoji (400 UTF-16 units) / THEN the instance is created with it
    const { template } = synthApplication(project(), { description: '🙂'.repeat(200) });
    expect(instanceProperties(template).Description).toBe('🙂'.repeat(200));
  });

  test('a description of 256 emoji is refused as 256 characters, and the message cuts no emoji in half', () => {
    // GIVEN 256 emoji
    const message = synthError(project(), { description: '🙂'.repeat(256) });
    // THEN counted in code points, and every surrogate in the message is paired
    expect(message).toMatch(/must be at most 255 characters long \(it has 256\)$/);
    expect(message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  test('projectDirectory "" is refused as empty, not taken as the current folder', () => {
    expect(synthError(project(), { projectDirectory: '' })).toBe('projectDirectory: "" must not be empty: it names the panorama-cli project (use "." for the current folder)');
  });

  test('a long path is shown with its file name', () => {
    // GIVEN a project folder path of 200 characters that does not exist
    const missing = `/tmp/${'x'.repeat(190)}/project-name`;
    // THEN the message keeps its end
    expect(synthError(project(), { projectDirectory: missing })).toMatch(/^projectDirectory: "\/tmp\/x+…x+\/project-name" \(\d+ characters\) must be an existing folder/);
  });

  test('a package folder whose account is not 12 digits is refused stating the rule', () => {
    // GIVEN the code package's folder named with a 5-digit account
    const fixture = project();
    fs.renameSync(fixture.packageDir(CODE_FOLDER), path.join(fixture.projectDir, 'packages', '12345-COUNTER_CODE-1.0'));
    // THEN the message states the 12-digit rule
    expect(synthError(fixture)).toMatch(/12345-COUNTER_CODE-1\.0 has an account of 5 digits \(12345\): panorama-cli names package folders <12-digit account id>-<name>-<version>/);
  });
});

describe('props of the wrong type (from JavaScript)', () => {
  test('a missing projectDirectory is named, not a Node.js TypeError', () => {
    // GIVEN props without projectDirectory / THEN the prop is named
    expect(() => new PanoramaApplication(newStack(), 'App', { device: 'd' } as any)).toThrow('projectDirectory: undefined must be a string: the prop is required');
  });

  test('tags: null is named', () => {
    expect(() => new PanoramaApplication(newStack(), 'App', { projectDirectory: project().projectDir, device: 'd', tags: null } as any))
      .toThrow('tags: null must be an object whose values are strings, or left out');
  });

  test('no props at all is named', () => {
    expect(() => new PanoramaPackageImport(newStack(), 'M', undefined as any)).toThrow('PanoramaPackageImport props: undefined must be an object');
  });

  test('PackageSource.fromDirectory without a folder is named', () => {
    expect(() => PackageSource.fromDirectory(undefined as any)).toThrow('directory: undefined must be a string: the prop is required');
  });
});

test('a project whose text holds no marker deploys its graph as written', () => {
  // GIVEN an ordinary project / THEN its payload is the graph's JSON (pins aside)
  const fixture = project();
  const { template } = synthApplication(fixture);
  const payload = JSON.parse(resolvedPayloadText(template, TEST_ENV.account));
  const graph = JSON.parse(fs.readFileSync(fixture.graphPath, 'utf-8'));
  expect(payload.nodeGraph.nodes[4]).toEqual(graph.nodeGraph.nodes[4]);
});

describe('what a synth failure shows', () => {
  const saved = process.env.CDK_DEBUG;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_DEBUG;
    else process.env.CDK_DEBUG = saved;
  });

  /** The error a missing projectDirectory throws. */
  function refusal(): Error {
    try {
      new PanoramaApplication(newStack(), 'App', { projectDirectory: '/nonexistent/project', device: 'd' });
    } catch (e) {
      return e as Error;
    }
    throw new Error('synth did not fail');
  }

  test('a refusal carries its message only, not a trace into the library\'s files', () => {
    // GIVEN no CDK_DEBUG / WHEN a prop is refused / THEN the stack is the name and the message
    delete process.env.CDK_DEBUG;
    const error = refusal();
    expect(error.stack).toBe(`PanoramaValidationError: ${error.message}`);
  });

  test('printed as Node prints an uncaught error, the message is the last line, with no object dump after it', () => {
    // GIVEN no CDK_DEBUG / WHEN the refusal is inspected as Node prints it
    delete process.env.CDK_DEBUG;
    const error = refusal();
    const printed = inspect(error);
    // THEN its last line is the message's, and the problems are not dumped again
    expect(printed.endsWith(`${error.message}]`)).toBe(true);
    expect(printed).not.toContain('ValidationProblem {');
  });

  test('CDK_DEBUG=1 brings the trace back', () => {
    // GIVEN CDK_DEBUG=1 / THEN the stack has frames
    process.env.CDK_DEBUG = '1';
    expect(refusal().stack).toMatch(/\n\s+at /);
  });
});
