/**
 * A container's exported file system made into a reproducible archive, as panorama-cli's
 * `build-container` names it (`sha256(bytes).tar.gz`) but deterministic: entries sorted by path,
 * every time stamp zero, and a gzip header without a name or time. The same files therefore give
 * the same archive bytes and name, however often and whenever the image was built.
 *
 * Synchronous (a construct builds at synth), and streaming through files: an export can be larger
 * than memory should hold.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const BLOCK = 512;
const CHUNK = 1024 * 1024;

/** One member of a tar: its extended headers, its header, and where its data lies in the input. */
interface TarMember {
  readonly name: string;
  readonly hardLink: boolean;
  /** Extended header blocks (GNU long names; PAX records already rewritten), then the header. */
  readonly headers: Buffer[];
  readonly dataOffset: number;
  /** The data's length rounded up to whole blocks. */
  readonly dataBlocks: number;
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error(`the archive ends inside a member (at byte ${position + done})`);
    done += n;
  }
  return buffer;
}

function cString(buffer: Buffer, start: number, length: number): string {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf-8');
}

/** A numeric header field: octal text, or base-256 when its first byte has the high bit. */
function numeric(buffer: Buffer, start: number, length: number): number {
  const field = buffer.subarray(start, start + length);
  if (field[0] >= 0x80) {
    let value = 0;
    for (let i = 1; i < length; i++) value = value * 256 + field[i];
    return value;
  }
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function octal(buffer: Buffer, start: number, length: number, value: number): void {
  buffer.write(value.toString(8).padStart(length - 1, '0') + '\0', start, length, 'ascii');
}

/** Zeroes a header's time stamps (and GNU's access and change times) and sets its checksum. */
function normalizeHeader(header: Buffer): Buffer {
  const out = Buffer.from(header);
  octal(out, 136, 12, 0);
  if (out.toString('ascii', 257, 265) === 'ustar  \0') {
    out.fill(0, 345, 369); // old GNU format: atime, ctime
  }
  out.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of out) sum += byte;
  out.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return out;
}

function blocksOf(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** PAX records ("len key=value\n") as pairs. */
function paxRecords(data: Buffer): Array<[string, string]> {
  const records: Array<[string, string]> = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = parseInt(data.toString('ascii', at, space), 10);
    if (!(length > 0)) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf-8');
    const eq = record.indexOf('=');
    if (eq > 0) records.push([record.slice(0, eq), record.slice(eq + 1)]);
    at += length;
  }
  return records;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return Buffer.from(`${length}${body}`, 'utf-8');
}

const PAX_TIMES = new Set(['mtime', 'atime', 'ctime', 'LIBARCHIVE.creationtime']);

/** A PAX header without its time records, or undefined when nothing else was in it. */
function normalizePax(header: Buffer, data: Buffer): Buffer[] | undefined {
  const kept = paxRecords(data).filter(([key]) => !PAX_TIMES.has(key));
  if (kept.length === 0) return undefined;
  const body = Buffer.concat(kept.map(([key, value]) => paxRecord(key, value)));
  const out = Buffer.from(header);
  octal(out, 124, 12, body.length);
  const padded = Buffer.alloc(blocksOf(body.length));
  body.copy(padded);
  return [normalizeHeader(out), padded];
}

/** Reads the members of a tar file, without their data. */
function scan(fd: number, size: number): { globals: Buffer[]; members: TarMember[] } {
  const globals: Buffer[] = [];
  const members: TarMember[] = [];
  let position = 0;
  let pending: Buffer[] = [];
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (position + BLOCK <= size) {
    const header = readExactly(fd, BLOCK, position);
    position += BLOCK;
    if (header.every((b) => b === 0)) break;
    const type = String.fromCharCode(header[156] || 0x30);
    const dataSize = numeric(header, 124, 12);
    const dataBlocks = blocksOf(dataSize);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      const data = readExactly(fd, dataBlocks, position);
      position += dataBlocks;
      if (type === 'g') {
        const normalized = normalizePax(header, data.subarray(0, dataSize));
        if (normalized) globals.push(...normalized);
      } else if (type === 'x') {
        const records = paxRecords(data.subarray(0, dataSize));
        paxPath = records.find(([key]) => key === 'path')?.[1] ?? paxPath;
        const normalized = normalizePax(header, data.subarray(0, dataSize));
        if (normalized) pending.push(...normalized);
      } else {
        if (type === 'L') longName = cString(data, 0, dataSize);
        pending.push(normalizeHeader(header), data);
      }
      continue;
    }
    const prefix = header.toString('ascii', 257, 263) === 'ustar\0' ? cString(header, 345, 155) : '';
    const shortName = cString(header, 0, 100);
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${shortName}` : shortName);
    members.push({ name, hardLink: type === '1', headers: [...pending, normalizeHeader(header)], dataOffset: position, dataBlocks });
    position += dataBlocks;
    pending = [];
    longName = undefined;
    paxPath = undefined;
  }
  return { globals, members };
}

/**
 * Writes `input` (a tar) to `output` with its members sorted by path (hard links last, after what
 * they link to) and every time stamp zero.
 */
export function normalizeTar(input: string, output: string): void {
  const inFd = fs.openSync(input, 'r');
  const outFd = fs.openSync(output, 'w');
  try {
    const { globals, members } = scan(inFd, fs.fstatSync(inFd).size);
    const byPath = (a: TarMember, b: TarMember) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const ordered = [...members.filter((m) => !m.hardLink).sort(byPath), ...members.filter((m) => m.hardLink).sort(byPath)];
    for (const block of globals) fs.writeSync(outFd, block);
    for (const member of ordered) {
      for (const block of member.headers) fs.writeSync(outFd, block);
      for (let done = 0; done < member.dataBlocks; done += CHUNK) {
        fs.writeSync(outFd, readExactly(inFd, Math.min(CHUNK, member.dataBlocks - done), member.dataOffset + done));
      }
    }
    fs.writeSync(outFd, Buffer.alloc(BLOCK * 2));
  } finally {
    fs.closeSync(inFd);
    fs.closeSync(outFd);
  }
}

// Streams through Node's zlib in a child: its gzip header carries no file name and a zero time.
const GZIP_SCRIPT = [
  "const fs = require('fs'), zlib = require('zlib'), { pipeline } = require('stream');",
  'pipeline(fs.createReadStream(process.argv[1]), zlib.createGzip({ level: 1 }), fs.createWriteStream(process.argv[2]),',
  '  (e) => { if (e) { console.error(e.message); process.exit(1); } });',
].join('\n');

/** Compresses a file with gzip level 1 (as `gzip -1`), deterministically. */
export function gzipFile(input: string, output: string): void {
  const result = spawnSync(process.execPath, ['-e', GZIP_SCRIPT, input, output], { encoding: 'utf-8' });
  if (result.status !== 0) {
    throw new Error(`compressing ${input} failed: ${(result.stderr || result.error?.message || '').trim()}`);
  }
}

/** The sha256 of a file's bytes, in hex. */
export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK);
    let n: number;
    while ((n = fs.readSync(fd, buffer, 0, CHUNK, null)) > 0) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Makes an exported file system (`exported`, a tar) into `<sha256>.tar.gz` in `directory`, the
 * name panorama-cli gives it; returns that name. The intermediate files are removed.
 */
export function archiveExport(exported: string, directory: string): string {
  const normalized = path.join(directory, 'normalized.tar');
  const compressed = path.join(directory, 'archive.tar.gz');
  normalizeTar(exported, normalized);
  fs.rmSync(exported, { force: true });
  gzipFile(normalized, compressed);
  fs.rmSync(normalized, { force: true });
  const name = `${sha256File(compressed)}.tar.gz`;
  fs.renameSync(compressed, path.join(directory, name));
  return name;
}
