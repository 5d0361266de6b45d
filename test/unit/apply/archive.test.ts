// The in-memory tar writer, checked by reading the archive back with tar-stream (a dependency of tar-fs).
import { describe, expect, test } from 'vitest';
import { extract } from 'tar-stream';
import { tarBuffer } from '../../../core/apply/archive.js';

interface Read {
  name: string;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
  body: string;
}

async function readBack(buffer: Buffer): Promise<Read[]> {
  const out: Read[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({ name: header.name, mode: header.mode, uid: header.uid, gid: header.gid, body: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  ex.end(buffer);
  await done;
  return out;
}

describe('tarBuffer', () => {
  test('writes files with mode and owner that a tar reader reads back', async () => {
    const buffer = tarBuffer([
      { path: 'run/secrets/token', content: 's3cret', mode: 0o400, uid: 1000, gid: 1001 },
      { path: '/app.conf', content: 'x'.repeat(513), mode: 0o444 },
    ]);
    expect(buffer.length % 512).toBe(0);
    expect(await readBack(buffer)).toEqual([
      { name: 'run/secrets/token', mode: 0o400, uid: 1000, gid: 1001, body: 's3cret' },
      { name: 'app.conf', mode: 0o444, uid: 0, gid: 0, body: 'x'.repeat(513) },
    ]);
  });

  test('long paths go through the ustar prefix field', async () => {
    const path = `${'d'.repeat(90)}/${'e'.repeat(60)}/file.txt`;
    expect((await readBack(tarBuffer([{ path, content: 'ok', mode: 0o644 }])))[0]?.name).toBe(path);
  });
});
