// `port SERVICE PRIVATE_PORT`: the host address a container port is published on.
import { StackError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { serviceContainer } from './ps.js';

export interface PortOptions {
  projectName: string;
  service: string;
  privatePort: number;
  /** Default tcp. */
  protocol?: string;
  /** Replica number; default 1. */
  index?: number;
}

export interface PublishedAddress {
  ip: string;
  port: number;
}

/** The first binding, IPv4 before IPv6 (the engine lists both for a port published on all addresses). */
export async function port(engine: Pick<Engine, 'listContainers'>, options: PortOptions): Promise<PublishedAddress> {
  const protocol = options.protocol ?? 'tcp';
  const container = await serviceContainer(engine, { projectName: options.projectName, service: options.service, ...(options.index !== undefined ? { index: options.index } : {}) });
  const bindings = container.ports
    .filter((p) => p.privatePort === options.privatePort && p.protocol === protocol && p.publicPort !== undefined)
    .sort((a, b) => Number((a.ip ?? '').includes(':')) - Number((b.ip ?? '').includes(':')));
  const first = bindings[0];
  if (!first || first.publicPort === undefined) {
    throw new StackError('NOT_FOUND', `no host port is published for ${options.privatePort}/${protocol} of ${container.name}`, {
      hint: `publish it with \`ports: ["<host>:${options.privatePort}"]\` in the service; \`stack ps\` shows the published ports`,
    });
  }
  return { ip: first.ip ?? '0.0.0.0', port: first.publicPort };
}

/** `127.0.0.1:8080`, `[::]:8080`. */
export function formatAddress(address: PublishedAddress): string {
  return address.ip.includes(':') ? `[${address.ip}]:${address.port}` : `${address.ip}:${address.port}`;
}
