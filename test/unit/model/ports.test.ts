import { describe, expect, it } from 'vitest';
import { build, buildChecked, errorOf, serviceOf } from './support.js';

function portsOf(...entries: string[]) {
  const yaml = `services:\n  web:\n    image: nginx\n    ports:\n${entries.map((entry) => `      - ${entry}\n`).join('')}`;
  const project = buildChecked(yaml);
  return serviceOf(project).ports;
}

describe('ports', () => {
  it('container port only', () => {
    expect(portsOf('"80"')).toEqual([{ target: 80, protocol: 'tcp', mode: 'ingress' }]);
  });

  it('a number', () => {
    expect(portsOf('3000')).toEqual([{ target: 3000, protocol: 'tcp', mode: 'ingress' }]);
  });

  it('host:container', () => {
    expect(portsOf('"8080:80"')).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('ip:host:container', () => {
    expect(portsOf('"127.0.0.1:8080:80"')).toEqual([{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('ip with an engine-chosen host port', () => {
    expect(portsOf('"127.0.0.1::80"')).toEqual([{ target: 80, host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('equal ranges expand to one entry per port', () => {
    expect(portsOf('"8000-8001:80-81"')).toEqual([
      { target: 80, published: '8000', protocol: 'tcp', mode: 'ingress' },
      { target: 81, published: '8001', protocol: 'tcp', mode: 'ingress' },
    ]);
  });

  it('a host range for one container port stays a range', () => {
    expect(portsOf('"8000-8010:80"')).toEqual([{ target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('a container range alone expands', () => {
    expect(portsOf('"3000-3002"').map((port) => port.target)).toEqual([3000, 3001, 3002]);
  });

  it('protocol suffix', () => {
    expect(portsOf('"53:53/udp"')).toEqual([{ target: 53, published: '53', protocol: 'udp', mode: 'ingress' }]);
  });

  it('IPv6 host address in brackets', () => {
    expect(portsOf('"[::1]:80:80"')).toEqual([{ target: 80, published: '80', host_ip: '::1', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('long syntax gets defaults and a string published port', () => {
    const project = buildChecked(`
services:
  web:
    image: nginx
    ports:
      - target: 80
        published: 8080
      - target: 443
        host_ip: 0.0.0.0
        protocol: udp
        mode: host
        name: https
        app_protocol: http2
`);
    expect(serviceOf(project).ports).toEqual([
      { target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' },
      { target: 443, host_ip: '0.0.0.0', protocol: 'udp', mode: 'host', name: 'https', app_protocol: 'http2' },
    ]);
  });

  it('prints the long syntax in Compose field order', async () => {
    const { toCanonical } = await import('../../../core/model/serialize.js');
    const project = build(`services:\n  web:\n    image: nginx\n    ports: ["127.0.0.1:8080:80"]\n`);
    const web = (toCanonical(project).services as Record<string, Record<string, unknown>>).web!;
    expect(web.ports).toEqual([{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }]);
    expect(Object.keys((web.ports as object[])[0]!)).toEqual(['mode', 'host_ip', 'target', 'published', 'protocol']);
  });

  it('rejects ranges of different lengths, with position', () => {
    const error = errorOf(() => build(`services:\n  web:\n    image: nginx\n    ports:\n      - "8000-8002:80-81"\n`));
    expect(error.message).toContain('differ in length');
    expect(error.problems?.[0]?.location).toMatchObject({ line: 5, col: 9 });
    expect(error.problems?.[0]?.path).toEqual(['services', 'web', 'ports', 0]);
  });

  it('rejects a port out of range', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: nginx\n    ports: ["70000:80"]\n`)).message).toContain('invalid port 70000');
  });

  it('rejects an unknown protocol', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: nginx\n    ports: ["80/xyz"]\n`)).message).toContain('unknown protocol "xyz"');
  });

  it('rejects garbage', () => {
    expect(errorOf(() => build(`services:\n  web:\n    image: nginx\n    ports: ["a:b"]\n`)).message).toMatch(/invalid port "[ab]" in "a:b"/);
  });
});
