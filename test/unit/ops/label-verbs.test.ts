// Pure parts of the label-only verbs: time and tail flags, one-off specs, plan filtering, the
// stream demultiplexer, output batching, ls/ps/port/wait over a fake engine.
import { describe, expect, it } from 'vitest';
import { observedContainer } from '../support/observed-container.js';
import type { ObservedContainer } from '../../../core/engine/engine.js';
import { frameDemuxer } from '../../../core/engine/demux.js';
import { encodeFrame } from '../../../core/engine/log-stream.js';
import { humanSize } from '../../../core/ops/images.js';
import { parseDuration, parseLogTime, parseTail } from '../../../core/ops/logs.js';
import { ls } from '../../../core/ops/ls.js';
import { formatAddress, port } from '../../../core/ops/port.js';
import { parsePsFilter, ps, serviceContainer, serviceNamesOf } from '../../../core/ops/ps.js';
import { splitWords, withoutService } from '../../../core/ops/run.js';
import { resolveEnvFlags } from '../../../core/ops/exec.js';
import type { Plan } from '../../../core/plan/types.js';
import { BatchWriter } from '../../../cli/render/batch-writer.js';

function container(name: string, labels: Record<string, string>, extra: Partial<ObservedContainer> = {}): ObservedContainer {
  return observedContainer({ name, imageId: 'sha256:1', labels, status: 'Up', ...extra });
}

const svc = (project: string, service: string, n?: number, oneoff = false): Record<string, string> => ({
  'com.docker.compose.project': project,
  'com.docker.compose.service': service,
  'com.docker.compose.oneoff': oneoff ? 'True' : 'False',
  ...(n !== undefined ? { 'com.docker.compose.container-number': String(n) } : {}),
});

function fakeEngine(containers: ObservedContainer[]) {
  const calls: { labels: string[]; all: boolean }[] = [];
  return {
    calls,
    async listContainers(filter: { labels: string[]; all: boolean }) {
      calls.push(filter);
      return containers.filter(
        (c) =>
          (filter.all || c.state === 'running') &&
          filter.labels.every((label) => {
            const [key, value] = label.split('=') as [string, string | undefined];
            return value === undefined ? key in c.labels : c.labels[key] === value;
          }),
      );
    },
  };
}

describe('logs flags', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('reads durations, dates and Unix timestamps as epoch seconds', () => {
    expect(parseLogTime('10m', now)).toBe(now / 1000 - 600);
    expect(parseLogTime('1h30m', now)).toBe(now / 1000 - 5400);
    expect(parseLogTime('2026-11-23T11:00:00Z', now)).toBe(now / 1000 - 3600);
    expect(parseLogTime('1763892000', now)).toBe(1763892000);
    expect(() => parseLogTime('yesterday', now)).toThrow(/invalid --since value "yesterday"/);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('10')).toBeUndefined();
  });

  it('reads --tail as a count or all', () => {
    expect(parseTail('5')).toBe(5);
    expect(parseTail('all')).toBe('all');
    expect(() => parseTail('-3')).toThrow(/invalid --tail/);
  });
});

describe('ps, ls, port over labels', () => {
  const containers = [
    container('p-web-2', svc('p', 'web', 2)),
    container('p-web-1', svc('p', 'web', 1), { ports: [{ ip: '::', privatePort: 80, publicPort: 8080, protocol: 'tcp' }, { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, protocol: 'tcp' }] }),
    container('p-job-1', svc('p', 'job', 1), { state: 'exited' }),
    container('p-web-run-abc', svc('p', 'web', undefined, true)),
    container('q-db-1', { ...svc('q', 'db', 1), 'com.docker.compose.project.config_files': '/q/compose.yaml' }, { state: 'exited' }),
  ];

  it('ps lists by name with one list call; --status implies -a', async () => {
    const engine = fakeEngine(containers);
    expect((await ps(engine, { projectName: 'p' })).map((c) => c.name)).toEqual(['p-web-1', 'p-web-2', 'p-web-run-abc']);
    // The same whole-project list every project verb starts with, whatever the flags.
    expect(engine.calls.at(-1)).toEqual({ labels: ['com.docker.compose.project=p'], all: true });
    expect((await ps(engine, { projectName: 'p', status: ['exited'] })).map((c) => c.name)).toEqual(['p-job-1']);
    expect(engine.calls.at(-1)).toEqual({ labels: ['com.docker.compose.project=p'], all: true });
    expect(serviceNamesOf(await ps(engine, { projectName: 'p', all: true }))).toEqual(['job', 'web']);
    await expect(ps(engine, { projectName: 'p', status: ['asleep'] })).rejects.toThrow(/invalid status "asleep"/);
    expect(parsePsFilter('status=running')).toEqual({ status: 'running' });
    expect(() => parsePsFilter('name=x')).toThrow(/invalid filter/);
  });

  it('ps without -a shows what the engine would: running, paused and restarting containers', async () => {
    const states = ['running', 'paused', 'restarting', 'exited', 'created', 'dead'] as const;
    const engine = fakeEngine(states.map((state, index) => container(`s-${state}-1`, svc('s', state, index + 1), { state })));
    expect((await ps(engine, { projectName: 's' })).map((c) => c.state)).toEqual(['paused', 'restarting', 'running']);
    expect((await ps(engine, { projectName: 's', all: true })).map((c) => c.state)).toEqual(['created', 'dead', 'exited', 'paused', 'restarting', 'running']);
  });

  it('finds a service container by index, never a one-off', async () => {
    const engine = fakeEngine(containers);
    expect((await serviceContainer(engine, { projectName: 'p', service: 'web', running: true })).name).toBe('p-web-1');
    expect((await serviceContainer(engine, { projectName: 'p', service: 'web', index: 2 })).name).toBe('p-web-2');
    await expect(serviceContainer(engine, { projectName: 'p', service: 'job', running: true })).rejects.toThrow(/service "job" is not running/);
  });

  it('port prefers the IPv4 binding and formats IPv6 in brackets', async () => {
    const engine = fakeEngine(containers);
    expect(formatAddress(await port(engine, { projectName: 'p', service: 'web', privatePort: 80 }))).toBe('0.0.0.0:8080');
    expect(formatAddress({ ip: '::', port: 80 })).toBe('[::]:80');
    await expect(port(engine, { projectName: 'p', service: 'web', privatePort: 80, protocol: 'udp' })).rejects.toThrow(/no host port is published for 80\/udp/);
  });

  it('ls counts states per project, sorted, as Compose', async () => {
    const engine = fakeEngine(containers);
    expect(await ls(engine, { all: true })).toEqual([
      { name: 'p', status: 'exited(1), running(3)', configFiles: '' },
      { name: 'q', status: 'exited(1)', configFiles: '/q/compose.yaml' },
    ]);
    expect((await ls(engine)).map((p) => p.name)).toEqual(['p']);
  });
});

describe('run helpers', () => {
  it('splits --entrypoint like a shell', () => {
    expect(splitWords(`sh -c "echo 'hi there'" x\\ y`)).toEqual(['sh', '-c', "echo 'hi there'", 'x y']);
    expect(splitWords("''")).toEqual(['']);
    expect(() => splitWords('"open')).toThrow(/unterminated quote/);
  });

  it("drops the service's own containers from the plan and keeps networks, images and dependencies", () => {
    const plan: Plan = {
      warnings: [],
      nodes: [
        { id: 'network:default:create', op: { kind: 'create-network', key: 'default', name: 'p_default', network: {} as never, labels: {} }, resource: '', cause: '', dependsOn: [] },
        { id: 'container:db:1:create', op: { kind: 'create-container', service: 'db', number: 1, name: 'p-db-1', image: 'x', configHash: 'h', labels: {} }, resource: '', cause: '', dependsOn: ['network:default:create'] },
        { id: 'wait:db', op: { kind: 'wait-condition', service: 'db', condition: 'service_started', containers: ['p-db-1'], required: true }, resource: '', cause: '', dependsOn: ['container:db:1:create'] },
        { id: 'container:web:1:create', op: { kind: 'create-container', service: 'web', number: 1, name: 'p-web-1', image: 'x', configHash: 'h', labels: {} }, resource: '', cause: '', dependsOn: ['wait:db'] },
        { id: 'container:web:1:start', op: { kind: 'start-container', container: { name: 'p-web-1', service: 'web' } }, resource: '', cause: '', dependsOn: ['container:web:1:create'] },
      ],
    };
    expect(withoutService(plan, 'web').nodes.map((n) => [n.id, n.dependsOn])).toEqual([
      ['network:default:create', []],
      ['container:db:1:create', ['network:default:create']],
      ['wait:db', ['container:db:1:create']],
    ]);
  });

  it('passes -e KEY from the environment and drops unset ones', () => {
    expect(resolveEnvFlags(['A=1', 'HOME', 'UNSET'], { HOME: '/root' })).toEqual(['A=1', 'HOME=/root']);
  });
});

describe('stream plumbing', () => {
  it('demultiplexes frames cut anywhere, even inside a header', () => {
    const data = Buffer.concat([encodeFrame('stdout', 'out-1 '), encodeFrame('stderr', 'err'), encodeFrame('stdout', 'out-2')]);
    const got: string[] = [];
    const feed = frameDemuxer((stream, chunk) => got.push(`${stream}:${chunk.toString()}`));
    for (let i = 0; i < data.length; i += 3) feed(data.subarray(i, i + 3));
    const joined = (stream: string): string => got.filter((g) => g.startsWith(stream)).map((g) => g.slice(stream.length + 1)).join('');
    expect(joined('stdout')).toBe('out-1 out-2');
    expect(joined('stderr')).toBe('err');
  });

  it('joins the writes of one event-loop turn into one', async () => {
    const writes: string[] = [];
    const writer = new BatchWriter({ write: (text: string) => writes.push(text) });
    for (let i = 0; i < 1000; i++) writer.write(`line ${i}\n`);
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n')).toHaveLength(1001);
    const small = new BatchWriter({ write: (text: string) => writes.push(text) }, 10);
    small.write('0123456789abc\n');
    expect(writes.at(-1)).toBe('0123456789abc\n');
  });

  it('prints sizes as docker does', () => {
    expect(humanSize(1985472)).toBe('1.99MB');
    expect(humanSize(512)).toBe('512B');
    expect(humanSize(1_500_000_000)).toBe('1.5GB');
  });
});
