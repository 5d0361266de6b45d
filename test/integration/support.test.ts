// The test support itself: if cleanup or naming were wrong, every other integration test would
// leak or collide silently.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectEngine } from '../../core/engine/connect.js';
import { PROJECT_LABEL, TEST_IMAGE, cleanupProject, eventually, runPrefix, uniqueProjectName, withTempDir } from './support/project.js';

const engine = connectEngine();

describe('integration support', () => {
  let project = '';

  afterEach(async () => {
    if (project) await cleanupProject(engine, project);
  });

  it('makes distinct, valid Compose project names under the run prefix', () => {
    const names = new Set(Array.from({ length: 50 }, () => uniqueProjectName('Some Test: name!')));
    expect(names.size).toBe(50);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      expect(name.startsWith(runPrefix())).toBe(true);
    }
  });

  it('cleans a project: stops running containers, then removes containers, networks and volumes', async () => {
    project = uniqueProjectName('cleanup');
    const labels = { [PROJECT_LABEL]: project };
    await engine.createNetwork({ name: `${project}_default`, labels });
    await engine.createVolume({ name: `${project}_data`, labels });
    const ids: string[] = [];
    for (const index of [1, 2, 3]) {
      const id = await engine.createContainer({
        name: `${project}-app-${index}`,
        // No init: cleanup must cope with a PID 1 that ignores SIGTERM (stop times out, then kills).
        body: { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels, HostConfig: { Binds: [`${project}_data:/data`] }, NetworkingConfig: { EndpointsConfig: { [`${project}_default`]: {} } } },
        extraNetworks: {},
      });
      ids.push(id);
    }
    await engine.startContainer(ids[0]!);
    await engine.startContainer(ids[1]!);

    const report = await cleanupProject(engine, project);
    expect([...report.containers].sort()).toEqual([`${project}-app-1`, `${project}-app-2`, `${project}-app-3`]);
    expect(report.networks).toEqual([`${project}_default`]);
    expect(report.volumes).toEqual([`${project}_data`]);
    const filter = [`${PROJECT_LABEL}=${project}`];
    expect(await engine.listContainers({ labels: filter, all: true })).toEqual([]);
    expect(await engine.listNetworks({ labels: filter })).toEqual([]);
    expect(await engine.listVolumes({ labels: filter })).toEqual([]);
    // Cleaning an already clean project is fine.
    expect(await cleanupProject(engine, project)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('eventually returns the first passing value, and times out with the last failure', async () => {
    let calls = 0;
    expect(await eventually(() => (++calls >= 3 ? 'ready' : false), { intervalMs: 5 })).toBe('ready');
    expect(calls).toBe(3);
    await expect(
      eventually(
        () => {
          throw new Error('still starting');
        },
        { timeoutMs: 50, intervalMs: 10, description: 'the service' },
      ),
    ).rejects.toThrow(/timed out after 50 ms waiting for the service: still starting/);
  });

  it('gives a temp folder with the files, and removes it afterwards', async () => {
    let seen = '';
    const text = await withTempDir({ 'compose.yaml': 'services: {}\n', 'sub/.env': 'A=1\n' }, async (dir) => {
      seen = dir;
      return readFile(join(dir, 'sub/.env'), 'utf8');
    });
    expect(text).toBe('A=1\n');
    expect(seen).toContain(runPrefix());
    expect(existsSync(seen)).toBe(false);
  });
});
