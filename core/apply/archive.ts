// A tiny in-memory tar (ustar) writer for the archive API: secrets and configs with inline
// content are written into created containers as one small archive. tar-stream sits in
// node_modules only as tar-fs's dependency, so relying on it would break on the next update.
import { Readable } from 'node:stream';

export interface TarEntry {
  /** Path inside the archive, relative (`run/secrets/token`). */
  path: string;
  content: string | Buffer;
  mode: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch; default 0 keeps archives byte-identical across runs. */
  mtime?: number;
}

const BLOCK = 512;

/** The archive as one buffer: a header and padded data per entry, then two zero blocks. */
export function tarBuffer(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    parts.push(header(entry, data.length), data, Buffer.alloc(padding(data.length)));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export function tarStream(entries: readonly TarEntry[]): Readable {
  return Readable.from([tarBuffer(entries)]);
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function header(entry: TarEntry, size: number): Buffer {
  const { name, prefix } = splitPath(entry.path.replace(/^\/+/, ''));
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, entry.mode & 0o7777);
  writeOctal(block, 108, 8, entry.uid ?? 0);
  writeOctal(block, 116, 8, entry.gid ?? 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, entry.mtime ?? 0);
  // The checksum is computed with its own field read as spaces.
  block.fill(0x20, 148, 156);
  block.write('0', 156, 'ascii'); // regular file
  writeString(block, 257, 6, 'ustar');
  writeString(block, 263, 2, '00');
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** ustar keeps up to 100 bytes in `name` and 155 more, split at a slash, in `prefix`. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new RangeError(`path too long for a tar header: ${path}`);
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}
