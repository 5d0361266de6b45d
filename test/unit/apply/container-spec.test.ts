import { describe, expect, it } from 'vitest';
import { hostConfig, makeProject, makeService, specOf } from './container-spec-factory.js';

describe('toContainerSpec: container config', () => {
  it('maps image, command, entrypoint, user, working dir and identity fields', () => {
    const service = makeService('web', {
      command: ['sh', '-c', 'echo hi'],
      entrypoint: ['/bin/entry'],
      user: '1000:1000',
      working_dir: '/app',
      hostname: 'webhost',
      domainname: 'example.org',
      tty: true,
      stdin_open: true,
      stop_signal: 'SIGINT',
    });
    const spec = specOf(service);
    expect(spec.name).toBe('demo-web-1');
    expect(spec.body).toMatchObject({
      Image: 'busybox:latest',
      Cmd: ['sh', '-c', 'echo hi'],
      Entrypoint: ['/bin/entry'],
      User: '1000:1000',
      WorkingDir: '/app',
      Hostname: 'webhost',
      Domainname: 'example.org',
      Tty: true,
      OpenStdin: true,
      StopSignal: 'SIGINT',
      AttachStdout: true,
      AttachStderr: true,
    });
  });

  it('omits command and entrypoint when null or absent, and sets no default hostname', () => {
    const spec = specOf(makeService('web', { command: null }));
    expect(spec.body).not.toHaveProperty('Cmd');
    expect(spec.body).not.toHaveProperty('Entrypoint');
    expect(spec.body).not.toHaveProperty('Hostname');
  });

  it('keeps an empty entrypoint list, which clears the image entrypoint', () => {
    expect(specOf(makeService('web', { entrypoint: [] })).body.Entrypoint).toEqual([]);
  });

  it('uses the given image reference rather than the service image', () => {
    const service = makeService('app', { image: undefined });
    expect(specOf(service, makeProject([service]), { imageRef: 'demo-app' }).body.Image).toBe('demo-app');
  });

  it('stop_grace_period becomes whole seconds, truncated', () => {
    expect(specOf(makeService('web', { stop_grace_period: 1500 })).body.StopTimeout).toBe(1);
    expect(specOf(makeService('web', { stop_grace_period: 90_000 })).body.StopTimeout).toBe(90);
  });

  it('merges labels with stack labels winning', () => {
    const service = makeService('web', { labels: { team: 'a', 'com.docker.compose.project': 'spoofed' } });
    expect(specOf(service).body.Labels).toEqual({ team: 'a', 'com.docker.compose.project': 'demo' });
  });
});

describe('toContainerSpec: environment', () => {
  it('writes K=V in model order, including empty values', () => {
    const service = makeService('web', { environment: { B: '2', A: '1', EMPTY: '' } });
    expect(specOf(service).body.Env).toEqual(['B=2', 'A=1', 'EMPTY=']);
  });

  it('resolves a null value from the project environment', () => {
    const service = makeService('web', { environment: { TOKEN: null } });
    const project = makeProject([service], { environment: { TOKEN: 'abc' } });
    expect(specOf(service, project).body.Env).toEqual(['TOKEN=abc']);
  });

  it('sends a still-unset null value as a bare key, which the engine reads as unset (as Compose)', () => {
    const service = makeService('web', { environment: { MISSING: null, SET: 'x' } });
    expect(specOf(service).body.Env).toEqual(['MISSING', 'SET=x']);
  });

  it('omits Env when there is none', () => {
    expect(specOf(makeService('web')).body).not.toHaveProperty('Env');
  });
});

describe('toContainerSpec: healthcheck', () => {
  it('converts millisecond durations to nanoseconds', () => {
    const service = makeService('db', {
      healthcheck: { test: ['CMD-SHELL', 'pg_isready'], interval: 5000, timeout: 1500, retries: 3, start_period: 250, start_interval: 1000 },
    });
    expect(specOf(service).body.Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'pg_isready'],
      Interval: 5_000_000_000,
      Timeout: 1_500_000_000,
      Retries: 3,
      StartPeriod: 250_000_000,
    });
  });

  it('disable: true becomes Test ["NONE"]', () => {
    const service = makeService('db', { healthcheck: { test: ['CMD', 'true'], disable: true, interval: 1000 } });
    expect(specOf(service).body.Healthcheck).toEqual({ Test: ['NONE'] });
  });

  it('test ["NONE"] stays disabled', () => {
    expect(specOf(makeService('db', { healthcheck: { test: ['NONE'] } })).body.Healthcheck).toEqual({ Test: ['NONE'] });
  });

  it('timings without a test keep the image command (no Test sent)', () => {
    expect(specOf(makeService('db', { healthcheck: { interval: 2000 } })).body.Healthcheck).toEqual({ Interval: 2_000_000_000 });
  });

  it('no healthcheck key leaves the image healthcheck alone', () => {
    expect(specOf(makeService('db')).body).not.toHaveProperty('Healthcheck');
  });
});

describe('toContainerSpec: host config flags', () => {
  it('maps the flag and list fields one to one', () => {
    const service = makeService('web', {
      init: true,
      privileged: true,
      read_only: true,
      cap_add: ['NET_ADMIN'],
      cap_drop: ['ALL'],
      dns: ['1.1.1.1'],
      dns_search: ['example.org'],
      dns_opt: ['ndots:2'],
      extra_hosts: ['db.local:10.0.0.5'],
      group_add: ['audio'],
      security_opt: ['no-new-privileges:true'],
      sysctls: { 'net.core.somaxconn': '1024' },
      storage_opt: { size: '10G' },
      logging: { driver: 'json-file', options: { 'max-size': '10m' } },
      shm_size: 67108864,
      uts: 'host',
      userns_mode: 'host',
      cgroup: 'private',
      runtime: 'runc',
      isolation: 'default',
      oom_score_adj: -500,
      pid: 'host',
      ipc: 'shareable',
    });
    expect(hostConfig(specOf(service))).toMatchObject({
      Init: true,
      Privileged: true,
      ReadonlyRootfs: true,
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['ALL'],
      Dns: ['1.1.1.1'],
      DnsSearch: ['example.org'],
      DnsOptions: ['ndots:2'],
      ExtraHosts: ['db.local:10.0.0.5'],
      GroupAdd: ['audio'],
      SecurityOpt: ['no-new-privileges:true'],
      Sysctls: { 'net.core.somaxconn': '1024' },
      StorageOpt: { size: '10G' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
      ShmSize: 67108864,
      UTSMode: 'host',
      UsernsMode: 'host',
      CgroupnsMode: 'private',
      Runtime: 'runc',
      Isolation: 'default',
      OomScoreAdj: -500,
      PidMode: 'host',
      IpcMode: 'shareable',
    });
  });

  it('leaves out empty lists and maps and unset flags', () => {
    const host = hostConfig(specOf(makeService('web')));
    expect(Object.keys(host).sort()).toEqual(['NetworkMode']);
  });

  it('pid and ipc `service:x` point at the first container of x', () => {
    const db = makeService('db');
    const web = makeService('web', { pid: 'service:db', ipc: 'service:db' });
    const project = makeProject([db, web]);
    const host = hostConfig(specOf(web, project, { containerNamesOf: (s) => (s === 'db' ? ['demo-db-2', 'demo-db-3'] : []) }));
    expect(host.PidMode).toBe('container:demo-db-2');
    expect(host.IpcMode).toBe('container:demo-db-2');
  });

  it('systempaths=unconfined becomes empty masked and read-only path lists', () => {
    const host = hostConfig(specOf(makeService('web', { security_opt: ['systempaths=unconfined', 'label=disable'] })));
    expect(host.SecurityOpt).toEqual(['label=disable']);
    expect(host.MaskedPaths).toEqual([]);
    expect(host.ReadonlyPaths).toEqual([]);
  });

  it('inlines a seccomp profile file read through the injected reader, relative to the project', () => {
    const read: string[] = [];
    const service = makeService('web', { security_opt: ['seccomp=./sec.json', 'seccomp=unconfined'] });
    const host = hostConfig(
      specOf(service, makeProject([service]), {
        readFile: (file) => {
          read.push(file);
          return '{\n  "defaultAction": "SCMP_ACT_ALLOW"\n}';
        },
      }),
    );
    expect(read).toEqual(['/work/demo/sec.json']);
    expect(host.SecurityOpt).toEqual(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}', 'seccomp=unconfined']);
  });
});

describe('toContainerSpec: restart policy', () => {
  const policy = (overrides: Parameters<typeof makeService>[1]) => hostConfig(specOf(makeService('web', overrides))).RestartPolicy;

  it('maps the restart forms', () => {
    expect(policy({ restart: 'no' })).toEqual({ Name: 'no' });
    expect(policy({ restart: 'always' })).toEqual({ Name: 'always' });
    expect(policy({ restart: 'unless-stopped' })).toEqual({ Name: 'unless-stopped' });
    expect(policy({ restart: 'on-failure' })).toEqual({ Name: 'on-failure' });
    expect(policy({ restart: 'on-failure:5' })).toEqual({ Name: 'on-failure', MaximumRetryCount: 5 });
  });

  it('is absent without restart or deploy.restart_policy', () => {
    expect(policy({})).toBeUndefined();
  });

  it('maps deploy.restart_policy conditions, any being the default', () => {
    expect(policy({ deploy: { restart_policy: { condition: 'on-failure', max_attempts: 3 } } })).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(policy({ deploy: { restart_policy: { condition: 'none' } } })).toEqual({ Name: 'no' });
    expect(policy({ deploy: { restart_policy: {} } })).toEqual({ Name: 'always' });
  });

  it('never sends a retry count with always (the engine rejects it)', () => {
    expect(policy({ deploy: { restart_policy: { condition: 'any', max_attempts: 3 } } })).toEqual({ Name: 'always' });
  });

  it('deploy.restart_policy wins over restart, as in Compose', () => {
    expect(policy({ restart: 'always', deploy: { restart_policy: { condition: 'on-failure' } } })).toEqual({ Name: 'on-failure' });
  });
});
