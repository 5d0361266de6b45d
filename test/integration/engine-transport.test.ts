// Our HTTP transport (core/engine/http-transport.ts) against the real engine: the parts dockerode's
// modem used to do for us (upgrade to a raw socket, tar uploads, aborts, connection errors,
// keep-alive reuse) checked on what dockerd 20.10 actually does.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import tar from 'tar-fs';
import { connectEngine } from '../../core/engine/connect.js';
import type { DockerEngine } from '../../core/engine/docker.js';
import type { Engine, LogLine } from '../../core/engine/engine.js';
import { HttpTransport } from '../../core/engine/http-transport.js';
import { resolveEngineAddress } from '../../core/engine/address.js';
import { EngineError, isConflict } from '../../core/errors.js';
import { containerSpec, projectPerTest } from './support/engine-fixtures.js';
import { PROJECT_LABEL, TEST_IMAGE, makeTempDir } from './support/project.js';

const engine: Engine = connectEngine();


async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops the 8-byte frame headers of a non-TTY stream (the payload here is plain ASCII). */
function demux(raw: Buffer): string {
  let out = '';
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    out += raw.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return out;
}

describe('HttpTransport against the real engine', () => {
  let project = '';
  projectPerTest(engine, (name) => (project = name));

  it('upgrades exec to a raw socket: stdin goes in, and closing it ends the process', async () => {
    const id = await engine.createContainer(containerSpec(project, 'app', 'exec sleep 60'));
    await engine.startContainer(id);
    // `cat` only exits once its stdin is closed: the half-close must reach the engine.
    const session = await engine.execStream(id, { command: ['sh', '-c', 'cat; echo done >&2'], tty: false, interactive: true });
    expect(session.input).toBeDefined();
    const chunks: Buffer[] = [];
    session.output.on('data', (chunk: Buffer) => chunks.push(chunk));
    session.input!.write('first line\n');
    session.input!.end('second line\n');
    expect(await session.exitCode()).toBe(0);
    expect(demux(Buffer.concat(chunks))).toBe('first line\nsecond line\ndone\n');
  });

  it('streams a tar build context with repeated tags and a registry config header', async () => {
    const docker = engine as DockerEngine;
    const tags = [`${project}-img:one`, `${project}-img:two`];
    const context = await makeTempDir({ Dockerfile: `FROM ${TEST_IMAGE}\nCOPY payload.txt /payload.txt\n`, 'payload.txt': 'from the tar\n' });
    try {
      await docker.buildImage(tar.pack(context.dir) as unknown as Readable, {
        tags,
        labels: { [PROJECT_LABEL]: project },
        // Base images come from no registry here: the header must simply be accepted.
        registryConfig: { 'registry.invalid': { username: 'u', password: 'p+/=', serveraddress: 'registry.invalid' } },
      });
      const image = await engine.inspectImage(tags[0]!);
      expect([...image!.repoTags].sort()).toEqual([...tags].sort());
      const id = await engine.createContainer({ ...containerSpec(project, 'built', 'cat /payload.txt'), body: { ...containerSpec(project, 'built', 'cat /payload.txt').body, Image: tags[1]! } });
      await engine.startContainer(id);
      expect(await engine.waitContainer(id)).toBe(0);
      const lines: LogLine[] = [];
      for await (const line of engine.containerLogs(id, { follow: false, timestamps: false, tty: false })) lines.push(line);
      expect(lines.map((l) => l.text)).toEqual(['from the tar']);
    } finally {
      await context.remove();
      for (const tag of tags) await engine.removeImage(tag, { force: true }).catch(() => undefined);
    }
  });

  it('ends a followed stream quietly on abort, and the connection pool keeps working', async () => {
    const id = await engine.createContainer(containerSpec(project, 'ticker', 'while true; do echo tick; sleep 0.1; done'));
    await engine.startContainer(id);
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const line of engine.containerLogs(id, { follow: true, timestamps: false, tty: false, signal: controller.signal })) {
      seen.push(line.text);
      if (seen.length === 3) controller.abort();
    }
    expect(seen.slice(0, 3)).toEqual(['tick', 'tick', 'tick']);

    // A wait aborted mid-answer rejects with the caller's AbortError, not an engine error.
    const waiting = new AbortController();
    const wait = engine.waitContainer(id, waiting.signal).catch((e: unknown) => e);
    setTimeout(() => waiting.abort(), 100);
    expect((await wait) as Error).toMatchObject({ name: 'AbortError' });

    // Many requests at once, then more on the kept-alive connections.
    const lists = await Promise.all(Array.from({ length: 40 }, () => engine.listContainers({ labels: [`${PROJECT_LABEL}=${project}`], all: true })));
    expect(lists.every((list) => list.length === 1)).toBe(true);
    for (let i = 0; i < 5; i++) await engine.ping();
  });

  it('answers text, JSON and error statuses as the engine sends them', async () => {
    const transport = new HttpTransport(resolveEngineAddress(process.env, process.env['HOME'] ?? '/root'));
    try {
      expect(await transport.send({ method: 'GET', path: '/_ping' })).toBe('OK');
      expect(await transport.send<{ ApiVersion: string }>({ method: 'GET', path: '/version' })).toMatchObject({ ApiVersion: expect.stringMatching(/^1\./) });
      const missing = await transport.send({ method: 'GET', path: '/containers/stk-no-such-container/json' }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ statusCode: 404, message: expect.stringMatching(/No such container/) });
      const response = await transport.send<IncomingMessage>({ method: 'GET', path: '/version', stream: true });
      expect(JSON.parse(await text(response))).toHaveProperty('Version');
    } finally {
      transport.close();
    }

    const spec = containerSpec(project, 'dup', 'true');
    await engine.createContainer(spec);
    const conflict = await engine.createContainer(spec).catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);
    expect((conflict as EngineError).message).toMatch(/^create container .*-dup: Conflict\. The container name .* is already in use/);
    expect((conflict as EngineError).hint).toMatch(/already exists/);
  });

  it('names the address when the engine cannot be reached', async () => {
    const env = { DOCKER_HOST: 'unix:///nope.sock' };
    const expected = 'cannot reach the Docker engine at unix:///nope.sock: is dockerd running?';
    const engine = connectEngine({ env });
    for (const attempt of [() => engine.ping(), () => engine.listContainers({ labels: [], all: true }), () => engine.inspectImage('anything')]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: expected, hint: expect.stringMatching(/DOCKER_HOST/) });
    }
  });

  it('still reaches ssh addresses through dockerode\'s modem, loaded on demand', async () => {
    // Nothing listens on port 1: the modem's connection error must read like ours.
    const error = await connectEngine({ env: { DOCKER_HOST: 'ssh://nobody@127.0.0.1:1' } })
      .ping()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'cannot reach the Docker engine at ssh://127.0.0.1:1: is dockerd running?' });
  });
});
