// The entry point of `pull` and `push`, which need only the image calls. It used to be a second,
// hand-written HTTP client kept apart to avoid loading dockerode; the engine client itself no
// longer loads it (core/engine/http-transport.ts), so this is now the one client, narrowed.
import { connectEngine } from './connect.js';
import type { Env } from './address.js';
import type { Engine } from './engine.js';

/** What the image verbs need from the engine. */
export type ImageEngine = Pick<Engine, 'inspectImage' | 'pullImage' | 'pushImage'>;

/** Resolves the engine address the docker CLI's way; no network traffic until the first call. */
export async function connectImageEngine(options: { env?: Env; homeDir?: string } = {}): Promise<ImageEngine> {
  return connectEngine(options);
}
