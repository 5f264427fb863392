/** How a schema error's location reads in a message. */
import { fieldPath } from '../../src/rules/schema';
import { schemaProblems } from '../../src/rules/schema/messages';

describe('a JSON pointer as a field path', () => {
  test.each([
    ['', {}, ''],
    ['/nodePackage/assets/0/implementations/10/type', { nodePackage: { assets: [{ implementations: new Array(11).fill({}) }] } }, 'nodePackage.assets[0].implementations[10].type'],
    ['/tags/0', { tags: { 0: 'x' } }, 'tags["0"]'],
    ['/env/MY VAR', { env: {} }, 'env["MY VAR"]'],
    ['/a~1b/c~0d', {}, '["a/b"]["c~d"]'],
  ])('%s', (pointer, document, path) => {
    // GIVEN a pointer into a document / WHEN named / THEN arrays get [i], identifiers .key, other keys ["key"]
    expect(fieldPath(pointer, document)).toBe(path);
  });
});

test('a keyword the schemas do not use yet still names the field, the value and the rule', () => {
  // GIVEN an error of a keyword with no wording of its own
  const error = { keyword: 'uniqueItems', instancePath: '/inputs', schemaPath: '#/properties/inputs/uniqueItems', params: { i: 1, j: 0 }, data: ['a', 'a'] };
  // WHEN put in words / THEN the message still says where, what and which rule
  expect(schemaProblems([error], { inputs: ['a', 'a'] }, 'graph.json').map(String)).toEqual(['graph.json inputs: ["a","a"] must satisfy the schema\'s "uniqueItems" rule ({"i":1,"j":0})']);
});
