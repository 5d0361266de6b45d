import { describe, expect, it } from 'vitest';
import { mergeLayers, ruleFor } from '../../../core/load/merge.js';
import { parseSpec } from '../../../core/load/parse.js';
import { loadYaml, services } from './helpers.js';

/** Merges inline YAML files in order, the way `-f a -f b` would. */
function merge(...texts: string[]): { data: Record<string, unknown>; web: Record<string, unknown>; sources: ReturnType<typeof parseSpec>['sources'] } {
  const layers = texts.map((text, i) => parseSpec(text, `f${i}.yaml`));
  let result: { data: Record<string, unknown>; sources: ReturnType<typeof parseSpec>['sources'] } = layers[0]!;
  for (const layer of layers.slice(1)) result = mergeLayers(result, layer);
  const web = ((result.data.services ?? {}) as Record<string, Record<string, unknown>>).web ?? {};
  return { data: result.data, web, sources: result.sources };
}

const svc = (body: string): string => `services:\n  web:\n${body.replace(/^/gm, '    ')}\n`;

describe('merge rule table', () => {
  it('looks rules up by path pattern', () => {
    expect(ruleFor(['services', 'web', 'command'])).toBe('replace');
    expect(ruleFor(['services', 'db', 'ulimits', 'nofile'])).toBe('replace');
    expect(ruleFor(['services', 'web', 'environment'])).toBe('keyValue');
    expect(ruleFor(['services', 'web', 'image'])).toBeUndefined();
    expect(ruleFor(['networks', 'front', 'labels'])).toBe('keyValue');
  });
});

describe('merging files', () => {
  it('merges mappings key by key; later scalars win; new services are added', () => {
    const { data } = merge('services:\n  web:\n    image: a\n    restart: always\n', 'services:\n  web:\n    image: b\n  db:\n    image: pg\n');
    expect(data.services).toEqual({ web: { image: 'b', restart: 'always' }, db: { image: 'pg' } });
  });

  it.each(['command', 'entrypoint'])('replaces %s', (key) => {
    expect(merge(svc(`${key}: [a, b, c]`), svc(`${key}: [d]`)).web[key]).toEqual(['d']);
    expect(merge(svc(`${key}: [a, b]`), svc(`${key}: echo hi`)).web[key]).toBe('echo hi');
  });

  it('replaces healthcheck.test but merges the rest of healthcheck', () => {
    const { web } = merge(svc('healthcheck:\n  test: [CMD, a, b]\n  interval: 5s'), svc('healthcheck:\n  test: [CMD, c]'));
    expect(web.healthcheck).toEqual({ test: ['CMD', 'c'], interval: '5s' });
  });

  it.each(['ports', 'expose', 'dns_opt', 'cap_add', 'cap_drop', 'security_opt', 'external_links', 'group_add', 'profiles', 'links', 'devices'])('appends %s without duplicates', (key) => {
    const { web } = merge(svc(`${key}: ["a", "b"]`), svc(`${key}: ["b", "c"]`));
    expect(web[key]).toEqual(['a', 'b', 'c']);
  });

  it.each(['dns', 'dns_search', 'tmpfs'])('appends %s, a single string counting as a list', (key) => {
    expect(merge(svc(`${key}: a`), svc(`${key}: [a, b]`)).web[key]).toEqual(['a', 'b']);
  });

  it('appends env_file by path, long form included', () => {
    const { web } = merge(svc('env_file: [a.env, b.env]'), svc('env_file:\n  - path: a.env\n    required: false\n  - c.env'));
    expect(web.env_file).toEqual([{ path: 'a.env', required: false }, 'b.env', 'c.env']);
    expect(merge(svc('env_file: a.env'), svc('env_file: b.env')).web.env_file).toEqual(['a.env', 'b.env']);
  });

  it.each(['environment', 'labels', 'sysctls', 'annotations'])('merges %s by key in map form', (key) => {
    const { web } = merge(svc(`${key}:\n  A: "1"\n  B: "2"`), svc(`${key}:\n  B: "3"\n  C: "4"`));
    expect(web[key]).toEqual({ A: '1', B: '3', C: '4' });
  });

  it('merges environment by key in list form, later value in place', () => {
    const { web } = merge(svc('environment:\n  - A=1\n  - B=2\n  - PASS'), svc('environment:\n  - B=3\n  - C=4\n  - PASS=now'));
    expect(web.environment).toEqual(['A=1', 'B=3', 'PASS=now', 'C=4']);
  });

  it('merges environment across list and map forms', () => {
    expect(merge(svc('environment:\n  - A=1\n  - B=2'), svc('environment:\n  B: 3\n  C: null')).web.environment).toEqual(['A=1', 'B=3', 'C']);
    expect(merge(svc('environment:\n  A: "1"\n  B: "2"'), svc('environment:\n  - B=3')).web.environment).toEqual(['A=1', 'B=3']);
  });

  it('merges build args and deploy labels by key', () => {
    const { web } = merge(svc('build:\n  context: .\n  args: [A=1]\ndeploy:\n  labels: {x: "1"}'), svc('build:\n  args: {A: "2", B: "3"}\ndeploy:\n  labels: {y: "2"}'));
    expect(web.build).toEqual({ context: '.', args: ['A=2', 'B=3'] });
    expect(web.deploy).toEqual({ labels: { x: '1', y: '2' } });
  });

  it('merges extra_hosts: lists append without duplicates, maps by host', () => {
    expect(merge(svc('extra_hosts: ["a:1.1.1.1"]'), svc('extra_hosts: ["a:1.1.1.1", "b:2.2.2.2"]')).web.extra_hosts).toEqual(['a:1.1.1.1', 'b:2.2.2.2']);
    expect(merge(svc('extra_hosts: {a: 1.1.1.1, b: 2.2.2.2}'), svc('extra_hosts: {a: 9.9.9.9}')).web.extra_hosts).toEqual({ a: '9.9.9.9', b: '2.2.2.2' });
    expect(merge(svc('extra_hosts: ["a:1.1.1.1"]'), svc('extra_hosts: {b: 2.2.2.2}')).web.extra_hosts).toEqual(['a:1.1.1.1', 'b=2.2.2.2']);
  });

  it('merges volumes by target path (short and long syntax)', () => {
    const { web } = merge(
      svc('volumes:\n  - ./data:/data\n  - logs:/var/log\n  - /anon'),
      svc('volumes:\n  - ./other:/data:ro\n  - type: volume\n    source: newlogs\n    target: /var/log\n  - cache:/cache'),
    );
    expect(web.volumes).toEqual(['./other:/data:ro', { type: 'volume', source: 'newlogs', target: '/var/log' }, '/anon', 'cache:/cache']);
  });

  it('merges secrets and configs by source', () => {
    const { web } = merge(svc('secrets: [a, b]\nconfigs: [c]'), svc('secrets:\n  - source: a\n    target: /x\nconfigs: [d]'));
    expect(web.secrets).toEqual([{ source: 'a', target: '/x' }, 'b']);
    expect(web.configs).toEqual(['c', 'd']);
  });

  it('merges networks by key in both forms', () => {
    expect(merge(svc('networks: [front]'), svc('networks: [back, front]')).web.networks).toEqual(['front', 'back']);
    expect(merge(svc('networks:\n  front:\n    aliases: [a]'), svc('networks:\n  front:\n    aliases: [b]\n  back: {}')).web.networks).toEqual({ front: { aliases: ['a', 'b'] }, back: {} });
    expect(merge(svc('networks: [front, back]'), svc('networks:\n  front:\n    aliases: [x]')).web.networks).toEqual({ front: { aliases: ['x'] }, back: null });
  });

  it('merges depends_on by key, list form becoming service_started', () => {
    expect(merge(svc('depends_on: [db]'), svc('depends_on:\n  cache:\n    condition: service_healthy')).web.depends_on).toEqual({
      db: { condition: 'service_started' },
      cache: { condition: 'service_healthy' },
    });
    expect(merge(svc('depends_on:\n  db:\n    condition: service_healthy'), svc('depends_on:\n  db:\n    restart: true')).web.depends_on).toEqual({
      db: { condition: 'service_healthy', restart: true },
    });
    expect(merge(svc('depends_on: [db]'), svc('depends_on: [cache, db]')).web.depends_on).toEqual(['db', 'cache']);
  });

  it('merges ulimits by key, each limit replaced whole', () => {
    const { web } = merge(svc('ulimits:\n  nofile: {soft: 1, hard: 2}\n  nproc: 10'), svc('ulimits:\n  nofile: {soft: 5}'));
    expect(web.ulimits).toEqual({ nofile: { soft: 5 }, nproc: 10 });
  });

  it('merges build as a mapping, a string build being the context', () => {
    expect(merge(svc('build: ./app'), svc('build:\n  dockerfile: Dev.Dockerfile')).web.build).toEqual({ context: './app', dockerfile: 'Dev.Dockerfile' });
    expect(merge(svc('build:\n  context: .\n  target: prod'), svc('build: ./other')).web.build).toEqual({ context: './other', target: 'prod' });
  });

  it('keeps logging options only while the driver stays the same', () => {
    expect(merge(svc('logging:\n  driver: json-file\n  options: {max-size: 1m}'), svc('logging:\n  options: {max-file: "3"}')).web.logging).toEqual({
      driver: 'json-file',
      options: { 'max-size': '1m', 'max-file': '3' },
    });
    expect(merge(svc('logging:\n  driver: json-file\n  options: {max-size: 1m}'), svc('logging:\n  driver: syslog')).web.logging).toEqual({ driver: 'syslog' });
  });

  it('merges top-level networks, volumes, secrets and x- fields as mappings', () => {
    const { data } = merge('networks:\n  front:\n    driver: bridge\nx-a: {one: 1}\n', 'networks:\n  front:\n    labels: [a=b]\n  back: {}\nx-a: {two: 2}\n');
    expect(data.networks).toEqual({ front: { driver: 'bridge', labels: ['a=b'] }, back: {} });
    expect(data['x-a']).toEqual({ one: 1, two: 2 });
  });

  it('an empty key in a later file keeps the earlier value', () => {
    const { web } = merge(svc('image: a\nenvironment: {A: "1"}'), svc('environment:\nimage:'));
    expect(web).toEqual({ image: 'a', environment: { A: '1' } });
  });

  it('!reset removes a value set by an earlier file', () => {
    const { web } = merge(svc('image: a\nports: ["80:80"]\nenvironment: {A: "1"}\nbuild: .'), svc('ports: !reset []\nenvironment: !reset {}\nbuild: !reset null'));
    expect(web).toEqual({ image: 'a' });
  });

  it('!reset on a key nobody set is simply dropped; a whole service can be reset', () => {
    const { data } = merge('services:\n  web: {image: a}\n  db: {image: b}\n', 'services:\n  db: !reset\n  cache:\n    image: c\n    ports: !reset []\n');
    expect(data.services).toEqual({ web: { image: 'a' }, cache: { image: 'c' } });
  });

  it('!override replaces instead of merging', () => {
    const { web } = merge(svc('ports: ["80:80", "443:443"]\nenvironment: {A: "1", B: "2"}'), svc('ports: !override ["8080:80"]\nenvironment: !override {C: "3"}'));
    expect(web.ports).toEqual(['8080:80']);
    expect(web.environment).toEqual({ C: '3' });
  });

  it('strips !override and !reset left in the first file', async () => {
    const spec = await loadYaml(svc('image: a\nports: !override ["80:80"]\nlabels: !reset {}'));
    expect(services(spec).web).toEqual({ image: 'a', ports: ['80:80'] });
  });

  it('moves positions with merged values: later keys, appended and re-keyed list items', () => {
    const { sources } = merge(svc('image: a\nports:\n  - "1:1"\n  - "2:2"\nenvironment:\n  - A=1\n  - B=2'), svc('image: b\nports:\n  - "3:3"\nenvironment:\n  - A=9'));
    expect(sources.locate(['services', 'web', 'image'])).toMatchObject({ file: 'f1.yaml', line: 3 });
    expect(sources.locate(['services', 'web', 'ports', 0])).toMatchObject({ file: 'f0.yaml', line: 5 });
    expect(sources.locate(['services', 'web', 'ports', 2])).toMatchObject({ file: 'f1.yaml', line: 5 });
    expect(sources.locate(['services', 'web', 'environment', 0])).toMatchObject({ file: 'f1.yaml', line: 7 });
    expect(sources.locate(['services', 'web', 'environment', 1])).toMatchObject({ file: 'f0.yaml', line: 9 });
  });

  it('positions map-form items moved into a list form', () => {
    const { sources, web } = merge(svc('environment:\n  A: "1"'), svc('environment:\n  - B=2'));
    expect(web.environment).toEqual(['A=1', 'B=2']);
    expect(sources.locate(['services', 'web', 'environment', 0])).toMatchObject({ file: 'f0.yaml', line: 4 });
    expect(sources.locate(['services', 'web', 'environment', 1])).toMatchObject({ file: 'f1.yaml', line: 4 });
  });

  it('merges several -f files end to end', async () => {
    const spec = await loadYaml(svc('image: a\ncommand: [x]'), {
      files: ['compose.yaml', 'dev.yaml'],
      extra: { 'dev.yaml': svc('command: [y]\nports: ["80:80"]') },
    });
    expect(services(spec).web).toEqual({ image: 'a', command: ['y'], ports: ['80:80'] });
    expect(spec.sources.locate(['services', 'web', 'command'])).toMatchObject({ file: 'dev.yaml', line: 3 });
  });
});
