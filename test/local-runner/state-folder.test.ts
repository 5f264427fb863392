/**
 * The state folder of panorama-local: made with a format marker, reopened when the marker says
 * this version, and refused (untouched, with a message that says what to do) otherwise.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MARKER_FILE, openStateFolder, STATE_FOLDER_FORMAT, STATE_FOLDER_VERSION } from '../../local-runner/state-folder';

let parent: string;
beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'state-folder-'));
});
afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

test('a folder that does not exist is made, with its marker', () => {
  // GIVEN no folder / WHEN it is opened
  const folder = openStateFolder(path.join(parent, '.panorama-local'));

  // THEN it exists with a marker of this format and version, and every part lives inside it
  expect(JSON.parse(fs.readFileSync(folder.marker, 'utf8'))).toEqual({ format: STATE_FOLDER_FORMAT, version: STATE_FOLDER_VERSION });
  const parts = [folder.lockFile, folder.runnerStateFile, folder.emulatorStateFile, folder.s3Directory, folder.functionsDirectory];
  parts.push(folder.assemblyDirectory);
  for (const part of parts) expect(path.dirname(part)).toBe(folder.root);
});

test('a folder of this version opens again as it is', () => {
  // GIVEN a folder made earlier, with a state file in it
  const first = openStateFolder(path.join(parent, 'state'));
  fs.writeFileSync(first.runnerStateFile, '{"stacks":{}}');

  // WHEN it is opened again / THEN nothing changed
  expect(openStateFolder(path.join(parent, 'state'))).toEqual(first);
  expect(fs.readFileSync(first.runnerStateFile, 'utf8')).toBe('{"stacks":{}}');
});

test('an empty folder becomes a state folder', () => {
  fs.mkdirSync(path.join(parent, 'empty'));
  expect(fs.existsSync(openStateFolder(path.join(parent, 'empty')).marker)).toBe(true);
});

test('a folder of another version is refused with what to do, and left as it was', () => {
  // GIVEN a folder written by a later panorama-local
  const root = path.join(parent, 'state');
  fs.mkdirSync(root);
  const marker = JSON.stringify({ format: STATE_FOLDER_FORMAT, version: STATE_FOLDER_VERSION + 1 });
  fs.writeFileSync(path.join(root, MARKER_FILE), marker);

  // WHEN it is opened / THEN it is refused, naming both versions and the way out
  expect(() => openStateFolder(root)).toThrow(new RegExp(`holds state of version ${STATE_FOLDER_VERSION + 1}, and this panorama-local reads `
    + `version ${STATE_FOLDER_VERSION} only\\. Use the release of cdk-panorama-package-import that wrote it, or start over: delete the folder \\(rm -rf .*state\\)`));
  expect(fs.readdirSync(root)).toEqual([MARKER_FILE]);
  expect(fs.readFileSync(path.join(root, MARKER_FILE), 'utf8')).toBe(marker);
});

test('a folder with files but no marker is not taken over', () => {
  // GIVEN a folder that holds something else (someone's project, say)
  const root = path.join(parent, 'project');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'package.json'), '{}');

  // WHEN it is opened / THEN it is refused and nothing is written into it
  expect(() => openStateFolder(root)).toThrow(/project is not a panorama-local state folder \(it has files but no format\.json\), so nothing in it is touched/);
  expect(fs.readdirSync(root)).toEqual(['package.json']);
});

test.each([
  ['a marker that is not JSON', '{"format":', /format\.json is not valid JSON .*To start over, delete the folder/],
  ['a marker of another tool', JSON.stringify({ format: 'other-tool', version: 1 }), /is not a panorama-local state folder \(format\.json says format "other-tool"/],
])('%s is refused', (_label, content, message) => {
  const root = path.join(parent, 'state');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, MARKER_FILE), content);
  expect(() => openStateFolder(root)).toThrow(message);
});

test('a file in place of the folder is refused', () => {
  fs.writeFileSync(path.join(parent, 'state'), '');
  expect(() => openStateFolder(path.join(parent, 'state'))).toThrow(/state is a file, not a state folder/);
});
