// One snapshot of what the engine holds for a project, taken before planning so that the
// planner decides on plain data and never calls the engine (Compose's observed_state.go).
import type { Engine, ImageInfo, ObservedContainer, ObservedNetwork, ObservedVolume } from '../engine/engine.js';
import { projectFilter } from './labels.js';

export interface ObservedState {
  projectName: string;
  /** Every container with the project label, running or not, one-offs included. */
  containers: ObservedContainer[];
  /** Networks with the project label (external networks lack it). */
  networks: ObservedNetwork[];
  /** Volumes with the project label (external volumes lack it). */
  volumes: ObservedVolume[];
  /**
   * Local images, when observed. Absent = unknown: the planner then emits `ensure-image`
   * nodes and lets the executor look; present = the planner decides pulls itself.
   */
  images?: ImageInfo[];
  /**
   * Which external networks/volumes exist, when observed. Absent = unknown (not checked);
   * present = a missing external resource is a plan error.
   */
  external?: { networks: string[]; volumes: string[] };
}

export interface ObserveOptions {
  /** Also list local images (one more call). */
  images?: boolean;
  /** External network names to check (one inspect each). */
  externalNetworks?: string[];
  /** External volume names to check (one inspect each). */
  externalVolumes?: string[];
}

/**
 * Lists the project's containers, networks and volumes in parallel, one call each, filtered by
 * the project label. Images and external resources are looked at only when asked.
 */
export async function observe(engine: Engine, projectName: string, options: ObserveOptions = {}): Promise<ObservedState> {
  const labels = projectFilter(projectName);
  const wantsExternal = options.externalNetworks !== undefined || options.externalVolumes !== undefined;
  const [containers, networks, volumes, images, externalNetworks, externalVolumes] = await Promise.all([
    engine.listContainers({ labels, all: true }),
    engine.listNetworks({ labels }),
    engine.listVolumes({ labels }),
    options.images ? engine.listImages() : Promise.resolve(undefined),
    existing(options.externalNetworks ?? [], (name) => engine.inspectNetwork(name)),
    existing(options.externalVolumes ?? [], (name) => engine.inspectVolume(name)),
  ]);
  const state: ObservedState = { projectName, containers, networks, volumes };
  if (images) state.images = images;
  if (wantsExternal) state.external = { networks: externalNetworks, volumes: externalVolumes };
  return state;
}

async function existing(names: string[], inspect: (name: string) => Promise<unknown>): Promise<string[]> {
  const found = await Promise.all(names.map(async (name) => ((await inspect(name)) === undefined ? undefined : name)));
  return found.filter((name): name is string => name !== undefined);
}

/**
 * `redis` -> `docker.io/library/redis:latest`, so that the many spellings of one reference
 * compare equal. Digest references (`name@sha256:...`) keep their digest and get no tag.
 */
export function normalizeImageReference(reference: string): string {
  let ref = reference;
  if (/^[a-f0-9]{64}$/.test(ref)) return `sha256:${ref}`;
  if (ref.startsWith('sha256:')) return ref;
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at) : '';
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.indexOf('/');
  const first = slash >= 0 ? ref.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = slash >= 0 ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!digest && !lastPart.includes(':')) ref = `${ref}:latest`;
  return ref + digest;
}

/** The local image a reference resolves to, if any. */
export function findImage(images: readonly ImageInfo[], reference: string): ImageInfo | undefined {
  const wanted = normalizeImageReference(reference);
  return images.find(
    (image) =>
      normalizeImageReference(image.id) === wanted ||
      image.repoTags.some((tag) => normalizeImageReference(tag) === wanted) ||
      image.repoDigests.some((d) => normalizeImageReference(d) === wanted),
  );
}
