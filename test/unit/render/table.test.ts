import { describe, expect, it } from 'vitest';
import { observedContainer } from '../support/observed-container.js';
import type { ObservedContainer } from '../../../core/engine/engine.js';
import { ellipsis, formatPorts, humanDuration, psJsonLine, psJsonObject, psTable, quoteCommand, relativeTime, renderTable } from '../../../cli/render/table.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function container(overrides: Partial<ObservedContainer> = {}): ObservedContainer {
  return observedContainer({
    id: '4f9c1d2e3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4',
    name: 'myapp-web-1',
    image: 'nginx:1.27',
    imageId: 'sha256:abc',
    labels: {
      'com.docker.compose.project': 'myapp',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '1',
    },
    status: 'Up 3 minutes',
    created: (NOW - 3 * MINUTE) / 1000,
    command: '/docker-entrypoint.sh nginx -g daemon off;',
    networks: ['myapp_default'],
    ...overrides,
  });
}

describe('renderTable', () => {
  it('pads every column but the last to its widest cell with 3-space gaps', () => {
    expect(renderTable(['A', 'LONG HEADER', 'C'], [['xxxx', 'y', ''], ['z', 'w', 'last']])).toBe(
      ['A      LONG HEADER   C', 'xxxx   y', 'z      w             last', ''].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(['NAME', 'IMAGE'], [])).toBe('NAME   IMAGE\n');
  });
});

describe('psTable', () => {
  it("lays out `docker compose ps` columns", () => {
    const rows = [
      container({ ports: [{ ip: '127.0.0.1', privatePort: 80, publicPort: 8080, protocol: 'tcp' }] }),
      container({
        id: 'b'.repeat(64),
        name: 'myapp-db-1',
        image: 'postgres:16',
        labels: { 'com.docker.compose.service': 'db' },
        status: 'Up 2 hours (healthy)',
        created: (NOW - 2 * HOUR) / 1000,
        command: 'docker-entrypoint.sh postgres',
        ports: [{ ip: '0.0.0.0', privatePort: 5432, publicPort: 5432, protocol: 'tcp' }],
      }),
    ];
    expect(psTable(rows, { now: NOW })).toBe(
      [
        'NAME          IMAGE         COMMAND                  SERVICE   CREATED         STATUS                 PORTS',
        'myapp-web-1   nginx:1.27    "/docker-entrypoint.…"   web       3 minutes ago   Up 3 minutes           127.0.0.1:8080->80/tcp',
        'myapp-db-1    postgres:16   "docker-entrypoint.s…"   db        2 hours ago     Up 2 hours (healthy)   0.0.0.0:5432->5432/tcp',
        '',
      ].join('\n'),
    );
  });

  it('shows the full command with truncate: false', () => {
    expect(psTable([container()], { now: NOW, truncate: false })).toContain('"/docker-entrypoint.sh nginx -g daemon off;"');
  });
});

describe('command truncation', () => {
  it('cuts to 20 characters including the ellipsis, then quotes', () => {
    expect(quoteCommand('docker-entrypoint.sh postgres', 20)).toBe('"docker-entrypoint.s…"');
    expect([...ellipsis('docker-entrypoint.sh postgres', 20)]).toHaveLength(20);
    expect(quoteCommand('sleep 10', 20)).toBe('"sleep 10"');
    expect(quoteCommand('exactly-twenty-chars', 20)).toBe('"exactly-twenty-chars"');
    expect(quoteCommand('', 20)).toBe('""');
  });
});

describe('formatPorts', () => {
  it('orders by container port and joins with ", "', () => {
    expect(
      formatPorts([
        { ip: '0.0.0.0', privatePort: 5432, publicPort: 5432, protocol: 'tcp' },
        { ip: '127.0.0.1', privatePort: 80, publicPort: 8080, protocol: 'tcp' },
      ]),
    ).toBe('127.0.0.1:8080->80/tcp, 0.0.0.0:5432->5432/tcp');
  });

  it('shows unpublished ports bare, brackets IPv6 and drops duplicates', () => {
    expect(
      formatPorts([
        { privatePort: 9000, protocol: 'udp' },
        { ip: '::', privatePort: 80, publicPort: 8080, protocol: 'tcp' },
        { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, protocol: 'tcp' },
        { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, protocol: 'tcp' },
      ]),
    ).toBe('0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 9000/udp');
    expect(formatPorts([])).toBe('');
  });
});

describe('humanDuration / relativeTime', () => {
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [SECOND, '1 second'],
    [45 * SECOND, '45 seconds'],
    [MINUTE, 'About a minute'],
    [119 * SECOND, 'About a minute'],
    [3 * MINUTE, '3 minutes'],
    [59 * MINUTE, '59 minutes'],
    [HOUR, 'About an hour'],
    [90 * MINUTE, '2 hours'],
    [47 * HOUR, '47 hours'],
    [3 * DAY, '3 days'],
    [15 * DAY, '2 weeks'],
    [90 * DAY, '3 months'],
    [800 * DAY, '2 years'],
  ])('%i ms reads "%s"', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('appends "ago" against an injected now, for Dates and epoch milliseconds', () => {
    expect(relativeTime(NOW - 3 * MINUTE, NOW)).toBe('3 minutes ago');
    expect(relativeTime(new Date(NOW - 2 * DAY), new Date(NOW))).toBe('2 days ago');
  });

  it('reads a creation time in the future (clock skew) as just now', () => {
    expect(relativeTime(NOW + 5 * SECOND, NOW)).toBe('Less than a second ago');
  });
});

describe('psJsonLine', () => {
  it("emits Compose's per-container fields on one line", () => {
    const c = container({
      ports: [{ ip: '127.0.0.1', privatePort: 80, publicPort: 8080, protocol: 'tcp' }, { privatePort: 443, protocol: 'tcp' }],
      mounts: [
        { type: 'volume', name: 'myapp_data', source: '/var/lib/docker/volumes/myapp_data/_data', destination: '/data', readOnly: false },
        { type: 'bind', source: '/home/me/site', destination: '/usr/share/nginx/html', readOnly: true },
      ],
      health: 'healthy',
      networks: ['myapp_front', 'myapp_default'],
    });
    const line = psJsonLine(c, { now: NOW });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      ID: c.id,
      Name: 'myapp-web-1',
      Names: 'myapp-web-1',
      Image: 'nginx:1.27',
      Command: '"/docker-entrypoint.sh nginx -g daemon off;"',
      Project: 'myapp',
      Service: 'web',
      Created: (NOW - 3 * MINUTE) / 1000,
      CreatedAt: '2026-11-23 11:57:00 +0000 UTC',
      State: 'running',
      Status: 'Up 3 minutes',
      Health: 'healthy',
      ExitCode: 0,
      Publishers: [
        { URL: '127.0.0.1', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
        { URL: '', TargetPort: 443, PublishedPort: 0, Protocol: 'tcp' },
      ],
      Labels: 'com.docker.compose.container-number=1,com.docker.compose.project=myapp,com.docker.compose.service=web',
      LocalVolumes: '1',
      Mounts: 'myapp_data,/home/me/site',
      Networks: 'myapp_default,myapp_front',
      Ports: '127.0.0.1:8080->80/tcp, 443/tcp',
      RunningFor: '3 minutes ago',
      Size: '0B',
    });
  });

  it('fills absent health and exit code the way Compose does', () => {
    const doc = psJsonObject(container({ state: 'exited', status: 'Exited (137) 1 second ago', exitCode: 137 }), { now: NOW });
    expect(doc.Health).toBe('');
    expect(doc.ExitCode).toBe(137);
    expect(psJsonObject(container(), { now: NOW }).ExitCode).toBe(0);
  });
});
