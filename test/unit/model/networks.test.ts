import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../core/model/serialize.js';
import { build, buildChecked, errorOf, serviceOf } from './support.js';

describe('service networks', () => {
  it('absent and no network_mode -> default network, added at the top level', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n`);
    expect(serviceOf(project).networks).toEqual({ default: {} });
    expect(project.networks.default).toEqual({ name: 'demo_default', driver_opts: {}, external: false, labels: {}, extensions: {} });
  });

  it('network_mode -> no networks and no default network', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    network_mode: host\n`);
    expect(serviceOf(project).networks).toEqual({});
    expect(project.networks).toEqual({});
  });

  it('list form -> map with empty configs', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\n    networks: [front, back]\nnetworks:\n  front: {}\n  back: {}\n`);
    expect(serviceOf(project).networks).toEqual({ front: {}, back: {} });
    expect(project.networks.default).toBeUndefined();
    expect(project.networks.front?.name).toBe('demo_front');
  });

  it('map form with options', () => {
    const project = buildChecked(`
services:
  web:
    image: x
    networks:
      front:
        aliases: [www]
        ipv4_address: 172.16.238.10
        priority: 100
      back:
networks:
  front:
    ipam:
      config:
        - subnet: 172.16.238.0/24
  back:
`);
    expect(serviceOf(project).networks).toEqual({ front: { aliases: ['www'], ipv4_address: '172.16.238.10', priority: 100 }, back: {} });
    expect(project.networks.front?.ipam).toEqual({ config: [{ subnet: '172.16.238.0/24' }] });
  });

  it('prints a network without options as null, as Compose does', () => {
    const web = (toCanonical(build(`services:\n  web:\n    image: x\n`)).services as Record<string, Record<string, unknown>>).web!;
    expect(web.networks).toEqual({ default: null });
  });

  it('top-level names: explicit name, external key, legacy external name', () => {
    const project = buildChecked(`
services:
  web:
    image: x
    networks: [a, b, c, d]
networks:
  a:
    name: custom
    driver: bridge
    internal: true
    attachable: true
    enable_ipv6: false
    labels: { owner: me }
  b:
    external: true
  c:
    external: true
    name: shared-net
  d:
    external:
      name: legacy-net
`);
    expect(project.networks.a).toMatchObject({ name: 'custom', driver: 'bridge', internal: true, attachable: true, enable_ipv6: false, labels: { owner: 'me' } });
    expect(project.networks.b).toMatchObject({ name: 'b', external: true });
    expect(project.networks.c).toMatchObject({ name: 'shared-net', external: true });
    expect(project.networks.d).toMatchObject({ name: 'legacy-net', external: true });
  });

  it('an undefined network is a positioned error', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    networks: [front]\n`));
    expect(error.message).toContain('service "web" refers to undefined network "front"');
  });

  it('network_mode with networks is an error', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: x\n    network_mode: host\n    networks: [default]\n`));
    expect(error.message).toContain('cannot be combined');
  });

  it('default network written explicitly keeps its settings', () => {
    const project = buildChecked(`services:\n  web:\n    image: x\nnetworks:\n  default:\n    name: my-default\n    driver: bridge\n`);
    expect(project.networks.default).toMatchObject({ name: 'my-default', driver: 'bridge' });
  });
});
