// `stack config`: load, validate and model the spec, and give back its canonical form (or, with
// interpolation off and a model that cannot be built, the merged data as it stands).
import { StackError } from '../errors.js';
import { loadSpec } from '../load/index.js';
import type { LoadedSpec } from '../load/types.js';
import { imageNames, networkNames, profileNames, serviceNames, toCanonical, volumeNames } from '../model/serialize.js';
import type { Project } from '../model/types.js';
import { loadProject, projectFromSpec, uniqueWarnings, type ProjectOptions } from '../project-loader.js';

export type ConfigOptions = ProjectOptions;

export interface ConfigResult {
  projectName: string;
  /**
   * What `config` prints: the model in Compose's canonical long form. With `interpolate: false`
   * and a spec whose model cannot be built from uninterpolated values, the merged spec data.
   */
  model: Record<string, unknown>;
  /** false when `model` is the merged spec data rather than the canonical model. */
  canonical: boolean;
  /** Active service names (profiles and service selection applied). */
  services: string[];
  volumes: string[];
  networks: string[];
  /** Every profile named in the spec. */
  profiles: string[];
  /** The image of each active service (build-only services get `<project>-<service>`). */
  images: string[];
  warnings: string[];
  /** The typed model, when it could be built. */
  project?: Project;
}

/** `stack config`: load, validate and model the spec, and give back its canonical form. */
export async function config(options: ConfigOptions): Promise<ConfigResult> {
  if (!options.interpolate) return configUninterpolated(options);
  const { project, warnings } = await loadProject(options);
  return fromProject(project, warnings);
}

function fromProject(project: Project, warnings: string[]): ConfigResult {
  let model: Record<string, unknown> | undefined;
  return {
    projectName: project.name,
    // Built on first read: `config -q` and the name lists never need it.
    get model(): Record<string, unknown> {
      return (model ??= toCanonical(project));
    },
    canonical: true,
    services: serviceNames(project),
    volumes: volumeNames(project),
    networks: networkNames(project),
    profiles: profileNames(project),
    images: imageNames(project),
    warnings,
    project,
  };
}

/**
 * `${VAR}` left in place may not satisfy the schema or the model (a `${PORT}` port is not a
 * number): Compose then prints the merged data as it stands, and so do we.
 */
async function configUninterpolated(options: ConfigOptions): Promise<ConfigResult> {
  const spec = await loadSpec(options);
  try {
    const { project, warnings } = await projectFromSpec(spec, options);
    return fromProject(project, warnings);
  } catch (error) {
    if (!(error instanceof StackError)) throw error;
    return fromMergedData(spec);
  }
}

function fromMergedData(spec: LoadedSpec): ConfigResult {
  const keys = (key: string): string[] => {
    const value = spec.data[key];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).sort() : [];
  };
  const services = (spec.data.services ?? {}) as Record<string, Record<string, unknown> | null>;
  const profiles = new Set<string>();
  const images: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const listed = service?.profiles;
    if (Array.isArray(listed)) for (const profile of listed) profiles.add(String(profile));
    images.push(typeof service?.image === 'string' ? service.image : `${spec.projectName}-${name}`);
  }
  return {
    projectName: spec.projectName,
    model: { name: spec.projectName, ...spec.data },
    canonical: false,
    services: keys('services'),
    volumes: keys('volumes'),
    networks: keys('networks'),
    profiles: [...profiles].sort(),
    images,
    warnings: uniqueWarnings(spec.warnings),
  };
}
