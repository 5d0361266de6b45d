// down, create, start, stop, restart, kill, pause, unpause, rm and scale through the built CLI.
// The verbs that act by project name must work when the spec is broken or deleted.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliProject, states, TEST_IMAGE, type CliProject } from './cli-support.js';

let project: CliProject | undefined;

beforeAll(() => buildCli(), 120_000);

afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const sleeper = (extra = ''): string => `    image: ${TEST_IMAGE}\n    init: true\n    command: ["sleep", "300"]\n${extra}`;

async function volumeExists(p: CliProject, name: string): Promise<boolean> {
  return (await p.engine.inspectVolume(name)) !== undefined;
}

describe('stack down', () => {
  it('keeps named volumes; -v removes them', async () => {
    project = await cliProject('cli-down-vol', { 'compose.yaml': `services:\n  web:\n${sleeper('    volumes: ["data:/data"]\n')}volumes:\n  data: {}\n` });
    const volume = `${project.name}_data`;
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    expect(await volumeExists(project, volume)).toBe(true);

    const down = await project.stack(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(await project.containers()).toEqual([]);
    expect(await volumeExists(project, volume)).toBe(true);

    expect((await project.stack(['up', '-d'])).code).toBe(0);
    const downV = await project.stack(['down', '-v']);
    expect(downV.code, downV.stderr).toBe(0);
    expect(await project.containers()).toEqual([]);
    expect(await volumeExists(project, volume)).toBe(false);
  });

  it('works with the spec deleted, from the project name (-p)', async () => {
    project = await cliProject('cli-down-nospec', { 'compose.yaml': `services:\n  web:\n${sleeper()}  db:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    await rm(join(project.dir, 'compose.yaml'));
    const down = await project.stack(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(await project.containers()).toEqual([]);
    expect(await project.engine.inspectNetwork(`${project.name}_default`)).toBeUndefined();
  });

  it('works with a broken spec', async () => {
    project = await cliProject('cli-down-broken', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    await project.write('compose.yaml', 'services:\n  web: [this is: not valid\n');
    const down = await project.stack(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(await project.containers()).toEqual([]);
  });

  it('--dry-run lists what would be removed and removes nothing', async () => {
    project = await cliProject('cli-down-dry', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    const dry = await project.stack(['down', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/web-1: .*remove/);
    expect(states(await project.containers())).toEqual({ web: 'running' });
  });
});

describe('stack rm', () => {
  it('without -f and without a terminal refuses, naming the containers and the flag', async () => {
    project = await cliProject('cli-rm', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    expect((await project.stack(['stop'])).code).toBe(0);
    const refused = await project.stack(['rm']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${project.name}-web-1`);
    expect(refused.stderr).toContain('-f');
    expect(await project.containers()).toHaveLength(1);

    const forced = await project.stack(['rm', '-f']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await project.containers()).toEqual([]);
  });

  it('leaves running containers alone; -s stops them first', async () => {
    project = await cliProject('cli-rm-s', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    const nothing = await project.stack(['rm', '-f']);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toContain('No stopped containers');
    expect(states(await project.containers())).toEqual({ web: 'running' });

    const stopped = await project.stack(['rm', '-f', '-s']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await project.containers()).toEqual([]);
  });
});

describe('lifecycle verbs', () => {
  it('stop, start, restart, kill, pause and unpause change the container state', async () => {
    project = await cliProject('cli-lifecycle', { 'compose.yaml': `services:\n  web:\n${sleeper()}  db:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);

    const stop = await project.stack(['stop', '-t', '1', 'web']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(states(await project.containers())).toEqual({ db: 'running', web: 'exited' });

    expect((await project.stack(['start'])).code).toBe(0);
    expect(states(await project.containers())).toEqual({ db: 'running', web: 'running' });

    const before = await project.container('web');
    const restart = await project.stack(['restart', '-t', '1', 'web']);
    expect(restart.code, restart.stderr).toBe(0);
    const after = await project.container('web');
    expect(after?.id).toBe(before?.id);
    expect(after?.state).toBe('running');

    expect((await project.stack(['pause', 'db'])).code).toBe(0);
    expect(states(await project.containers())).toEqual({ db: 'paused', web: 'running' });
    expect((await project.stack(['unpause', 'db'])).code).toBe(0);
    expect(states(await project.containers())).toEqual({ db: 'running', web: 'running' });

    const kill = await project.stack(['kill', '-s', 'SIGKILL', 'web']);
    expect(kill.code, kill.stderr).toBe(0);
    const killed = await project.container('web');
    expect(killed?.state).toBe('exited');
    expect(killed?.exitCode).toBe(137);
  });

  it('restart does not apply spec edits (up does)', async () => {
    project = await cliProject('cli-restart-spec', { 'compose.yaml': `services:\n  web:\n${sleeper('    environment:\n      X: a\n')}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    const before = await project.container('web');
    await project.write('compose.yaml', `services:\n  web:\n${sleeper('    environment:\n      X: b\n')}`);
    expect((await project.stack(['restart', '-t', '1'])).code).toBe(0);
    expect((await project.container('web'))?.id).toBe(before?.id);
  });

  it('stop works with the spec deleted', async () => {
    project = await cliProject('cli-stop-nospec', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    await rm(join(project.dir, 'compose.yaml'));
    expect((await project.stack(['stop', '-t', '1'])).code).toBe(0);
    expect(states(await project.containers())).toEqual({ web: 'exited' });
  });

  it('create makes the containers without starting them', async () => {
    project = await cliProject('cli-create', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    const create = await project.stack(['create']);
    expect(create.code, create.stderr).toBe(0);
    expect(states(await project.containers())).toEqual({ web: 'created' });
  });

  it('scale adds and removes replicas without recreating the first', async () => {
    project = await cliProject('cli-scale', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    expect((await project.stack(['up', '-d'])).code).toBe(0);
    const first = await project.container('web');
    const up = await project.stack(['scale', 'web=3']);
    expect(up.code, up.stderr).toBe(0);
    expect((await project.containers()).map((c) => c.name)).toEqual([1, 2, 3].map((n) => `${project!.name}-web-${n}`));
    const down = await project.stack(['scale', 'web=1']);
    expect(down.code, down.stderr).toBe(0);
    const left = await project.containers();
    expect(left.map((c) => c.id)).toEqual([first?.id]);
  });

  it('scale rejects an unknown service', async () => {
    project = await cliProject('cli-scale-bad', { 'compose.yaml': `services:\n  web:\n${sleeper()}` });
    const result = await project.stack(['scale', 'wbe=2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('wbe');
    expect(await project.containers()).toEqual([]);
  });
});
