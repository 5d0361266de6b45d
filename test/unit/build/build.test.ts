// Building one service against a fake engine: the builder's parameters, base-image credentials,
// the build stream, and a failing build named by service, step and output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseImages, builderOptions, buildServiceImage, stripAnsi } from '../../../core/build/build.js';
import { followBuildStream } from '../../../core/engine/build-stream.js';
import type { BuildImageOptions, RegistryAuth } from '../../../core/engine/engine.js';
import { EngineError, StackError } from '../../../core/errors.js';
import type { BuildConfig } from '../../../core/model/types.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stack-build-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM reg.example:5000/base:1 AS b\nFROM scratch\nCOPY --from=b / /\n');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const config = (extra: Partial<BuildConfig> = {}): BuildConfig => ({ context: dir, args: {}, labels: {}, cache_from: [], extra_hosts: [], tags: [], ...extra });

/** A builder answering with the given JSON messages (as the Engine API streams them). */
function fakeEngine(messages: object[]): { calls: BuildImageOptions[]; buildImage: (context: Readable, options: BuildImageOptions) => Promise<{ id?: string }> } {
  const calls: BuildImageOptions[] = [];
  return {
    calls,
    buildImage: async (context, options) => {
      calls.push(options);
      for await (const _ of context) void _;
      const body = Readable.from(messages.map((m) => `${JSON.stringify(m)}\r\n`));
      try {
        return await followBuildStream(body, options.tags[0] ?? 'image', { ...(options.onOutput ? { onOutput: options.onOutput } : {}) });
      } catch (error) {
        throw error;
      }
    },
  };
}

describe('builderOptions', () => {
  it('maps build: to the builder, flags over spec', () => {
    const build = config({
      args: { A: '1', UNSET: null, B: 'spec' },
      target: 'prod',
      labels: { team: 'x' },
      cache_from: ['reg/app:cache'],
      network: 'host',
      shm_size: 64 * 1024 * 1024,
      extra_hosts: ['db:10.0.0.2'],
      no_cache: false,
      pull: true,
    });
    expect(builderOptions(build, { noCache: true, buildArgs: { B: 'flag' } })).toEqual({
      buildArgs: { A: '1', B: 'flag' },
      target: 'prod',
      labels: { team: 'x' },
      cacheFrom: ['reg/app:cache'],
      networkMode: 'host',
      shmSize: 64 * 1024 * 1024,
      extraHosts: ['db:10.0.0.2'],
      noCache: true,
      pull: true,
    });
  });
});

describe('baseImages', () => {
  it('lists FROM images, not stages, scratch or ${ARG} forms', () => {
    const dockerfile = ['ARG V=1', 'FROM --platform=linux/amd64 golang:1.22 AS build', 'FROM build AS test', 'from \\', '  redis:7', 'FROM scratch', 'FROM ${BASE}', 'FROM golang:1.22'].join('\n');
    expect(baseImages(dockerfile)).toEqual(['golang:1.22', 'redis:7']);
  });
});

describe('buildServiceImage', () => {
  it('tags with the image and build.tags, sends base-image credentials, and returns the id', async () => {
    const engine = fakeEngine([{ stream: 'Step 1/3 : FROM reg.example:5000/base:1 AS b\n' }, { aux: { ID: 'sha256:abc' } }, { stream: 'Successfully built abc\n' }]);
    const auth = async (image: string): Promise<RegistryAuth | undefined> => (image.startsWith('reg.example:5000/') ? { serveraddress: 'reg.example:5000', username: 'u', password: 'p' } : undefined);
    const built = await buildServiceImage({ engine, service: { name: 'web', build: config({ tags: ['reg.example:5000/web:2'] }) }, image: 'proj-web', auth });
    expect(built).toEqual({ service: 'web', image: 'proj-web', tags: ['proj-web', 'reg.example:5000/web:2'], id: 'sha256:abc' });
    expect(engine.calls[0]?.tags).toEqual(['proj-web', 'reg.example:5000/web:2']);
    expect(engine.calls[0]?.dockerfile).toBe('Dockerfile');
    expect(Object.keys(engine.calls[0]?.registryConfig ?? {})).toEqual(['reg.example:5000']);
  });

  it('streams output line by line, also when a message holds several lines or half of one', async () => {
    const engine = fakeEngine([{ stream: 'Step 1/2 : RUN x\n' }, { stream: 'part one, ' }, { stream: 'part two\nline 3\n' }, { stream: '\u001b[91merr\n\u001b[0m' }]);
    const lines: string[] = [];
    await buildServiceImage({ engine, service: { name: 'web', build: config() }, image: 'p-web', onOutput: (line) => lines.push(line) });
    expect(lines).toEqual(['Step 1/2 : RUN x', 'part one, part two', 'line 3', 'err']);
  });

  it('a failing build names the service, the failing step and its output', async () => {
    const engine = fakeEngine([
      { stream: 'Step 1/2 : FROM busybox\n' },
      { stream: ' ---> 1234\n' },
      { stream: 'Step 2/2 : RUN make\n' },
      { stream: ' ---> Running in 99\n' },
      { stream: 'make: *** No rule to make target\n' },
      { errorDetail: { code: 2, message: "The command '/bin/sh -c make' returned a non-zero code: 2" }, error: "The command '/bin/sh -c make' returned a non-zero code: 2" },
    ]);
    const error = (await buildServiceImage({ engine, service: { name: 'api', build: config() }, image: 'p-api' }).catch((e: unknown) => e)) as StackError;
    expect(error).toBeInstanceOf(StackError);
    expect(error.message).toBe(
      ['service api: build failed at step 2/2 : RUN make', '  | make: *** No rule to make target', "  The command '/bin/sh -c make' returned a non-zero code: 2"].join('\n'),
    );
    expect(error.hint).toContain('stack build api');
  });

  it('passes an unreachable engine on as it is', async () => {
    const unreachable = new EngineError({ code: 'ENGINE_UNREACHABLE', operation: 'build image', message: 'is dockerd running?' });
    const engine = { buildImage: async () => Promise.reject(unreachable) };
    await expect(buildServiceImage({ engine, service: { name: 'api', build: config() }, image: 'p-api' })).rejects.toBe(unreachable);
  });
});

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    expect(stripAnsi('\u001b[91mred\u001b[0m plain')).toBe('red plain');
  });
});

describe('buildForApply (the build-image operation of up)', () => {
  it('builds the service from the project and reports Building, output and Built', async () => {
    const { buildForApply } = await import('../../../core/build/apply.js');
    const engine = fakeEngine([{ stream: 'Step 1/1 : FROM scratch\n' }, { aux: { ID: 'sha256:def' } }]);
    const events: { action: string; detail?: string }[] = [];
    const project = { name: 'p', services: { web: { name: 'web', build: config() } } } as never;
    const built = await buildForApply({ engine, project, service: 'web', image: 'p-web', emit: (e) => events.push({ action: e.action, ...(e.detail !== undefined ? { detail: e.detail } : {}) }), now: () => 0 });
    expect(built.id).toBe('sha256:def');
    expect(events).toEqual([
      { action: 'Building', detail: 'p-web' },
      { action: 'Building', detail: 'Step 1/1 : FROM scratch' },
      { action: 'Built', detail: 'p-web' },
    ]);
  });
});

describe('unsupportedBuildKeys', () => {
  it('names the BuildKit-only keys a spec uses', async () => {
    const { unsupportedBuildKeys } = await import('../../../core/build/build.js');
    expect(unsupportedBuildKeys(config())).toEqual([]);
    expect(unsupportedBuildKeys(config({ ssh: ['default'], additional_contexts: { a: '/x' }, platforms: ['linux/amd64', 'linux/arm64'] }))).toEqual(['ssh', 'additional_contexts', 'platforms']);
  });
});
