// One way into a project for every command that reads the spec: load -> validate -> model -> graph.
// Commands that only need a project name (down, ps, logs) skip this and read engine labels instead.
import { loadSpec } from './load/index.js';
import type { LoadOptions, LoadedSpec } from './load/types.js';
import { validateSpecCached } from './validate/validation-cache.js';
import { buildProject } from './model/build.js';
import { withServices } from './model/select.js';
import type { Project } from './model/types.js';
import { buildGraph, type ServiceGraph } from './graph/graph.js';

export interface ProjectOptions extends LoadOptions {
  /** `--profile` values; empty = COMPOSE_PROFILES (from the shell or the .env file). */
  profiles: string[];
  /** Services named on the command line: only these (and what they need) are active; naming one enables its profiles. */
  services: string[];
  /** With `services`: also keep what they need, transitively (default true; `up --no-deps` says false). */
  includeDependencies?: boolean;
  /** Where specs that passed validation are remembered (core/validate/validation-cache.ts); absent = always validate. */
  validationCacheDirectory?: string;
}

export interface LoadedProject {
  spec: LoadedSpec;
  project: Project;
  graph: ServiceGraph;
  /** Spec and model warnings, each once, in the order found. */
  warnings: string[];
}

export async function loadProject(options: ProjectOptions): Promise<LoadedProject> {
  return projectFromSpec(await loadSpec(options), options);
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
