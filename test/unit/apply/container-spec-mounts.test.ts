import { describe, expect, it } from 'vitest';
import { SpecError, StackError } from '../../../core/errors.js';
import { hostConfig, makeProject, makeService, specOf, volume } from './container-spec-factory.js';

describe('toContainerSpec: volumes', () => {
  it('maps a bind with propagation and read-only, and asks for its host path to be created', () => {
    const service = makeService('web', {
      volumes: [{ type: 'bind', source: '/srv/data', target: '/data', read_only: true, bind: { propagation: 'rshared', create_host_path: true } }],
    });
    const spec = specOf(service);
    expect(hostConfig(spec).Mounts).toEqual([{ Type: 'bind', Source: '/srv/data', Target: '/data', ReadOnly: true, BindOptions: { Propagation: 'rshared' } }]);
    expect(spec.hostPathsToCreate).toEqual(['/srv/data']);
  });

  it('does not create the host path of a bind with create_host_path: false', () => {
    const service = makeService('web', { volumes: [{ type: 'bind', source: '/srv/strict', target: '/s', bind: { create_host_path: false } }] });
    const spec = specOf(service);
    expect(hostConfig(spec).Mounts).toEqual([{ Type: 'bind', Source: '/srv/strict', Target: '/s' }]);
    expect(spec.hostPathsToCreate).toEqual([]);
  });

  it('creates the host path of a long-syntax bind without a bind block (Compose uses Binds, which create it)', () => {
    const spec = specOf(makeService('web', { volumes: [{ type: 'bind', source: '/srv/long', target: '/l' }] }));
    expect(spec.hostPathsToCreate).toEqual(['/srv/long']);
  });

  it('uses Binds for SELinux relabelling, which the Mount API cannot express', () => {
    const service = makeService('web', { volumes: [{ type: 'bind', source: '/srv/app', target: '/app', read_only: true, bind: { selinux: 'z', create_host_path: true } }] });
    const host = hostConfig(specOf(service));
    expect(host.Binds).toEqual(['/srv/app:/app:ro,z']);
    expect(host).not.toHaveProperty('Mounts');
  });

  it('maps a named volume to its engine name, with nocopy', () => {
    const service = makeService('db', { volumes: [{ type: 'volume', source: 'data', target: '/var/lib/db', volume: { nocopy: true, subpath: 'ignored' } }] });
    const project = makeProject([service], { volumes: { data: volume('demo_data') } });
    const spec = specOf(service, project);
    expect(hostConfig(spec).Mounts).toEqual([{ Type: 'volume', Source: 'demo_data', Target: '/var/lib/db', VolumeOptions: { NoCopy: true } }]);
    expect(spec.hostPathsToCreate).toEqual([]);
  });

  it('leaves an anonymous volume without source, or reuses the carried-over one', () => {
    const service = makeService('db', { volumes: [{ type: 'volume', target: '/cache', volume: {} }, { type: 'volume', target: '/keep', volume: {} }] });
    const spec = specOf(service, makeProject([service]), { anonymousVolumes: { '/keep': 'a1b2c3' } });
    expect(hostConfig(spec).Mounts).toEqual([
      { Type: 'volume', Target: '/cache' },
      { Type: 'volume', Source: 'a1b2c3', Target: '/keep' },
    ]);
  });

  it("carries over an image VOLUME's anonymous volume the spec does not mention", () => {
    const service = makeService('db', { volumes: [{ type: 'bind', source: '/srv/x', target: '/x' }] });
    const spec = specOf(service, makeProject([service]), { anonymousVolumes: { '/var/lib/postgresql/data': 'f00d', '/x': 'ignored' } });
    expect(hostConfig(spec).Mounts).toEqual([
      { Type: 'bind', Source: '/srv/x', Target: '/x' },
      { Type: 'volume', Source: 'f00d', Target: '/var/lib/postgresql/data' },
    ]);
  });

  it('maps tmpfs mounts with size and mode, and the tmpfs list', () => {
    const service = makeService('web', {
      volumes: [{ type: 'tmpfs', target: '/scratch', tmpfs: { size: 1048576, mode: 0o1777 } }],
      tmpfs: ['/run', '/tmp:size=64m,mode=1777'],
    });
    const host = hostConfig(specOf(service));
    expect(host.Mounts).toEqual([{ Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } }]);
    expect(host.Tmpfs).toEqual({ '/run': '', '/tmp': 'size=64m,mode=1777' });
  });

  it('skips image and cluster mounts (not available at API 1.41)', () => {
    const service = makeService('web', {
      volumes: [
        { type: 'image', source: 'alpine', target: '/img' },
        { type: 'cluster', source: 'c', target: '/c' },
      ],
    });
    expect(hostConfig(specOf(service))).not.toHaveProperty('Mounts');
  });

  it('a later entry for the same target replaces an earlier one', () => {
    const service = makeService('web', {
      volumes: [
        { type: 'bind', source: '/a', target: '/data', bind: { selinux: 'Z' } },
        { type: 'volume', target: '/data', volume: {} },
      ],
    });
    const host = hostConfig(specOf(service));
    expect(host).not.toHaveProperty('Binds');
    expect(host.Mounts).toEqual([{ Type: 'volume', Target: '/data' }]);
  });
});

describe('toContainerSpec: volumes_from', () => {
  it('resolves services to their first container and keeps the access mode', () => {
    const data = makeService('data');
    const web = makeService('web', { volumes_from: ['data', 'data:ro', 'service:data:rw', 'container:legacy', 'container:other:ro'] });
    const project = makeProject([data, web]);
    const host = hostConfig(specOf(web, project, { containerNamesOf: () => ['demo-data-1', 'demo-data-2'] }));
    expect(host.VolumesFrom).toEqual(['demo-data-1', 'demo-data-1:ro', 'demo-data-1:rw', 'legacy', 'other:ro']);
  });

  it('defaults to the deterministic name of container 1, honouring container_name', () => {
    const data = makeService('data', { container_name: 'the-data' });
    const web = makeService('web', { volumes_from: ['data'] });
    expect(hostConfig(specOf(web, makeProject([data, web]))).VolumesFrom).toEqual(['the-data']);
  });

  it('a service without containers is a typed error, not a crash', () => {
    const web = makeService('web', { volumes_from: ['data'] });
    const project = makeProject([makeService('data'), web]);
    expect(() => specOf(web, project, { containerNamesOf: () => [] })).toThrow(StackError);
  });
});

describe('toContainerSpec: secrets and configs', () => {
  it('bind-mounts file secrets and configs read-only at their targets', () => {
    const service = makeService('web', {
      secrets: [{ source: 'db_pw', target: '/run/secrets/db_pw' }],
      configs: [{ source: 'nginx', target: '/nginx' }, { source: 'app', target: '/etc/app.conf' }],
    });
    const project = makeProject([service], {
      secrets: { db_pw: { name: 'demo_db_pw', file: '/work/demo/pw.txt', external: false, labels: {}, extensions: {} } },
      configs: {
        nginx: { name: 'demo_nginx', file: '/work/demo/nginx.conf', external: false, labels: {}, extensions: {} },
        app: { name: 'demo_app', file: '/work/demo/app.conf', external: false, labels: {}, extensions: {} },
      },
    });
    const spec = specOf(service, project);
    expect(hostConfig(spec).Mounts).toEqual([
      { Type: 'bind', Source: '/work/demo/pw.txt', Target: '/run/secrets/db_pw', ReadOnly: true },
      { Type: 'bind', Source: '/work/demo/nginx.conf', Target: '/nginx', ReadOnly: true },
      { Type: 'bind', Source: '/work/demo/app.conf', Target: '/etc/app.conf', ReadOnly: true },
    ]);
    // Secret files must exist: they are never created as directories.
    expect(spec.hostPathsToCreate).toEqual([]);
    expect(spec.filesToCopy).toEqual([]);
  });

  it('copies environment secrets and content configs in, with mode and owner', () => {
    const service = makeService('web', {
      secrets: [{ source: 'token', target: '/run/secrets/token', uid: '1000', gid: '1001', mode: 0o400 }],
      configs: [{ source: 'inline', target: '/etc/inline.conf' }],
    });
    const project = makeProject([service], {
      environment: { API_TOKEN: 's3cret' },
      secrets: { token: { name: 'demo_token', environment: 'API_TOKEN', external: false, labels: {}, extensions: {} } },
      configs: { inline: { name: 'demo_inline', content: 'key=value\n', external: false, labels: {}, extensions: {} } },
    });
    const spec = specOf(service, project);
    expect(hostConfig(spec)).not.toHaveProperty('Mounts');
    expect(spec.filesToCopy).toEqual([
      { target: '/run/secrets/token', content: 's3cret', mode: 0o400, uid: 1000, gid: 1001 },
      { target: '/etc/inline.conf', content: 'key=value\n', mode: 0o444 },
    ]);
  });

  it('a volume at the same target wins over a secret', () => {
    const service = makeService('web', {
      volumes: [{ type: 'bind', source: '/srv/pw', target: '/run/secrets/pw' }],
      secrets: [{ source: 'pw', target: '/run/secrets/pw' }],
    });
    const project = makeProject([service], { secrets: { pw: { name: 'demo_pw', file: '/work/demo/pw', external: false, labels: {}, extensions: {} } } });
    expect(hostConfig(specOf(service, project)).Mounts).toEqual([{ Type: 'bind', Source: '/srv/pw', Target: '/run/secrets/pw' }]);
  });

  it('an unset secret variable is a spec error naming the variable', () => {
    const service = makeService('web', { secrets: [{ source: 'token', target: '/run/secrets/token' }] });
    const project = makeProject([service], { secrets: { token: { name: 'demo_token', environment: 'NOPE', external: false, labels: {}, extensions: {} } } });
    expect(() => specOf(service, project)).toThrow(SpecError);
    expect(() => specOf(service, project)).toThrow(/NOPE/);
  });

  it('an external secret is a spec error (Swarm only)', () => {
    const service = makeService('web', { secrets: [{ source: 'ext', target: '/run/secrets/ext' }] });
    const project = makeProject([service], { secrets: { ext: { name: 'ext', external: true, labels: {}, extensions: {} } } });
    expect(() => specOf(service, project)).toThrow(/external secrets/);
  });

  it('content to copy into a read-only container is a spec error', () => {
    const service = makeService('web', { read_only: true, configs: [{ source: 'inline', target: '/inline' }] });
    const project = makeProject([service], { configs: { inline: { name: 'demo_inline', content: 'x', external: false, labels: {}, extensions: {} } } });
    expect(() => specOf(service, project)).toThrow(/read-only/);
  });
});
