/**
 * The asset descriptor schema (src/rules/schema/asset-descriptor.schema.json), through checkDescriptorBytes:
 * the file a descriptorUri names, as the construct, the handler and the emulator check it.
 */
import { checkDescriptorBytes } from '../../src/rules/asset-descriptor';
import { BROKEN_DESCRIPTORS, modelDescriptor, runtimeDescriptorWithEvents } from '../support/real-shapes';

const SOURCE = 'assets/d.json (nodePackage.assets[0].implementations[0].descriptorUri)';

function messagesOf(descriptor: unknown): string[] {
  const bytes = Buffer.from(typeof descriptor === 'string' ? descriptor : JSON.stringify(descriptor));
  return checkDescriptorBytes(bytes, SOURCE).map((p) => p.toString());
}

describe('accepted', () => {
  test.each([
    ['a model descriptor as the samples write it', modelDescriptor()],
    ['a model descriptor with frameworkVersion, precisionMode and typed inputs', modelDescriptor({
      framework: 'TENSORFLOW', frameworkVersion: '2.4', precisionMode: 'FP32', inputs: [{ name: 'image_tensor', type: 'uint8', shape: [1, 300, 300, 3] }],
    })],
    ['a runtime descriptor with entry arguments, environment and every kind of event', runtimeDescriptorWithEvents()],
    ['a runtime descriptor with only its envelope', { runtimeDescriptor: { envelopeVersion: '2021-01-01' } }],
    ['an empty descriptor (the schema requires neither kind)', {}],
  ])('%s', (_what, descriptor) => {
    // GIVEN a descriptor the official schema accepts / WHEN checked / THEN no problem
    expect(messagesOf(descriptor)).toEqual([]);
  });
});

describe('refused, by file, field, value and rule', () => {
  test.each(BROKEN_DESCRIPTORS)('$what', ({ content, field }) => {
    // GIVEN a broken descriptor / WHEN checked / THEN one problem, naming the descriptor and the field
    const messages = messagesOf(content);
    expect(messages).toHaveLength(1);
    expect(messages[0].startsWith(SOURCE)).toBe(true);
    expect(messages[0]).toMatch(field);
  });

  test.each([
    ['an entry path without the entry file', { runtimeDescriptor: { envelopeVersion: '2021-01-01', entry: { path: 'python3' } } },
      `${SOURCE} runtimeDescriptor.entry.name: missing must be given when runtimeDescriptor.entry.path is`],
    ['an empty entry file name', { runtimeDescriptor: { envelopeVersion: '2021-01-01', entry: { name: '' } } },
      `${SOURCE} runtimeDescriptor.entry.name: "" must not be empty`],
    ['an argument that is not text', { runtimeDescriptor: { envelopeVersion: '2021-01-01', entry: { name: 'app.py', arguments: ['--port', 8080] } } },
      `${SOURCE} runtimeDescriptor.entry.arguments[1]: 8080 must be a string`],
    ['an unknown event', { runtimeDescriptor: { envelopeVersion: '2021-01-01', events: [{ type: 'onStart', handler: 'start' }] } },
      `${SOURCE} runtimeDescriptor.events[0].type: "onStart" must be one of onExit, onPartialInput, onCompleteInput`],
    ['an exit event that watches inputs', { runtimeDescriptor: { envelopeVersion: '2021-01-01', events: [{ type: 'onExit', handler: 'stop', inputs: ['video_in'] }] } },
      `${SOURCE} runtimeDescriptor.events[0].inputs: "inputs" is not a property the 2021-01-01 schema allows here (allowed: description, type, handler)`],
    ['a runtime descriptor without its envelope', { runtimeDescriptor: { entry: { name: 'app.py' } } },
      `${SOURCE} runtimeDescriptor.envelopeVersion: missing must be given: the schema requires it`],
    ['a framework version of more than 10 characters', modelDescriptor({ frameworkVersion: '1.2.3.4.5.6' }),
      `${SOURCE} mlModelDescriptor.frameworkVersion: "1.2.3.4.5.6" must be at most 10 characters long (it has 11)`],
    ['a framework version that is not a version', modelDescriptor({ frameworkVersion: 'latest' }),
      `${SOURCE} mlModelDescriptor.frameworkVersion: "latest" must match ^[0-9]+\\.[A-Za-z0-9.]+$`],
    ['a shape with a fraction', modelDescriptor({ inputs: [{ name: 'data', shape: [1, 3, 224.5, 224] }] }),
      `${SOURCE} mlModelDescriptor.inputs[0].shape[2]: 224.5 must be a whole number`],
    ['an input tensor type', modelDescriptor({ inputs: [{ name: 'data', type: 'bfloat16', shape: [1] }] }),
      `${SOURCE} mlModelDescriptor.inputs[0].type: "bfloat16" must be one of int8, uint8, int16, uint16, int32, uint32, float16, float32, float64`],
    ['a third kind of descriptor', { containerDescriptor: {} },
      `${SOURCE} containerDescriptor: "containerDescriptor" is not a property the 2021-01-01 schema allows here (allowed: mlModelDescriptor, runtimeDescriptor)`],
  ])('%s', (_what, descriptor, expected) => {
    // GIVEN a descriptor with one mistake / WHEN checked / THEN exactly that problem
    expect(messagesOf(descriptor)).toEqual([expected]);
  });
});
