// `stack logs` against the real engine: prefixed, interleaved output of several containers,
// --tail/--no-log-prefix/--timestamps/--index, Compose-made containers, and `logs -f` that keeps
// following a container recreated while it runs (compose-reference.md §4.5).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, ObservedContainer } from '../../core/engine/engine.js';
import { logs } from '../../core/ops/logs.js';
import { buildCli, eventually, killIfRunning, service, startComposeContainer, verbProject, type VerbProject } from './label-verbs-support.js';
import type { SpawnedStack } from './cli-support.js';

const SPEC = `services:
  web:
${service('for i in 1 2 3; do echo web line $$i; done; exec sleep 300')}
  db:
${service('echo db ready; echo db warning >&2; exec sleep 300')}
`;

beforeAll(() => buildCli(), 180_000);

describe('stack logs', () => {
  let project: VerbProject | undefined;
  let spawned: SpawnedStack | undefined;
  afterEach(async () => {
    killIfRunning(spawned);
    spawned = undefined;
    await project?.cleanup();
    project = undefined;
  });

  async function started(): Promise<VerbProject> {
    project = await verbProject('logs', SPEC);
    await project.up();
    const p = project;
    // Output is written a moment after start: wait until both containers have said everything.
    await eventually(async () => {
      const result = await p.stack(['logs']);
      expect(result.stdout).toContain('web line 3');
      expect(result.stdout).toContain('db warning');
    });
    return p;
  }

  it('prints every container with an aligned `service-n | ` prefix, stdout and stderr', async () => {
    const p = await started();
    const result = await p.stack(['logs']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').sort();
    expect(lines).toEqual(['db-1  | db ready', 'db-1  | db warning', 'web-1 | web line 1', 'web-1 | web line 2', 'web-1 | web line 3'].sort());
    // Lines of one container keep their order whatever the interleaving.
    const web = result.stdout.split('\n').filter((line) => line.startsWith('web-1'));
    expect(web).toEqual(['web-1 | web line 1', 'web-1 | web line 2', 'web-1 | web line 3']);
  });

  it('supports --tail, --no-log-prefix, --timestamps and service arguments', async () => {
    const p = await started();
    expect((await p.stack(['logs', '--tail', '1', 'web'])).stdout).toBe('web-1 | web line 3\n');
    expect((await p.stack(['logs', '--no-log-prefix', 'web'])).stdout).toBe('web line 1\nweb line 2\nweb line 3\n');
    const stamped = (await p.stack(['logs', '-t', '-n', '2', '--no-log-prefix', 'web'])).stdout.trimEnd().split('\n');
    expect(stamped).toHaveLength(2);
    for (const line of stamped) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z web line [23]$/);
    expect((await p.stack(['logs', '--since', '1h', '--index', '1', 'db'])).stdout).toContain('db-1 | db ready');
    expect((await p.stack(['logs', '--until', '2000-01-01T00:00:00Z', 'db'])).stdout).toBe('');
  });

  it('reads containers made by Docker Compose v2', async () => {
    project = await verbProject('logs-compose', 'services: {}\n');
    const p = project;
    await startComposeContainer(p.engine, p.name, 'worker', 1, 'echo from compose; exec sleep 300');
    await eventually(async () => expect((await p.stack(['logs', '--no-color'])).stdout).toBe('worker-1 | from compose\n'));
  });

  it('prints 200,000 lines completely and in order, in batched writes', async () => {
    project = await verbProject('logs-big', 'services: {}\n');
    const p = project;
    const id = await startComposeContainer(p.engine, p.name, 'big', 1, 'seq 1 200000');
    expect(await p.engine.waitContainer(id)).toBe(0);
    const started = Date.now();
    const result = await p.stack(['logs', '--no-log-prefix'], { timeoutMs: 60_000 });
    const elapsed = Date.now() - started;
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[0]).toBe('1');
    expect(lines[199_999]).toBe('200000');
    expect(lines.every((line, i) => i === 200_000 || line === String(i + 1))).toBe(true);
    // Generous: per-line writes made this take several times longer on a loaded machine.
    expect(elapsed).toBeLessThan(30_000);
  });

  it('follows a container that is recreated while `logs -f` runs, until aborted', async () => {
    project = await verbProject('logs-follow', 'services: {}\n');
    const p = project;
    const oldId = await startComposeContainer(p.engine, p.name, 'app', 1, 'echo first generation; exec sleep 300');
    const seen: string[] = [];
    const controller = new AbortController();
    const following = logs(
      p.engine,
      { projectName: p.name, follow: true, signal: controller.signal },
      { container: () => undefined, line: (c: ObservedContainer, line: LogLine) => seen.push(`${c.name}|${line.text}`) },
    );
    try {
      await eventually(() => expect(seen).toContain(`${p.name}-app-1|first generation`));
      // Recreate as `up` does: the old container goes, a new one with the same labels and name comes.
      await p.engine.stopContainer(oldId, 1);
      await p.engine.removeContainer(oldId, { force: false, volumes: true });
      await startComposeContainer(p.engine, p.name, 'app', 1, 'echo second generation; exec sleep 300');
      // A scaled-up replica started meanwhile is followed too.
      await startComposeContainer(p.engine, p.name, 'app', 2, 'echo replica two; exec sleep 300');
      await eventually(() => {
        expect(seen).toContain(`${p.name}-app-1|second generation`);
        expect(seen).toContain(`${p.name}-app-2|replica two`);
      });
    } finally {
      controller.abort();
    }
    await expect(following).resolves.toBeUndefined();
    expect(seen.filter((line) => line.endsWith('first generation'))).toHaveLength(1);
  });

  it('`logs -f` through the CLI follows a restarted container and stops on SIGINT', async () => {
    const p = await started();
    spawned = p.spawn(['logs', '-f', '--no-log-prefix', 'db']);
    const cli = spawned;
    await eventually(() => expect(cli.stdout()).toContain('db warning'));
    await p.engine.restartContainer(`${p.name}-db-1`, 1);
    await eventually(() => expect(cli.stdout().split('db ready').length - 1).toBe(2), { timeoutMs: 20_000 });
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });
});
