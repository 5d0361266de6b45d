import { describe, expect, it } from 'vitest';
import { networksByPriority } from '../../../core/apply/container-spec.js';
import { hostConfig, makeProject, makeService, network, specOf } from './container-spec-factory.js';

describe('toContainerSpec: networks', () => {
  it('attaches a service without networks to the default network, aliased by container and service name', () => {
    const spec = specOf(makeService('web'));
    expect(hostConfig(spec).NetworkMode).toBe('demo_default');
    expect(spec.body.NetworkingConfig).toEqual({ EndpointsConfig: { demo_default: { Aliases: ['demo-web-1', 'web'] } } });
    expect(spec.extraNetworks).toEqual({});
  });

  it('orders networks by priority then name; the first goes in the body, the rest are connected after', () => {
    const service = makeService('web', {
      networks: {
        zeta: { aliases: ['z'] },
        alpha: {},
        back: { priority: 10, ipv4_address: '172.20.0.5', ipv6_address: 'fd00::5', link_local_ips: ['169.254.1.1'], driver_opts: { 'com.example': 'x' } },
      },
    });
    const project = makeProject([service], { networks: { zeta: network('demo_zeta'), alpha: network('demo_alpha'), back: network('shared-back') } });
    expect(networksByPriority(service.networks)).toEqual(['back', 'alpha', 'zeta']);
    const spec = specOf(service, project);
    expect(hostConfig(spec).NetworkMode).toBe('shared-back');
    expect(spec.body.NetworkingConfig?.EndpointsConfig).toEqual({
      'shared-back': {
        Aliases: ['demo-web-1', 'web'],
        IPAMConfig: { IPv4Address: '172.20.0.5', IPv6Address: 'fd00::5', LinkLocalIPs: ['169.254.1.1'] },
        DriverOpts: { 'com.example': 'x' },
      },
    });
    expect(Object.keys(spec.extraNetworks)).toEqual(['demo_alpha', 'demo_zeta']);
    expect(spec.extraNetworks.demo_zeta).toEqual({ Aliases: ['demo-web-1', 'web', 'z'] });
  });

  it("puts the MAC address on the container (API 1.41) from the service or the primary network", () => {
    const a = makeService('a', { mac_address: '02:42:ac:11:00:02' });
    expect(specOf(a).body.MacAddress).toBe('02:42:ac:11:00:02');
    const b = makeService('b', { networks: { default: { mac_address: '02:42:ac:11:00:03' } } });
    const spec = specOf(b);
    expect(spec.body.MacAddress).toBe('02:42:ac:11:00:03');
    expect(spec.body.NetworkingConfig?.EndpointsConfig?.demo_default?.MacAddress).toBe('02:42:ac:11:00:03');
  });

  it('a project without networks runs the container without one', () => {
    const service = makeService('web');
    const spec = specOf(service, makeProject([service], { networks: {} }));
    expect(hostConfig(spec).NetworkMode).toBe('none');
    expect(spec.body).not.toHaveProperty('NetworkingConfig');
  });
});

describe('toContainerSpec: network_mode', () => {
  it.each(['bridge', 'host', 'none', 'container:abc123'])('%s is passed as is, without NetworkingConfig', (mode) => {
    const spec = specOf(makeService('web', { network_mode: mode, networks: {} }));
    expect(hostConfig(spec).NetworkMode).toBe(mode);
    expect(spec.body).not.toHaveProperty('NetworkingConfig');
    expect(spec.extraNetworks).toEqual({});
  });

  it('service:x joins the first container of x', () => {
    const vpn = makeService('vpn');
    const app = makeService('app', { network_mode: 'service:vpn' });
    const spec = specOf(app, makeProject([vpn, app]), { containerNamesOf: (s) => (s === 'vpn' ? ['demo-vpn-1', 'demo-vpn-2'] : []) });
    expect(hostConfig(spec).NetworkMode).toBe('container:demo-vpn-1');
    expect(spec.body).not.toHaveProperty('NetworkingConfig');
  });

  it('service:x with the default resolver uses container_name', () => {
    const vpn = makeService('vpn', { container_name: 'myvpn' });
    const app = makeService('app', { network_mode: 'service:vpn' });
    expect(hostConfig(specOf(app, makeProject([vpn, app]))).NetworkMode).toBe('container:myvpn');
  });
});

describe('toContainerSpec: links', () => {
  it('links each container of the target under the alias, its name and its short name, on host config and endpoints', () => {
    const db = makeService('db');
    const web = makeService('web', { links: ['db:database'], external_links: ['legacy-redis:redis', 'plain'] });
    const spec = specOf(web, makeProject([db, web]), { containerNamesOf: (s) => (s === 'db' ? ['demo-db-1', 'demo-db-2'] : []) });
    const expected = [
      'demo-db-1:database',
      'demo-db-1:demo-db-1',
      'demo-db-1:db-1',
      'demo-db-2:database',
      'demo-db-2:demo-db-2',
      'demo-db-2:db-2',
      'legacy-redis:redis',
      'plain:plain',
    ];
    expect(hostConfig(spec).Links).toEqual(expected);
    expect(spec.body.NetworkingConfig?.EndpointsConfig?.demo_default?.Links).toEqual(expected);
  });

  it('a link without alias uses the service name', () => {
    const db = makeService('db');
    const web = makeService('web', { links: ['db'], network_mode: 'bridge' });
    expect(hostConfig(specOf(web, makeProject([db, web]))).Links).toEqual(['demo-db-1:db', 'demo-db-1:demo-db-1', 'demo-db-1:db-1']);
  });

  it('drops links when the network stack is not the container own (host)', () => {
    const db = makeService('db');
    const web = makeService('web', { links: ['db'], network_mode: 'host' });
    expect(hostConfig(specOf(web, makeProject([db, web])))).not.toHaveProperty('Links');
  });
});
