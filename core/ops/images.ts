// `images [service...]`: the images the project's containers use (two engine calls: the
// project's containers and the local images).
import type { Engine } from '../engine/engine.js';
import { LABEL_SERVICE, projectFilter } from '../observe/labels.js';

export interface ImagesOptions {
  projectName: string;
  services?: string[];
}

export interface ContainerImage {
  container: string;
  repository: string;
  tag: string;
  /** Full `sha256:...` id. */
  id: string;
  /** Bytes. */
  size: number;
}

export async function images(engine: Pick<Engine, 'listContainers' | 'listImages'>, options: ImagesOptions): Promise<ContainerImage[]> {
  const services = options.services ?? [];
  const [containers, local] = await Promise.all([engine.listContainers({ labels: projectFilter(options.projectName), all: true }), engine.listImages()]);
  const byId = new Map(local.map((image) => [image.id, image]));
  return containers
    .filter((c) => services.length === 0 || services.includes(c.labels[LABEL_SERVICE] ?? ''))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => {
      const image = byId.get(c.imageId);
      // The tag the container was created from, when the image still carries it; else its first tag.
      const tag = image?.repoTags.find((t) => t === c.image || t === `${c.image}:latest`) ?? image?.repoTags[0] ?? c.image;
      const { repository, tag: version } = splitTag(tag);
      return { container: c.name, repository, tag: version, id: c.imageId, size: image?.size ?? 0 };
    });
}

function splitTag(reference: string): { repository: string; tag: string } {
  if (reference.startsWith('sha256:')) return { repository: '<none>', tag: '<none>' };
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: 'latest' };
}

/** docker's HumanSize: decimal units, 3 significant digits (`1.99MB`, `512kB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}
