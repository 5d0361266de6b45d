// `stack up` through the built CLI, as users run it: idempotent re-runs, --dry-run plans with
// reasons, attached mode (prefixed logs, exits, Ctrl-C), cascades, --wait, partial failures.
import { createServer, type Server } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliProject, killIfRunning, states, TEST_IMAGE, waitForOutput, type CliProject, type SpawnedStack } from './cli-support.js';

let project: CliProject | undefined;
let spawned: SpawnedStack | undefined;
let server: Server | undefined;

beforeAll(() => buildCli(), 120_000);

afterEach(async () => {
  killIfRunning(spawned);
  spawned = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await project?.cleanup();
  project = undefined;
});

const service = (command: string, extra = ''): string => `    image: ${TEST_IMAGE}\n    init: true\n    command: ["sh", "-c", ${JSON.stringify(command)}]\n${extra}`;

describe('stack up -d', () => {
  it('run twice, changes nothing the second time: same containers, nothing recreated', async () => {
    project = await cliProject('cli-up-idem', {
      'compose.yaml': `services:\n  web:\n${service('sleep 300')}  db:\n${service('sleep 300', '    environment:\n      X: a\n')}`,
    });
    const first = await project.stack(['up', '-d']);
    expect(first.code, first.stderr).toBe(0);
    const before = (await project.containers()).map((c) => c.id);
    expect(before).toHaveLength(2);

    const second = await project.stack(['up', '-d']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/Creat|Recreat|Start|Remov/);
    expect(second.stderr).toMatch(new RegExp(`Container ${project.name}-web-1\\s+Running`));
    expect((await project.containers()).map((c) => c.id)).toEqual(before);
  });

  it('--dry-run after an environment change prints the recreate with the changed key and changes nothing', async () => {
    project = await cliProject('cli-up-dry', { 'compose.yaml': `services:\n  web:\n${service('sleep 300', '    environment:\n      X: a\n')}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    const before = await project.container('web');
    await project.write('compose.yaml', `services:\n  web:\n${service('sleep 300', '    environment:\n      X: b\n')}`);

    const dry = await project.stack(['up', '-d', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('web-1: recreate (environment.X: "a" -> "b")');
    const after = await project.container('web');
    expect(after?.id).toBe(before?.id);
    expect(after?.state).toBe('running');

    // The global flag before the verb means the same.
    const global = await project.stack(['--dry-run', 'up']);
    expect(global.stdout).toContain('web-1: recreate (environment.X: "a" -> "b")');
    expect((await project.container('web'))?.id).toBe(before?.id);
  });

  it('warns about orphans, and --remove-orphans removes them', async () => {
    project = await cliProject('cli-up-orphans', { 'compose.yaml': `services:\n  web:\n${service('sleep 300')}  old:\n${service('sleep 300')}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    await project.write('compose.yaml', `services:\n  web:\n${service('sleep 300')}`);
    const warned = await project.stack(['up', '-d']);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('orphan');
    expect(warned.stderr).toContain(`${project.name}-old-1`);
    expect(await project.containers()).toHaveLength(2);

    const removed = await project.stack(['up', '-d', '--remove-orphans']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await project.containers()).map((c) => c.name)).toEqual([`${project.name}-web-1`]);
  });

  it('--scale runs that many replicas', async () => {
    project = await cliProject('cli-up-scale', { 'compose.yaml': `services:\n  web:\n${service('sleep 300')}` });
    const result = await project.stack(['up', '-d', '--scale', 'web=2']);
    expect(result.code, result.stderr).toBe(0);
    expect(states(await project.containers())).toEqual({ web: 'running' });
    expect(await project.containers()).toHaveLength(2);
  });

  it('a port already in use fails that service with its name and the engine message; the others start; exit 1', async () => {
    server = createServer();
    const port = await new Promise<number>((resolve) => server!.listen(0, '0.0.0.0', () => resolve((server!.address() as { port: number }).port)));
    project = await cliProject('cli-up-port', {
      'compose.yaml': `services:\n  web:\n${service('sleep 300', `    ports: ["${port}:80"]\n`)}  other:\n${service('sleep 300')}`,
    });
    const result = await project.stack(['up', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: web-1: .*(address already in use|port is already allocated)/);
    expect(states(await project.containers())).toEqual({ other: 'running', web: 'created' });
  });

  it('a service whose build fails is reported with its name and the failing step', async () => {
    project = await cliProject('cli-up-build', {
      'compose.yaml': 'services:\n  app:\n    build: .\n',
      Dockerfile: `FROM ${TEST_IMAGE}\nRUN echo preparing && exit 3\n`,
    });
    const result = await project.stack(['up', '-d']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/service app|of app|\bapp\b/);
    expect(result.stderr).toContain('exit 3');
    expect(await project.container('app')).toBeUndefined();
  });
});

describe('stack up --wait', () => {
  it('returns once the healthcheck passes', async () => {
    project = await cliProject('cli-up-wait', {
      'compose.yaml': `services:\n  web:\n${service('sleep 300', '    healthcheck:\n      test: ["CMD", "true"]\n      interval: 1s\n      start_period: 0s\n')}`,
    });
    const result = await project.stack(['up', '--wait', '--wait-timeout', '60']);
    expect(result.code, result.stderr).toBe(0);
    expect((await project.container('web'))?.health).toBe('healthy');
  });

  it('fails when the healthcheck never passes', async () => {
    project = await cliProject('cli-up-wait-bad', {
      'compose.yaml': `services:\n  web:\n${service('sleep 300', '    healthcheck:\n      test: ["CMD", "false"]\n      interval: 1s\n      retries: 1\n')}`,
    });
    const result = await project.stack(['up', '--wait', '--wait-timeout', '20']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('web-1');
  });

  it('rejects -d with --abort-on-container-exit, as Compose does', async () => {
    project = await cliProject('cli-up-usage', { 'compose.yaml': `services:\n  web:\n${service('true')}` });
    const result = await project.stack(['up', '-d', '--abort-on-container-exit']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--detach cannot be combined');
    expect(await project.containers()).toEqual([]);
  });
});

describe('stack up (attached)', () => {
  it('prints prefixed output and returns when the containers have exited', async () => {
    project = await cliProject('cli-up-attached', { 'compose.yaml': `services:\n  web:\n${service('echo hello; echo world')}` });
    const result = await project.stack(['up']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^web-1\s+\| hello$/m);
    expect(result.stdout).toMatch(/^web-1\s+\| world$/m);
    expect(result.stdout).toContain('web-1 exited with code 0');
    expect((await project.container('web'))?.state).toBe('exited');
  });

  it('--no-log-prefix prints the bare lines', async () => {
    project = await cliProject('cli-up-noprefix', { 'compose.yaml': `services:\n  web:\n${service('echo bare-line')}` });
    const result = await project.stack(['up', '--no-log-prefix']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^bare-line$/m);
  });

  it('--abort-on-container-exit stops the others at the first exit and returns its code', async () => {
    project = await cliProject('cli-up-abort', {
      'compose.yaml': `services:\n  job:\n${service('echo working; sleep 1; exit 3')}  server:\n${service('echo serving; sleep 300')}`,
    });
    const result = await project.stack(['up', '--abort-on-container-exit']);
    expect(result.stdout).toContain('job-1 exited with code 3');
    expect(result.stdout).toContain('Aborting on container exit...');
    expect(result.code).toBe(3);
    expect(states(await project.containers())).toEqual({ job: 'exited', server: 'exited' });
  });

  it('--exit-code-from returns that service exit code', async () => {
    project = await cliProject('cli-up-exitfrom', {
      'compose.yaml': `services:\n  job:\n${service('sleep 1; exit 7')}  server:\n${service('sleep 300')}`,
    });
    const result = await project.stack(['up', '--exit-code-from', 'job']);
    expect(result.code, result.stderr).toBe(7);
    expect(states(await project.containers())).toEqual({ job: 'exited', server: 'exited' });
  });

  it('--attach shows only that service and returns when it exits, leaving the others running', async () => {
    project = await cliProject('cli-up-attach', {
      'compose.yaml': `services:\n  web:\n${service('echo web-line; sleep 1')}  db:\n${service('echo db-line; sleep 300')}`,
    });
    const result = await project.stack(['up', '--attach', 'web', '--timestamps']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^web-1\s+\| \d{4}-\d\d-\d\dT[\d:.]+Z web-line$/m);
    expect(result.stdout).not.toContain('db-line');
    expect(states(await project.containers())).toEqual({ db: 'running', web: 'exited' });
  });

  it('follows containers started while attached (scale from another terminal)', async () => {
    project = await cliProject('cli-up-follow', { 'compose.yaml': `services:\n  web:\n${service('echo hello from $(hostname); sleep 300')}` });
    spawned = project.spawn(['up']);
    const run = spawned;
    await waitForOutput(run, [/web-1\s+\| hello/]);
    const scaled = await project.stack(['scale', 'web=2']);
    expect(scaled.code, scaled.stderr).toBe(0);
    await waitForOutput(run, [/web-2\s+\| hello/], { timeoutMs: 30_000 });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(states(await project.containers())).toEqual({ web: 'exited' });
    expect(await project.containers()).toHaveLength(2);
  });

  it('Ctrl-C stops the containers (keeps them) and exits 130', async () => {
    project = await cliProject('cli-up-sigint', {
      'compose.yaml': `services:\n  web:\n${service('echo ready; sleep 300')}  db:\n${service('echo db-ready; sleep 300')}`,
    });
    spawned = project.spawn(['up']);
    const run = spawned;
    await waitForOutput(run, [/web-1\s+\| ready/, /db-1\s+\| db-ready/]);
    run.child.kill('SIGINT');
    const code = await run.exited;
    expect(run.stderr()).toContain('Gracefully stopping... (press Ctrl+C again to force)');
    expect(code).toBe(130);
    const containers = await project.containers();
    expect(containers).toHaveLength(2);
    expect(states(containers)).toEqual({ db: 'exited', web: 'exited' });
  });

  it('Ctrl-C while waiting for a dependency interrupts the apply and stops what started', async () => {
    project = await cliProject('cli-up-sigint-apply', {
      'compose.yaml': `services:\n  db:\n${service('sleep 300', '    healthcheck:\n      test: ["CMD", "false"]\n      interval: 1s\n      retries: 100\n')}  web:\n${service('sleep 300', '    depends_on:\n      db:\n        condition: service_healthy\n')}`,
    });
    spawned = project.spawn(['up']);
    const run = spawned;
    await waitForOutput(run, [/db-1\s+Waiting/], { stream: 'stderr' });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(states(await project.containers())).toEqual({ db: 'exited', web: 'created' });
  });

  it('a second Ctrl-C kills containers that ignore SIGTERM', async () => {
    // No init: `sleep` as PID 1 ignores SIGTERM, so only the kill ends it before the 60 s timeout.
    project = await cliProject('cli-up-force', {
      'compose.yaml': `services:\n  web:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "echo ready; exec sleep 300"]\n    stop_grace_period: 60s\n`,
    });
    spawned = project.spawn(['up']);
    const run = spawned;
    await waitForOutput(run, [/web-1\s+\| ready/]);
    run.child.kill('SIGINT');
    await waitForOutput(run, [/Gracefully stopping/], { stream: 'stderr', timeoutMs: 10_000 });
    const started = Date.now();
    run.child.kill('SIGINT');
    const code = await run.exited;
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await project.container('web'))?.state).toBe('exited');
  });
});
