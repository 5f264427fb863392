/**
 * The reproducible archive: a tar made deterministic (members sorted by path, hard links after what
 * they link to, every time zero) and compressed without a name or time, in the formats an engine's
 * export may write (PAX, GNU long names, plain ustar).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { archiveExport, gzipFile, normalizeTar, sha256File } from '../../src/package-import/build/archive';
import { fixtureFolder, removeFixtures, sha256 } from '../support/package-fixture';

afterAll(removeFixtures);

const LONG = `${'deep/'.repeat(30)}model_weights.params`;

/** A folder of files (a long path, a link, a hard link, an executable), every time stamp `mtime`. */
function rootfs(mtime: Date, options: { hardLink?: boolean } = {}): string {
  const root = fixtureFolder('rootfs-');
  fs.mkdirSync(path.join(root, path.dirname(LONG)), { recursive: true });
  fs.mkdirSync(path.join(root, 'panorama'));
  fs.writeFileSync(path.join(root, 'panorama', 'app.py'), 'print("counted")\n');
  fs.writeFileSync(path.join(root, 'panorama', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(root, LONG), Buffer.alloc(3000, 7));
  if (options.hardLink ?? true) fs.linkSync(path.join(root, 'panorama', 'app.py'), path.join(root, 'a-hard-link.py'));
  fs.symlinkSync('/panorama/app.py', path.join(root, 'panorama', 'current'));
  const all = execFileSync('find', [root], { encoding: 'utf-8' }).trim().split('\n');
  for (const file of all.reverse()) execFileSync('touch', ['-h', '-d', mtime.toISOString(), file]);
  return root;
}

/** A tar of the folder in the given format; entries in the order given (as an engine might write them). */
function tarOf(root: string, format: string, order: 'sorted' | 'reversed'): string {
  const names = execFileSync('find', ['.', '-mindepth', '1'], { cwd: root, encoding: 'utf-8' }).trim().split('\n').sort();
  if (order === 'reversed') names.reverse();
  const file = path.join(fixtureFolder('tar-'), 'export.tar');
  execFileSync('tar', ['cf', file, `--format=${format}`, '--no-recursion', '-C', root, ...names]);
  return file;
}

function normalized(input: string): Buffer {
  const output = `${input}.normalized`;
  normalizeTar(input, output);
  return fs.readFileSync(output);
}

function listing(file: string): string[] {
  return execFileSync('tar', ['tvf', file], { encoding: 'utf-8' }).trim().split('\n');
}

describe('normalizeTar', () => {
  test.each(['pax', 'gnu', 'ustar'])('the same files give the same bytes whatever their times and order (%s)', (format) => {
    // GIVEN two exports of the same files, made at different times, in different orders (no hard
    // link: which of its names holds the bytes is the engine's choice, and is kept)
    const first = tarOf(rootfs(new Date('2026-01-02T03:04:05Z'), { hardLink: false }), format, 'sorted');
    const second = tarOf(rootfs(new Date('2026-06-07T08:09:10Z'), { hardLink: false }), format, 'reversed');
    expect(fs.readFileSync(first)).not.toEqual(fs.readFileSync(second));
    // WHEN each is normalized / THEN the bytes are the same
    expect(normalized(first)).toEqual(normalized(second));
  });

  test('the same export at other times gives the same bytes, hard links included', () => {
    // GIVEN two exports in the same order, with a hard link, made at different times
    const first = tarOf(rootfs(new Date('2026-01-02T03:04:05Z')), 'pax', 'sorted');
    const second = tarOf(rootfs(new Date('2026-06-07T08:09:10Z')), 'pax', 'sorted');
    // WHEN each is normalized / THEN the bytes are the same
    expect(normalized(first)).toEqual(normalized(second));
  });

  test('every member is kept, sorted by path, each time zero, the hard link after what it links to', () => {
    // GIVEN an export whose hard link sorts before its target
    const input = tarOf(rootfs(new Date('2026-01-02T03:04:05Z')), 'pax', 'reversed');
    // WHEN it is normalized
    const output = `${input}.normalized`;
    normalizeTar(input, output);
    // THEN the listing holds every member, all at time zero, in path order, the hard link last
    const lines = listing(output);
    expect(lines).toHaveLength(listing(input).length);
    expect(lines.every((l) => l.includes(' 1970-01-01 00:00 '))).toBe(true);
    const names = lines.map((l) => l.split(/\s+/).slice(5).join(' '));
    expect(names.at(-1)).toMatch(/^\.\/a-hard-link\.py link to \.\/panorama\/app\.py$/);
    const others = names.slice(0, -1).map((n) => n.replace(/ -> .*$/, ''));
    expect(others).toEqual([...others].sort());
    expect(others).toContain(`./${LONG}`);
  });

  test('the files extract with the same bytes, modes and links', () => {
    // GIVEN a normalized export
    const root = rootfs(new Date('2026-01-02T03:04:05Z'));
    const input = tarOf(root, 'gnu', 'reversed');
    normalizeTar(input, `${input}.normalized`);
    // WHEN it is extracted
    const out = fixtureFolder('extracted-');
    execFileSync('tar', ['xf', `${input}.normalized`, '-C', out]);
    // THEN the contents, the executable bit, the link and the hard link are as they were
    expect(fs.readFileSync(path.join(out, LONG))).toEqual(fs.readFileSync(path.join(root, LONG)));
    expect(fs.statSync(path.join(out, 'panorama', 'run.sh')).mode % 0o1000).toBe(0o755);
    expect(fs.readlinkSync(path.join(out, 'panorama', 'current'))).toBe('/panorama/app.py');
    expect(fs.statSync(path.join(out, 'a-hard-link.py')).ino).toBe(fs.statSync(path.join(out, 'panorama', 'app.py')).ino);
  });
});

describe('gzipFile and archiveExport', () => {
  test('the gzip header holds no file name and no time', () => {
    // GIVEN a file / WHEN it is compressed
    const dir = fixtureFolder('gzip-');
    fs.writeFileSync(path.join(dir, 'in.tar'), 'some bytes');
    gzipFile(path.join(dir, 'in.tar'), path.join(dir, 'out.gz'));
    const header = fs.readFileSync(path.join(dir, 'out.gz')).subarray(0, 10);
    // THEN the FNAME flag is clear and MTIME is zero, and it decompresses to the input
    expect(header[3] & 0x08).toBe(0); // eslint-disable-line no-bitwise
    expect(header.readUInt32LE(4)).toBe(0);
    expect(execFileSync('gzip', ['-dc', path.join(dir, 'out.gz')], { encoding: 'utf-8' })).toBe('some bytes');
  });

  test('the archive is named sha256(its bytes).tar.gz and only it is left', () => {
    // GIVEN an export in a build folder
    const dir = fixtureFolder('build-');
    fs.copyFileSync(tarOf(rootfs(new Date()), 'pax', 'sorted'), path.join(dir, 'export.tar'));
    // WHEN it is archived
    const name = archiveExport(path.join(dir, 'export.tar'), dir);
    // THEN its name is its hash, and the export and intermediate files are gone
    expect(name).toBe(`${sha256File(path.join(dir, name))}.tar.gz`);
    expect(name).toBe(`${sha256(fs.readFileSync(path.join(dir, name)))}.tar.gz`);
    expect(fs.readdirSync(dir)).toEqual([name]);
  });
});
