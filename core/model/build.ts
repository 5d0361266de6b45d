// LoadedSpec (validated plain data) -> Project: every short syntax expanded through the rule
// table (rules.ts), paths made absolute, defaults Compose fills filled, profiles applied, and
// the dependency graph checked (unknown services, cycles) so later stages can trust it.
import { readFileSync } from 'node:fs';
import { SpecError, type KeyPath, type SpecProblem } from '../errors.js';
import { buildGraph } from '../graph/graph.js';
import type { LoadedSpec } from '../load/types.js';
import { describe, expectRecord, extensionsOf, fail, isRecord, type TransformContext } from './canonical/context.js';
import { serviceEnvironment } from './canonical/environment.js';
import { networkAt, volumeAt } from './canonical/networks.js';
import { fileObjectAt } from './canonical/secrets.js';
import { stringListAt } from './canonical/misc.js';
import { checkDisabledDependencies, enabledProfiles, isActive, splitByProfiles, type ProfileSelection } from './profiles.js';
import { handledElsewhere, serviceRules } from './rules.js';
import { unknownServiceError } from './select.js';
import type { Config, Network, Project, Secret, Service, Volume } from './types.js';
import { emptyService } from './empty-service.js';

export interface BuildOptions {
  /** `--profile` values (`*` enables every profile). */
  profiles: string[];
  /** Services named on the command line: enabled whatever their profiles, and their profiles enabled. */
  services?: string[];
  /** Reads env_files, secret and config files (injectable for tests). */
  readFile?: (path: string) => string;
}

/** Compose keys the model does not carry yet: ignored with a warning rather than silently. */
const UNSUPPORTED = new Set([
  'attach', 'gpus', 'label_file', 'credential_spec', 'post_start', 'pre_stop', 'models', 'provider', 'use_api_socket',
  'volume_driver', 'log_driver', 'log_opt', 'net', 'cpu_count', 'cpu_percent', 'cpu_rt_period', 'cpu_rt_runtime', 'dockerfile',
]);

export function buildProject(spec: LoadedSpec, options: BuildOptions): Project {
  const ctx: TransformContext = {
    spec,
    workingDir: spec.workingDir,
    environment: spec.environment,
    readFile: options.readFile ?? ((path) => readFileSync(path, 'utf8')),
    sourceFiles: new Set(),
    warnings: [...spec.warnings],
  };
  const data = spec.data;
  const rawServices = data.services === undefined || data.services === null ? {} : expectRecord(ctx, data.services, ['services']);
  const names = Object.keys(rawServices).sort();
  for (const name of options.services ?? []) if (!Object.hasOwn(rawServices, name)) throw unknownServiceError(name, names);
  const selection = { profiles: options.profiles, services: options.services ?? [] };
  const active = activeServiceNames(ctx, rawServices, selection);
  const all: Record<string, Service> = {};
  for (const name of names) all[name] = buildService(ctx, name, rawServices[name], { active: active.has(name) });

  const { services, disabledServices } = splitByProfiles(all, selection);
  checkDisabledDependencies(services, disabledServices, spec.sources);
  const used = usedFileObjects(Object.values(services));

  const networks = topLevel<Network>(ctx, 'networks', (key, value, path) => networkAt(ctx, key, value, path));
  const usesDefault = Object.values(all).some((service) => 'default' in service.networks);
  if (usesDefault && !networks.default) networks.default = networkAt(ctx, 'default', {}, ['networks', 'default']);
  const project: Project = {
    name: spec.projectName,
    workingDir: spec.workingDir,
    configFiles: [...spec.configFiles],
    sourceFiles: [],
    services,
    disabledServices,
    networks,
    volumes: topLevel<Volume>(ctx, 'volumes', (key, value, path) => volumeAt(ctx, key, value, path)),
    secrets: topLevel<Secret>(ctx, 'secrets', (key, value, path) => fileObjectAt(ctx, 'secrets', key, value, path, used.secrets.has(key))),
    configs: topLevel<Config>(ctx, 'configs', (key, value, path) => fileObjectAt(ctx, 'configs', key, value, path, used.configs.has(key))),
    extensions: extensionsOf(data),
    environment: { ...spec.environment },
    sources: spec.sources,
    warnings: ctx.warnings,
  };
  project.sourceFiles = [...new Set([...spec.sourceFiles, ...ctx.sourceFiles])];
  checkReferences(project);
  buildGraph(project);
  return project;
}

/** Activity decided from the raw `profiles`, before building: disabled services may skip missing env_files. */
function activeServiceNames(ctx: TransformContext, raw: Record<string, unknown>, selection: ProfileSelection): Set<string> {
  const profiled: Record<string, { name: string; profiles: string[] }> = {};
  for (const [name, value] of Object.entries(raw)) {
    const profiles = isRecord(value) ? stringListAt(ctx, value.profiles, ['services', name, 'profiles']) : [];
    profiled[name] = { name, profiles };
  }
  const enabled = enabledProfiles(profiled, selection);
  const named = new Set(selection.services ?? []);
  return new Set(Object.values(profiled).filter((service) => isActive(service, enabled, named)).map((service) => service.name));
}

function usedFileObjects(services: readonly Service[]): { secrets: Set<string>; configs: Set<string> } {
  const secrets = new Set<string>();
  const configs = new Set<string>();
  for (const service of services) {
    for (const ref of [...service.secrets, ...(service.build?.secrets ?? [])]) secrets.add(ref.source);
    for (const ref of service.configs) configs.add(ref.source);
  }
  return { secrets, configs };
}

function topLevel<T>(ctx: TransformContext, kind: string, make: (key: string, value: unknown, path: KeyPath) => T): Record<string, T> {
  const raw = ctx.spec.data[kind];
  if (raw === undefined || raw === null) return {};
  const entries = expectRecord(ctx, raw, [kind]);
  const out: Record<string, T> = {};
  for (const key of Object.keys(entries).sort()) {
    if (key.startsWith('x-')) continue;
    out[key] = make(key, entries[key], [kind, key]);
  }
  return out;
}

export function buildService(ctx: TransformContext, name: string, value: unknown, options: { active: boolean } = { active: true }): Service {
  const path: KeyPath = ['services', name];
  const raw = value === null || value === undefined ? {} : value;
  if (!isRecord(raw)) fail(ctx, path, `expected a service mapping, got ${describe(raw)}`);
  const service: Service = emptyService(name);
  const target = service as unknown as Record<string, unknown>;
  for (const [key, item] of Object.entries(raw)) {
    if (key.startsWith('x-')) {
      service.extensions[key] = item;
      continue;
    }
    if (handledElsewhere.has(key)) continue;
    const rule = Object.hasOwn(serviceRules, key) ? serviceRules[key as keyof typeof serviceRules] : undefined;
    if (rule) {
      // `null` means "not set" for scalars; for command/entrypoint it is kept (explicitly cleared).
      if (item === null && key !== 'command' && key !== 'entrypoint') continue;
      target[key] = rule(ctx, item, [...path, key]);
    } else {
      // The schema rejects truly unknown keys before we run; what is left is Compose syntax stack does not model.
      const what = UNSUPPORTED.has(key) ? 'is not supported by stack yet' : 'is not a known service attribute';
      ctx.warnings.push(`services.${name}.${key} ${what} and is ignored`);
    }
  }
  Object.assign(service, serviceEnvironment(ctx, raw, path, !options.active));
  if (raw.scale === undefined || raw.scale === null) service.scale = service.deploy?.replicas ?? 1;
  else if (service.deploy?.replicas !== undefined && service.deploy.replicas !== service.scale) {
    fail(ctx, [...path, 'scale'], `scale (${service.scale}) and deploy.replicas (${service.deploy.replicas}) disagree`, 'set only one of them');
  }
  if (raw.networks === undefined || raw.networks === null) {
    if (service.network_mode === undefined) service.networks = { default: {} };
  } else if (service.network_mode !== undefined) {
    fail(ctx, [...path, 'network_mode'], 'network_mode and networks cannot be combined', 'remove one of them');
  }
  return service;
}

/** Names a service uses must be defined at the top level (Compose's consistency check). */
function checkReferences(project: Project): void {
  const problems: SpecProblem[] = [];
  const problem = (path: KeyPath, message: string, hint: string): void => {
    problems.push(project.sources.problem(path, message, { hint }));
  };
  for (const service of Object.values(project.services)) {
    const base = ['services', service.name];
    for (const network of Object.keys(service.networks)) {
      if (!Object.hasOwn(project.networks, network)) {
        problem([...base, 'networks', network], `service "${service.name}" refers to undefined network "${network}"`, `define it under the top-level \`networks:\``);
      }
    }
    service.volumes.forEach((volume, index) => {
      if (volume.type === 'volume' && volume.source !== undefined && !Object.hasOwn(project.volumes, volume.source)) {
        problem([...base, 'volumes', index], `service "${service.name}" refers to undefined volume "${volume.source}"`, 'define it under the top-level `volumes:`, or write a path starting with ./ for a bind mount');
      }
    });
    for (const kind of ['secrets', 'configs'] as const) {
      service[kind].forEach((ref, index) => {
        if (!Object.hasOwn(project[kind], ref.source)) {
          problem([...base, kind, index], `service "${service.name}" refers to undefined ${kind === 'secrets' ? 'secret' : 'config'} "${ref.source}"`, `define it under the top-level \`${kind}:\``);
        }
      });
    }
    service.build?.secrets?.forEach((ref, index) => {
      if (!Object.hasOwn(project.secrets, ref.source)) {
        problem([...base, 'build', 'secrets', index], `service "${service.name}" refers to undefined secret "${ref.source}"`, 'define it under the top-level `secrets:`');
      }
    });
  }
  if (problems.length > 0) throw new SpecError('SPEC_INVALID', problems);
}
