// Small factories for container-spec tests: every required model field filled with its default.
import { SourceMap } from '../../../core/load/source-map.js';
import type { Project, Service } from '../../../core/model/types.js';
import { toContainerSpec, type ContainerSpecInput } from '../../../core/apply/container-spec.js';
import type { ContainerSpec } from '../../../core/engine/engine.js';
import { emptyService } from '../../../core/model/empty-service.js';

export function makeService(name: string, overrides: Partial<Service> = {}): Service {
  return {
    ...emptyService(name),
    image: 'busybox:latest',
    ...overrides,
  };
}

export function makeProject(services: Service[], overrides: Partial<Project> = {}): Project {
  return {
    name: 'demo',
    workingDir: '/work/demo',
    configFiles: ['/work/demo/compose.yaml'],
    sourceFiles: ['/work/demo/compose.yaml'],
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    disabledServices: {},
    networks: {
      default: { name: 'demo_default', driver_opts: {}, external: false, labels: {}, extensions: {} },
    },
    volumes: {},
    secrets: {},
    configs: {},
    extensions: {},
    environment: {},
    sources: new SourceMap(),
    warnings: [],
    ...overrides,
  };
}

export function network(name: string): Project['networks'][string] {
  return { name, driver_opts: {}, external: false, labels: {}, extensions: {} };
}

export function volume(name: string): Project['volumes'][string] {
  return { name, driver_opts: {}, external: false, labels: {}, extensions: {} };
}

/** Maps `service` (the project's only or named service) as replica 1. */
export function specOf(service: Service, project: Project = makeProject([service]), extra: Partial<ContainerSpecInput> = {}): ContainerSpec {
  return toContainerSpec({
    project,
    service,
    number: 1,
    name: `${project.name}-${service.name}-1`,
    labels: { 'com.docker.compose.project': project.name },
    imageRef: service.image ?? `${project.name}-${service.name}`,
    ...extra,
  });
}

export function hostConfig(spec: ContainerSpec): Record<string, unknown> {
  return spec.body.HostConfig ?? {};
}
