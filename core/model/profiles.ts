// Which services a profile selection switches on, and the check that an active service does
// not need one that stays off.
import { SpecError, type SpecProblem } from '../errors.js';
import { serviceEdges } from '../graph/edges.js';
import type { SourceMap } from '../load/source-map.js';
import type { Service } from './types.js';

export interface ProfileSelection {
  profiles: readonly string[];
  /** Services named on the command line: active whatever their profiles, and their profiles enabled. */
  services?: readonly string[];
}

type Profiled = Pick<Service, 'name' | 'profiles'>;

export function enabledProfiles(all: Record<string, Profiled>, selection: ProfileSelection): Set<string> {
  const enabled = new Set(selection.profiles);
  for (const name of selection.services ?? []) for (const profile of (Object.hasOwn(all, name) ? all[name]?.profiles : undefined) ?? []) enabled.add(profile);
  return enabled;
}

export function isActive(service: Profiled, enabled: ReadonlySet<string>, named: ReadonlySet<string>): boolean {
  if (service.profiles.length === 0 || named.has(service.name) || enabled.has('*')) return true;
  return service.profiles.some((profile) => enabled.has(profile));
}

/** Splits all services into active and disabled ones (same objects, no copies). */
export function splitByProfiles(
  all: Record<string, Service>,
  selection: ProfileSelection,
): { services: Record<string, Service>; disabledServices: Record<string, Service> } {
  const enabled = enabledProfiles(all, selection);
  const named = new Set(selection.services ?? []);
  const services: Record<string, Service> = {};
  const disabledServices: Record<string, Service> = {};
  for (const name of Object.keys(all).sort()) {
    const service = all[name] as Service;
    if (isActive(service, enabled, named)) services[name] = service;
    else disabledServices[name] = service;
  }
  return { services, disabledServices };
}

/**
 * An active service needing a disabled one is an error (as in Compose), unless the need is a
 * `required: false` depends_on, which is dropped. Mutates `services` (drops those entries).
 */
export function checkDisabledDependencies(
  services: Record<string, Service>,
  disabledServices: Record<string, Service>,
  sources: SourceMap,
): void {
  const problems: SpecProblem[] = [];
  for (const service of Object.values(services)) {
    for (const edge of serviceEdges(service, sources)) {
      const target = Object.hasOwn(disabledServices, edge.to) ? disabledServices[edge.to] : undefined;
      if (!target) continue;
      if (!edge.required) {
        delete service.depends_on[edge.to];
        continue;
      }
      const profiles = target.profiles.map((profile) => `--profile ${profile}`).join(' or ');
      problems.push(
        sources.problem(edge.path, `service "${service.name}" depends on service "${edge.to}", which is disabled by its profiles (${target.profiles.join(', ')})`, {
          hint: `enable it with ${profiles}, name "${edge.to}" on the command line, or mark the dependency \`required: false\``,
        }),
      );
    }
  }
  if (problems.length > 0) throw new SpecError('SPEC_INVALID', problems);
}
