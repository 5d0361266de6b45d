// The Docker adapter against the real engine: every conversion (list, inspect, logs, exec,
// errors) is checked on what dockerd 20.10 actually sends.
import { describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import tar from 'tar-fs';
import { connectEngine } from '../../core/engine/connect.js';
import type { DockerEngine } from '../../core/engine/docker.js';
import type { ContainerSpec, Engine, EngineEvent, LogLine, PullProgress } from '../../core/engine/engine.js';
import { EngineError, isNotFound } from '../../core/errors.js';
import { startFakeRegistry } from './support/fake-registry.js';
import { collect, containerSpec, projectPerTest } from './support/engine-fixtures.js';
import { PROJECT_LABEL, TEST_IMAGE, eventually, makeTempDir } from './support/project.js';

const engine: Engine = connectEngine();


describe('DockerEngine against the real engine', () => {
  let project = '';
  projectPerTest(engine, (name) => (project = name));

  it('answers ping and reports its version', async () => {
    await engine.ping();
    const version = await engine.version();
    expect(version.version).toMatch(/^\d+\.\d+/);
    expect(version.apiVersion).toMatch(/^1\.\d+$/);
  });

  it('creates, lists, starts, logs, execs, copies into, stops and removes a labelled container', async () => {
    const labels = { [PROJECT_LABEL]: project };
    await engine.createNetwork({ name: `${project}_default`, labels });
    await engine.createVolume({ name: `${project}_data`, labels });
    expect((await engine.listNetworks({ labels: [`${PROJECT_LABEL}=${project}`] })).map((n) => n.name)).toEqual([`${project}_default`]);
    const volumes = await engine.listVolumes({ labels: [`${PROJECT_LABEL}=${project}`] });
    expect(volumes.map((v) => [v.name, v.driver, v.labels[PROJECT_LABEL]])).toEqual([[`${project}_data`, 'local', project]]);

    const spec = containerSpec(project, 'app', 'echo to-stdout; echo to-stderr >&2; exec sleep 60', {
      HostConfig: { Init: true, Binds: [`${project}_data:/data`] },
      Volumes: { '/scratch': {} },
      NetworkingConfig: { EndpointsConfig: { [`${project}_default`]: { Aliases: ['app'] } } },
    });
    const id = await engine.createContainer(spec);

    const [listed] = await engine.listContainers({ labels: [`${PROJECT_LABEL}=${project}`], all: true });
    expect(listed).toMatchObject({ id, name: `${project}-app`, image: TEST_IMAGE, state: 'created', networks: [`${project}_default`] });
    expect(listed!.labels['com.docker.compose.service']).toBe('app');
    // Anonymous volumes show up with their generated name, so `down -v` can remove them.
    const anonymous = listed!.mounts.find((m) => m.destination === '/scratch');
    expect(anonymous).toMatchObject({ type: 'volume', readOnly: false });
    expect(anonymous!.name).toMatch(/^[0-9a-f]{64}$/);
    expect(listed!.mounts.find((m) => m.destination === '/data')).toMatchObject({ type: 'volume', name: `${project}_data` });

    await engine.startContainer(id);
    const running = await engine.inspectContainer(id);
    expect(running).toMatchObject({ id, name: `${project}-app`, state: 'running', networks: [`${project}_default`] });
    expect(running!.status).toMatch(/^Up /);

    const lines = await eventually(async () => {
      const got = await collect(engine.containerLogs(id, { follow: false, timestamps: false, tty: false }));
      expect(got).toHaveLength(2);
      return got;
    });
    expect(lines).toEqual(expect.arrayContaining<LogLine>([{ stream: 'stdout', text: 'to-stdout' }, { stream: 'stderr', text: 'to-stderr' }]));

    const stamped = await collect(engine.containerLogs(id, { follow: false, timestamps: true, tty: false, tail: 1 }));
    expect(stamped).toHaveLength(1);
    expect(stamped[0]!.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const exec = await engine.exec(id, { command: ['sh', '-c', 'echo hello; echo oops >&2; exit 7'], tty: false, interactive: false });
    expect(exec.exitCode).toBe(7);
    expect(exec.output).toContain('hello\n');
    expect(exec.output).toContain('oops\n');

    const temp = await makeTempDir({ 'greeting.txt': 'hi from the archive\n', 'nested/deep.txt': 'deep\n' });
    try {
      await engine.putArchive(id, '/data', tar.pack(temp.dir) as unknown as Readable);
    } finally {
      await temp.remove();
    }
    const readBack = await engine.exec(id, { command: ['cat', '/data/greeting.txt', '/data/nested/deep.txt'], tty: false, interactive: false });
    expect(readBack).toEqual({ exitCode: 0, output: 'hi from the archive\ndeep\n' });

    const top = await engine.topContainer(id);
    expect(top.titles).toContain('PID');
    expect(top.processes.some((row) => row.join(' ').includes('sleep 60'))).toBe(true);

    await engine.stopContainer(id, 1);
    const stopped = await engine.inspectContainer(id);
    expect(stopped!.state).toBe('exited');
    expect(stopped!.status).toMatch(/^Exited \(\d+\)/);

    await engine.removeContainer(id, { force: false, volumes: true });
    expect(await engine.inspectContainer(id)).toBeUndefined();
    await engine.removeNetwork(`${project}_default`);
    await engine.removeVolume(`${project}_data`);
    expect(await engine.inspectVolume(`${project}_data`)).toBeUndefined();
  });

  it('waits for the exit code and shows it in list and inspect', async () => {
    const id = await engine.createContainer(containerSpec(project, 'job', 'exit 3'));
    await engine.startContainer(id);
    // Waiting after start is race-free: an already exited container answers at once.
    expect(await engine.waitContainer(id)).toBe(3);
    const [listed] = await engine.listContainers({ labels: [`${PROJECT_LABEL}=${project}`], all: true });
    expect(listed).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(listed!.status).toMatch(/^Exited \(3\)/);
    expect(await engine.inspectContainer(id)).toMatchObject({ state: 'exited', exitCode: 3 });
  });

  it('connects extra networks after create, since API 1.41 takes one network at create time', async () => {
    const labels = { [PROJECT_LABEL]: project };
    await engine.createNetwork({ name: `${project}_front`, labels });
    await engine.createNetwork({ name: `${project}_back`, labels });
    const spec = containerSpec(project, 'multi', 'exec sleep 60', {
      NetworkingConfig: { EndpointsConfig: { [`${project}_front`]: { Aliases: ['multi'] }, [`${project}_back`]: { Aliases: ['multi-back'] } } },
    });
    const id = await engine.createContainer(spec);
    const [listed] = await engine.listContainers({ labels: [`${PROJECT_LABEL}=${project}`], all: true });
    expect(listed!.id).toBe(id);
    expect([...listed!.networks].sort()).toEqual([`${project}_back`, `${project}_front`]);
  });

  it('reports missing things as undefined or not-found', async () => {
    expect(await engine.inspectImage('stack-test/does-not-exist:never')).toBeUndefined();
    expect(await engine.inspectContainer(`${project}-missing`)).toBeUndefined();
    expect(await engine.inspectNetwork(`${project}-missing`)).toBeUndefined();
    const error = await engine.removeContainer(`${project}-missing`, { force: false, volumes: false }).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    expect((error as EngineError).statusCode).toBe(404);
    expect((error as EngineError).message).toMatch(/^remove container .*-missing: No such container/);
  });

  it('explains a host port conflict in the engine\'s words', async () => {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const publish = (name: string): ContainerSpec =>
      containerSpec(project, name, 'exec sleep 60', {
        ExposedPorts: { '80/tcp': {} },
        HostConfig: { Init: true, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
      });
    const first = await engine.createContainer(publish('one'));
    await engine.startContainer(first);
    const [listed] = await engine.listContainers({ labels: [`${PROJECT_LABEL}=${project}`], all: false });
    expect(listed!.ports).toEqual([{ ip: '127.0.0.1', privatePort: 80, publicPort: port, protocol: 'tcp' }]);
    expect((await engine.inspectContainer(first))!.ports).toEqual([{ ip: '127.0.0.1', privatePort: 80, publicPort: port, protocol: 'tcp' }]);

    const second = await engine.createContainer(publish('two'));
    const error = await engine.startContainer(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    const engineError = error as EngineError;
    expect(engineError.operation).toBe('start container');
    expect(engineError.message).toContain(`127.0.0.1:${port}`);
    expect(engineError.message).toContain('port is already allocated');
    expect(engineError.message).not.toContain('HTTP code');
    expect(engineError.hint).toMatch(/port/);
  });

  it('streams followed logs and engine events until aborted', async () => {
    const controller = new AbortController();
    const events = engine.events({ labels: [`${PROJECT_LABEL}=${project}`], types: ['container'] }, controller.signal);
    const seen: EngineEvent[] = [];
    const eventsDone = (async () => {
      for await (const event of events) seen.push(event);
    })();

    const id = await engine.createContainer(containerSpec(project, 'ticker', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'));
    await engine.startContainer(id);
    const lines: LogLine[] = [];
    for await (const line of engine.containerLogs(id, { follow: true, timestamps: false, tty: false, signal: controller.signal })) {
      lines.push(line);
      if (lines.length === 3) break;
    }
    expect(lines.map((l) => l.text)).toEqual(['tick 0', 'tick 1', 'tick 2']);

    await eventually(() => expect(seen.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'start'])));
    expect(seen.every((e) => e.type === 'container' && e.id === id)).toBe(true);
    expect(seen[0]!.attributes[PROJECT_LABEL]).toBe(project);
    controller.abort();
    await eventsDone;
  });

  it('reads the raw stream of a TTY container, and ends a followed stream quietly on abort', async () => {
    const id = await engine.createContainer(containerSpec(project, 'tty', 'echo first; echo second; exec sleep 60', { Tty: true }));
    await engine.startContainer(id);
    const controller = new AbortController();
    const lines: LogLine[] = [];
    for await (const line of engine.containerLogs(id, { follow: true, timestamps: false, tty: true, signal: controller.signal })) {
      lines.push(line);
      // Nothing more will come: only the abort can end this loop.
      if (lines.length === 2) controller.abort();
    }
    expect(lines).toEqual([
      { stream: 'stdout', text: 'first' },
      { stream: 'stdout', text: 'second' },
    ]);
    const exec = await engine.exec(id, { command: ['echo', 'via tty'], tty: true, interactive: false });
    expect(exec).toEqual({ exitCode: 0, output: 'via tty\r\n' });
  });

  it('builds, tags, lists and removes an image, and reports a failing build step in the builder\'s words', async () => {
    const docker = engine as DockerEngine;
    const tag = `${project}-img:1`;
    const other = `${project}-img:other`;
    const context = await makeTempDir({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo built > /built.txt\n`, 'Dockerfile.fail': `FROM ${TEST_IMAGE}\nRUN exit 3\n` });
    try {
      const steps: string[] = [];
      await docker.buildImage(tar.pack(context.dir) as unknown as Readable, { tag, labels: { [PROJECT_LABEL]: project }, onProgress: (p) => steps.push(p.status) });
      const image = await engine.inspectImage(tag);
      expect(image).toMatchObject({ repoTags: [tag], labels: { [PROJECT_LABEL]: project } });
      await engine.tagImage(tag, other);
      const listed = (await engine.listImages()).find((i) => i.id === image!.id);
      expect([...listed!.repoTags].sort()).toEqual([tag, other].sort());

      const failure = await docker
        .buildImage(tar.pack(context.dir) as unknown as Readable, { tag: `${project}-img:fail`, dockerfile: 'Dockerfile.fail' })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(EngineError);
      expect((failure as EngineError).message).toMatch(/^build image .*-img:fail: The command .*exit 3.* returned a non-zero code: 3/);
    } finally {
      await context.remove();
      for (const reference of [other, tag]) await engine.removeImage(reference, { force: true }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
    expect(await engine.inspectImage(tag)).toBeUndefined();
  });

  it('reports a failed pull with the engine\'s message', async () => {
    // Port 1 refuses at once: no registry and no internet are needed to see the error path.
    const error = await engine.pullImage('localhost:1/stack-test/none:x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ operation: 'pull image', resource: 'localhost:1/stack-test/none:x' });
    expect((error as EngineError).message).toMatch(/connection refused/);
    expect((error as EngineError).message).not.toContain('HTTP code');
  });

  it('pulls and pushes through a registry with progress, and reports an error sent inside the pull stream', async () => {
    const registry = await startFakeRegistry();
    const good = `${registry.host}/${project}/hello:1`;
    const broken = `${registry.host}/${project}/broken:1`;
    try {
      await registry.addImage(`${project}/hello`, '1', { files: { 'hello.txt': 'hello\n' } });
      await registry.addImage(`${project}/broken`, '1', { files: { 'x.txt': 'x\n' }, brokenConfig: true });
      const progress: PullProgress[] = [];
      await engine.pullImage(good, { onProgress: (p) => progress.push(p) });
      expect(progress.map((p) => p.status)).toEqual(expect.arrayContaining(['Pulling from ' + `${project}/hello`, 'Pull complete']));
      expect(progress.at(-1)!.status).toMatch(/Status: Downloaded newer image/);
      expect((await engine.inspectImage(good))!.labels['dev.stack.test.registry']).toBe('fake');

      const error = await engine.pullImage(broken, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ operation: 'pull image', resource: broken });
      expect((error as EngineError).message).toMatch(/not found|unknown/i);
      // Came from the stream, not from an HTTP status.
      expect((error as EngineError).statusCode).toBeUndefined();

      // Push what was pulled under a new name: the engine wants an X-Registry-Auth header even without credentials.
      const pushed = `${registry.host}/${project}/pushed:2`;
      await engine.tagImage(good, pushed);
      const pushProgress: PullProgress[] = [];
      try {
        await engine.pushImage(pushed, { onProgress: (p) => pushProgress.push(p) });
      } finally {
        await engine.removeImage(pushed, { force: false });
      }
      expect(registry.hasManifest(`${project}/pushed`, '2')).toBe(true);
      expect(pushProgress.some((p) => /digest: sha256:/.test(p.status))).toBe(true);
    } finally {
      await registry.close();
      await engine.removeImage(good, { force: true }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
  });

  it('rejects reading logs of a missing container as not found', async () => {
    const error = await collect(engine.containerLogs(`${project}-missing`, { follow: false, timestamps: false, tty: false })).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
  });

  it('reports an unreachable engine with its address', async () => {
    const unreachable = connectEngine({ env: { DOCKER_HOST: 'unix:///nonexistent.sock' }, homeDir: '/nonexistent-home' });
    const error = await unreachable.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'cannot reach the Docker engine at unix:///nonexistent.sock: is dockerd running?' });
    expect((error as EngineError).hint).toMatch(/DOCKER_HOST/);
  });
});
