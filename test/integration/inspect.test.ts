// The read-only verbs beside ps/logs, through the built CLI: port, top, images, ls, wait, version.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, eventually, service, startComposeContainer, verbProject, type VerbProject } from './label-verbs-support.js';
import { freePort } from './ops-support.js';

beforeAll(() => buildCli(), 180_000);

describe('stack port, top, images', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  it('port prints the published address; --protocol and --index select it', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    project = await verbProject('port', `services:\n  web:\n${service('exec sleep 300', `    ports: ["127.0.0.1:${tcp}:80", "127.0.0.1:${udp}:53/udp"]\n`)}`);
    const p = project;
    await p.up();
    expect(await p.stack(['port', 'web', '80'])).toMatchObject({ code: 0, stdout: `127.0.0.1:${tcp}\n` });
    expect((await p.stack(['port', '--protocol', 'udp', 'web', '53'])).stdout).toBe(`127.0.0.1:${udp}\n`);
    expect((await p.stack(['port', '--index', '1', 'web', '80'])).stdout).toBe(`127.0.0.1:${tcp}\n`);
    const unpublished = await p.stack(['port', 'web', '81']);
    expect(unpublished.code).toBe(1);
    expect(unpublished.stderr).toContain('no host port is published for 81/tcp');
  });

  it('top lists the processes of each container; images lists the images in use', async () => {
    project = await verbProject('top', `services:\n  web:\n${service('exec sleep 321')}`);
    const p = project;
    await p.up();
    const top = await p.stack(['top']);
    expect(top.code).toBe(0);
    const lines = top.stdout.split('\n');
    expect(lines[0]).toBe(`${p.name}-web-1`);
    expect(lines[1]).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(top.stdout).toContain('sleep 321');

    const images = await p.stack(['images']);
    expect(images.stdout.split('\n')[0]).toMatch(/^CONTAINER\s+REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE$/);
    expect(images.stdout).toMatch(new RegExp(`${p.name}-web-1\\s+stack-test/busybox\\s+latest\\s+[0-9a-f]{12}\\s+\\d`));
    const json = JSON.parse((await p.stack(['images', '--format', 'json'])).stdout) as { ContainerName: string; Repository: string; Tag: string; ID: string }[];
    expect(json).toEqual([expect.objectContaining({ ContainerName: `${p.name}-web-1`, Repository: 'stack-test/busybox', Tag: 'latest' })]);
    expect((await p.stack(['images', '-q'])).stdout).toBe(`${json[0]!.ID}\n`);
  });
});

describe('stack ls', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  it('lists the project with its container states and config files, stopped ones with -a', async () => {
    project = await verbProject('ls', `services:\n  web:\n${service('exec sleep 300')}\n  job:\n${service('true')}`);
    const p = project;
    await p.up();
    await eventually(async () => expect((await p.containers()).map((c) => c.state).sort()).toEqual(['exited', 'running']));
    const table = await p.stack(['ls']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+CONFIG FILES$/);
    expect(table.stdout).toMatch(new RegExp(`^${p.name}\\s+running\\(1\\)\\s+\\S*compose\\.yaml$`, 'm'));
    const all = JSON.parse((await p.stack(['ls', '-a', '--format', 'json'])).stdout) as { Name: string; Status: string; ConfigFiles: string }[];
    expect(all.find((entry) => entry.Name === p.name)).toMatchObject({ Status: 'exited(1), running(1)' });
    expect((await p.stack(['ls', '-q'])).stdout.split('\n')).toContain(p.name);
  });

  it('lists projects made by Docker Compose v2', async () => {
    project = await verbProject('ls-compose', 'services: {}\n');
    const p = project;
    await startComposeContainer(p.engine, p.name, 'api', 1, 'exec sleep 300', '/srv/compose-made');
    const all = JSON.parse((await p.stack(['ls', '--format', 'json'])).stdout) as { Name: string; Status: string; ConfigFiles: string }[];
    expect(all.find((entry) => entry.Name === p.name)).toEqual({ Name: p.name, Status: 'running(1)', ConfigFiles: '/srv/compose-made/compose.yaml' });
  });
});

describe('stack wait and version', () => {
  let project: VerbProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  it("wait blocks until the service's container stops and exits with its code", async () => {
    project = await verbProject('wait', `services:\n  job:\n${service('sleep 2; exit 7')}\n  web:\n${service('exec sleep 300')}`);
    const p = project;
    await p.up();
    const started = Date.now();
    const result = await p.stack(['wait', 'job']);
    expect(result.code).toBe(7);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect((await p.stack(['wait', 'nosuch'])).code).toBe(1);
  });

  it('wait --down-project takes the project down after the first exit', async () => {
    project = await verbProject('wait-down', `services:\n  job:\n${service('sleep 1; exit 3')}\n  web:\n${service('exec sleep 300')}`);
    const p = project;
    await p.up();
    const result = await p.stack(['wait', '--down-project', 'job']);
    expect(result.code).toBe(3);
    expect(await p.containers()).toEqual([]);
  });

  it('version prints the version, --short and --format json', async () => {
    project = await verbProject('version', 'services: {}\n');
    const p = project;
    expect((await p.stack(['version'])).stdout).toMatch(/^stack version \d+\.\d+\.\d+/);
    expect((await p.stack(['version', '--short'])).stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(JSON.parse((await p.stack(['version', '--format', 'json'])).stdout)).toEqual({ version: expect.stringMatching(/^\d+\.\d+/) });
  });
});
