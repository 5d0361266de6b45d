import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../core/model/serialize.js';
import { build, buildChecked, serviceOf } from './support.js';

describe('misc service attributes', () => {
  const project = buildChecked(`
x-common: &common
  restart: unless-stopped
services:
  web:
    <<: *common
    image: nginx
    labels: [com.example.a=1, com.example.flag]
    sysctls: [net.core.somaxconn=1024]
    ulimits:
      nproc: 65535
      nofile: { soft: 20000, hard: 40000 }
    extra_hosts:
      - "db=10.0.0.2"
      - "cache:10.0.0.3"
      - "v6=[::1]"
    devices:
      - /dev/ttyUSB0
      - /dev/sda:/dev/xvda:r
      - source: /dev/fuse
        target: /dev/fuse
    expose: [3000, "4000-4001"]
    cpus: "1.5"
    dns: 8.8.8.8
    tmpfs: /run
    cap_add: [NET_ADMIN]
    links: [db:database]
    volumes_from: [db:ro, "container:other"]
    init: true
    user: "1000:1000"
    working_dir: /app
    logging:
      driver: json-file
      options: { max-size: 10m }
    deploy:
      replicas: 2
      resources:
        limits: { cpus: "0.5", memory: 512m }
      restart_policy:
        condition: on-failure
        delay: 5s
        window: 2m
    x-team: platform
  db:
    image: postgres
    scale: 3
x-top: { keep: true }
`);
  const web = serviceOf(project);

  it('labels and sysctls list -> map', () => {
    expect(web.labels).toEqual({ 'com.example.a': '1', 'com.example.flag': '' });
    expect(web.sysctls).toEqual({ 'net.core.somaxconn': '1024' });
  });

  it('ulimits number -> soft/hard', () => {
    expect(web.ulimits).toEqual({ nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } });
  });

  it('extra_hosts -> host:ip', () => {
    expect(web.extra_hosts).toEqual(['db:10.0.0.2', 'cache:10.0.0.3', 'v6:::1']);
  });

  it('devices short -> long', () => {
    expect(web.devices).toEqual([
      { source: '/dev/ttyUSB0', target: '/dev/ttyUSB0', permissions: 'rwm' },
      { source: '/dev/sda', target: '/dev/xvda', permissions: 'r' },
      { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
    ]);
  });

  it('expose -> strings, cpus -> number, string-or-list -> list', () => {
    expect(web.expose).toEqual(['3000', '4000-4001']);
    expect(web.cpus).toBe(1.5);
    expect(web.dns).toEqual(['8.8.8.8']);
    expect(web.tmpfs).toEqual(['/run']);
  });

  it('legacy links and volumes_from kept; merge keys applied', () => {
    expect(web.links).toEqual(['db:database']);
    expect(web.volumes_from).toEqual(['db:ro', 'container:other']);
    expect(web.restart).toBe('unless-stopped');
  });

  it('scale = scale ?? deploy.replicas ?? 1', () => {
    expect(web.scale).toBe(2);
    expect(serviceOf(project, 'db').scale).toBe(3);
    expect(serviceOf(build(`services:\n  web:\n    image: x\n`)).scale).toBe(1);
  });

  it('deploy durations and sizes normalised', () => {
    expect(web.deploy).toEqual({
      replicas: 2,
      resources: { limits: { cpus: 0.5, memory: 512 * 1024 ** 2 } },
      restart_policy: { condition: 'on-failure', delay: 5000, window: 120_000 },
    });
  });

  it('x- extensions kept at service and top level; printed back', () => {
    expect(web.extensions).toEqual({ 'x-team': 'platform' });
    expect(project.extensions).toEqual({ 'x-common': { restart: 'unless-stopped' }, 'x-top': { keep: true } });
    const canonical = toCanonical(project);
    expect(canonical['x-top']).toEqual({ keep: true });
    expect((canonical.services as Record<string, Record<string, unknown>>).web!['x-team']).toBe('platform');
  });

  it('restart is left unset when not written', () => {
    expect(serviceOf(project, 'db').restart).toBeUndefined();
  });

  it('canonical output: name first, services sorted, empty collections omitted, no secrets of the model', () => {
    const canonical = toCanonical(project);
    expect(Object.keys(canonical).slice(0, 2)).toEqual(['name', 'services']);
    expect(Object.keys(canonical.services as object)).toEqual(['db', 'web']);
    const db = (canonical.services as Record<string, Record<string, unknown>>).db!;
    expect(db).toEqual({ image: 'postgres', networks: { default: null }, scale: 3 });
    expect(canonical).not.toHaveProperty('volumes');
    expect(JSON.stringify(canonical)).not.toContain('"environment":{}');
  });

  it('deploy prints durations back', () => {
    const deploy = (toCanonical(project).services as Record<string, Record<string, unknown>>).web!.deploy;
    expect(deploy).toMatchObject({ restart_policy: { condition: 'on-failure', delay: '5s', window: '2m0s' } });
  });

  it('unsupported attributes warn instead of vanishing silently', () => {
    const warned = build(`services:\n  web:\n    image: x\n    gpus: all\n`);
    expect(warned.warnings).toContain('services.web.gpus is not supported by stack yet and is ignored');
  });

  it('scale and deploy.replicas that disagree are an error', () => {
    expect(() => build(`services:\n  web:\n    image: x\n    scale: 2\n    deploy: { replicas: 3 }\n`)).toThrow('disagree');
  });

  it('develop.watch: paths absolute, one rule per path', () => {
    const dev = buildChecked(`
services:
  web:
    image: x
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app/src
          ignore: [node_modules/]
        - path: [package.json, package-lock.json]
          action: rebuild
`);
    expect(serviceOf(dev).develop?.watch).toEqual([
      { path: '/work/proj/src', action: 'sync', target: '/app/src', ignore: ['node_modules/'] },
      { path: '/work/proj/package.json', action: 'rebuild', ignore: [] },
      { path: '/work/proj/package-lock.json', action: 'rebuild', ignore: [] },
    ]);
  });
});
