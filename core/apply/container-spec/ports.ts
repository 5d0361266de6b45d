// `expose` and `ports` -> ExposedPorts and HostConfig.PortBindings, as Compose's
// buildContainerPorts / buildContainerPortBindingOptions do.
import type { Service } from '../../model/types.js';

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** `80/tcp` keys for every exposed and published container port. */
export function exposedPorts(service: Pick<Service, 'expose' | 'ports'>): Record<string, Record<string, never>> {
  const out: Record<string, Record<string, never>> = {};
  for (const entry of service.expose) for (const key of exposeKeys(entry)) out[key] = {};
  for (const port of service.ports) out[`${port.target}/${port.protocol}`] = {};
  return out;
}

/**
 * `expose` entries are `3000`, `3000/udp` or ranges `3000-3005[/proto]`; the engine wants one key
 * per port (it rejects a range as a key), so ranges are expanded here as the docker CLI does.
 */
function exposeKeys(entry: string): string[] {
  const [ports = '', protocol = 'tcp'] = entry.trim().split('/');
  const match = /^(\d+)(?:-(\d+))?$/.exec(ports);
  // Malformed entries are the validator's to report; passing them on lets the engine name them.
  if (!match) return [`${ports}/${protocol}`];
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  const keys: string[] = [];
  for (let port = start; port <= end; port++) keys.push(`${port}/${protocol}`);
  return keys;
}

/**
 * One binding per published port. An absent `published` is HostPort "" (the engine picks a free
 * port); a range `8000-8010` with a single target is passed as written, and the engine picks one
 * free port in it (paired ranges were already expanded port by port by the model builder).
 */
export function portBindings(service: Pick<Service, 'ports'>): Record<string, PortBinding[]> {
  const out: Record<string, PortBinding[]> = {};
  for (const port of service.ports) {
    const key = `${port.target}/${port.protocol}`;
    (out[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  return out;
}
