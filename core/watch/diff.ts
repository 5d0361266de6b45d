// What a spec reload changes, decided on the models alone (pure): which services appeared, left,
// or changed definition, and which others must be looked at because of them. The planner still
// decides what each of those needs (config hash, image, namespace parent); services outside the
// selection are not even looked at, so an unchanged service, stopped or running, is left alone.
import type { Project, Service } from '../model/types.js';
import { serviceDependencies } from '../plan/dependencies.js';

export interface ProjectChange {
  added: string[];
  removed: string[];
  /** In both, with a different definition (or using a top-level resource whose definition changed). */
  changed: string[];
  /** What `up` is asked to converge: added + changed + their dependants (sorted). */
  selection: string[];
  /** Engine names of named volumes the new spec no longer declares: kept, reported. */
  volumesLeft: string[];
}

export function diffProjects(previous: Project, next: Project): ProjectChange {
  const before = new Set(Object.keys(previous.services));
  const after = new Set(Object.keys(next.services));
  const added = [...after].filter((name) => !before.has(name)).sort();
  const removed = [...before].filter((name) => !after.has(name)).sort();
  const changedResources = changedTopLevel(previous, next);
  const changed = [...after]
    .filter((name) => before.has(name))
    .filter((name) => stableJson(previous.services[name]) !== stableJson(next.services[name]) || usesAny(next.services[name]!, changedResources))
    .sort();
  const selection = withDependants(next, [...added, ...changed]);
  const volumesLeft = Object.entries(previous.volumes)
    .filter(([key, volume]) => !volume.external && next.volumes[key]?.name !== volume.name)
    .map(([, volume]) => volume.name)
    .filter((name) => !Object.values(next.volumes).some((v) => v.name === name))
    .sort();
  return { added, removed, changed, selection, volumesLeft };
}

type Resources = { networks: Set<string>; volumes: Set<string>; secrets: Set<string>; configs: Set<string> };

function changedTopLevel(previous: Project, next: Project): Resources {
  const keys = (kind: 'networks' | 'volumes' | 'secrets' | 'configs'): Set<string> => {
    const out = new Set<string>();
    const a = previous[kind] as Record<string, unknown>;
    const b = next[kind] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) if (stableJson(a[key]) !== stableJson(b[key])) out.add(key);
    return out;
  };
  return { networks: keys('networks'), volumes: keys('volumes'), secrets: keys('secrets'), configs: keys('configs') };
}

function usesAny(service: Service, changed: Resources): boolean {
  if (Object.keys(service.networks).some((key) => changed.networks.has(key))) return true;
  if (service.volumes.some((m) => m.type === 'volume' && m.source !== undefined && changed.volumes.has(m.source))) return true;
  if (service.secrets.some((s) => changed.secrets.has(s.source))) return true;
  return service.configs.some((c) => changed.configs.has(c.source));
}

/** `names` plus every service of `project` that depends on one of them, transitively. */
function withDependants(project: Project, names: readonly string[]): string[] {
  const out = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of Object.values(project.services)) {
      if (out.has(service.name)) continue;
      if (serviceDependencies(service).some((d) => out.has(d.service))) {
        out.add(service.name);
        grew = true;
      }
    }
  }
  return [...out].sort();
}

/** JSON with sorted keys: two equal models give the same text whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v as Record<string, unknown>).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  }) ?? 'undefined';
}
