// One way into a project for every command that reads the spec: load -> validate -> model -> graph.
// Commands that only need a project name (down, ps, logs) skip this and read engine labels instead.
import { loadSpec } from './load/index.js';
import type { LoadOptions, LoadedSpec } from './load/types.js';
import { validateSpecCached } from './validate/validation-cache.js';
import { buildProject } from './model/build.js';
import { withServices } from './model/select.js';
import type { Project } from './model/types.js';
import { buildGraph, type ServiceGraph } from './graph/graph.js';
import { RecordingReads } from './load/spec-reads.js';
import { reuseProject, storeProject, type CachedProject, type ProjectCacheOptions } from './project-cache.js';

declare const __STACK_MODEL_ID__: string | undefined;

/** A hash of the code that turns files into a project, stamped by scripts/build.mjs; undefined when run from source. */
const MODEL_ID: string | undefined = typeof __STACK_MODEL_ID__ === 'string' ? __STACK_MODEL_ID__ : undefined;

export interface ProjectOptions extends LoadOptions {
  /** `--profile` values; empty = COMPOSE_PROFILES (from the shell or the .env file). */
  profiles: string[];
  /** Services named on the command line: only these (and what they need) are active; naming one enables its profiles. */
  services: string[];
  /** With `services`: also keep what they need, transitively (default true; `up --no-deps` says false). */
  includeDependencies?: boolean;
  /** Where specs that passed validation are remembered (core/validate/validation-cache.ts); absent = always validate. */
  validationCacheDirectory?: string;
  /** Where resolved projects are remembered (core/project-cache.ts); absent = always load. */
  projectCacheDirectory?: string;
  /** Overrides the build's stamp of the model code (tests); the project cache is off without one. */
  modelId?: string;
}

export interface LoadedProject {
  /** The loader's merged spec; absent when the project came from the project cache. */
  spec?: LoadedSpec;
  project: Project;
  graph: ServiceGraph;
  /** Spec and model warnings, each once, in the order found. */
  warnings: string[];
}

export async function loadProject(options: ProjectOptions): Promise<LoadedProject> {
  const cache = projectCacheOf(options);
  if (cache === undefined) return projectFromSpec(await loadSpec(options), options);
  const reused = reuseProject(options, cache);
  if (reused !== undefined) return withGraphOnDemand(reused);
  const reads = new RecordingReads();
  const loaded = await projectFromSpec(await loadSpec({ ...options, reads }), { ...options, reads });
  storeProject(options, cache, loaded, reads);
  return loaded;
}

function projectCacheOf(options: ProjectOptions): ProjectCacheOptions | undefined {
  const modelId = options.modelId ?? MODEL_ID;
  return options.projectCacheDirectory === undefined || modelId === undefined ? undefined : { directory: options.projectCacheDirectory, modelId };
}

/** A reused project passed the graph's checks when it was stored: its graph is built only if asked for. */
function withGraphOnDemand(cached: CachedProject): LoadedProject {
  let graph: ServiceGraph | undefined;
  return {
    ...cached,
    get graph() {
      return (graph ??= buildGraph(cached.project));
    },
  };
}

/** The stages after loading, for callers that already hold the loaded spec (`config --no-interpolate`). */
export async function projectFromSpec(
  spec: LoadedSpec,
  options: Pick<ProjectOptions, 'profiles' | 'services' | 'includeDependencies' | 'validationCacheDirectory' | 'reads'> & { interpolate?: boolean },
): Promise<LoadedProject> {
  // Uninterpolated values (`scale: ${N}`) are strings the schema would reject as numbers.
  await validateSpecCached(spec, {
    interpolated: options.interpolate ?? true,
    ...(options.validationCacheDirectory === undefined ? {} : { cacheDirectory: options.validationCacheDirectory }),
  });
  const profiles = activeProfiles(options.profiles, spec.environment);
  const all = buildProject(spec, { profiles, services: options.services, ...(options.reads ? { readFile: (file: string) => options.reads!.readText(file) } : {}) });
  const project = options.services.length > 0 ? withServices(all, options.services, { includeDeps: options.includeDependencies ?? true }) : all;
  const graph = buildGraph(project);
  return { spec, project, graph, warnings: uniqueWarnings(spec.warnings, project.warnings) };
}

/**
 * `--profile` wins; otherwise COMPOSE_PROFILES, which Compose also reads from the .env file,
 * hence it is looked up in the spec's environment (shell over .env) rather than process.env.
 */
export function activeProfiles(flags: readonly string[], environment: Record<string, string | undefined>): string[] {
  if (flags.length > 0) return [...flags];
  return (environment.COMPOSE_PROFILES ?? '')
    .split(',')
    .map((profile) => profile.trim())
    .filter((profile) => profile !== '');
}

export function uniqueWarnings(...lists: readonly (readonly string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((list) => list ?? []))];
}
