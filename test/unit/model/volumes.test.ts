import { describe, expect, it } from 'vitest';
import { build, buildChecked, errorOf, serviceOf, WORKDIR } from './support.js';

const withVolumes = (entries: string, topLevel = 'volumes:\n  data: {}\n') =>
  `services:\n  web:\n    image: nginx\n    volumes:\n${entries}\n${topLevel}`;

describe('service volumes, short syntax', () => {
  it('relative bind resolved against the project directory, create_host_path set', () => {
    const project = buildChecked(withVolumes('      - ./site:/usr/share/nginx/html'));
    expect(serviceOf(project).volumes).toEqual([
      { type: 'bind', source: `${WORKDIR}/site`, target: '/usr/share/nginx/html', bind: { create_host_path: true } },
    ]);
  });

  it('absolute bind with ro', () => {
    const project = buildChecked(withVolumes('      - /etc/hosts:/etc/hosts:ro'));
    expect(serviceOf(project).volumes[0]).toEqual({ type: 'bind', source: '/etc/hosts', target: '/etc/hosts', read_only: true, bind: { create_host_path: true } });
  });

  it('~ expands from HOME of the project environment', () => {
    const project = buildChecked(withVolumes('      - ~/cache:/cache'), { environment: { HOME: '/home/ann' } });
    expect(serviceOf(project).volumes[0]?.source).toBe('/home/ann/cache');
  });

  it('parent-relative bind is normalised', () => {
    const project = buildChecked(withVolumes('      - ../shared/:/shared/'));
    expect(serviceOf(project).volumes[0]).toMatchObject({ source: '/work/shared', target: '/shared' });
  });

  it('named volume', () => {
    const project = buildChecked(withVolumes('      - data:/var/lib/data'));
    expect(serviceOf(project).volumes[0]).toEqual({ type: 'volume', source: 'data', target: '/var/lib/data', volume: {} });
    expect(project.volumes.data?.name).toBe('demo_data');
  });

  it('anonymous volume', () => {
    const project = buildChecked(withVolumes('      - /var/cache'));
    expect(serviceOf(project).volumes[0]).toEqual({ type: 'volume', target: '/var/cache', volume: {} });
  });

  it('modes: nocopy, selinux, propagation, rw', () => {
    const project = buildChecked(withVolumes('      - data:/a:ro,nocopy\n      - ./b:/b:z,rshared\n      - ./c:/c:rw,Z'));
    const [a, b, c] = serviceOf(project).volumes;
    expect(a).toEqual({ type: 'volume', source: 'data', target: '/a', read_only: true, volume: { nocopy: true } });
    expect(b).toEqual({ type: 'bind', source: `${WORKDIR}/b`, target: '/b', bind: { create_host_path: true, selinux: 'z', propagation: 'rshared' } });
    expect(c).toEqual({ type: 'bind', source: `${WORKDIR}/c`, target: '/c', bind: { create_host_path: true, selinux: 'Z' } });
  });

  it('rejects an unknown mode with its position', () => {
    const error = errorOf(() => build(withVolumes('      - ./x:/x:rx')));
    expect(error.message).toContain('unknown volume mode "rx"');
    expect(error.problems?.[0]?.location?.line).toBe(5);
  });

  it('rejects an undefined named volume', () => {
    const error = errorOf(() => build(withVolumes('      - cache:/cache')));
    expect(error.message).toContain('service "web" refers to undefined volume "cache"');
    expect(error.problems?.[0]?.hint).toContain('top-level `volumes:`');
  });

  it('rejects too many colons', () => {
    expect(errorOf(() => build(withVolumes('      - a:b:c:d'))).message).toContain('invalid volume "a:b:c:d"');
  });
});

describe('service volumes, long syntax', () => {
  it('bind source resolved; bind block gets create_host_path default', () => {
    const project = buildChecked(
      withVolumes(`      - type: bind
        source: ./conf
        target: /etc/conf
        read_only: true
        bind:
          propagation: rprivate
      - type: bind
        source: /data
        target: /data
        bind:
          create_host_path: false`),
    );
    expect(serviceOf(project).volumes).toEqual([
      { type: 'bind', source: `${WORKDIR}/conf`, target: '/etc/conf', read_only: true, bind: { propagation: 'rprivate', create_host_path: true } },
      { type: 'bind', source: '/data', target: '/data', bind: { create_host_path: false } },
    ]);
  });

  it('tmpfs with size and mode', () => {
    const project = buildChecked(withVolumes(`      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 64m
          mode: "1777"`));
    expect(serviceOf(project).volumes[0]).toEqual({ type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 1024 ** 2, mode: 0o1777 } });
  });

  it('named volume with subpath and nocopy', () => {
    const project = buildChecked(withVolumes(`      - type: volume
        source: data
        target: /d
        volume:
          nocopy: true
          subpath: sub`));
    expect(serviceOf(project).volumes[0]).toEqual({ type: 'volume', source: 'data', target: '/d', volume: { nocopy: true, subpath: 'sub' } });
  });

  it('a bind without source is an error', () => {
    expect(errorOf(() => build(withVolumes('      - type: bind\n        target: /x'))).message).toContain('needs a `source`');
  });
});

describe('top-level volumes', () => {
  it('names: <project>_<key>, explicit name, external', () => {
    const project = buildChecked(`
services:
  web:
    image: nginx
volumes:
  data:
    driver: local
    driver_opts: { type: none, o: bind, device: /srv }
    labels: [team=core]
    x-note: kept
  named:
    name: exact-name
  outside:
    external: true
  legacy:
    external:
      name: old-name
`);
    expect(project.volumes.data).toEqual({
      name: 'demo_data',
      driver: 'local',
      driver_opts: { type: 'none', o: 'bind', device: '/srv' },
      external: false,
      labels: { team: 'core' },
      extensions: { 'x-note': 'kept' },
    });
    expect(project.volumes.named?.name).toBe('exact-name');
    expect(project.volumes.outside).toMatchObject({ name: 'outside', external: true });
    expect(project.volumes.legacy).toMatchObject({ name: 'old-name', external: true });
  });
});
