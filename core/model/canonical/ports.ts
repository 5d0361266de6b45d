// `ports`: short syntax (`"127.0.0.1:8080:80/udp"`, ranges, numbers) -> long syntax, as
// compose-go ParsePortConfig (docker/go-connections nat.ParsePortSpecs) does.
import type { KeyPath } from '../../errors.js';
import type { ServicePort } from '../types.js';
import { describe, expectNumber, expectString, fail, isRecord, type TransformContext } from './context.js';

const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

export function portsAt(ctx: TransformContext, value: unknown, path: KeyPath): ServicePort[] {
  if (!Array.isArray(value)) fail(ctx, path, `expected a list of ports, got ${describe(value)}`);
  const out: ServicePort[] = [];
  value.forEach((entry, index) => {
    const at = [...path, index];
    if (typeof entry === 'number') out.push({ target: checkPort(ctx, entry, at), protocol: 'tcp', mode: 'ingress' });
    else if (typeof entry === 'string') out.push(...parsePortSpec(ctx, entry, at));
    else if (isRecord(entry)) out.push(longPort(ctx, entry, at));
    else fail(ctx, at, `expected a port string, number or mapping, got ${describe(entry)}`);
  });
  return out;
}

function longPort(ctx: TransformContext, entry: Record<string, unknown>, path: KeyPath): ServicePort {
  if (entry.target === undefined) fail(ctx, path, 'a port mapping needs a `target` (the container port)');
  const port: ServicePort = {
    target: checkPort(ctx, expectNumber(ctx, entry.target, [...path, 'target']), [...path, 'target']),
    protocol: protocolAt(ctx, entry.protocol ?? 'tcp', [...path, 'protocol']),
    mode: entry.mode === 'host' ? 'host' : 'ingress',
  };
  if (entry.mode !== undefined && entry.mode !== 'host' && entry.mode !== 'ingress') {
    fail(ctx, [...path, 'mode'], `unknown port mode ${JSON.stringify(entry.mode)}`, 'use "ingress" or "host"');
  }
  if (entry.published !== undefined && entry.published !== null && entry.published !== '') {
    port.published = expectString(ctx, entry.published, [...path, 'published']);
  }
  if (typeof entry.host_ip === 'string' && entry.host_ip !== '') port.host_ip = entry.host_ip;
  if (typeof entry.name === 'string') port.name = entry.name;
  if (typeof entry.app_protocol === 'string') port.app_protocol = entry.app_protocol;
  return port;
}

function protocolAt(ctx: TransformContext, value: unknown, path: KeyPath): ServicePort['protocol'] {
  const protocol = String(value).toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    fail(ctx, path, `unknown protocol ${JSON.stringify(value)}`, 'use tcp, udp or sctp');
  }
  return protocol as ServicePort['protocol'];
}

function checkPort(ctx: TransformContext, port: number, path: KeyPath): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(ctx, path, `invalid port ${port}: ports are 0-65535`);
  return port;
}

interface Range {
  start: number;
  end: number;
}

function parseRange(ctx: TransformContext, text: string, path: KeyPath, spec: string): Range {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) fail(ctx, path, `invalid port ${JSON.stringify(text)} in ${JSON.stringify(spec)}`, 'write "HOST:CONTAINER", e.g. "8080:80"');
  const start = checkPort(ctx, Number(match[1]), path);
  const end = match[2] === undefined ? start : checkPort(ctx, Number(match[2]), path);
  if (end < start) fail(ctx, path, `invalid port range ${JSON.stringify(text)}: the end is before the start`);
  return { start, end };
}

/** `[ip:][host[-range]:]container[-range][/proto]` */
export function parsePortSpec(ctx: TransformContext, spec: string, path: KeyPath): ServicePort[] {
  let rest = spec.trim();
  let protocol: ServicePort['protocol'] = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = protocolAt(ctx, rest.slice(slash + 1), path);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail(ctx, path, `invalid IPv6 address in ${JSON.stringify(spec)}`);
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 1);
    if (!rest.startsWith(':')) fail(ctx, path, `invalid port ${JSON.stringify(spec)}`);
    rest = rest.slice(1);
  }
  const parts = rest.split(':');
  let hostText = '';
  let containerText: string;
  if (parts.length === 1) containerText = parts[0] ?? '';
  else if (parts.length === 2) [hostText, containerText] = [parts[0] ?? '', parts[1] ?? ''];
  else if (parts.length === 3 && hostIp === undefined) [hostIp, hostText, containerText] = [parts[0] ?? '', parts[1] ?? '', parts[2] ?? ''];
  else fail(ctx, path, `invalid port ${JSON.stringify(spec)}`, 'write "[IP:][HOST:]CONTAINER[/PROTOCOL]", e.g. "127.0.0.1:8080:80"');
  if (containerText === '') fail(ctx, path, `missing container port in ${JSON.stringify(spec)}`);
  const container = parseRange(ctx, containerText, path, spec);
  const host = hostText === '' ? undefined : parseRange(ctx, hostText, path, spec);
  const base = (target: number, published: string | undefined): ServicePort => {
    const port: ServicePort = { target, protocol, mode: 'ingress' };
    if (published !== undefined) port.published = published;
    if (hostIp !== undefined && hostIp !== '') port.host_ip = hostIp;
    return port;
  };
  const containerCount = container.end - container.start + 1;
  if (host === undefined) {
    return Array.from({ length: containerCount }, (_, i) => base(container.start + i, undefined));
  }
  const hostCount = host.end - host.start + 1;
  if (containerCount === 1) {
    return [base(container.start, hostCount === 1 ? String(host.start) : `${host.start}-${host.end}`)];
  }
  if (hostCount !== containerCount) {
    fail(ctx, path, `port ranges ${JSON.stringify(hostText)} and ${JSON.stringify(containerText)} differ in length`, 'give host and container ranges of the same size');
  }
  return Array.from({ length: containerCount }, (_, i) => base(container.start + i, String(host.start + i)));
}
