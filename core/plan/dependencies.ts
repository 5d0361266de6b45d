// The dependency facts the planner needs, read straight from a Service so the planner does not
// depend on core/graph (which owns cycle reporting with spec positions). A caller may pass its
// own function instead (PlanUpInput.dependencies).
import { DependencyCycleError } from '../errors.js';
import type { DependsOnCondition, Service } from '../model/types.js';

export interface ServiceDependency {
  service: string;
  condition: DependsOnCondition;
  /** Restart this service when the dependency is recreated. */
  restart: boolean;
  /** false = an absent or failing dependency only warns. */
  required: boolean;
  /**
   * The container is made FROM the dependency's container (`network_mode`/`ipc`/`pid: service:x`,
   * `volumes_from`): it must be created after it and recreated with it.
   */
  namespace: boolean;
}

export type DependencyFunction = (service: Service) => ServiceDependency[];

function serviceRef(value: string | undefined): string | undefined {
  return value?.startsWith('service:') ? value.slice('service:'.length) : undefined;
}

/** depends_on, links, volumes_from and `service:x` namespaces; one entry per dependency, sorted. */
export function serviceDependencies(service: Service): ServiceDependency[] {
  const deps = new Map<string, ServiceDependency>();
  const add = (name: string, fields: Partial<ServiceDependency>): void => {
    const prev = deps.get(name);
    deps.set(name, {
      service: name,
      condition: prev?.condition ?? fields.condition ?? 'service_started',
      restart: (prev?.restart ?? false) || (fields.restart ?? false),
      required: prev === undefined ? (fields.required ?? true) : prev.required || (fields.required ?? true),
      namespace: (prev?.namespace ?? false) || (fields.namespace ?? false),
    });
  };
  for (const [name, dep] of Object.entries(service.depends_on)) {
    add(name, { condition: dep.condition, restart: dep.restart, required: dep.required });
  }
  for (const link of service.links) add(link.split(':')[0]!, {});
  for (const source of service.volumes_from) {
    if (source.startsWith('container:')) continue;
    add(source.split(':')[0]!, { namespace: true });
  }
  for (const mode of [service.network_mode, service.ipc, service.pid]) {
    const name = serviceRef(mode);
    if (name) add(name, { namespace: true });
  }
  return [...deps.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

/**
 * Dependencies first; ties broken by name so plans are deterministic. Edges to names outside
 * `names` are ignored (deselected or unknown services). A cycle is an error here because the
 * plan would deadlock; core/graph reports it with positions before we get this far.
 */
export function dependencyOrder(names: readonly string[], edges: (name: string) => readonly string[]): string[] {
  // Kahn's algorithm in waves: linear in services + edges, which matters at a few hundred services.
  const known = new Set(names);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of names) {
    const deps = new Set(edges(name).filter((d) => known.has(d) && d !== name));
    waiting.set(name, deps.size);
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(name);
      else dependents.set(dep, [name]);
    }
  }
  const order: string[] = [];
  let wave = names.filter((name) => waiting.get(name) === 0).sort();
  while (wave.length > 0) {
    order.push(...wave);
    const next: string[] = [];
    for (const done of wave) {
      for (const dependent of dependents.get(done) ?? []) {
        const left = waiting.get(dependent)! - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    wave = next.sort();
  }
  if (order.length < waiting.size) {
    const placed = new Set(order);
    const cycle = names.filter((name) => !placed.has(name)).sort();
    throw new DependencyCycleError([...cycle, cycle[0]!]);
  }
  return order;
}
