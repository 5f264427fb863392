/**
 * A document's text before it is parsed (src/rules/schema/json-text.ts), as the construct, the
 * handler and the emulator all read it: nesting bounded, numbers a float holds, UTF-8 without BOM.
 */
import { parseJsonDocument } from '../../src/rules/schema';
import { checkJsonText, MAX_NESTING } from '../../src/rules/schema/json-text';

const read = (text: string | Buffer) => checkJsonText(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf-8'), 'doc.json');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

test(`nesting of exactly ${MAX_NESTING} levels is read`, () => {
  expect(read(nested(MAX_NESTING)).problems).toEqual([]);
});

test(`nesting of ${MAX_NESTING + 1} levels is refused at the path where it goes too deep`, () => {
  expect(read(`{"a": {"b c": ${nested(MAX_NESTING)}}}`).problems.map(String))
    .toEqual([`doc.json a["b c"]${'[0]'.repeat(MAX_NESTING - 2)}: nested more than ${MAX_NESTING} levels deep must be nested at most ${MAX_NESTING} levels deep: no Panorama document comes near it`]);
});

test('brackets inside strings are text, not nesting', () => {
  expect(read(JSON.stringify({ a: '['.repeat(1000) })).problems).toEqual([]);
});

test('the largest double is read; one past it is refused as written, wherever it is', () => {
  expect(read('[1.7976931348623157e308]').problems).toEqual([]);
  expect(read('{"x": [0, -1e309]}').problems.map(String)).toEqual([
    'doc.json x[1]: -1e309 must be a number a 64-bit float can hold (at most about 1.8e308 in size): JSON readers take it as Infinity',
  ]);
});

test('a broken number is left to the JSON parser, which names it as bad JSON', () => {
  expect(read('[1e]').problems).toEqual([]);
  expect(parseJsonDocument(Buffer.from('[1e]'), 'doc.json', 'a document').problems.map(String)[0]).toMatch(/^doc\.json: its content must be valid JSON/);
});

test('a tiny number that underflows to zero is read', () => {
  expect(read('[1e-400]').problems).toEqual([]);
});

test('bytes that are not UTF-8 are named so', () => {
  expect(read(Buffer.from([0x7b, 0xff, 0x7d])).problems.map(String)).toEqual(['doc.json: bytes that are not UTF-8 must be UTF-8 text, as JSON files are']);
});

test('UTF-16 without a byte order mark is named UTF-16', () => {
  expect(read(Buffer.from('{"a":1}', 'utf16le')).problems.map(String)[0]).toMatch(/^doc\.json: UTF-16 text \(it holds zero bytes\) must be UTF-8/);
});

test('the handler\'s and the emulator\'s reader refuses a BOM too', () => {
  expect(parseJsonDocument(Buffer.from('\uFEFF{}', 'utf-8'), 's3://b/k/package.json', 'a node package manifest').problems.map(String)[0])
    .toMatch(/^s3:\/\/b\/k\/package\.json: UTF-8 with a byte order mark \(BOM\) must be UTF-8 text without a byte order mark/);
});
