// The service dependency graph of a project: who needs whom (depends_on, links, volumes_from,
// service: namespaces), in which order to start and stop, and in which waves to start in
// parallel. Built once per project; unknown services and cycles are positioned SpecErrors.
import toposort from 'toposort';
import { DependencyCycleError, SpecError, type SpecProblem } from '../errors.js';
import type { Project } from '../model/types.js';
import { serviceEdges, type GraphEdge } from './edges.js';
import { findCycle } from './order.js';

export type { EdgeKind, GraphEdge } from './edges.js';

export interface ServiceGraph {
  /** Services of the graph, sorted by name. */
  readonly services: readonly string[];
  /**
   * What `name` needs among the graph's services: one edge per dependency (several references
   * to one service are merged). Needs of disabled services (`--no-deps`) are left out.
   */
  dependenciesOf(name: string): GraphEdge[];
  /** Services that need `name` directly, sorted. */
  dependentsOf(name: string): string[];
  /** Dependencies first (start order); ties broken by name. */
  order(): string[];
  /** Dependents first (stop order). */
  reverseOrder(): string[];
  /** Start waves: each wave needs only services of earlier waves. */
  levels(): string[][];
  /** `names` plus everything they need, transitively, in start order. */
  closure(names: readonly string[]): string[];
  /** `names` plus everything that needs them, transitively, in start order. */
  dependentClosure(names: readonly string[]): string[];
}

export function buildGraph(project: Project): ServiceGraph {
  const names = Object.keys(project.services).sort();
  const deps = new Map<string, GraphEdge[]>();
  const problems: SpecProblem[] = [];
  for (const name of names) {
    const merged = new Map<string, GraphEdge>();
    for (const edge of serviceEdges(project.services[name]!, project.sources)) {
      if (!Object.hasOwn(project.services, edge.to)) {
        // A disabled target was already judged by the profile check (core/model/profiles.ts), or
        // left out on purpose (`--no-deps`): it is outside this graph, not an error.
        if (!edge.required || Object.hasOwn(project.disabledServices, edge.to)) continue;
        problems.push(missingDependency(project, edge));
        continue;
      }
      const seen = merged.get(edge.to);
      if (!seen) merged.set(edge.to, edge);
      else merged.set(edge.to, { ...seen, required: seen.required || edge.required, restart: seen.restart || edge.restart });
    }
    deps.set(name, [...merged.values()]);
  }
  if (problems.length > 0) throw new SpecError('SPEC_INVALID', problems);

  const cycle = findCycle(names, (name) => (deps.get(name) ?? []).map((edge) => edge.to));
  if (cycle) {
    const first = (deps.get(cycle[0]!) ?? []).find((edge) => edge.to === cycle[1]);
    throw new DependencyCycleError(cycle, first ? project.sources.locate(first.path) : undefined);
  }

  const dependents = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const [name, edges] of deps) for (const edge of edges) dependents.get(edge.to)!.push(name);

  // toposort puts an edge's source before its target: feed it dependency -> dependent. Its
  // order is valid but not stable across inputs, so it only fixes the order levels are computed in.
  const pairs: [string, string][] = [];
  for (const [name, edges] of deps) for (const edge of edges) pairs.push([edge.to, name]);
  const level = new Map<string, number>();
  for (const name of toposort.array(names, pairs)) {
    level.set(name, Math.max(-1, ...(deps.get(name) ?? []).map((edge) => level.get(edge.to) ?? 0)) + 1);
  }
  const startOrder = [...names].sort((a, b) => level.get(a)! - level.get(b)! || (a < b ? -1 : 1));
  const waves: string[][] = [];
  for (const name of startOrder) (waves[level.get(name)!] ??= []).push(name);

  const walk = (start: readonly string[], next: (name: string) => string[]): string[] => {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...next(name));
    }
    return startOrder.filter((name) => seen.has(name));
  };

  return {
    services: names,
    dependenciesOf: (name) => (deps.get(name) ?? []).map((edge) => ({ ...edge })),
    dependentsOf: (name) => [...(dependents.get(name) ?? [])].sort(),
    order: () => [...startOrder],
    reverseOrder: () => [...startOrder].reverse(),
    levels: () => waves.map((wave) => [...wave]),
    closure: (start) => walk(start, (name) => (deps.get(name) ?? []).map((edge) => edge.to)),
    dependentClosure: (start) => walk(start, (name) => dependents.get(name) ?? []),
  };
}

function missingDependency(project: Project, edge: GraphEdge): SpecProblem {
  const verb = edge.kind === 'depends_on' ? 'depends on' : edge.kind === 'links' ? 'links to' : edge.kind === 'volumes_from' ? 'mounts volumes from' : `shares the ${edge.kind} namespace of`;
  const known = Object.keys(project.services).sort();
  return project.sources.problem(edge.path, `service "${edge.from}" ${verb} undefined service "${edge.to}"`, {
    hint: known.length > 0 ? `defined services: ${known.join(', ')}` : 'define the service under `services:`',
  });
}
