// Hand-built projects and engine snapshots for planner tests: valid Service objects with the
// model's defaults, and an ObservedState that looks like what `up` leaves behind.
import { createHash } from 'node:crypto';
import type { ObservedContainer, ObservedNetwork, ObservedVolume } from '../../../core/engine/engine.js';
import { SourceMap } from '../../../core/load/source-map.js';
import type { Network, Project, Service, Volume } from '../../../core/model/types.js';
import { networkConfigHash, serviceConfig, volumeConfigHash } from '../../../core/observe/hash.js';
import { containerLabels, networkLabels, volumeLabels } from '../../../core/observe/labels.js';
import type { ObservedState } from '../../../core/observe/observed-state.js';
import { containerName } from '../../../core/plan/naming.js';
import { emptyService } from '../../../core/model/empty-service.js';

export const PROJECT = 'myapp';

export function makeService(name: string, overrides: Partial<Service> = {}): Service {
  return {
    ...emptyService(name),
    image: 'busybox:latest',
    networks: overrides.network_mode === undefined ? { default: {} } : {},
    ...overrides,
  };
}

export function makeNetwork(project: string, key: string, overrides: Partial<Network> = {}): Network {
  return { name: `${project}_${key}`, driver_opts: {}, external: false, labels: {}, extensions: {}, ...overrides };
}

export function makeVolume(project: string, key: string, overrides: Partial<Volume> = {}): Volume {
  return { name: `${project}_${key}`, driver_opts: {}, external: false, labels: {}, extensions: {}, ...overrides };
}

export interface ProjectInput {
  name?: string;
  services: Record<string, Partial<Service>>;
  disabledServices?: Record<string, Partial<Service>>;
  networks?: Record<string, Partial<Network>>;
  volumes?: Record<string, Partial<Volume>>;
  secrets?: Project['secrets'];
  configs?: Project['configs'];
}

export function makeProject(input: ProjectInput): Project {
  const name = input.name ?? PROJECT;
  const services: Record<string, Service> = {};
  for (const [key, overrides] of Object.entries(input.services)) services[key] = makeService(key, overrides);
  const disabledServices: Record<string, Service> = {};
  for (const [key, overrides] of Object.entries(input.disabledServices ?? {})) disabledServices[key] = makeService(key, overrides);
  const networks: Record<string, Network> = {};
  const needsDefault = Object.values(services).some((s) => 'default' in s.networks);
  if (needsDefault) networks.default = makeNetwork(name, 'default');
  for (const [key, overrides] of Object.entries(input.networks ?? {})) networks[key] = makeNetwork(name, key, overrides);
  const volumes: Record<string, Volume> = {};
  for (const [key, overrides] of Object.entries(input.volumes ?? {})) volumes[key] = makeVolume(name, key, overrides);
  return {
    name,
    workingDir: `/src/${name}`,
    configFiles: [`/src/${name}/compose.yaml`],
    sourceFiles: [`/src/${name}/compose.yaml`],
    services,
    disabledServices,
    networks,
    volumes,
    secrets: input.secrets ?? {},
    configs: input.configs ?? {},
    extensions: {},
    environment: {},
    sources: new SourceMap(),
    warnings: [],
  };
}

export function fakeId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export function emptyState(project = PROJECT): ObservedState {
  return { projectName: project, containers: [], networks: [], volumes: [] };
}

export interface ContainerInput {
  state?: ObservedContainer['state'];
  /** Extra or replacing labels (e.g. to drop dev.stack.config: set it to undefined via `without`). */
  labels?: Record<string, string>;
  without?: string[];
  created?: number;
  networks?: string[];
  imageId?: string;
  name?: string;
}

/** A container as `up` would have created it for this service of this project. */
export function containerOf(project: Project, serviceName: string, number: number, input: ContainerInput = {}): ObservedContainer {
  const service = project.services[serviceName] ?? project.disabledServices[serviceName];
  if (!service) throw new Error(`factory: no service ${serviceName}`);
  const config = serviceConfig(service, project);
  const labels = { ...containerLabels(project, service, number, config.hash, { config: config.canonical }), ...input.labels };
  for (const key of input.without ?? []) delete labels[key];
  const name = input.name ?? containerName(project.name, service, number);
  return {
    id: fakeId(name),
    name,
    image: service.image ?? `${project.name}-${serviceName}`,
    imageId: input.imageId ?? '',
    labels,
    state: input.state ?? 'running',
    status: '',
    created: input.created ?? 1_700_000_000,
    command: '',
    ports: [],
    networks: input.networks ?? Object.keys(service.networks).map((k) => project.networks[k]?.name ?? k),
    mounts: [],
  };
}

export function networkOf(project: Project, key: string): ObservedNetwork {
  const network = project.networks[key]!;
  return { id: fakeId(network.name), name: network.name, driver: 'bridge', labels: networkLabels(project.name, key, networkConfigHash(network), network.labels) };
}

export function volumeOf(project: Project, key: string): ObservedVolume {
  const volume = project.volumes[key]!;
  return { name: volume.name, driver: 'local', labels: volumeLabels(project.name, key, volumeConfigHash(volume), volume.labels) };
}

/** What the engine holds after a successful `up` of this project: everything running, up to date. */
export function appliedState(project: Project): ObservedState {
  const state = emptyState(project.name);
  for (const [key, network] of Object.entries(project.networks)) if (!network.external) state.networks.push(networkOf(project, key));
  for (const [key, volume] of Object.entries(project.volumes)) if (!volume.external) state.volumes.push(volumeOf(project, key));
  for (const service of Object.values(project.services)) {
    for (let n = 1; n <= service.scale; n++) state.containers.push(containerOf(project, service.name, n));
  }
  return state;
}
