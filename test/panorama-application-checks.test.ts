/**
 * What PanoramaApplication refuses at synth, where panorama-cli and the console check nothing and the
 * service answers only at deploy time. Every message names the node, edge, package, file or prop,
 * shows the bad value and states the rule.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PanoramaApplication, PanoramaApplicationProps } from '../src';
import {
  CAMERA, cameraCodeDisplayProject, codePackage, DISPLAY, inboundNetworkProject, listed, parametersProject, SAMPLE_ACCOUNT,
  singleCodeNodeProject, twoCameraOverrides, writeApplication,
} from './support/application-fixture';
import { resolvedPayload, resolvedPayloadText, synthApplication } from './support/application-template';
import { removeFixtures } from './support/package-fixture';
import { PackageShape, unbuiltPackage } from './support/real-shapes';
import { MAX_PAYLOAD_CHARACTERS } from '../src/rules/graph';

afterAll(removeFixtures);

type Project = { packages: PackageShape[]; graph: any; files?: Record<string, any> };

/** The camera -> code -> display project with one change to its graph. */
function cameraProjectWith(edit: (graph: any, project: Project) => void): Project {
  const project = cameraCodeDisplayProject() as Project;
  edit(project.graph.nodeGraph, project);
  return project;
}

function synthOf(project: Project, props: Partial<PanoramaApplicationProps> = {}): () => void {
  const fixture = writeApplication(project);
  return () => synthApplication(fixture, props);
}

const node = (graph: any, name: string) => graph.nodes.find((n: any) => n.name === name);
const GRAPH = /\/graphs\/lobby_app\/graph\.json/.source;

describe('the graph against its schema', () => {
  test.each<[string, (graph: any, project: Project) => void, RegExp]>([
    ['no nodes', (g) => { delete g.nodes; }, new RegExp(`${GRAPH} nodeGraph\\.nodes: missing must be given: the schema requires it`)],
    ['a package version that is not major.minor', (g) => { g.packages[0].version = '1'; }, new RegExp(`${GRAPH} nodeGraph\\.packages\\[0\\]\\.version: "1" must match`)],
    ['a node name with a space', (g) => { node(g, 'code_node').name = 'code node'; }, /nodeGraph\.nodes\[0\]\.name: "code node" must match/],
    ['an empty decorator description', (g) => { node(g, 'camera_node').decorator.description = ''; }, /nodeGraph\.nodes\[3\]\.decorator\.description: "" must not be empty/],
    ['an unknown launch mode', (g) => { node(g, 'camera_node').launch = 'always'; }, /nodeGraph\.nodes\[3\]\.launch: "always" must be one of onDemand, onAppStart, onSignal/],
  ])('%s is refused', (_what, edit, message) => {
    // GIVEN a graph broken so / WHEN synthesized / THEN the schema's rule, with the field and value
    expect(synthOf(cameraProjectWith(edit))).toThrow(message);
  });

  test('a graph.json that is not JSON is refused', () => {
    // GIVEN a truncated graph.json
    const project = { ...singleCodeNodeProject(), graph: '{"nodeGraph": {"envelopeVersion": ' };
    // WHEN synthesized / THEN it says the file is not JSON
    expect(synthOf(project as any)).toThrow(new RegExp(`${GRAPH}: its content must be valid JSON: an application manifest \\(graph\\.json\\) is a JSON document`));
  });
});

describe('packages', () => {
  test('a package neither in the project nor AWS\'s is refused by name, listing the folders there are', () => {
    // GIVEN a graph that lists a package with no folder in the project
    const project = cameraProjectWith((g) => { g.packages.push(listed('COUNTER_TRACKER')); });
    // WHEN synthesized / THEN it names the package, the folder it looked for and the folders there are
    expect(synthOf(project)).toThrow(new RegExp(`${GRAPH} nodeGraph\\.packages\\[4\\]\\.name: "${SAMPLE_ACCOUNT}::COUNTER_TRACKER" must be one of AWS's packages \\(panorama::…\\) `
      + `or a package of the project, a folder .*/packages/<12-digit account>-COUNTER_TRACKER-1\\.0, but there is no such folder \\(packages/ holds: ${SAMPLE_ACCOUNT}-COUNTER_CODE-1\\.0, ${SAMPLE_ACCOUNT}-COUNTER_MODEL-1\\.0\\)`));
  });

  test('a package whose folder has another version is refused', () => {
    // GIVEN a graph that asks for version 2.0 of a package the project has as 1.0
    const project = cameraProjectWith((g) => { g.packages[1].version = '2.0'; });
    // WHEN synthesized / THEN it names the package and the version it looked for
    expect(synthOf(project)).toThrow(/packages\[1\]\.name: "210987654321::COUNTER_MODEL" must be one of AWS's packages .* a folder .*<12-digit account>-COUNTER_MODEL-2\.0, but there is no such folder/);
  });

  test('two folders of one package, in different accounts, are ambiguous', () => {
    // GIVEN the project with a second folder of its code package under another account
    const project = cameraProjectWith((_g, p) => { p.packages.push({ ...codePackage('COUNTER_CODE', { account: '123456789012', revision: 'copy' }) }); });
    // WHEN synthesized / THEN both folders are named
    expect(synthOf(project)).toThrow(/packages\[0\]\.name: "210987654321::COUNTER_CODE" must match one package folder, but several in .*packages are package COUNTER_CODE version 1\.0: 123456789012-COUNTER_CODE-1\.0, 210987654321-COUNTER_CODE-1\.0/);
  });

  test('a package listed twice is refused', () => {
    // GIVEN a graph listing the model package twice
    const project = cameraProjectWith((g) => { g.packages.push(listed('COUNTER_MODEL')); });
    // WHEN synthesized / THEN the second entry is named
    expect(synthOf(project)).toThrow(/nodeGraph\.packages\[4\]\.name: "210987654321::COUNTER_MODEL" must be listed once, but packages\[1\] lists it too/);
  });

  test('one project package listed under two accounts is refused: both would be this stack\'s', () => {
    // GIVEN a graph listing the model package under a second account
    const project = cameraProjectWith((g) => { g.packages.push(listed('123456789012::COUNTER_MODEL')); });
    // WHEN synthesized / THEN it says both would be imported as one
    expect(synthOf(project)).toThrow(/packages\[4\]\.name: "123456789012::COUNTER_MODEL" must be listed once, but packages\[1\] \(210987654321::COUNTER_MODEL 1\.0\) is package COUNTER_MODEL too, and both would be imported as <this stack's account>::COUNTER_MODEL/);
  });

  test('a folder whose manifest has another version than its name is refused: the graph would name a version never registered', () => {
    // GIVEN the model package's folder says 1.0 but its manifest 1.1
    const project = cameraProjectWith((_g, p) => { (p.packages[1].manifest as any).nodePackage.version = '1.1'; });
    // WHEN synthesized / THEN the manifest's version is named, with the version the graph expects
    expect(synthOf(project)).toThrow(/210987654321-COUNTER_MODEL-1\.0\/package\.json nodePackage\.version: "1\.1" must be 1\.0, the version in the folder's name and in .*graph\.json packages\[1\]/);
  });

  test('a folder of version 2.0 whose manifest gives no version (so 1.0) is refused, saying so', () => {
    // GIVEN the graph and the model's folder at 2.0, and a manifest without a version
    const project = cameraProjectWith((g, p) => {
      g.packages[1].version = '2.0';
      const model = p.packages[1] as any;
      delete model.manifest.nodePackage.version;
      p.packages[1] = { ...model, folderName: model.folderName.replace('-1.0', '-2.0') };
    });
    // WHEN synthesized / THEN the missing version is named, with the version it is read as
    expect(synthOf(project)).toThrow(/COUNTER_MODEL-2\.0\/package\.json nodePackage\.version: missing \(so 1\.0, as panorama-cli reads it\) must be 2\.0/);
  });

  test('a project package that is not built is refused by its import, naming the asset to build', () => {
    // GIVEN a graph using a code package kept unbuilt, as in source control
    const unbuilt = unbuiltPackage('code');
    const project = {
      packages: [unbuilt],
      graph: { nodeGraph: { envelopeVersion: '2021-01-01', packages: [{ name: '210987654321::COUNTER_CODE', version: '1.0' }], nodes: [{ name: 'code_node', interface: '210987654321::COUNTER_CODE.interface' }] } },
    };
    // WHEN synthesized / THEN the import's own check names the missing asset and the command that builds it
    expect(synthOf(project)).toThrow(/nodePackage\.interfaces\[0\]\.asset: "code_asset" must name an asset in nodePackage\.assets, which is empty: the package is unbuilt .*panorama-cli build-container/);
  });
});

describe('nodes and interfaces', () => {
  test('a node whose package is not listed is refused, listing the packages', () => {
    // GIVEN a node of a package missing from packages[]
    const project = cameraProjectWith((g) => { g.nodes.push({ name: 'tracker', interface: `${SAMPLE_ACCOUNT}::TRACKER.interface` }); });
    // WHEN synthesized / THEN node, package and the listed packages are named
    expect(synthOf(project)).toThrow(/nodeGraph\.nodes\[5\]\.interface: "210987654321::TRACKER\.interface" must name a package listed in nodeGraph\.packages, but node tracker's package 210987654321::TRACKER is not listed \(listed: 210987654321::COUNTER_CODE, 210987654321::COUNTER_MODEL, panorama::hdmi_data_sink, panorama::abstract_rtsp_media_source\)/);
  });

  test('a node naming an interface its project package does not declare is refused, listing the manifest\'s interfaces', () => {
    // GIVEN the model node naming interface "detector" while the manifest declares "interface"
    const project = cameraProjectWith((g) => { node(g, 'model_node').interface = `${SAMPLE_ACCOUNT}::COUNTER_MODEL.detector`; });
    // WHEN synthesized / THEN the node, the interface and the manifest's interfaces are named
    expect(synthOf(project)).toThrow(/nodeGraph\.nodes\[1\]\.interface: "210987654321::COUNTER_MODEL\.detector" must name an interface of package 210987654321::COUNTER_MODEL, but node model_node's interface detector is not one of them \(the manifest .*210987654321-COUNTER_MODEL-1\.0\/package\.json offers: interface\)/);
  });

  test.each([
    ['the display', 'output_node', `${DISPLAY}.hdmi1`, /nodeGraph\.nodes\[2\]\.interface: "panorama::hdmi_data_sink\.hdmi1" must name an interface of package panorama::hdmi_data_sink, but node output_node's interface hdmi1 is not one of them \(AWS's package panorama::hdmi_data_sink 1\.0, as AWS's published samples use it offers: hdmi0\)/],
    ['the abstract camera', 'camera_node', `${CAMERA}.rtsp_v2_interface`, /nodeGraph\.nodes\[3\]\.interface: "panorama::abstract_rtsp_media_source\.rtsp_v2_interface" must name an interface of package panorama::abstract_rtsp_media_source, .* offers: rtsp_v1_interface\)/],
  ])('an interface of %s that its samples never use is refused', (_what, name, itf, message) => {
    // GIVEN AWS's package node naming another interface / WHEN synthesized / THEN refused with what the package offers
    expect(synthOf(cameraProjectWith((g) => { node(g, name).interface = itf; }))).toThrow(message);
  });

  test('AWS\'s packages whose interfaces nobody published are refused nothing', () => {
    // GIVEN a node of another AWS package, with an edge to a port nobody knows of
    const project = cameraProjectWith((g) => {
      g.packages.push({ name: 'panorama::kinesis_video_sink', version: '2.1' });
      g.nodes.push({ name: 'kvs', interface: 'panorama::kinesis_video_sink.kvs_interface' });
      g.edges.push({ producer: 'code_node.video_out', consumer: 'kvs.anything_in' });
    });
    // WHEN synthesized / THEN accepted, and left in the payload as written
    const { template } = synthApplication(writeApplication(project));
    expect(resolvedPayloadText(template, '111111111111')).toContain('"interface":"panorama::kinesis_video_sink.kvs_interface"');
  });

  test('two nodes of one name are refused: edges name nodes by name', () => {
    // GIVEN a second node named code_node
    const project = cameraProjectWith((g) => { g.nodes.push({ name: 'code_node', interface: 'string', value: 'x' }); });
    // WHEN synthesized / THEN both positions are named
    expect(synthOf(project)).toThrow(/nodeGraph\.nodes\[5\]\.name: "code_node" must be unique, but nodes\[0\] has it too/);
  });
});

describe('edges', () => {
  test.each<[string, (graph: any) => void, RegExp]>([
    ['a consumer node that does not exist', (g) => { g.edges[0].consumer = 'counter_node.video_in'; },
      /nodeGraph\.edges\[0\]\.consumer: "counter_node\.video_in" must name an existing node, but no node is named counter_node \(nodes: code_node, model_node, output_node, camera_node, detection_threshold\)/],
    ['a producer node that does not exist', (g) => { g.edges[2].producer = 'threshold'; },
      /nodeGraph\.edges\[2\]\.producer: "threshold" must name an existing node, but no node is named threshold/],
    ['an input port the code\'s manifest does not declare', (g) => { g.edges[2].consumer = 'code_node.min_confidence'; },
      /nodeGraph\.edges\[2\]\.consumer: "code_node\.min_confidence" must name an input port of node code_node's interface 210987654321::COUNTER_CODE\.interface, but it has no input min_confidence \(its inputs: video_in \(media\), threshold \(float32\)\)/],
    ['an output port the code\'s manifest does not declare', (g) => { g.edges[1].producer = 'code_node.annotated_out'; },
      /nodeGraph\.edges\[1\]\.producer: "code_node\.annotated_out" must name an output port of node code_node's interface .*, but it has no output annotated_out \(its outputs: video_out \(media\)\)/],
    ['an output the abstract camera does not have', (g) => { g.edges[0].producer = 'camera_node.audio_out'; },
      /nodeGraph\.edges\[0\]\.producer: "camera_node\.audio_out" must name an output port of node camera_node's interface panorama::abstract_rtsp_media_source\.rtsp_v1_interface, but it has no output audio_out \(its outputs: video_out \(media\)\)/],
    ['an input the display does not have', (g) => { g.edges[1].consumer = 'output_node.video'; },
      /nodeGraph\.edges\[1\]\.consumer: "output_node\.video" must name an input port of node output_node's interface panorama::hdmi_data_sink\.hdmi0, but it has no input video \(its inputs: video_in \(media\)\)/],
    ['an input taken from an output (direction)', (g) => { g.edges[1].producer = 'code_node.video_in'; },
      /nodeGraph\.edges\[1\]\.producer: "code_node\.video_in" must name an output port .* but it has no output video_in \(its outputs: video_out \(media\)\)/],
    ['ports of different types', (g) => { g.edges[0].consumer = 'code_node.threshold'; },
      /nodeGraph\.edges\[0\]: "camera_node\.video_out -> code_node\.threshold" must connect ports of one type, but camera_node\.video_out produces media and code_node\.threshold takes float32/],
    ['a parameter of another type than its input', (g) => { node(g, 'detection_threshold').interface = 'int32'; node(g, 'detection_threshold').value = 60; },
      /nodeGraph\.edges\[2\]: "detection_threshold -> code_node\.threshold" must connect ports of one type, but detection_threshold produces int32 and code_node\.threshold takes float32/],
    ['a parameter named with a port', (g) => { g.edges[2].producer = 'detection_threshold.value'; },
      /nodeGraph\.edges\[2\]\.producer: "detection_threshold\.value" must be the parameter node's name alone \(detection_threshold\): a parameter node produces its value, it has no ports/],
    ['a parameter as consumer', (g) => { g.edges.push({ producer: 'code_node.video_out', consumer: 'detection_threshold.value' }); },
      /nodeGraph\.edges\[3\]\.consumer: "detection_threshold\.value" must name a package node's input port, but detection_threshold is a float32 parameter node, which has no inputs/],
    ['a consumer named without a port', (g) => { g.edges[1].consumer = 'output_node'; },
      /nodeGraph\.edges\[1\]\.consumer: "output_node" must name one of node output_node's input ports as output_node\.<port>/],
    ['a package node named without a port', (g) => { g.edges[0].producer = 'camera_node'; },
      /nodeGraph\.edges\[0\]\.producer: "camera_node" must name one of node camera_node's output ports as camera_node\.<port>: only a parameter node is named alone/],
  ])('%s is refused', (_what, edit, message) => {
    // GIVEN the camera project with one edge broken so / WHEN synthesized / THEN refused, naming the edge end, value and rule
    expect(synthOf(cameraProjectWith(edit))).toThrow(message);
  });

  test('every problem the graph alone shows is reported at once, before any package folder is read', () => {
    // GIVEN a graph with three broken edges, and a model package folder that is broken too
    const project = cameraProjectWith((g, p) => {
      g.edges[0].consumer = 'nobody.video_in';
      g.edges[1].consumer = 'output_node.video';
      g.edges[2].producer = 'detection_threshold.value';
      (p.packages[1].manifest as any).nodePackage.interfaces = 'not a list';
    });
    // WHEN synthesized / THEN the error lists the three edges, and not yet the package
    const synth = synthOf(project);
    expect(synth).toThrow(/edges\[0\]\.consumer.*\n.*edges\[1\]\.consumer.*\n.*edges\[2\]\.producer: "detection_threshold\.value" must be the parameter node's name alone/);
    expect(synth).not.toThrow(/package\.json/);
  });

  test('what needs the packages\' manifests is reported together, once the folders are read', () => {
    // GIVEN a graph whose edges misuse two ports of the code package's manifest
    const project = cameraProjectWith((g) => {
      g.edges[0].consumer = 'code_node.threshold';
      g.edges[2].consumer = 'code_node.min_confidence';
    });
    // WHEN synthesized / THEN both are listed
    expect(synthOf(project)).toThrow(/edges\[0\]: "camera_node\.video_out -> code_node\.threshold" must connect ports of one type.*\n.*edges\[2\]\.consumer: "code_node\.min_confidence" must name an input port/);
  });
});

describe('parameter values', () => {
  /** The parameters project with one parameter's value replaced. */
  const withValue = (name: string, value: unknown) => {
    const project = parametersProject() as Project;
    node(project.graph.nodeGraph, name).value = value;
    return project;
  };

  test.each<[string, string, unknown, RegExp]>([
    ['int32 above 2^31-1', 'target_fps', 2 ** 31, /nodeGraph\.nodes\[2\]\.value: 2147483648 must be from -2147483648 to 2147483647: the node is an int32 parameter \(node target_fps\)/],
    ['int32 below -2^31', 'target_fps', -(2 ** 31) - 1, /nodeGraph\.nodes\[2\]\.value: -2147483649 must be from -2147483648 to 2147483647/],
    ['int32 with a fraction', 'target_fps', 5.5, /nodeGraph\.nodes\[2\]\.value: 5\.5 must be a whole number/],
    ['int32 as a string', 'target_fps', '5', /nodeGraph\.nodes\[2\]\.value: "5" must be a whole number/],
    ['float32 beyond its range', 'nms', 1e39, /nodeGraph\.nodes\[3\]\.value: 1e\+39 must be from -3\.4028234663852886e\+38 to 3\.4028234663852886e\+38: the node is a float32 parameter \(node nms\)/],
    ['float32 as a string', 'nms', '0.45', /nodeGraph\.nodes\[3\]\.value: "0\.45" must be a number/],
    ['string as a number', 'bucket_name', 42, /nodeGraph\.nodes\[4\]\.value: 42 must be a string/],
    ['boolean as a string', 'draw_boxes', 'true', /nodeGraph\.nodes\[5\]\.value: "true" must be true or false/],
  ])('%s is refused', (_what, name, value, message) => {
    // GIVEN a parameter node with that value / WHEN synthesized / THEN refused, naming the node and the range
    expect(synthOf(withValue(name, value))).toThrow(message);
  });

  test.each<[string, string, unknown]>([
    ['int32 at 2^31-1', 'target_fps', 2 ** 31 - 1],
    ['int32 at -2^31', 'target_fps', -(2 ** 31)],
    ['float32 at its largest', 'nms', 3.4028234663852886e38],
    ['an empty string', 'bucket_name', ''],
    ['false', 'draw_boxes', false],
  ])('%s is accepted', (_what, name, value) => {
    // GIVEN a parameter at the edge of its type / WHEN synthesized / THEN accepted
    expect(synthOf(withValue(name, value))).not.toThrow();
  });
});

describe('the payload\'s size', () => {
  /**
   * The single-code-node project with a string parameter padded by `padding` characters of `fill`;
   * `resolvedLength` is the payload's length as deployed with 64-character patches.
   */
  function padded(padding: number, fill = 'x', env = true) {
    const project = singleCodeNodeProject() as Project;
    project.graph.nodeGraph.nodes.push({ name: 'notes', interface: 'string', value: fill.repeat(padding) });
    const fixture = writeApplication(project);
    const synth = () => synthApplication(fixture, {}, env ? undefined : {});
    const resolvedLength = (template: any) => [...resolvedPayloadText(template, '123456789012', () => 'f'.repeat(64))].length;
    return { synth, resolvedLength };
  }

  /** How long the payload is without padding, as deployed with a 12-digit account and 64-character patches. */
  function baseLength(env: boolean): number {
    const { synth, resolvedLength } = padded(0, 'x', env);
    return resolvedLength(synth().template);
  }

  test.each([['a concrete account', true], ['an environment-agnostic stack', false]])(
    'with %s, a payload of exactly 51,200 characters as deployed (64-character patches) is accepted, one more is refused', (_what, env) => {
      // GIVEN graphs padded to the limit and one past it, as the longest tokens make them
      const room = MAX_PAYLOAD_CHARACTERS - baseLength(env);
      const atLimit = padded(room, 'x', env);
      const overLimit = padded(room + 1, 'x', env);
      // WHEN synthesized
      // THEN the first deploys 51,200 characters; the second is refused with its count and the rule
      expect(atLimit.resolvedLength(atLimit.synth().template)).toBe(MAX_PAYLOAD_CHARACTERS);
      expect(overLimit.synth).toThrow(new RegExp(`${GRAPH}: 51201 characters as compact JSON, with 1 patch version of 64 characters${env ? '' : ' and a 12-digit account'} `
        + 'must be at most 51200 characters: the limit of CreateApplicationInstance\'s ManifestPayload\\.PayloadData'));
    });

  test('characters are counted as the service counts them: code points, not UTF-16 units', () => {
    // GIVEN a payload at the limit in code points, padded with characters outside the BMP (two UTF-16 units each)
    const room = MAX_PAYLOAD_CHARACTERS - baseLength(true);
    const emoji = padded(room, '📷');
    // WHEN synthesized / THEN accepted: 51,200 code points, though more UTF-16 units
    const { template } = emoji.synth();
    expect(emoji.resolvedLength(template)).toBe(MAX_PAYLOAD_CHARACTERS);
    expect(resolvedPayloadText(template, '123456789012', () => 'f'.repeat(64)).length).toBeGreaterThan(MAX_PAYLOAD_CHARACTERS);
  });

  test('indentation in graph.json does not count: the payload is compact', () => {
    // GIVEN a graph file indented far beyond the limit, whose content is small
    const project = singleCodeNodeProject() as Project;
    const fixture = writeApplication(project);
    fs.writeFileSync(fixture.graphPath, JSON.stringify(project.graph, null, 2).replace(/\n/g, `\n${' '.repeat(10_000)}`));
    expect(fs.statSync(fixture.graphPath).size).toBeGreaterThan(MAX_PAYLOAD_CHARACTERS);
    // WHEN synthesized / THEN accepted
    expect(() => synthApplication(fixture)).not.toThrow();
  });
});

describe('overrides', () => {
  test('overrides against their schema: a bad node override is refused, naming the field', () => {
    // GIVEN overrides whose replacement has no name
    const overrides = twoCameraOverrides() as any;
    delete overrides.nodeGraphOverrides.nodeOverrides[0].with[0].name;
    const project = { ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': overrides } };
    // WHEN synthesized with them / THEN refused
    expect(synthOf(project, { overridesFile: 'graphs/lobby_app/override.json' })).toThrow(
      /graphs\/lobby_app\/override\.json nodeGraphOverrides\.nodeOverrides\[0\]\.with\[0\]\.name: missing must be given: the schema requires it/);
  });

  test('placeholders left in overrides, as some samples ship them, are refused', () => {
    // GIVEN overrides still holding {YourAwsAccountId}
    const overrides = twoCameraOverrides() as any;
    overrides.nodeGraphOverrides.packages[0].name = '{YourAwsAccountId}::LOBBY_CAMERA';
    const project = { ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': overrides } };
    // WHEN synthesized / THEN refused, naming the package entry
    expect(synthOf(project, { overridesFile: 'graphs/lobby_app/override.json' })).toThrow(
      /override\.json nodeGraphOverrides\.packages\[0\]\.name: "\{YourAwsAccountId\}::LOBBY_CAMERA" must match/);
  });

  test('a missing overrides file is refused, naming it', () => {
    // GIVEN no such file / WHEN synthesized / THEN refused
    expect(synthOf(cameraCodeDisplayProject(), { overridesFile: 'graphs/lobby_app/cameras.json' })).toThrow(
      /graphs\/lobby_app\/cameras\.json: missing must exist: it is application manifest overrides \(override\.json\)/);
  });

  test('overrides over 51,200 characters are refused', () => {
    // GIVEN overrides with a very long parameter value
    const overrides = twoCameraOverrides() as any;
    overrides.nodeGraphOverrides.nodes[2] = { name: 'threshold_override', interface: 'string', value: 'x'.repeat(MAX_PAYLOAD_CHARACTERS) };
    const project = { ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': overrides } };
    // WHEN synthesized / THEN refused with the count
    expect(synthOf(project, { overridesFile: 'graphs/lobby_app/override.json' })).toThrow(
      /override\.json: \d+ characters as compact JSON must be at most 51200 characters: the limit of CreateApplicationInstance's ManifestOverridesPayload\.PayloadData/);
  });

  test('overrides that replace no node of the graph, or with no node, deploy with warnings that name them', () => {
    // GIVEN overrides replacing "front_camera", which the graph does not have
    const overrides = twoCameraOverrides() as any;
    overrides.nodeGraphOverrides.nodeOverrides[0].replace = 'front_camera';
    overrides.nodeGraphOverrides.nodeOverrides[1].with[0].name = 'threshold_overide';
    overrides.nodeGraphOverrides.networkRoutingRules = [{ node: 'web_node', containerPort: 80 }];
    const fixture = writeApplication({ ...cameraCodeDisplayProject(), files: { 'graphs/lobby_app/override.json': overrides } });
    // WHEN synthesized
    const { stack } = synthApplication(fixture, { overridesFile: 'graphs/lobby_app/override.json' });
    // THEN deployed as written, with warnings on the construct
    const warnings = (stack.node.root as App).synth().getStackByName(stack.stackName).messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
    expect(warnings).toEqual([
      expect.stringMatching(/override\.json nodeGraphOverrides\.nodeOverrides\[0\]\.replace: "front_camera" names no node of the graph, so it replaces nothing \(nodes: code_node, model_node, output_node, camera_node, detection_threshold\)/),
      expect.stringMatching(/override\.json nodeGraphOverrides\.nodeOverrides\[1\]\.with\[0\]\.name: "threshold_overide" names no node of the overrides or the graph, so nothing replaces detection_threshold \(overrides' nodes: lobby_camera, door_camera, threshold_override\)/),
      expect.stringMatching(/override\.json nodeGraphOverrides\.networkRoutingRules\[0\]\.node: "web_node" names no node of the graph or the overrides, so the rule routes nothing/),
    ]);
  });

  test('a routing rule of the graph for no node deploys, with a warning', () => {
    // GIVEN the inbound network project whose rule names a node that does not exist
    const project = inboundNetworkProject() as Project;
    project.graph.nodeGraph.networkRoutingRules[0].node = 'server_node';
    const { stack, template } = synthApplication(writeApplication(project));
    // WHEN synthesized / THEN the rule is deployed as written, and a warning names it
    expect(resolvedPayload(template).nodeGraph.networkRoutingRules).toEqual(project.graph.nodeGraph.networkRoutingRules);
    const warnings = (stack.node.root as App).synth().getStackByName(stack.stackName).messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
    expect(warnings).toEqual([expect.stringMatching(/graph\.json nodeGraph\.networkRoutingRules\[0\]\.node: "server_node" names no node of the graph, so the rule routes nothing/)]);
  });
});

describe('the project', () => {
  test('a project directory that does not exist is refused', () => {
    // GIVEN no folder / WHEN synthesized / THEN refused, naming the prop
    const stack = new Stack(new App(), 'S');
    expect(() => new PanoramaApplication(stack, 'App', { projectDirectory: '/nonexistent/people_counter_app', device: 'd' })).toThrow(
      /projectDirectory: "\/nonexistent\/people_counter_app" must be an existing folder: a panorama-cli project with graphs\/, packages\/ and assets\//);
  });

  test('several graphs without graphName are refused, listing them', () => {
    // GIVEN a project with two graph folders
    const project = { ...singleCodeNodeProject(), files: { 'graphs/variant/graph.json': singleCodeNodeProject().graph } };
    // WHEN synthesized without graphName / THEN the graphs are listed
    expect(synthOf(project)).toThrow(/graphName: missing must be given: .*\/graphs holds several graphs \(lobby_app, variant\); choose one/);
  });

  test('a graphName that is not a graph folder is refused, listing those there are', () => {
    // GIVEN a project with graph lobby_app / WHEN synthesized with graphName lobby / THEN refused
    expect(synthOf(singleCodeNodeProject(), { graphName: 'lobby' })).toThrow(/graphName: "lobby" must name a folder under .*\/graphs \(there: lobby_app\)/);
  });

  test('a project without graphs is refused', () => {
    // GIVEN a project whose graphs/ is empty
    const fixture = writeApplication(singleCodeNodeProject());
    fs.rmSync(path.dirname(fixture.graphPath), { recursive: true });
    // WHEN synthesized / THEN refused
    expect(() => synthApplication(fixture)).toThrow(/projectDirectory: ".*" must hold graphs\/<name>\/graph\.json as panorama-cli lays out a project, but .*\/graphs holds no graph folder/);
  });

  test('a graph folder without graph.json is refused', () => {
    // GIVEN a graph folder holding only overrides
    const fixture = writeApplication(singleCodeNodeProject());
    fs.renameSync(fixture.graphPath, path.join(path.dirname(fixture.graphPath), 'override.json'));
    // WHEN synthesized / THEN refused, naming the file
    expect(() => synthApplication(fixture)).toThrow(/graphs\/lobby_app\/graph\.json: missing must exist: the graph folder lobby_app holds the application manifest graph\.json/);
  });
});

describe('props', () => {
  test.each<[string, Partial<PanoramaApplicationProps>, RegExp]>([
    ['a device id with a space', { device: 'my device' }, /device: "my device" must match \^\[a-zA-Z0-9\\-_\]\+\$/],
    ['an empty device id', { device: '' }, /device: "" must be 1 to 255 characters long \(it has 0\)/],
    ['an application name with a dot', { applicationName: 'lobby.app' }, /applicationName: "lobby\.app" must match/],
    ['a name longer than 255', { applicationName: 'a'.repeat(256) }, /applicationName: .* must be 1 to 255 characters long \(it has 256\)/],
    ['a description over two lines', { description: 'Counts people\nin the lobby' }, /description: "Counts people\\nin the lobby" must be one line/],
    ['a description longer than 255', { description: 'd'.repeat(256) }, /description: .* must be at most 255 characters long \(it has 256\)/],
    ['51 tags', { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, /tags: 51 tags must hold at most 50 tags/],
  ])('%s is refused', (_what, props, message) => {
    // GIVEN the prop / WHEN synthesized / THEN refused, naming it
    expect(synthOf(singleCodeNodeProject(), props)).toThrow(message);
  });

  test('a graph folder name that cannot be an application name is refused, saying where the name came from', () => {
    // GIVEN a graph folder named "lobby app"
    const project = { ...singleCodeNodeProject(), graphName: 'lobby app' };
    // WHEN synthesized without applicationName / THEN refused, naming the default
    const fixture = writeApplication(project);
    expect(() => synthApplication(fixture)).toThrow(/applicationName \(by default the graph folder's name\): "lobby app" must match/);
  });

  test('a runtime role whose ARN is not a role\'s is refused', () => {
    // GIVEN a user's ARN where a role's is expected
    const fixture = writeApplication(singleCodeNodeProject());
    const stack = new Stack(new App(), 'S');
    const notARole = iam.Role.fromRoleArn(stack, 'User', 'arn:aws:iam::123456789012:user/alice', { mutable: false });
    // WHEN synthesized / THEN refused with the pattern
    expect(() => new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'd', runtimeRole: notARole })).toThrow(
      /runtimeRole: "arn:aws:iam::123456789012:user\/alice" must match/);
  });
});
