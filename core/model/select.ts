// Project transforms that return a new Project: keep only some services (and what they need),
// or re-apply a profile selection.
import { SpecError, StackError } from '../errors.js';
import { buildGraph } from '../graph/graph.js';
import { checkDisabledDependencies, splitByProfiles } from './profiles.js';
import type { Project, Service } from './types.js';

export interface WithServicesOptions {
  /** Also keep every service the named ones need, transitively (default true). */
  includeDeps?: boolean;
}

/**
 * The project restricted to `names` (+ their dependencies); the other services move to
 * `disabledServices`, so they still count as known (not orphans). Naming a service disabled by
 * its profiles enables it.
 */
export function withServices(project: Project, names: readonly string[], options: WithServicesOptions = {}): Project {
  const all = allServices(project);
  for (const name of names) if (!Object.hasOwn(all, name)) throw unknownServiceError(name, Object.keys(all));
  const active: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  for (const [name, service] of Object.entries(all)) {
    if (Object.hasOwn(project.services, name) || names.includes(name)) active[name] = service;
    else disabled[name] = service;
  }
  // Dropping optional needs of disabled services edits depends_on: on copies, the input stays intact.
  const widened = cloneServices(active);
  checkDisabledDependencies(widened, disabled, project.sources);
  const keep = new Set(options.includeDeps ?? true ? buildGraph({ ...project, services: widened, disabledServices: disabled }).closure(names) : names);
  const services: Record<string, Service> = {};
  const disabledServices: Record<string, Service> = {};
  for (const name of Object.keys(all).sort()) {
    if (keep.has(name)) services[name] = widened[name] ?? (all[name] as Service);
    else disabledServices[name] = all[name] as Service;
  }
  return { ...project, services, disabledServices };
}

/** The project with another profile selection applied to all its services. */
export function withProfiles(project: Project, profiles: readonly string[], services: readonly string[] = []): Project {
  const all = cloneServices(allServices(project));
  for (const name of services) if (!Object.hasOwn(all, name)) throw unknownServiceError(name, Object.keys(all));
  const split = splitByProfiles(all, { profiles, services });
  checkDisabledDependencies(split.services, split.disabledServices, project.sources);
  const next: Project = { ...project, ...split };
  buildGraph(next);
  return next;
}

function allServices(project: Project): Record<string, Service> {
  return { ...project.disabledServices, ...project.services };
}

/** depends_on may be pruned by the profile check: work on copies so the input project stays intact. */
function cloneServices(services: Record<string, Service>): Record<string, Service> {
  const out: Record<string, Service> = {};
  for (const [name, service] of Object.entries(services)) out[name] = { ...service, depends_on: { ...service.depends_on } };
  return out;
}

export function unknownServiceError(name: string, known: readonly string[]): StackError {
  const suggestion = closest(name, known);
  const hint = suggestion ? `did you mean "${suggestion}"?` : known.length > 0 ? `services are: ${[...known].sort().join(', ')}` : 'the project defines no services';
  return new SpecError('UNKNOWN_SERVICE', { message: `no such service: ${name}`, hint });
}

/** The known name nearest to `name` (edit distance at most a third of its length, min 2). */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of [...known].sort()) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: a swap of two neighbours counts as one edit (`wbe` -> `web`). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      rows[i]![j] = best;
    }
  }
  return at(a.length, b.length);
}
