/**
 * PanoramaApplication's `cameras`: PanoramaCameras bound to the graph's abstract camera are
 * rendered as the samples' overrides (`<camera>_node`, interface `<account>::<camera>.<camera>`,
 * pinned to each camera's patch), checked at synth against the graph (the node exists and is
 * overridable, the edges' ports are a camera's), merged with an overrides file, and the instance
 * depends on the cameras.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PanoramaApplication, PanoramaApplicationProps, PanoramaCamera } from '../src';
import { cameraCodeDisplayProject, codePackage, graphDocument, listed, SAMPLE_ACCOUNT, twoCameraOverrides, writeApplication } from './support/application-fixture';
import { INSTANCE } from './support/application-template';
import { removeFixtures } from './support/package-fixture';
import { onlyResource, TEST_ENV } from './support/stacks';

afterAll(removeFixtures);

type CameraFactory = (stack: Stack) => { [node: string]: PanoramaCamera[] };

/** One stack with two cameras and the people counter's application binding them. */
type Project = { packages: any[]; graph: any; files?: any };

function synth(bind: CameraFactory, project: Project = cameraCodeDisplayProject(), props: Partial<PanoramaApplicationProps> = {}) {
  const fixture = writeApplication(project);
  const stack = new Stack(new App(), 'AppStack', { env: TEST_ENV });
  const application = new PanoramaApplication(stack, 'App', { projectDirectory: fixture.projectDir, device: 'device-0123', cameras: bind(stack), ...props });
  return { stack, application, template: Template.fromStack(stack) };
}

function twoCameras(stack: Stack): PanoramaCamera[] {
  return [
    new PanoramaCamera(stack, 'Lobby', { name: 'lobby', streamUrl: 'rtsp://10.0.0.7/live' }),
    new PanoramaCamera(stack, 'Door', { name: 'door', streamUrl: 'rtsp://10.0.0.8/live' }),
  ];
}

/** The overrides payload as CloudFormation would resolve it: each camera's attribute is `<attribute>-of-<logicalId>`. */
function resolvedOverrides(template: Template): any {
  const data = onlyResource(template, INSTANCE).Properties.ManifestOverridesPayload.PayloadData;
  const [separator, parts] = data['Fn::Join'];
  return JSON.parse((parts as any[]).map((part) => (typeof part === 'string' ? part : `${part['Fn::GetAtt'][1]}-of-${part['Fn::GetAtt'][0]}`)).join(separator));
}

function cameraIds(template: Template): Record<string, string> {
  return Object.fromEntries(Object.entries(template.findResources('Custom::PanoramaCamera')).map(([id, r]: [string, any]) => [r.Properties.Name, id]));
}

test('two cameras bound to the abstract camera are rendered as the samples\' overrides, pinned to their patches', () => {
  // WHEN two cameras replace the graph's only abstract camera
  const { template } = synth((stack) => ({ [PanoramaApplication.ABSTRACT_CAMERA]: twoCameras(stack) }));

  // THEN the overrides list both packages (pinned), both nodes, and replace camera_node with both
  const ids = cameraIds(template);
  expect(resolvedOverrides(template)).toEqual({
    nodeGraphOverrides: {
      envelopeVersion: '2021-01-01',
      packages: [
        { name: `PackageName-of-${ids.lobby}`, version: '1.0', patchVersion: `PatchVersion-of-${ids.lobby}` },
        { name: `PackageName-of-${ids.door}`, version: '1.0', patchVersion: `PatchVersion-of-${ids.door}` },
      ],
      nodes: [
        { name: 'lobby_node', interface: `PackageName-of-${ids.lobby}.lobby`, overridable: true, overrideMandatory: false, launch: 'onAppStart' },
        { name: 'door_node', interface: `PackageName-of-${ids.door}.door`, overridable: true, overrideMandatory: false, launch: 'onAppStart' },
      ],
      nodeOverrides: [{ replace: 'camera_node', with: [{ name: 'lobby_node' }, { name: 'door_node' }] }],
    },
  });
  // AND the instance waits for both cameras
  expect(onlyResource(template, INSTANCE).DependsOn).toEqual(expect.arrayContaining([ids.lobby, ids.door]));
});

test('the abstract camera may be named by its node', () => {
  const { template } = synth((stack) => ({ camera_node: [new PanoramaCamera(stack, 'Lobby', { name: 'lobby', streamUrl: 'rtsp://h/a' })] }));
  expect(resolvedOverrides(template).nodeGraphOverrides.nodeOverrides).toEqual([{ replace: 'camera_node', with: [{ name: 'lobby_node' }] }]);
});

test('a node the graph does not have is refused, naming the node and the cameras', () => {
  expect(() => synth((stack) => ({ front_door: twoCameras(stack) })))
    .toThrow(/cameras\["front_door"\]: "front_door" must name a node of the graph, but there is none of that name, so cameras lobby \(AppStack\/Lobby\), door \(AppStack\/Door\) would replace nothing \(nodes: code_node, model_node, output_node, camera_node, detection_threshold\)/);
});

test('a node the graph does not mark overridable is refused', () => {
  const project = cameraCodeDisplayProject();
  (project.graph as any).nodeGraph.nodes.find((n: any) => n.name === 'camera_node').overridable = false;
  expect(() => synth((stack) => ({ camera_node: twoCameras(stack) }), project))
    .toThrow(/cameras\["camera_node"\]: "camera_node" must name an overridable node, but the graph does not mark node camera_node "overridable": true, so Panorama would not replace it with cameras lobby/);
});

test('a camera without a port the graph\'s edges use of the replaced node is refused, naming the node, the camera and the edge', () => {
  // GIVEN a graph whose replaceable source is a code node whose output `frames` feeds the display
  const source = codePackage('SOURCE_CODE', { inputs: [], outputs: [{ name: 'frames', type: 'media' }] } as any);
  const project = {
    packages: [source],
    graph: graphDocument({
      packages: [listed('SOURCE_CODE'), listed('panorama::hdmi_data_sink')],
      nodes: [
        { name: 'source_node', interface: `${SAMPLE_ACCOUNT}::SOURCE_CODE.interface`, overridable: true },
        { name: 'output_node', interface: 'panorama::hdmi_data_sink.hdmi0' },
      ],
      edges: [{ producer: 'source_node.frames', consumer: 'output_node.video_in' }],
    }),
  };
  // WHEN a camera replaces it / THEN
  expect(() => synth((stack) => ({ source_node: [new PanoramaCamera(stack, 'Lobby', { name: 'lobby', streamUrl: 'rtsp://h/a' })] }), project))
    .toThrow(/cameras\["source_node"\]: "lobby" cannot replace node source_node: the graph's edge source_node\.frames -> output_node\.video_in uses its output frames, but camera lobby \(AppStack\/Lobby\) offers outputs: video_out \(media\)/);
});

test('the default key with no abstract camera in the graph is refused, asking for a node name', () => {
  const project = cameraCodeDisplayProject();
  const graph = (project.graph as any).nodeGraph;
  graph.nodes = graph.nodes.filter((n: any) => n.name !== 'camera_node');
  graph.packages = graph.packages.filter((p: any) => p.name !== 'panorama::abstract_rtsp_media_source');
  graph.edges = graph.edges.filter((e: any) => !e.producer.startsWith('camera_node'));
  expect(() => synth((stack) => ({ '*': twoCameras(stack) }), project))
    .toThrow(/cameras\["\*"\]: "\*" must be a node name here: the graph has no panorama::abstract_rtsp_media_source nodes/);
});

test('one camera bound twice is refused', () => {
  expect(() => synth((stack) => {
    const [lobby] = twoCameras(stack);
    return { '*': [lobby, lobby] };
  })).toThrow(/must be bound once, but camera lobby is bound to \* too/);
});

test('with an overrides file, both are merged: the file\'s other replacements stay', () => {
  // GIVEN a file that overrides the threshold only
  const project = cameraCodeDisplayProject() as any;
  const file = twoCameraOverrides() as any;
  file.nodeGraphOverrides.packages = [];
  file.nodeGraphOverrides.nodes = file.nodeGraphOverrides.nodes.filter((n: any) => n.name === 'threshold_override');
  file.nodeGraphOverrides.nodeOverrides = file.nodeGraphOverrides.nodeOverrides.filter((o: any) => o.replace === 'detection_threshold');
  project.files = { 'graphs/lobby_app/override.json': file };
  // WHEN cameras are bound as well
  const { template } = synth((stack) => ({ '*': twoCameras(stack) }), project, { overridesFile: 'graphs/lobby_app/override.json' });
  // THEN the overrides hold the file's replacement and the cameras'
  const overrides = resolvedOverrides(template).nodeGraphOverrides;
  expect(overrides.nodeOverrides.map((o: any) => o.replace)).toEqual(['detection_threshold', 'camera_node']);
  expect(overrides.nodes.map((n: any) => n.name)).toEqual(['threshold_override', 'lobby_node', 'door_node']);
});

test('an overrides file that replaces the same node as the cameras is a conflict', () => {
  const project = cameraCodeDisplayProject() as any;
  project.files = { 'graphs/lobby_app/override.json': twoCameraOverrides() };
  expect(() => synth((stack) => ({ '*': twoCameras(stack) }), project, { overridesFile: 'graphs/lobby_app/override.json' }))
    .toThrow(/override\.json nodeGraphOverrides\.nodeOverrides: "camera_node" conflicts with `cameras`: both replace node camera_node \(with lobby \(AppStack\/Lobby\), door \(AppStack\/Door\) from `cameras`\)/);
});
