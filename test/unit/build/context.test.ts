// The build context tar: .dockerignore selection, the Dockerfile always sent, a Dockerfile outside
// the context or inline added under a generated name, remote contexts refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextFilter, createBuildContext, isRemoteContext, locateDockerfile, parseDockerignore } from '../../../core/build/context.js';
import { StackError } from '../../../core/errors.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stack-context-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function files(root: string, tree: Record<string, string>): void {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Every file entry of the tar, path -> content (a later entry of the same name wins, as on extract). */
async function entries(stream: Readable): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const target = mkdtempSync(join(tmpdir(), 'stack-context-out-'));
  try {
    const extract = tar.extract(target, {
      ignore: (_name: string, header?: { name: string; type?: string | null }) => {
        if (header && header.type === 'file') out.set(header.name, '');
        return false;
      },
    });
    await new Promise<void>((resolve, reject) => {
      stream.pipe(extract).on('finish', resolve).on('error', reject);
      stream.on('error', reject);
    });
    const { readFileSync } = await import('node:fs');
    for (const name of out.keys()) out.set(name, readFileSync(join(target, name), 'utf8'));
    return out;
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

describe('contextFilter (Docker .dockerignore semantics)', () => {
  it('excludes matches and brings back exceptions', () => {
    const filter = contextFilter(parseDockerignore('# comment\n\nnode_modules\n*.log\n!keep.log\nsecrets/**\n'));
    expect(filter.ignoresFile('app.log')).toBe(true);
    expect(filter.ignoresFile('keep.log')).toBe(false);
    expect(filter.ignoresFile('src/app.log')).toBe(false); // `*` does not cross folders in .dockerignore
    expect(filter.ignoresFile('secrets/a/b.txt')).toBe(true);
    expect(filter.ignoresFile('src/index.ts')).toBe(false);
  });

  it('skips an excluded folder whole unless an exception could reach into it', () => {
    expect(contextFilter(['node_modules']).ignoresDirectory('node_modules')).toBe(true);
    expect(contextFilter(['vendor', '!vendor/keep']).ignoresDirectory('vendor')).toBe(false);
  });

  it('never drops the Dockerfile or .dockerignore', () => {
    const filter = contextFilter(['*', 'build'], ['build/Dockerfile', '.dockerignore']);
    expect(filter.ignoresFile('build/Dockerfile')).toBe(false);
    expect(filter.ignoresFile('.dockerignore')).toBe(false);
    expect(filter.ignoresDirectory('build')).toBe(false);
    expect(filter.ignoresFile('build/other')).toBe(true);
  });
});

describe('createBuildContext', () => {
  it('leaves out what .dockerignore excludes', async () => {
    files(dir, { Dockerfile: 'FROM scratch\n', '.dockerignore': 'secret.txt\nlogs\n', 'secret.txt': 'x', 'app.txt': 'a', 'logs/1.log': 'l', 'src/main.c': 'c' });
    const context = await createBuildContext({ context: dir });
    expect(context.dockerfile).toBe('Dockerfile');
    expect([...(await entries(context.stream)).keys()].sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.txt', 'src/main.c']);
  });

  it('reads <Dockerfile>.dockerignore before .dockerignore', async () => {
    files(dir, { 'docker/app.Dockerfile': 'FROM scratch\n', 'docker/app.Dockerfile.dockerignore': 'b.txt\n', '.dockerignore': 'a.txt\n', 'a.txt': 'a', 'b.txt': 'b' });
    const context = await createBuildContext({ context: dir, dockerfile: 'docker/app.Dockerfile' });
    expect(context.dockerfile).toBe('docker/app.Dockerfile');
    const names = [...(await entries(context.stream)).keys()];
    expect(names).toContain('a.txt');
    expect(names).not.toContain('b.txt');
  });

  it('sends the Dockerfile even when .dockerignore excludes it', async () => {
    files(dir, { Dockerfile: 'FROM scratch\n', '.dockerignore': '*\n' });
    const context = await createBuildContext({ context: dir });
    expect([...(await entries(context.stream)).keys()].sort()).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it('adds a Dockerfile from outside the context under a generated name that the daemon is told to drop', async () => {
    files(dir, { 'Dockerfile.outside': 'FROM scratch\nCOPY . /\n', 'ctx/app.txt': 'a', 'ctx/.dockerignore': 'tmp\n' });
    const context = await createBuildContext({ context: join(dir, 'ctx'), dockerfile: '../Dockerfile.outside' });
    expect(context.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    expect(context.dockerfileText).toBe('FROM scratch\nCOPY . /\n');
    const tarred = await entries(context.stream);
    expect(tarred.get(context.dockerfile)).toBe('FROM scratch\nCOPY . /\n');
    expect(tarred.get('.dockerignore')?.split('\n')).toEqual(['tmp', '.dockerignore', context.dockerfile, '']);
    expect(tarred.has('app.txt')).toBe(true);
  });

  it('adds dockerfile_inline the same way', async () => {
    files(dir, { 'app.txt': 'a' });
    const context = await createBuildContext({ context: dir, dockerfileInline: 'FROM scratch\n' });
    const tarred = await entries(context.stream);
    expect(tarred.get(context.dockerfile)).toBe('FROM scratch\n');
  });

  it('sends files as root', async () => {
    files(dir, { Dockerfile: 'FROM scratch\n' });
    const context = await createBuildContext({ context: dir });
    const owners: number[] = [];
    const extract = (await import('tar-stream')).default.extract();
    extract.on('entry', (header, body, next) => {
      owners.push(header.uid ?? -1, header.gid ?? -1);
      body.on('end', () => next()).resume();
    });
    await new Promise<void>((resolve) => context.stream.pipe(extract).on('finish', () => resolve()));
    expect(new Set(owners)).toEqual(new Set([0]));
  });

  it('refuses git and URL contexts with a clear message', async () => {
    for (const context of ['https://github.com/docker/compose.git', 'git@github.com:a/b.git', 'https://example.com/ctx.tar.gz']) {
      expect(isRemoteContext(context)).toBe(true);
      const error = await createBuildContext({ context, service: 'web' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StackError);
      expect((error as StackError).message).toBe(`service web: build context ${context} is a remote (git or URL) context, which stack does not build from`);
    }
  });

  it('names a missing context folder or Dockerfile', async () => {
    const missing = (await createBuildContext({ context: join(dir, 'nope'), service: 'web' }).catch((e: unknown) => e)) as StackError;
    expect(missing.message).toBe(`service web: build context ${join(dir, 'nope')} does not exist`);
    const noFile = (await createBuildContext({ context: dir, dockerfile: 'Custom', service: 'web' }).catch((e: unknown) => e)) as StackError;
    expect(noFile.message).toBe(`service web: Dockerfile ${join(dir, 'Custom')} does not exist`);
  });
});

describe('locateDockerfile', () => {
  it('tells inside from outside the context', () => {
    expect(locateDockerfile('/p/ctx', undefined)).toEqual({ path: '/p/ctx/Dockerfile', inContext: 'Dockerfile' });
    expect(locateDockerfile('/p/ctx', 'sub/D')).toEqual({ path: '/p/ctx/sub/D', inContext: 'sub/D' });
    expect(locateDockerfile('/p/ctx', '../D')).toEqual({ path: '/p/D' });
    expect(locateDockerfile('/p/ctx', '/elsewhere/D')).toEqual({ path: '/elsewhere/D' });
  });
});
