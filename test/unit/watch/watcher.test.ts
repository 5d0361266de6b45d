// The spec watcher on a real folder (no engine): each way editors save must come out as a change
// of the watched path, and nothing else in the folder must.
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchFiles, type FileChange, type FileSetWatcher } from '../../../core/watch/watcher.js';

let dir = '';
let watcher: FileSetWatcher | undefined;
let batches: FileChange[][] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-watcher-'));
  batches = [];
});
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(files: string[]): Promise<void> {
  watcher = await watchFiles(files, { quietMs: 50, onBatch: (b) => batches.push(b) });
}

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; batches: ${JSON.stringify(batches)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sawChangeOf = (path: string) => () => batches.some((b) => b.some((c) => c.path === path));

describe('watchFiles', () => {
  it('sees a write in place', async () => {
    const spec = join(dir, 'compose.yaml');
    await writeFile(spec, 'a');
    await start([spec]);
    await writeFile(spec, 'b');
    await until(sawChangeOf(spec));
  });

  it('sees a write-and-rename save, and ignores the temp file', async () => {
    const spec = join(dir, 'compose.yaml');
    await writeFile(spec, 'a');
    await start([spec]);
    await writeFile(join(dir, '.compose.yaml.tmp'), 'b');
    await rename(join(dir, '.compose.yaml.tmp'), spec);
    await until(sawChangeOf(spec));
    expect(batches.flat().every((c) => c.path === spec)).toBe(true);
  });

  it('survives the file disappearing and coming back, then sees later writes in place', async () => {
    const spec = join(dir, 'compose.yaml');
    await writeFile(spec, 'a');
    await start([spec]);
    await unlink(spec);
    await until(() => batches.flat().some((c) => c.path === spec && c.kind === 'unlink'));
    await new Promise((r) => setTimeout(r, 200));
    await writeFile(spec, 'back');
    await until(() => batches.flat().some((c) => c.path === spec && c.kind === 'add'));
    const count = batches.length;
    await new Promise((r) => setTimeout(r, 150));
    await writeFile(spec, 'again');
    await until(() => batches.length > count && batches.slice(count).flat().some((c) => c.path === spec));
  });

  it('coalesces several writes in a row into one batch', async () => {
    const spec = join(dir, 'compose.yaml');
    await writeFile(spec, 'a');
    await start([spec]);
    for (let i = 0; i < 5; i++) await writeFile(spec, `v${i}`);
    await until(sawChangeOf(spec));
    await new Promise((r) => setTimeout(r, 150));
    expect(batches).toHaveLength(1);
  });

  it('follows files added to the set later (a new env_file)', async () => {
    const spec = join(dir, 'compose.yaml');
    const env = join(dir, 'app.env');
    await writeFile(spec, 'a');
    await writeFile(env, 'A=1');
    await start([spec]);
    await writeFile(env, 'A=2');
    await new Promise((r) => setTimeout(r, 200));
    expect(batches).toEqual([]);
    await watcher!.setFiles([spec, env]);
    await writeFile(env, 'A=3');
    await until(sawChangeOf(env));
  });
});
