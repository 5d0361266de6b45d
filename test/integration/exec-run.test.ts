// `stack exec` and `stack run` through the built CLI: output, exit codes as stack's exit code,
// -e/-w/-u/--index, piped stdin, and one-off containers with Compose's name and labels.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, eventually, service, verbProject, type VerbProject } from './label-verbs-support.js';

const SPEC = `services:
  db:
${service('exec sleep 300')}
  web:
${service('exec sleep 300', '    environment:\n      FROM_SPEC: spec-value\n    depends_on: [db]\n    ports: ["127.0.0.1::80"]\n')}
`;

beforeAll(() => buildCli(), 180_000);

describe('stack exec', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  async function started(): Promise<VerbProject> {
    project = await verbProject('exec', SPEC);
    await project.up();
    return project;
  }

  it("pipes the command's stdout and stderr and returns its exit code", async () => {
    const p = await started();
    const result = await p.stack(['exec', 'web', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('to-out\n');
    expect(result.stderr).toBe('to-err\n');
    expect((await p.stack(['exec', '-T', 'web', 'true'])).code).toBe(0);
  });

  it('sets the environment, working directory and user; feeds piped stdin', async () => {
    const p = await started();
    const result = await p.stack(['exec', '-T', '-e', 'FOO=bar', '-w', '/bin', '-u', '1000', 'web', 'sh', '-c', 'echo $FOO $FROM_SPEC $(pwd) $(id -u)']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('bar spec-value /bin 1000\n');
    const piped = await p.stack(['exec', 'web', 'sh', '-c', 'tr a-z A-Z'], { input: 'shout this\n' });
    expect(piped.stdout).toBe('SHOUT THIS\n');
  });

  it('names a stopped service and an unknown replica clearly', async () => {
    const p = await started();
    const missing = await p.stack(['exec', '--index', '2', 'web', 'true']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('container #2 of service "web" is not running');
    const unknown = await p.stack(['exec', 'nosuch', 'true']);
    expect(unknown.stderr).toContain('service "nosuch" is not running');
  });
});

describe('stack run', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  it('--rm: runs the command, returns its exit code and leaves no container; dependencies come up', async () => {
    project = await verbProject('run-rm', SPEC);
    const p = project;
    const result = await p.stack(['run', '--rm', '-e', 'EXTRA=x', 'web', 'sh', '-c', 'echo $FROM_SPEC $EXTRA; exit 5']);
    // Progress of the dependency goes to stderr, as with Compose; stdout holds only the command's output.
    expect(result.stderr).toContain('db-1');
    expect(result.stderr).toContain('Started');
    expect(result.stdout).toBe('spec-value x\n');
    expect(result.code).toBe(5);
    const containers = await p.containers();
    // Only the dependency is left, running; the one-off is gone and the service itself was not started.
    expect(containers.map((c) => [c.name, c.state])).toEqual([[`${p.name}-db-1`, 'running']]);
  });

  it('makes a one-off named <project>-<service>-run-<12hex> with oneoff/slug labels and no published ports', async () => {
    project = await verbProject('run-oneoff', SPEC);
    const p = project;
    const result = await p.stack(['run', '--no-deps', '-w', '/bin', 'web', 'sh', '-c', 'pwd; cat'], { input: 'from stdin\n' });
    expect(result.stdout).toBe('/bin\nfrom stdin\n');
    expect(result.code).toBe(0);
    const containers = await p.containers();
    expect(containers).toHaveLength(1);
    const oneOff = containers[0]!;
    expect(oneOff.name).toMatch(new RegExp(`^${p.name}-web-run-[0-9a-f]{12}$`));
    expect(oneOff.labels['com.docker.compose.oneoff']).toBe('True');
    expect(oneOff.labels['com.docker.compose.slug']).toMatch(/^[0-9a-f]{64}$/);
    expect(oneOff.name.endsWith(oneOff.labels['com.docker.compose.slug']!.slice(0, 12))).toBe(true);
    expect(oneOff.labels['com.docker.compose.container-number']).toBeUndefined();
    expect(oneOff.ports.filter((port) => port.publicPort !== undefined)).toEqual([]);
  });

  it('-d with --service-ports and --entrypoint publishes the ports and prints the name', async () => {
    project = await verbProject('run-detach', SPEC);
    const p = project;
    const result = await p.stack(['run', '-d', '--no-deps', '--service-ports', '--name', `${p.name}-custom`, '--entrypoint', 'sh -c "exec sleep 300"', 'web']);
    // Even with --no-deps the service's network is made first (shown on stderr).
    expect(result.stderr).toContain(`Network ${p.name}_default  Created`);
    expect(result.stdout).toBe(`${p.name}-custom\n`);
    const container = await eventually(async () => {
      const found = await p.engine.inspectContainer(`${p.name}-custom`);
      expect(found?.state).toBe('running');
      return found!;
    });
    expect(container.ports.some((port) => port.privatePort === 80 && port.publicPort !== undefined)).toBe(true);
  });
});

describe('Engine port: execStream and attachContainer', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  const collect = async (stream: NodeJS.ReadableStream): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  it('runs a TTY exec as one raw stream, a detached one in the background, and reports tty on inspect', async () => {
    project = await verbProject('exec-stream', `services:\n  web:\n${service('exec sleep 300', '    tty: true\n')}`);
    const p = project;
    await p.up();
    const id = `${p.name}-web-1`;
    expect((await p.engine.inspectContainer(id))?.tty).toBe(true);

    const session = await p.engine.execStream(id, { command: ['sh', '-c', 'echo on-a-tty; exit 4'], tty: true, interactive: false });
    await session.resize(24, 80);
    expect(await collect(session.output)).toBe('on-a-tty\r\n');
    expect(await session.exitCode()).toBe(4);

    const detached = await p.engine.execStream(id, { command: ['sh', '-c', 'echo bg > /marker'], tty: false, interactive: false, detach: true });
    expect(await detached.exitCode()).toBe(0);
    expect((await p.engine.exec(id, { command: ['cat', '/marker'], tty: false, interactive: false })).output).toBe('bg\n');
  });

  it('attaches before start and writes to stdin through the hijacked connection', async () => {
    project = await verbProject('attach', 'services: {}\n');
    const p = project;
    const id = await p.engine.createContainer({
      name: `${p.name}-echo-1`,
      body: {
        Image: 'stack-test/busybox:latest',
        Cmd: ['sh', '-c', 'read line; echo got $line'],
        Labels: { 'com.docker.compose.project': p.name },
        OpenStdin: true,
        StdinOnce: true,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
      },
      extraNetworks: {},
    });
    const session = await p.engine.attachContainer(id, { stdin: true, tty: false });
    const output = collect(session.output);
    await p.engine.startContainer(id);
    session.input!.end('hello\n');
    expect(await p.engine.waitContainer(id)).toBe(0);
    // Multiplexed: an 8-byte frame header, then the line.
    expect((await output).slice(8)).toBe('got hello\n');
  });
});
