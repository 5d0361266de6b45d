// The labels stamped on every container, network and volume. They are the only state `stack`
// keeps: `ps`, `logs` and `down` rebuild a project from them, and Compose v2 reads the same
// ones, so a project started by one tool can be managed by the other (Compose's pkg/api/labels.go).
import type { Project, Service } from '../model/types.js';

export const LABEL_PROJECT = 'com.docker.compose.project';
export const LABEL_SERVICE = 'com.docker.compose.service';
export const LABEL_CONTAINER_NUMBER = 'com.docker.compose.container-number';
export const LABEL_ONEOFF = 'com.docker.compose.oneoff';
export const LABEL_SLUG = 'com.docker.compose.slug';
export const LABEL_CONFIG_HASH = 'com.docker.compose.config-hash';
export const LABEL_WORKING_DIR = 'com.docker.compose.project.working_dir';
export const LABEL_CONFIG_FILES = 'com.docker.compose.project.config_files';
export const LABEL_ENVIRONMENT_FILE = 'com.docker.compose.project.environment_file';
export const LABEL_DEPENDS_ON = 'com.docker.compose.depends_on';
/** Digest of the local image in use; written by the executor once the image is resolved. */
export const LABEL_IMAGE = 'com.docker.compose.image';
export const LABEL_VERSION = 'com.docker.compose.version';
export const LABEL_NETWORK = 'com.docker.compose.network';
export const LABEL_VOLUME = 'com.docker.compose.volume';
/** Set on a replacement container: the name of the container it replaces. */
export const LABEL_REPLACE = 'com.docker.compose.replace';

/** Our own: the stack version that wrote the resource. */
export const LABEL_STACK_VERSION = 'dev.stack.version';
/**
 * Our own: the canonical JSON that was hashed into `config-hash`. The hash alone cannot say
 * WHAT changed; with this label `up --dry-run` can print `environment.MODE: "one" -> "two"`.
 * Containers made by Compose lack it and are reported as "config hash changed".
 */
export const LABEL_STACK_CONFIG = 'dev.stack.config';

/**
 * Compose reads `com.docker.compose.version` to decide on compatibility behaviours, so it
 * carries a Compose version whose conventions we follow, not our own version.
 */
export const COMPOSE_COMPATIBLE_VERSION = '2.40.3';
/** Kept in step with package.json by hand: core/ does not read files at run time. */
export const STACK_VERSION = '0.1.0';

export const ONEOFF_TRUE = 'True';
export const ONEOFF_FALSE = 'False';

/** `label=value` filters for Engine list calls. */
export function projectFilter(projectName: string): string[] {
  return [`${LABEL_PROJECT}=${projectName}`];
}

export function serviceFilter(projectName: string, service: string): string[] {
  return [`${LABEL_PROJECT}=${projectName}`, `${LABEL_SERVICE}=${service}`];
}

/** `db:service_healthy:false,cache:service_started:true`, as Compose v2 writes it. */
export function formatDependsOnLabel(service: Service): string {
  return Object.keys(service.depends_on)
    .sort()
    .map((name) => {
      const dep = service.depends_on[name]!;
      return `${name}:${dep.condition}:${dep.restart}`;
    })
    .join(',');
}

export interface DependsOnLabelEntry {
  service: string;
  condition: string;
  restart: boolean;
}

/** Reads `com.docker.compose.depends_on`; tolerates the bare `svc` entries older writers used. */
export function parseDependsOnLabel(value: string | undefined): DependsOnLabelEntry[] {
  if (!value) return [];
  const out: DependsOnLabelEntry[] = [];
  for (const item of value.split(',')) {
    const [service, condition, restart] = item.trim().split(':');
    if (!service) continue;
    out.push({ service, condition: condition || 'service_started', restart: restart === 'true' });
  }
  return out;
}

export interface ContainerLabelOptions {
  /** The canonical hashed JSON (from `serviceConfig`), stored as `dev.stack.config`. */
  config?: string;
  /** For `run` containers: the slug (12 hex); makes the container a one-off without a number. */
  oneoffSlug?: string;
  /** `--env-file` paths, recorded as Compose does. */
  environmentFiles?: string[];
  /** Name of the container being replaced, on recreate. */
  replaces?: string;
}

/**
 * Every label a service container carries: the user's `labels:` first, ours over them
 * (a user label must not be able to move a container into another project).
 */
export function containerLabels(
  project: Project,
  service: Service,
  number: number | undefined,
  hash: string,
  options: ContainerLabelOptions = {},
): Record<string, string> {
  const labels: Record<string, string> = {
    ...service.labels,
    [LABEL_PROJECT]: project.name,
    [LABEL_SERVICE]: service.name,
    [LABEL_ONEOFF]: options.oneoffSlug === undefined ? ONEOFF_FALSE : ONEOFF_TRUE,
    [LABEL_CONFIG_HASH]: hash,
    [LABEL_WORKING_DIR]: project.workingDir,
    [LABEL_CONFIG_FILES]: project.configFiles.join(','),
    [LABEL_DEPENDS_ON]: formatDependsOnLabel(service),
    [LABEL_VERSION]: COMPOSE_COMPATIBLE_VERSION,
    [LABEL_STACK_VERSION]: STACK_VERSION,
  };
  if (options.environmentFiles && options.environmentFiles.length > 0) {
    labels[LABEL_ENVIRONMENT_FILE] = options.environmentFiles.join(',');
  }
  if (number !== undefined && options.oneoffSlug === undefined) labels[LABEL_CONTAINER_NUMBER] = String(number);
  if (options.oneoffSlug !== undefined) labels[LABEL_SLUG] = options.oneoffSlug;
  if (options.config !== undefined) labels[LABEL_STACK_CONFIG] = options.config;
  if (options.replaces !== undefined) labels[LABEL_REPLACE] = options.replaces;
  return labels;
}

function resourceLabels(
  projectName: string,
  kindLabel: string,
  key: string,
  hash: string,
  userLabels: Record<string, string>,
): Record<string, string> {
  return {
    ...userLabels,
    [LABEL_PROJECT]: projectName,
    [kindLabel]: key,
    [LABEL_CONFIG_HASH]: hash,
    [LABEL_VERSION]: COMPOSE_COMPATIBLE_VERSION,
    [LABEL_STACK_VERSION]: STACK_VERSION,
  };
}

/** Labels of a project network; `key` is the network's key in the spec (`default`). */
export function networkLabels(projectName: string, key: string, hash: string, userLabels: Record<string, string> = {}): Record<string, string> {
  return resourceLabels(projectName, LABEL_NETWORK, key, hash, userLabels);
}

/** Labels of a project volume; `key` is the volume's key in the spec. */
export function volumeLabels(projectName: string, key: string, hash: string, userLabels: Record<string, string> = {}): Record<string, string> {
  return resourceLabels(projectName, LABEL_VOLUME, key, hash, userLabels);
}

/** The replica number, or undefined for one-offs and for labels that are missing or not a positive integer. */
export function containerNumber(labels: Record<string, string>): number | undefined {
  const raw = labels[LABEL_CONTAINER_NUMBER];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n > 0 ? n : undefined;
}

export function isOneOff(labels: Record<string, string>): boolean {
  return labels[LABEL_ONEOFF] === ONEOFF_TRUE;
}

export function serviceOf(labels: Record<string, string>): string | undefined {
  return labels[LABEL_SERVICE];
}

export function configHashOf(labels: Record<string, string>): string | undefined {
  return labels[LABEL_CONFIG_HASH];
}

/** The stored canonical config, parsed; undefined when absent (Compose-made) or unreadable. */
export function storedConfigOf(labels: Record<string, string>): unknown {
  const raw = labels[LABEL_STACK_CONFIG];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
