/**
 * The graph checks and the payload rewrite as pure functions (no file system, no aws-cdk-lib), as the
 * construct uses them and the emulator can: on documents, with a catalog of what is known of packages.
 */
import {
  awsPackage, checkApplicationGraph, isAwsPackage, KnownPackage, payloadCharacters, pinPackages, splitEdgeEnd, splitInterface, splitPackageName,
} from '../../src/rules/graph';

const CODE = '210987654321::COUNTER_CODE';

function graph(): any {
  return {
    nodeGraph: {
      envelopeVersion: '2021-01-01',
      packages: [{ name: CODE, version: '1.0' }, { name: 'panorama::hdmi_data_sink', version: '1.0' }],
      nodes: [
        { name: 'code_node', interface: `${CODE}.interface` },
        { name: 'output_node', interface: 'panorama::hdmi_data_sink.hdmi0' },
        { name: 'threshold', interface: 'float32', value: 0.5 },
      ],
      edges: [
        { producer: 'code_node.video_out', consumer: 'output_node.video_in' },
        { producer: 'threshold', consumer: 'code_node.threshold' },
      ],
    },
  };
}

const codeManifest: KnownPackage = {
  origin: 'the test manifest',
  interfaces: [{ name: 'interface', inputs: [{ name: 'threshold', type: 'float32' }], outputs: [{ name: 'video_out', type: 'media' }] }],
};

describe('names', () => {
  test('a package, a node interface and an edge end split at their separators', () => {
    // GIVEN names as graph.json writes them / WHEN split / THEN their parts
    expect(splitPackageName('210987654321::people-counter')).toEqual({ account: '210987654321', name: 'people-counter' });
    expect(splitInterface('panorama::abstract_rtsp_media_source.rtsp_v1_interface')).toEqual({ packageName: 'panorama::abstract_rtsp_media_source', interfaceName: 'rtsp_v1_interface' });
    expect(splitEdgeEnd('code_node.video_in')).toEqual({ node: 'code_node', port: 'video_in' });
    expect(splitEdgeEnd('threshold')).toEqual({ node: 'threshold' });
    expect(isAwsPackage('panorama::hdmi_data_sink')).toBe(true);
    expect(isAwsPackage('123456789012::panorama')).toBe(false);
  });

  test('AWS\'s packages are known only in the version the samples use', () => {
    // GIVEN the display package at 1.0 and at 2.0 / WHEN looked up / THEN only 1.0 is known
    expect(awsPackage('panorama::hdmi_data_sink', '1.0')?.interfaces.map((i) => i.name)).toEqual(['hdmi0']);
    expect(awsPackage('panorama::hdmi_data_sink', '2.0')).toBeUndefined();
  });
});

describe('checkApplicationGraph', () => {
  test('a consistent graph gives no problem and the document back', () => {
    // GIVEN a graph and its code package's interfaces / WHEN checked / THEN no problem
    const document = graph();
    const reading = checkApplicationGraph(document, 'graph.json', new Map([[CODE, codeManifest]]));
    expect(reading.problems).toEqual([]);
    expect(reading.document).toBe(document);
  });

  test('a graph against its schema is not cross-checked: only the schema\'s problems come back', () => {
    // GIVEN a graph without envelopeVersion and with an edge to a missing node
    const document = graph();
    delete document.nodeGraph.envelopeVersion;
    document.nodeGraph.edges[0].consumer = 'nobody.video_in';
    // WHEN checked / THEN the schema's problem alone
    expect(checkApplicationGraph(document, 'graph.json', new Map()).problems.map(String)).toEqual([
      'graph.json nodeGraph.envelopeVersion: missing must be given: the schema requires it',
    ]);
  });

  test('a package the catalog does not know is refused nothing about its interfaces or ports', () => {
    // GIVEN the code package unknown to the catalog, and an edge to a port it may not have
    const document = graph();
    document.nodeGraph.edges[1].consumer = 'code_node.anything';
    // WHEN checked with an empty catalog / THEN no problem: its ports are unknown
    expect(checkApplicationGraph(document, 'graph.json', new Map()).problems).toEqual([]);
  });
});

describe('pinPackages', () => {
  test('renames and pins the packages keyed, in packages[] and node interfaces, and nothing else', () => {
    // GIVEN a graph and a pin for its code package
    const document = graph();
    const before = JSON.stringify(document);
    // WHEN pinned
    const pinned = pinPackages(document, new Map([[CODE, { account: '111111111111', patchVersion: 'abc123' }]]));
    // THEN the code package is renamed and pinned; the display and the parameter are untouched; the input is not modified
    expect(pinned.nodeGraph.packages).toEqual([
      { name: '111111111111::COUNTER_CODE', version: '1.0', patchVersion: 'abc123' },
      { name: 'panorama::hdmi_data_sink', version: '1.0' },
    ]);
    expect(pinned.nodeGraph.nodes.map((n) => n.interface)).toEqual(['111111111111::COUNTER_CODE.interface', 'panorama::hdmi_data_sink.hdmi0', 'float32']);
    expect(pinned.nodeGraph.edges).toEqual(document.nodeGraph.edges);
    expect(JSON.stringify(document)).toBe(before);
  });

  test('payloadCharacters counts the compact JSON\'s code points', () => {
    // GIVEN a document with a character outside the BMP / WHEN measured / THEN one character for it
    expect(payloadCharacters({ a: '📷' })).toBe('{"a":"x"}'.length);
  });
});
