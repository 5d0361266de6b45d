// The Engine API's image inspect answer in our ImageInfo type. Its own module (no dockerode) so the
// dockerode adapter and the dockerode-free image client read images the same way.
import type { ImageInfo } from './engine.js';

export interface RawInspectedImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: string;
  Size?: number;
  Config?: { Labels?: Record<string, string> | null; Volumes?: Record<string, unknown> | null } | null;
  Metadata?: { LastTagTime?: string } | null;
}

export function fromInspectedImage(raw: RawInspectedImage): ImageInfo {
  const tagged = raw.Metadata?.LastTagTime ? Date.parse(raw.Metadata.LastTagTime) : NaN;
  return {
    id: raw.Id,
    repoTags: raw.RepoTags ?? [],
    repoDigests: raw.RepoDigests ?? [],
    created: raw.Created ? Math.floor(Date.parse(raw.Created) / 1000) : 0,
    size: raw.Size ?? 0,
    labels: raw.Config?.Labels ?? {},
    // The image's VOLUME paths: the anonymous volumes a recreate must carry over.
    volumes: Object.keys(raw.Config?.Volumes ?? {}),
    // When the image was last tagged (pulled or built): what pull_policy daily/weekly compare.
    ...(Number.isFinite(tagged) && tagged > 0 ? { lastTagTime: Math.floor(tagged / 1000) } : {}),
  };
}
