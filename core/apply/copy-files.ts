// Files a container spec carries (secrets and configs with inline content, `run`'s as well as
// `up`'s containers) written into a created container before it starts, as one small archive.
import type { ContainerSpec, Engine } from '../engine/engine.js';
import { tarStream } from './archive.js';

export async function copySpecFiles(engine: Engine, containerId: string, spec: ContainerSpec): Promise<void> {
  const files = spec.filesToCopy ?? [];
  if (files.length === 0) return;
  const tar = tarStream(
    files.map((file) => ({
      path: file.target.replace(/^\/+/, ''),
      content: file.content,
      mode: file.mode,
      ...(file.uid !== undefined ? { uid: file.uid } : {}),
      ...(file.gid !== undefined ? { gid: file.gid } : {}),
    })),
  );
  // Written at `/` with full paths: the engine creates missing parent folders (/run/secrets) while extracting.
  await engine.putArchive(containerId, '/', tar);
}
