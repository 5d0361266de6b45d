// The entry point of the read-only list verbs (`ps`, `ls`, `port`). It used to be a second,
// hand-written HTTP client kept apart to avoid loading dockerode; the engine client itself no
// longer loads it (core/engine/http-transport.ts), so this is now the one client, narrowed.
import { connectEngine } from './connect.js';
import type { Env } from './address.js';
import type { Engine } from './engine.js';
import type { EngineTrace } from './docker.js';

/** What the list-only verbs need from the engine. */
export type ListEngine = Pick<Engine, 'listContainers'>;

export interface LiteConnectOptions {
  env?: Env;
  homeDir?: string;
  trace?: EngineTrace;
}

/** Resolves the engine address the docker CLI's way; no network traffic until the first call. */
export async function connectListEngine(options: LiteConnectOptions = {}): Promise<ListEngine> {
  return connectEngine(options);
}
