// The round-trip property over generated specs: toCanonical(build(toCanonical(p))) == toCanonical(p).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatDuration, parseDuration } from '../../../core/model/canonical/units.js';
import { toCanonical } from '../../../core/model/serialize.js';
import { build, expectRoundTrip, fakeFiles, WORKDIR } from './support.js';

const port = fc.integer({ min: 1, max: 65535 });
const portSpec = fc.oneof(
  port.map(String),
  fc.tuple(port, port).map(([host, container]) => `${host}:${container}`),
  fc.tuple(port, port, fc.constantFrom('tcp', 'udp')).map(([host, container, proto]) => `127.0.0.1:${host}:${container}/${proto}`),
  fc.tuple(fc.integer({ min: 1000, max: 2000 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 3000, max: 4000 })).map(
    ([host, span, container]) => `${host}-${host + span}:${container}-${container + span}`,
  ),
);
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const envValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constant(null));
const duration = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999 })).map(
  ([h, m, s, ms]) => `${h}h${m}m${s}s${ms}ms`,
);
const volume = fc.oneof(
  fc.stringMatching(/^[a-z]{1,6}$/).map((dir) => `./${dir}:/mnt/${dir}`),
  fc.stringMatching(/^[a-z]{1,6}$/).map((dir) => `/abs/${dir}:/data/${dir}:ro`),
  fc.constant('data:/var/lib/data:nocopy'),
  fc.stringMatching(/^[a-z]{1,6}$/).map((dir) => `/anon/${dir}`),
);

const service = fc.record(
  {
    image: fc.constant('busybox'),
    ports: fc.array(portSpec, { maxLength: 3 }),
    environment: fc.dictionary(name.map((key) => key.toUpperCase()), envValue, { maxKeys: 4 }),
    volumes: fc.array(volume, { maxLength: 3 }),
    command: fc.oneof(fc.constant('sh -c "echo hi"'), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 })),
    healthcheck: fc.record({ test: fc.constant('true'), interval: duration, retries: fc.integer({ min: 0, max: 5 }) }),
    stop_grace_period: duration,
    shm_size: fc.oneof(fc.integer({ min: 0, max: 1 << 30 }), fc.constantFrom('64m', '1g', '1.5k')),
    labels: fc.dictionary(name, fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  },
  { requiredKeys: ['image'] },
);

describe('round trip (property)', () => {
  it('holds for generated services', () => {
    fc.assert(
      fc.property(fc.dictionary(name, service, { minKeys: 1, maxKeys: 3 }), (services) => {
        const text = stringify({ services, volumes: { data: {} } });
        expectRoundTrip(build(text, { environment: { HOME: '/home/u' } }), { environment: { HOME: '/home/u' } });
      }),
      { numRuns: 100 },
    );
  });

  it('durations print and parse back to the same milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});

describe('round trip (a full project)', () => {
  it('holds, and the canonical form is stable under YAML', () => {
    const files = fakeFiles({ [`${WORKDIR}/.env`]: 'A=1', [`${WORKDIR}/s.txt`]: 'x' });
    const project = build(
      `
name: ignored-here
services:
  web:
    build: { context: ., args: [A=1] }
    command: npm start
    env_file: .env
    environment: { B: 2 }
    ports: ["8080:80", "9000-9001:9000-9001/udp"]
    volumes: ["./src:/app/src:ro", "data:/data"]
    networks: { front: { aliases: [w] }, back: }
    depends_on: { db: { condition: service_healthy } }
    healthcheck: { test: "curl -f localhost", interval: 30s, timeout: 5s, retries: 3 }
    secrets: [s]
    configs: [{ source: c, target: /etc/c, mode: "0400" }]
    deploy: { resources: { limits: { memory: 256m } } }
    ulimits: { nofile: 1024 }
    extra_hosts: { host.docker.internal: host-gateway }
    x-meta: { a: 1 }
  db:
    image: postgres:16
    profiles: [db]
    healthcheck: { disable: true }
networks:
  front: {}
  back: { external: true, name: shared }
volumes:
  data: { labels: { k: v } }
secrets:
  s: { file: ./s.txt }
configs:
  c: { content: "hello" }
x-top: 1
`,
      { readFile: files, profiles: ['db'] },
    );
    const canonical = expectRoundTrip(project, { readFile: files, profiles: ['db'] });
    expect(canonical).toEqual(JSON.parse(JSON.stringify(toCanonical(project))));
    expect(canonical.networks).toEqual({ back: { name: 'shared', external: true }, default: { name: 'demo_default' }, front: { name: 'demo_front' } });
    expect(canonical.secrets).toEqual({ s: { name: 'demo_s', file: `${WORKDIR}/s.txt` } });
    expect(canonical.configs).toEqual({ c: { name: 'demo_c', content: 'hello' } });
  });
});
