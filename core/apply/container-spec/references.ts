// References from one service to another service's containers (`network_mode: service:x`,
// `pid`/`ipc: service:x`, `volumes_from`, `links`). The executor knows which containers exist or
// are planned; the mapping only asks it for their names.
import { StackError } from '../../errors.js';
import type { Project } from '../../model/types.js';
import { containerName } from '../../plan/naming.js';

/** Names of a service's containers, first one first (Compose uses the first for shared namespaces). */
export type ContainerNamesOf = (serviceName: string) => string[];

/** Without a resolver, the deterministic name of container 1 (`<project>-<svc>-1` or `container_name`). */
export function defaultContainerNamesOf(project: Project): ContainerNamesOf {
  return (serviceName) => {
    const service = project.services[serviceName] ?? project.disabledServices[serviceName];
    return [containerName(project.name, service ?? { name: serviceName }, 1)];
  };
}

/** The container that stands for `service` in a shared namespace or `volumes_from`. */
export function firstContainerOf(names: ContainerNamesOf, from: string, target: string, what: string): string {
  const first = names(target)[0];
  if (first === undefined) {
    throw new StackError('NOT_FOUND', `service ${from} uses the ${what} of service ${target}, which has no container`, {
      hint: `start ${target} first (\`stack up ${target}\`), or check that its scale is not 0`,
    });
  }
  return first;
}

/** `service:x` -> `container:<x's first container>`; other values unchanged. */
export function resolveServiceMode(value: string | undefined, names: ContainerNamesOf, from: string, what: string): string | undefined {
  if (value === undefined || !value.startsWith('service:')) return value;
  return `container:${firstContainerOf(names, from, value.slice('service:'.length), what)}`;
}
