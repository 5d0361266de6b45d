// `stack ps` through the built CLI against the real engine: the table, one JSON document per
// line, -q/--services/--status/--filter, service arguments, and name resolution that works with
// a broken spec, as long as -p or COMPOSE_PROJECT_NAME gives the name.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runStack } from './support/cli.js';
import { makeTempDir } from './support/project.js';
import { buildCli, eventually, service, startComposeContainer, verbProject, type VerbProject } from './label-verbs-support.js';

const SPEC = `services:
  web:
${service('echo web up; exec sleep 300')}
  job:
${service('echo job done')}
`;

beforeAll(() => buildCli(), 180_000);

describe('stack ps', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  async function upAndSettle(): Promise<VerbProject> {
    project = await verbProject('ps', SPEC);
    await project.up();
    const p = project;
    await eventually(async () => {
      const containers = await p.containers();
      expect(containers.map((c) => `${c.labels['com.docker.compose.service']}:${c.state}`).sort()).toEqual(['job:exited', 'web:running']);
    });
    return p;
  }

  it('prints the Compose table: running containers only, -a adds stopped ones', async () => {
    const p = await upAndSettle();
    const running = await p.stack(['ps']);
    expect(running.stderr).toBe('');
    expect(running.code).toBe(0);
    const lines = running.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s{3,}IMAGE\s{3,}COMMAND\s{3,}SERVICE\s{3,}CREATED\s{3,}STATUS\s{3,}PORTS$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${p.name}-web-1`);
    expect(lines[1]).toMatch(/"sh -c 'echo web up;…"\s+web\s+.* ago\s+Up /);

    const all = await p.stack(['ps', '-a']);
    const names = all.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual([`${p.name}-job-1`, `${p.name}-web-1`]);
  });

  it('prints one JSON document per line with --format json', async () => {
    const p = await upAndSettle();
    const result = await p.stack(['ps', '-a', '--format', 'json']);
    expect(result.code).toBe(0);
    const docs = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(docs.map((d) => [d.Name, d.Service, d.State, d.Project])).toEqual([
      [`${p.name}-job-1`, 'job', 'exited', p.name],
      [`${p.name}-web-1`, 'web', 'running', p.name],
    ]);
    expect(docs[0]!.ExitCode).toBe(0);
    expect(docs[1]!.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('supports -q, --services, --status, --filter status= and service arguments', async () => {
    const p = await upAndSettle();
    const containers = await p.containers();
    const quiet = await p.stack(['ps', '-a', '-q']);
    expect(quiet.stdout.trimEnd().split('\n').sort()).toEqual(containers.map((c) => c.id).sort());

    expect((await p.stack(['ps', '--services'])).stdout).toBe('web\n');
    expect((await p.stack(['ps', '-a', '--services'])).stdout).toBe('job\nweb\n');
    expect((await p.stack(['ps', '-q', '--status', 'exited'])).stdout).toBe(`${containers.find((c) => c.name.endsWith('-job-1'))!.id}\n`);
    expect((await p.stack(['ps', '--services', '--status', 'exited', '--status', 'running'])).stdout).toBe('job\nweb\n');
    expect((await p.stack(['ps', '--services', '--filter', 'status=running'])).stdout).toBe('web\n');
    expect((await p.stack(['ps', '-a', '--services', 'job'])).stdout).toBe('job\n');

    const bad = await p.stack(['ps', '--status', 'sleeping']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('invalid status "sleeping"');
  });

  it('--debug reports each engine call with its time on stderr, and leaves stdout as it was', async () => {
    const p = await upAndSettle();
    const plain = await p.stack(['ps', '--services']);
    const debug = await p.stack(['--debug', 'ps', '--services']);
    expect(debug.code).toBe(0);
    expect(debug.stdout).toBe(plain.stdout);
    expect(debug.stderr).toMatch(/^debug: engine +\d+\.\d ms {2}list containers$/m);
    expect(plain.stderr).not.toContain('debug:');
  });

  it('works from -p or COMPOSE_PROJECT_NAME when the spec in the folder is broken', async () => {
    const p = await upAndSettle();
    const broken = await makeTempDir({ 'compose.yaml': 'services:\n  web:\n    image: [unclosed\n  - nonsense: {\n' });
    try {
      const byFlag = await runStack(['-p', p.name, 'ps', '--services'], { cwd: broken.dir });
      expect(byFlag.stderr).toBe('');
      expect(byFlag.stdout).toBe('web\n');
      const byEnv = await runStack(['ps', '--services'], { cwd: broken.dir, env: { COMPOSE_PROJECT_NAME: p.name } });
      expect(byEnv.stdout).toBe('web\n');
      // The top-level `name:` line is read even when the rest of the file does not parse.
      await broken.remove();
      const named = await makeTempDir({ 'compose.yaml': `name: ${p.name}\nservices:\n  web: [broken\n` });
      try {
        const byName = await runStack(['ps', '--services'], { cwd: named.dir });
        expect(byName.stdout).toBe('web\n');
      } finally {
        await named.remove();
      }
    } finally {
      await broken.remove();
    }
  });

  it('sees containers made by Docker Compose v2 (its labels only)', async () => {
    project = await verbProject('ps-compose', 'services: {}\n');
    const p = project;
    await startComposeContainer(p.engine, p.name, 'api', 1, 'exec sleep 300');
    await startComposeContainer(p.engine, p.name, 'api', 2, 'exec sleep 300');
    const result = await p.stack(['ps', '--format', 'json']);
    const docs = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { Name: string; Service: string; State: string });
    expect(docs.map((d) => [d.Name, d.Service, d.State])).toEqual([
      [`${p.name}-api-1`, 'api', 'running'],
      [`${p.name}-api-2`, 'api', 'running'],
    ]);
  });
});
