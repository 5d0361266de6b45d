import { describe, expect, it } from 'vitest';
import { hostConfig, makeService, specOf } from './container-spec-factory.js';

describe('toContainerSpec: ports', () => {
  it('binds published ports with host ip and protocol, and exposes every target', () => {
    const service = makeService('web', {
      ports: [
        { target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' },
        { target: 53, published: '5353', host_ip: '127.0.0.1', protocol: 'udp', mode: 'ingress' },
      ],
    });
    const spec = specOf(service);
    expect(spec.body.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {} });
    expect(hostConfig(spec).PortBindings).toEqual({
      '80/tcp': [{ HostIp: '', HostPort: '8080' }],
      '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
    });
  });

  it('an unpublished port gets HostPort "" so the engine picks one', () => {
    const spec = specOf(makeService('web', { ports: [{ target: 3000, protocol: 'tcp', mode: 'ingress' }] }));
    expect(hostConfig(spec).PortBindings).toEqual({ '3000/tcp': [{ HostIp: '', HostPort: '' }] });
  });

  it('a host range with one target is passed whole (the engine picks a port in it)', () => {
    const spec = specOf(makeService('web', { ports: [{ target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' }] }));
    expect(hostConfig(spec).PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] });
  });

  it('expanded ranges and several host ips for one target accumulate bindings', () => {
    const service = makeService('web', {
      ports: [
        { target: 9000, published: '19000', protocol: 'tcp', mode: 'ingress' },
        { target: 9001, published: '19001', protocol: 'tcp', mode: 'ingress' },
        { target: 80, published: '80', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
        { target: 80, published: '80', host_ip: '::1', protocol: 'tcp', mode: 'ingress' },
      ],
    });
    expect(hostConfig(specOf(service)).PortBindings).toEqual({
      '9000/tcp': [{ HostIp: '', HostPort: '19000' }],
      '9001/tcp': [{ HostIp: '', HostPort: '19001' }],
      '80/tcp': [
        { HostIp: '127.0.0.1', HostPort: '80' },
        { HostIp: '::1', HostPort: '80' },
      ],
    });
  });

  it('expose entries, with protocol and ranges, become exposed ports without bindings', () => {
    const spec = specOf(makeService('web', { expose: ['3000', '4000/udp', '5000-5002'] }));
    expect(spec.body.ExposedPorts).toEqual({ '3000/tcp': {}, '4000/udp': {}, '5000/tcp': {}, '5001/tcp': {}, '5002/tcp': {} });
    expect(hostConfig(spec)).not.toHaveProperty('PortBindings');
  });
});

describe('toContainerSpec: resources', () => {
  it('maps the service-level keys', () => {
    const service = makeService('web', {
      mem_limit: 512 * 1024 * 1024,
      mem_reservation: 128 * 1024 * 1024,
      memswap_limit: 1024 * 1024 * 1024,
      mem_swappiness: 0,
      cpus: 1.5,
      cpu_shares: 512,
      cpu_period: 100000,
      cpu_quota: 50000,
      cpuset: '0-1',
      pids_limit: 100,
      oom_kill_disable: true,
      cgroup_parent: 'my.slice',
    });
    expect(hostConfig(specOf(service))).toMatchObject({
      Memory: 536870912,
      MemoryReservation: 134217728,
      MemorySwap: 1073741824,
      MemorySwappiness: 0,
      NanoCpus: 1_500_000_000,
      CpuShares: 512,
      CpuPeriod: 100000,
      CpuQuota: 50000,
      CpusetCpus: '0-1',
      PidsLimit: 100,
      OomKillDisable: true,
      CgroupParent: 'my.slice',
    });
  });

  it('maps deploy.resources limits and reservations, winning over the service keys', () => {
    const service = makeService('web', {
      mem_limit: 1,
      cpus: 4,
      deploy: { resources: { limits: { cpus: 0.1, memory: 268435456, pids: 50 }, reservations: { memory: 67108864, cpus: 0.5 } } },
    });
    const host = hostConfig(specOf(service));
    expect(host).toMatchObject({ Memory: 268435456, NanoCpus: 100_000_000, PidsLimit: 50, MemoryReservation: 67108864 });
    expect(Number.isInteger(host.NanoCpus)).toBe(true);
  });

  it('maps GPU reservations to device requests', () => {
    const service = makeService('ml', {
      deploy: { resources: { reservations: { devices: [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }, { device_ids: ['0', '1'], capabilities: ['gpu', 'utility'] }] } } },
    });
    expect(hostConfig(specOf(service)).DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] },
      { DeviceIDs: ['0', '1'], Capabilities: [['gpu', 'utility']] },
    ]);
  });

  it('maps devices, cgroup rules and ulimits (sorted by name); skips CDI names', () => {
    const service = makeService('web', {
      devices: [
        { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
        { source: 'nvidia.com/gpu=all', target: 'nvidia.com/gpu=all', permissions: 'rwm' },
      ],
      device_cgroup_rules: ['c 1:3 mr'],
      ulimits: { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } },
    });
    expect(hostConfig(specOf(service))).toMatchObject({
      Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
      DeviceCgroupRules: ['c 1:3 mr'],
      Ulimits: [
        { Name: 'nofile', Soft: 20000, Hard: 40000 },
        { Name: 'nproc', Soft: 65535, Hard: 65535 },
      ],
    });
  });

  it('maps blkio_config', () => {
    const service = makeService('db', {
      blkio_config: { weight: 300, weight_device: [{ path: '/dev/sda', weight: 400 }], device_read_bps: [{ path: '/dev/sda', rate: 12582912 }], device_write_iops: [{ path: '/dev/sda', rate: '30' }] },
    });
    expect(hostConfig(specOf(service))).toMatchObject({
      BlkioWeight: 300,
      BlkioWeightDevice: [{ Path: '/dev/sda', Weight: 400 }],
      BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 12582912 }],
      BlkioDeviceWriteIOps: [{ Path: '/dev/sda', Rate: 30 }],
    });
  });
});
