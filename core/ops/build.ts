// `build [service...]`: builds every selected service that has `build:`, in one bounded pool
// (`--parallel 1` = one by one), each service's output streamed as events. A failing build names
// its service and step; the other builds carry on and nothing else is touched.
import type { BuiltImage } from '../build/build.js';
import { createCredentialLookup } from '../engine/credentials.js';
import { StackError } from '../errors.js';
import { silentSink } from '../events.js';
import type { Project } from '../model/types.js';
import { serviceImage } from '../plan/naming.js';
import { systemClock } from '../apply/wait.js';
import { parallelLimit, type OpsOptions } from './context.js';

export interface BuildOptions extends OpsOptions {
  project: Project;
  /** Only these services; default every active service with `build:`. */
  services?: string[];
  noCache?: boolean;
  pull?: boolean;
  /** `--build-arg K=V` (already resolved: `--build-arg K` takes K from the environment). */
  buildArgs?: Record<string, string>;
  /** `-q`: no output lines in the events (start, end and errors still). */
  quiet?: boolean;
}

export interface BuildResult {
  built: BuiltImage[];
  failed: { service: string; image: string; error: Error }[];
  warnings: string[];
}

/** The services `build` builds: selected, with `build:`, in spec order. */
export function buildableServices(project: Project, services?: readonly string[]): string[] {
  const wanted = services && services.length > 0 ? new Set(services) : undefined;
  return Object.values(project.services)
    .filter((service) => service.build !== undefined && (wanted === undefined || wanted.has(service.name)))
    .map((service) => service.name);
}

/**
 * Builds, and when one or more builds failed throws (after all have ended) the failure itself when
 * there is one, else a summary naming each failed service; `built` holds what succeeded.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const { project } = options;
  const sink = options.sink ?? silentSink;
  const clock = options.clock ?? systemClock;
  const auth = options.auth ?? createCredentialLookup(options.env ? { env: options.env } : {});
  const unknown = (options.services ?? []).filter((name) => project.services[name] === undefined);
  if (unknown.length > 0) {
    throw new StackError('UNKNOWN_SERVICE', `no such service: ${unknown.join(', ')}`, { hint: `services: ${Object.keys(project.services).sort().join(', ')}` });
  }
  const names = buildableServices(project, options.services);
  // The builder (tar-fs, .dockerignore) is loaded only when something is built: `up` calls here on every run.
  const { buildServiceImage, unsupportedBuildKeys } = await import('../build/build.js');
  const { forEachBounded } = await import('../build/pool.js');
  const result: BuildResult = { built: [], failed: [], warnings: [] };
  for (const name of options.services ?? []) {
    if (!names.includes(name)) result.warnings.push(`service ${name} has no build section: nothing to build`);
  }

  for (const name of names) {
    const keys = unsupportedBuildKeys(project.services[name]!.build!);
    if (keys.length > 0) result.warnings.push(`service ${name}: build ${keys.join(', ')} ${keys.length === 1 ? 'is' : 'are'} not supported by the Engine API's classic builder and ${keys.length === 1 ? 'was' : 'were'} ignored`);
  }
  await forEachBounded(
    names,
    parallelLimit(options.parallel, options.env),
    async (name) => {
      const service = project.services[name]!;
      const image = serviceImage(project.name, service);
      const started = clock.now();
      sink.emit({ kind: 'service', resource: name, action: 'Building', status: 'working', detail: image, timestamp: started });
      try {
        const built = await buildServiceImage({
          engine: options.engine,
          service,
          image,
          auth,
          ...(options.noCache ? { noCache: true } : {}),
          ...(options.pull ? { pull: true } : {}),
          ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.quiet ? {} : { onOutput: (line: string) => line.trim() !== '' && sink.emit({ kind: 'service', resource: name, action: 'Building', status: 'working', detail: line, timestamp: clock.now() }) }),
        });
        result.built.push(built);
        sink.emit({ kind: 'service', resource: name, action: 'Built', status: 'done', detail: image, elapsedMs: clock.now() - started, timestamp: clock.now() });
      } catch (raw) {
        const error = raw instanceof Error ? raw : new Error(String(raw));
        result.failed.push({ service: name, image, error });
        sink.emit({ kind: 'service', resource: name, action: 'Error', status: 'error', detail: firstLine(error.message), elapsedMs: clock.now() - started, timestamp: clock.now() });
      }
    },
    options.signal,
  );
  if (result.failed.length === 1) throw result.failed[0]!.error;
  if (result.failed.length > 1) {
    const details = result.failed.map((f) => f.error.message).join('\n');
    throw new StackError('SERVICE_FAILED', `${result.failed.length} builds failed (${result.failed.map((f) => f.service).join(', ')}):\n${details}`, {
      hint: 'fix the failing steps; the other services were built',
    });
  }
  return result;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}

/**
 * `up`'s image phase, run before observing (as Compose does): what must be built or pulled
 * whatever the containers' state (`--build`, pull_policy build, always, daily/weekly/every_)
 * is built or pulled now, so that the planner then sees the new image ids and recreates what
 * runs an older image. Returns the project with those services' policy settled to `missing`,
 * so that the plan does not build or pull them a second time.
 */
export async function imagesBeforeUp(options: OpsOptions & { project: Project; services?: string[]; build?: boolean }): Promise<Project> {
  const { project } = options;
  const inScope = Object.values(project.services).filter((s) => options.services === undefined || options.services.includes(s.name));
  const toBuild = inScope.filter((s) => s.build !== undefined && (options.build || s.pull_policy === 'build')).map((s) => s.name);
  const periodic = (policy: string | undefined): boolean => policy === 'always' || policy === 'daily' || policy === 'weekly' || (policy?.startsWith('every_') ?? false);
  const toPull = inScope.filter((s) => s.image !== undefined && !toBuild.includes(s.name) && periodic(s.pull_policy)).map((s) => s.name);
  if (toBuild.length > 0) await build({ ...options, services: toBuild });
  // Only the pulls of services that can build fail softly (pull() throws otherwise).
  let pullFailed = new Set<string>();
  if (toPull.length > 0) {
    const { pull } = await import('./pull.js');
    const pulled = await pull({ ...options, services: toPull });
    pullFailed = new Set(pulled.failed.flatMap((f) => f.services));
  }
  const settled = new Set([...toBuild, ...toPull]);
  if (settled.size === 0) return project;
  const services: Project['services'] = {};
  for (const [name, service] of Object.entries(project.services)) {
    // `never` for a failed pull: the plan then builds the image when it is missing, without a second pull attempt.
    services[name] = settled.has(name) ? { ...service, pull_policy: pullFailed.has(name) ? 'never' : 'missing' } : service;
  }
  return { ...project, services };
}
