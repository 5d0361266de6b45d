// planDown: observed snapshot -> Plan. Works from labels alone (the spec may be broken or
// deleted): stop order comes from `com.docker.compose.depends_on`, so dependents stop before
// what they depend on. Always stop, then remove: never a forced removal of a running container.
import type { ObservedContainer } from '../engine/engine.js';
import { LABEL_DEPENDS_ON, containerNumber, isOneOff, parseDependsOnLabel, serviceOf } from '../observe/labels.js';
import type { ObservedState } from '../observe/observed-state.js';
import { PlanBuilder } from './builder.js';
import { defaultImageName, replicaName } from './naming.js';
import type { ContainerRef, Plan } from './types.js';

export interface PlanDownOptions {
  /** -v: remove the project's named volumes and the containers' anonymous volumes. */
  removeVolumes?: boolean;
  /** Services known to the spec (enabled and disabled); others are orphans. Unknown = every container is the project's. */
  knownServices?: string[];
  /** With knownServices: also remove orphans (else they are left and reported). */
  removeOrphans?: boolean;
  /** Only these services' containers; networks and volumes are then kept. */
  services?: string[];
  /** --rmi: `all` = every image used by the removed containers; `local` = only default build names (`<project>-<service>`). */
  rmi?: 'all' | 'local';
  /** Engine names of the spec's volumes, when the spec is known; otherwise every labelled volume is the project's. */
  projectVolumes?: string[];
  /** Seconds before the engine kills; default: each container's own stop timeout. */
  timeout?: number;
}

const RUNNING_STATES = new Set(['running', 'restarting', 'paused']);

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function planDown(observed: ObservedState, options: PlanDownOptions = {}): Plan {
  const b = new PlanBuilder();
  const containers = selectContainers(observed, options, b.warnings);

  // Stop order: a container stops after every container of the services that depend on it.
  const dependents = new Map<string, Set<string>>();
  for (const c of containers) {
    const service = serviceOf(c.labels) ?? '';
    for (const dep of parseDependsOnLabel(c.labels[LABEL_DEPENDS_ON])) {
      if (dep.service === service) continue;
      const set = dependents.get(dep.service) ?? new Set<string>();
      set.add(service);
      dependents.set(dep.service, set);
    }
  }
  const services = [...new Set(containers.map((c) => serviceOf(c.labels) ?? ''))];
  const stopNodes = new Map<string, string[]>();
  const removeNodes: string[] = [];
  for (const service of reverseOrder(services, dependents, b.warnings)) {
    const after = [...(dependents.get(service) ?? [])].flatMap((d) => stopNodes.get(d) ?? []);
    const stops: string[] = [];
    for (const c of containers.filter((x) => (serviceOf(x.labels) ?? '') === service)) {
      const { resource, base } = identify(c);
      const ref: ContainerRef = { name: c.name, id: c.id, service };
      const n = containerNumber(c.labels);
      if (n !== undefined) ref.number = n;
      let stop: string | undefined;
      if (RUNNING_STATES.has(c.state)) {
        stop = b.add({
          id: b.uniqueId(`${base}:stop`, c.id.slice(0, 12)),
          op: { kind: 'stop-container', container: ref, ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}) },
          resource,
          cause: 'down',
          dependsOn: after,
        });
        stops.push(stop);
      }
      removeNodes.push(
        b.add({
          id: b.uniqueId(`${base}:remove`, c.id.slice(0, 12)),
          op: { kind: 'remove-container', container: ref, removeAnonymousVolumes: options.removeVolumes ?? false },
          resource,
          cause: 'down',
          // A stopped container still waits for its dependents to stop: removing it first would
          // pull a volume or namespace from under a running dependent.
          dependsOn: stop ? [stop] : after,
        }),
      );
    }
    stopNodes.set(service, stops);
  }

  if (options.services === undefined) {
    for (const network of [...observed.networks].sort(byName)) {
      b.add({ id: `network:${network.name}:remove`, op: { kind: 'remove-network', name: network.name, id: network.id }, resource: `network ${network.name}`, cause: 'down', dependsOn: removeNodes });
    }
    if (options.removeVolumes) {
      const wanted = options.projectVolumes ? new Set(options.projectVolumes) : undefined;
      for (const volume of [...observed.volumes].sort(byName)) {
        if (wanted && !wanted.has(volume.name)) continue;
        b.add({ id: `volume:${volume.name}:remove`, op: { kind: 'remove-volume', name: volume.name }, resource: `volume ${volume.name}`, cause: 'down -v', dependsOn: removeNodes });
      }
    }
  }

  if (options.removeVolumes) {
    for (const name of anonymousVolumesOf(containers, observed)) {
      b.add({ id: `volume:${name}:remove`, op: { kind: 'remove-volume', name }, resource: `volume ${name.slice(0, 12)}`, cause: 'down -v (anonymous)', dependsOn: removeNodes });
    }
  }

  if (options.rmi) {
    for (const image of imagesToRemove(observed.projectName, containers, options.rmi)) {
      b.add({ id: `image:${image}:remove`, op: { kind: 'remove-image', image }, resource: `image ${image}`, cause: `--rmi ${options.rmi}`, dependsOn: removeNodes });
    }
  }
  return b.build();
}

/**
 * Anonymous volumes the engine will not remove with its container: one carried over on a recreate
 * is mounted into the replacement by name, and `rm -v` only removes volumes a container created
 * itself. Without this, every recreate would leave a volume behind after `down -v`.
 */
function anonymousVolumesOf(containers: readonly ObservedContainer[], observed: ObservedState): string[] {
  const labelled = new Set(observed.volumes.map((volume) => volume.name));
  const names = new Set<string>();
  for (const container of containers) {
    for (const mount of container.mounts) {
      if (mount.type === 'volume' && mount.name !== undefined && ANONYMOUS_VOLUME.test(mount.name) && !labelled.has(mount.name)) names.add(mount.name);
    }
  }
  return [...names].sort();
}

/** The engine names an anonymous volume with 64 hex digits. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

function selectContainers(observed: ObservedState, options: PlanDownOptions, warnings: string[]): ObservedContainer[] {
  let containers = [...observed.containers].sort(byName);
  if (options.services) {
    const wanted = new Set(options.services);
    containers = containers.filter((c) => wanted.has(serviceOf(c.labels) ?? ''));
  }
  if (options.knownServices && !options.removeOrphans) {
    const known = new Set(options.knownServices);
    const orphans = containers.filter((c) => !isOneOff(c.labels) && !known.has(serviceOf(c.labels) ?? ''));
    if (orphans.length > 0) {
      warnings.push(
        `Found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project. If you removed or renamed this service in your spec, run this command with --remove-orphans to clean it up.`,
      );
      containers = containers.filter((c) => !orphans.includes(c));
    }
  }
  return containers;
}

function identify(c: ObservedContainer): { resource: string; base: string } {
  const service = serviceOf(c.labels);
  const n = containerNumber(c.labels);
  if (service !== undefined && n !== undefined && !isOneOff(c.labels)) return { resource: replicaName(service, n), base: `container:${service}:${n}` };
  return { resource: c.name, base: `container:${c.name}` };
}

/** Dependents first; a cycle in labels (hand-edited or foreign) drops ordering between its members. */
function reverseOrder(services: string[], dependents: Map<string, Set<string>>, warnings: string[]): string[] {
  const set = new Set(services);
  const pending = new Map<string, Set<string>>();
  for (const s of services) pending.set(s, new Set([...(dependents.get(s) ?? [])].filter((d) => set.has(d) && d !== s)));
  const order: string[] = [];
  while (pending.size > 0) {
    let ready = [...pending.keys()].filter((s) => pending.get(s)!.size === 0).sort();
    if (ready.length === 0) {
      ready = [...pending.keys()].sort();
      warnings.push(`dependency cycle in container labels between ${ready.join(', ')}: stopping them without order`);
      for (const s of ready) dependents.delete(s);
    }
    for (const s of ready) {
      order.push(s);
      pending.delete(s);
    }
    for (const deps of pending.values()) for (const s of ready) deps.delete(s);
  }
  return order;
}

function imagesToRemove(projectName: string, containers: ObservedContainer[], rmi: 'all' | 'local'): string[] {
  const images = new Set<string>();
  for (const c of containers) {
    if (rmi === 'all') images.add(c.image);
    else {
      const service = serviceOf(c.labels);
      if (service !== undefined && c.image === defaultImageName(projectName, service)) images.add(c.image);
    }
  }
  return [...images].sort();
}
