/**
 * The node package schema (src/rules/schema/node-package.schema.json) through the compiled validator:
 * what the 2021-01-01 schema allows is accepted, and each refusal names the field, the value and the rule.
 */
import { checkNodePackageDocument } from '../../src/rules/schema';
import { cameraPackage, gpuCodePackage, misnamedModelsPackage, unbuiltPackage } from '../support/real-shapes';

const SOURCE = 'apps/packages/210987654321-gpu_detector_app-1.0/package.json';

/** The GPU package's manifest with one change to its first implementation or interface. */
function gpuManifestWith(change: (implementation: any, itf: any, nodePackage: any) => void): any {
  const manifest = JSON.parse(JSON.stringify(gpuCodePackage().manifest));
  const nodePackage = manifest.nodePackage;
  change(nodePackage.assets[0].implementations[0], nodePackage.interfaces[0], nodePackage);
  return manifest;
}

function messagesOf(document: unknown): string[] {
  return checkNodePackageDocument(document, SOURCE).map((p) => p.toString());
}

describe('accepted', () => {
  test.each([
    ['a GPU code package', gpuCodePackage().manifest],
    ['a camera package without name or version', cameraPackage().manifest],
    ['two model assets with descriptions', misnamedModelsPackage().manifest],
    ['an unbuilt package (the schema allows an empty assets; the rule on top refuses it)', unbuiltPackage('code').manifest],
  ])('%s', (_what, manifest) => {
    // GIVEN a manifest the official schema accepts / WHEN checked / THEN no problem
    expect(messagesOf(manifest)).toEqual([]);
  });

  test.each([
    ['a device requirement', { type: 'device', name: 'panorama_devkit' }],
    ['an OS requirement', { type: 'os', family: 'unix', version: '18.04' }],
    ['an OTA requirement with a minimum', { type: 'ota', minVersion: '4.3.45' }],
    ['an OTA requirement with a maximum', { type: 'ota', maxVersion: '5.0.0' }],
    ['a hardware_access requirement with no accelerator', { type: 'hardware_access', inferenceAccelerators: [] }],
  ])('%s', (_what, requirement) => {
    // GIVEN the GPU package with another requirement
    const manifest = gpuManifestWith((impl) => impl.requirements.push(requirement));
    // WHEN checked / THEN accepted
    expect(messagesOf(manifest)).toEqual([]);
  });

  test('every port type, a network with inbound ports, and what the schema lets a string input port carry', () => {
    // GIVEN an interface with each input type, a string port with a property of its own, and a network
    const manifest = gpuManifestWith((_impl, itf) => {
      itf.inputs = [
        { name: 'video_in', type: 'media', maxConnections: 2 },
        { name: 'threshold', type: 'float32', default: 0.5, constraintRegex: '^0\\.[0-9]+$' },
        { name: 'max_people', type: 'int32', default: 10, reference: false },
        { name: 'label', type: 'string', default: 'person', displayHint: 'the official schema allows other properties here' },
        { name: 'enabled', type: 'boolean', default: true },
      ];
      itf.outputs = ['media', 'float32', 'int32', 'string', 'boolean'].map((type) => ({ name: `out_${type}`, type }));
      itf.network = { inboundPorts: [{ port: 8080, description: 'debug server' }] };
    });
    // WHEN checked / THEN accepted
    expect(messagesOf(manifest)).toEqual([]);
  });
});

describe('refused, by field, value and rule', () => {
  test.each([
    ['a GPU requirement with the accelerators under another key (as one sample wrote it)',
      (impl: any) => { impl.requirements = [{ type: 'hardware_access', nvAccelerators: [{ deviceType: 'nvhost_gpu', sharedResourcePolicy: { policy: 'allow_all' } }] }]; },
      [
        `${SOURCE} nodePackage.assets[0].implementations[0].requirements[0].inferenceAccelerators: missing must be given: the schema requires it`,
        `${SOURCE} nodePackage.assets[0].implementations[0].requirements[0].nvAccelerators: "nvAccelerators" is not a property the 2021-01-01 schema allows here (allowed: type, inferenceAccelerators)`,
      ]],
    ['an unknown requirement type', (impl: any) => { impl.requirements = [{ type: 'sdk', name: 'python' }]; },
      [`${SOURCE} nodePackage.assets[0].implementations[0].requirements[0].type: "sdk" must be one of hardware_access, device, os, ota`]],
    ['an OTA requirement with neither version', (impl: any) => { impl.requirements = [{ type: 'ota' }]; },
      [`${SOURCE} nodePackage.assets[0].implementations[0].requirements[0]: {"type":"ota"} must give at least one of minVersion, maxVersion`]],
    ['another accelerator', (impl: any) => { impl.requirements[0].inferenceAccelerators[0].deviceType = 'tpu'; },
      [`${SOURCE} nodePackage.assets[0].implementations[0].requirements[0].inferenceAccelerators[0].deviceType: "tpu" must be "nvhost_gpu"`]],
    ['an implementation type', (impl: any) => { impl.type = 'lambda'; },
      [`${SOURCE} nodePackage.assets[0].implementations[0].type: "lambda" must be one of system, container, model`]],
    ['an implementation description over 255 characters', (impl: any) => { impl.description = 'd'.repeat(256); },
      [`${SOURCE} nodePackage.assets[0].implementations[0].description: "${'d'.repeat(79)}…${'d'.repeat(79)}" (258 characters) must be at most 255 characters long (it has 256)`]],
    ['an input port type', (_impl: any, itf: any) => { itf.inputs[0].type = 'video'; },
      [`${SOURCE} nodePackage.interfaces[0].inputs[0].type: "video" must be one of media, float32, int32, string, boolean`]],
    ['a float32 input whose default is text', (_impl: any, itf: any) => { itf.inputs[1].default = 'high'; },
      [`${SOURCE} nodePackage.interfaces[0].inputs[1].default: "high" must be a number`]],
    ['a media input with a default', (_impl: any, itf: any) => { itf.inputs[0].default = 'rtsp://camera'; },
      [`${SOURCE} nodePackage.interfaces[0].inputs[0].default: "default" is not a property the 2021-01-01 schema allows here (allowed: description, name, type, maxConnections)`]],
    ['a port name with a hyphen', (_impl: any, itf: any) => { itf.outputs[0].name = 'video-out'; },
      [`${SOURCE} nodePackage.interfaces[0].outputs[0].name: "video-out" must match ^[$A-Z_a-z0-9]+$`]],
    ['an interface category', (_impl: any, itf: any) => { itf.category = 'model'; },
      [`${SOURCE} nodePackage.interfaces[0].category: "model" must be one of media_source, media_sink, business_logic, ml_model`]],
    ['an inbound port out of range', (_impl: any, itf: any) => { itf.network = { inboundPorts: [{ port: 70000 }] }; },
      [`${SOURCE} nodePackage.interfaces[0].network.inboundPorts[0].port: 70000 must be at most 65535`]],
    ['eleven inbound ports', (_impl: any, itf: any) => { itf.network = { inboundPorts: Array.from({ length: 11 }, (_, i) => ({ port: 8000 + i })) }; },
      [`${SOURCE} nodePackage.interfaces[0].network.inboundPorts: 11 items must hold at most 10 items`]],
    ['a manifest version that is a number', (_impl: any, _itf: any, pkg: any) => { pkg.version = 1.0; },
      [`${SOURCE} nodePackage.version: 1 must be a string`]],
  ] as Array<[string, (impl: any, itf: any, pkg: any) => void, string[]]>)('%s', (_what, change, expected) => {
    // GIVEN a GPU package with one mistake / WHEN checked / THEN exactly these problems
    expect(messagesOf(gpuManifestWith(change))).toEqual(expected);
  });

  test('a document without nodePackage says what a manifest is', () => {
    // GIVEN an empty object, which the official schema's root allows / WHEN checked / THEN refused
    expect(messagesOf({})).toEqual([`${SOURCE} nodePackage: missing must be given: the document is {"nodePackage": {…}}`]);
  });

  test('Ajv\'s own English never reaches a message, however many rules break', () => {
    // GIVEN a manifest that breaks a rule of every kind
    const manifest = gpuManifestWith((impl, itf, pkg) => {
      pkg.envelopeVersion = 2021;
      pkg.extra = true;
      impl.requirements = [{ type: 'ota' }, { type: 'hardware_access' }, 'gpu'];
      itf.inputs = [{ type: 'int32', name: 'x', default: 1.5 }, { name: '' }, 7];
      itf.network = { inboundPorts: [{ port: 0 }] };
      delete itf.category;
    });
    // WHEN checked
    const messages = messagesOf(manifest);
    // THEN each message is ours: the file, a path, a value and a rule; none is Ajv's wording
    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const message of messages) {
      expect(message.startsWith(`${SOURCE} nodePackage`)).toBe(true);
      expect(message).not.toMatch(/must NOT|must have required property|must match "then" schema|must match a schema in anyOf|must be equal to/);
    }
    // AND no problem is reported twice
    expect(new Set(messages).size).toBe(messages.length);
  });
});
