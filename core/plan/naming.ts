// Engine-side names, as Compose v2 makes them (compose-reference.md §3 "Naming"): containers use
// `-`, networks and volumes keep the model's `name` (`<project>_<key>` by default).
import type { Project, Service } from '../model/types.js';

export const NAME_SEPARATOR = '-';

/** `<project>-<service>-<n>`, or the service's `container_name`. */
export function containerName(projectName: string, service: Pick<Service, 'name' | 'container_name'>, number: number): string {
  return service.container_name ?? [projectName, service.name, String(number)].join(NAME_SEPARATOR);
}

/** `<project>-<service>-run-<slug>` for `run` containers; the slug is 12 hex characters. */
export function oneOffContainerName(projectName: string, serviceName: string, slug: string): string {
  return [projectName, serviceName, 'run', slug.slice(0, 12)].join(NAME_SEPARATOR);
}

/** How plans and progress name a replica to users: `web-1`. */
export function replicaName(serviceName: string, number: number): string {
  return `${serviceName}${NAME_SEPARATOR}${number}`;
}

/** The name the old container gets while its replacement is created: `<id12>_<name>`, as Compose. */
export function temporaryName(containerId: string, name: string): string {
  const prefix = `${containerId.slice(0, 12)}_`;
  // Idempotent: a container left under its temporary name keeps it rather than growing prefixes.
  return name.startsWith(prefix) ? name : prefix + name;
}

/** Engine name of a project network key; the key itself when the model does not know it. */
export function networkName(project: Pick<Project, 'networks'>, key: string): string {
  return project.networks[key]?.name ?? key;
}

export function volumeName(project: Pick<Project, 'volumes'>, key: string): string {
  return project.volumes[key]?.name ?? key;
}

/** `<project>-<service>` for a build-only service. */
export function defaultImageName(projectName: string, serviceName: string): string {
  return `${projectName}${NAME_SEPARATOR}${serviceName}`;
}

/** The image a service's containers run: `image:` or, for build-only services, the default name. */
export function serviceImage(projectName: string, service: Pick<Service, 'name' | 'image'>): string {
  return service.image ?? defaultImageName(projectName, service.name);
}
