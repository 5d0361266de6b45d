// `GET /containers/json` answers -> ObservedContainer. Shared by the dockerode adapter
// (docker.ts) and the dockerode-free list client (lite.ts) that keeps `ps` and `ls` fast.
import type { ContainerState, HealthState, ObservedContainer, ObservedMount, ObservedPort } from './engine.js';

export interface RawPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}
export interface RawMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  RW?: boolean;
}
export interface RawListedContainer {
  Id: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  Ports?: RawPort[] | null;
  Labels?: Record<string, string> | null;
  State?: string;
  Status?: string;
  NetworkSettings?: { Networks?: Record<string, unknown> | null } | null;
  Mounts?: RawMount[] | null;
}

const STATES: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

export function toState(value: string | undefined): ContainerState {
  return STATES.includes(value as ContainerState) ? (value as ContainerState) : 'dead';
}

/** The list API has no health field: the status text carries it, as `docker ps` shows it. */
export function healthFromStatus(status: string): HealthState | undefined {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return undefined;
}

export function exitCodeFromStatus(status: string): number | undefined {
  const match = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(status);
  return match ? Number(match[1]) : undefined;
}

export function fromMount(mount: RawMount): ObservedMount {
  const observed: ObservedMount = {
    type: mount.Type ?? 'bind',
    source: mount.Source ?? '',
    destination: mount.Destination ?? '',
    readOnly: mount.RW === false,
  };
  if (mount.Name) observed.name = mount.Name;
  return observed;
}

export function fromListedContainer(raw: RawListedContainer): ObservedContainer {
  const status = raw.Status ?? '';
  const state = toState(raw.State);
  const observed: ObservedContainer = {
    id: raw.Id,
    name: (raw.Names?.[0] ?? raw.Id).replace(/^\//, ''),
    image: raw.Image ?? '',
    imageId: raw.ImageID ?? '',
    labels: raw.Labels ?? {},
    state,
    status,
    created: raw.Created ?? 0,
    command: raw.Command ?? '',
    ports: (raw.Ports ?? []).map((port) => {
      const observedPort: ObservedPort = { privatePort: port.PrivatePort, protocol: port.Type };
      if (port.IP) observedPort.ip = port.IP;
      if (port.PublicPort !== undefined && port.PublicPort !== 0) observedPort.publicPort = port.PublicPort;
      return observedPort;
    }),
    networks: Object.keys(raw.NetworkSettings?.Networks ?? {}),
    mounts: (raw.Mounts ?? []).map(fromMount),
  };
  const health = healthFromStatus(status);
  if (health) observed.health = health;
  const exitCode = exitCodeFromStatus(status);
  if (exitCode !== undefined) observed.exitCode = exitCode;
  return observed;
}
