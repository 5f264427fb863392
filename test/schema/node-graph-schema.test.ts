/**
 * The application manifest schemas (graph.json and override.json), which PanoramaApplication reads
 * a project's graph and overrides with: the schema only; how nodes, packages and edges refer to
 * each other is checked elsewhere (src/rules/graph, test/graph/application-graph.test.ts).
 */
import { checkNodeGraphDocument, checkNodeGraphOverridesDocument } from '../../src/rules/schema';

const GRAPH = 'graphs/lobby_counter/graph.json';
const OVERRIDES = 'graphs/lobby_counter/override.json';

/** A graph in the samples' shape: AWS's camera and display packages, a code and a model package, parameters. */
function lobbyGraph(): any {
  return {
    nodeGraph: {
      envelopeVersion: '2021-01-01',
      packages: [
        { name: '210987654321::COUNTER_CODE', version: '1.0' },
        { name: '210987654321::COUNTER_MODEL', version: '1.0', patchVersion: 'a1b2c3' },
        { name: 'panorama::abstract_rtsp_media_source', version: '1.0' },
        { name: 'panorama::hdmi_data_sink', version: '1.0' },
      ],
      nodes: [
        { name: 'front_door', interface: 'panorama::abstract_rtsp_media_source.rtsp_v1_interface', overridable: true, launch: 'onAppStart', decorator: { title: 'Camera', description: 'The lobby camera' } },
        { name: 'output_node', interface: 'panorama::hdmi_data_sink.hdmi0', launch: 'onAppStart' },
        { name: 'code_node', interface: '210987654321::COUNTER_CODE.interface' },
        { name: 'model_node', interface: '210987654321::COUNTER_MODEL.interface' },
        { name: 'threshold_param', interface: 'float32', value: 0.6, overridable: true, decorator: { title: 'Threshold', description: 'Minimum confidence' } },
        { name: 'max_people', interface: 'int32', value: 20 },
        { name: 'site', interface: 'string', value: 'lobby' },
        { name: 'debug', interface: 'boolean', value: false, overrideMandatory: false },
      ],
      edges: [
        { producer: 'front_door.video_out', consumer: 'code_node.video_in' },
        { producer: 'code_node.video_out', consumer: 'output_node.video_in' },
        { producer: 'threshold_param', consumer: 'code_node.threshold' },
      ],
      networkRoutingRules: [{ node: 'code_node', containerPort: 8080, hostPort: 8080, decorator: { title: 'Debug server' } }],
    },
  };
}

/** Overrides in the samples' shape: the abstract camera replaced by a camera made from a template. */
function lobbyOverrides(): any {
  return {
    nodeGraphOverrides: {
      envelopeVersion: '2021-01-01',
      packages: [{ name: '210987654321::LOBBY_CAMERA', version: '1.0' }],
      nodes: [{ name: 'lobby_camera', interface: '210987654321::LOBBY_CAMERA.interface', overridable: true, launch: 'onAppStart' }],
      nodeOverrides: [{ replace: 'front_door', with: [{ name: 'lobby_camera' }] }],
    },
  };
}

function messages(problems: Array<{ toString(): string }>): string[] {
  return problems.map(String);
}

describe('graph.json', () => {
  test('a graph with package nodes, every kind of parameter node, edges and a routing rule is accepted', () => {
    // GIVEN / WHEN / THEN
    expect(messages(checkNodeGraphDocument(lobbyGraph(), GRAPH))).toEqual([]);
  });

  test.each([
    ['a package without its account', (g: any) => { g.nodeGraph.packages[0].name = 'COUNTER_CODE'; },
      `${GRAPH} nodeGraph.packages[0].name: "COUNTER_CODE" must match ^[$A-Z_a-z0-9]+::[a-zA-Z_0-9\\-]+$`],
    ['a node interface without its package', (g: any) => { g.nodeGraph.nodes[2].interface = 'interface'; },
      `${GRAPH} nodeGraph.nodes[2].interface: "interface" must match ^[$A-Z_a-z0-9\\-]+::[A-Z_a-z0-9\\-]+\\.[A-Z_a-z0-9\\-]+$`],
    ['a float32 parameter whose value is text', (g: any) => { g.nodeGraph.nodes[4].value = 'high'; },
      `${GRAPH} nodeGraph.nodes[4].value: "high" must be a number`],
    ['a package node with a value', (g: any) => { g.nodeGraph.nodes[2].value = 1; },
      `${GRAPH} nodeGraph.nodes[2].value: "value" is not a property the 2021-01-01 schema allows here (allowed: name, interface, overridable, overrideMandatory, launch, decorator)`],
    ['an empty decorator description (as one sample wrote it)', (g: any) => { g.nodeGraph.nodes[4].decorator.description = ''; },
      `${GRAPH} nodeGraph.nodes[4].decorator.description: "" must not be empty`],
    ['a launch mode', (g: any) => { g.nodeGraph.nodes[0].launch = 'always'; },
      `${GRAPH} nodeGraph.nodes[0].launch: "always" must be one of onDemand, onAppStart, onSignal`],
    ['an edge to a port with a space', (g: any) => { g.nodeGraph.edges[0].consumer = 'code_node.video in'; },
      `${GRAPH} nodeGraph.edges[0].consumer: "code_node.video in" must match ^[a-zA-Z0-9_\\-]+\\.?[a-z_A-Z0-9\\-]+$`],
    ['no nodes', (g: any) => { g.nodeGraph.nodes = []; }, `${GRAPH} nodeGraph.nodes: [] must hold at least 1 item`],
    ['a container port of 0', (g: any) => { g.nodeGraph.networkRoutingRules[0].containerPort = 0; },
      `${GRAPH} nodeGraph.networkRoutingRules[0].containerPort: 0 must be at least 1`],
  ] as Array<[string, (graph: any) => void, string]>)('%s is refused', (_what, change, expected) => {
    // GIVEN the graph with one mistake / WHEN checked / THEN exactly that problem
    const graph = lobbyGraph();
    change(graph);
    expect(messages(checkNodeGraphDocument(graph, GRAPH))).toEqual([expected]);
  });

  test('a document without nodeGraph says what a graph is', () => {
    // GIVEN / WHEN / THEN
    expect(messages(checkNodeGraphDocument({}, GRAPH))).toEqual([`${GRAPH} nodeGraph: missing must be given: the document is {"nodeGraph": {…}}`]);
  });
});

describe('override.json', () => {
  test('overrides that replace the abstract camera are accepted', () => {
    // GIVEN / WHEN / THEN
    expect(messages(checkNodeGraphOverridesDocument(lobbyOverrides(), OVERRIDES))).toEqual([]);
  });

  test.each([
    ['a node override without what replaces the node', (o: any) => { delete o.nodeGraphOverrides.nodeOverrides[0].with; },
      `${OVERRIDES} nodeGraphOverrides.nodeOverrides[0].with: missing must be given: the schema requires it`],
    ['a package name with a hyphen in its account', (o: any) => { o.nodeGraphOverrides.packages[0].name = '210987654321-x::LOBBY_CAMERA'; },
      `${OVERRIDES} nodeGraphOverrides.packages[0].name: "210987654321-x::LOBBY_CAMERA" must match ^[$A-Z_a-z0-9]+::[a-zA-Z_0-9\\-]+$`],
    ['no envelope', (o: any) => { delete o.nodeGraphOverrides.envelopeVersion; },
      `${OVERRIDES} nodeGraphOverrides.envelopeVersion: missing must be given: the schema requires it`],
  ] as Array<[string, (overrides: any) => void, string]>)('%s is refused', (_what, change, expected) => {
    // GIVEN the overrides with one mistake / WHEN checked / THEN exactly that problem
    const overrides = lobbyOverrides();
    change(overrides);
    expect(messages(checkNodeGraphOverridesDocument(overrides, OVERRIDES))).toEqual([expected]);
  });
});
